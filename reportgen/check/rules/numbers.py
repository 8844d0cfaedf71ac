"""Number rules (RG3xx): table totals."""
from __future__ import annotations

import re
from typing import Any, Iterator

from reportgen.check.context import Context
from reportgen.check.registry import rule
from reportgen.layout.arrange import Grid
from reportgen.content.yamlio import Loc

Found = Iterator[tuple[Loc, str]]


def number(cell: object) -> float | None:
    """A cell's numeric value: numbers as given, text like '£1,250' or '(300)' parsed; else None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace(",", "").replace("£", "")
    match = re.fullmatch(r"\(?(-?\d+(?:\.\d+)?)\)?k?", text)
    if not match:
        return None
    value = float(match.group(1))
    return -value if text.startswith("(") else value


@rule("RG301", "Total does not add up", "error",
      """In a table with a total row, each total must equal the sum of the rows above it.""",
      "Financial accuracy (s.151 officer sign-off)", "correct the figures or the total")
def totals(ctx: Context, params: dict[str, Any]) -> Found:
    for el in ctx.layout.elements:
        if not isinstance(el, Grid) or not el.total or el.loc is None:
            continue
        for col, cell in enumerate(el.total):
            stated = number(cell)
            if stated is None:
                continue
            values = [number(row[col]) for row in el.rows if col < len(row)]
            actual = sum(v for v in values if v is not None)
            if abs(actual - stated) > 0.005:
                heading = el.columns[col] if col < len(el.columns) else f"column {col + 1}"
                yield el.loc + ("total",), (f"total {_fmt(stated)} in column '{heading}' does not equal "
                                            f"the sum of the rows ({_fmt(actual)})")


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.2f}"
