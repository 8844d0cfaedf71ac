"""Content: YAML read with positions, validation into located problems, the report, meeting and project models, sign-off records, loading, JSON Schema."""
