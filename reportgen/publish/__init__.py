"""Publish: the gate, the public/private document plan, the manifest and the run."""
