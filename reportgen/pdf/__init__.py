"""pdf stage."""
