"""Checks: the rule registry, the engine, text scanning, output formats, the status matrix and the rule catalogue."""
