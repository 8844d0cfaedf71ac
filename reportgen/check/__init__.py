"""Checks: the rule registry, the engine, text scanning, output formats, the status matrix and the rule catalogue."""

#: A finding's severities, most severe first. Here, not in registry.py: a command that checks nothing
#: (build) passes them on without importing the rule registry.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
