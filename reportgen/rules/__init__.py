"""The rule catalogue; importing this package registers every rule with reportgen.check."""
from __future__ import annotations

from . import completeness, language, law, numbers, signoffs  # noqa: F401
