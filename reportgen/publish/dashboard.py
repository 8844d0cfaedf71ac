"""The draft publish's governance dashboard rows, each remembered in the cache by its report's key.

A row holds every finding of every rule (the gate checks the blocking ones only), so building the dashboard
checked all of a meeting's reports again on each draft republish: most of the time a draft republish takes
beyond a final one. A report's key (publish.keys.report_key) covers its files, sign-offs included, its house
style, the code and the day, which is everything its row is made of.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from reportgen.cache import Cache, digest
from reportgen.html.dashboard import FindingLine, Row, Signoff
from reportgen.layout.prepared import Prepared
from reportgen.pipeline import dashboard_row


def _load(data: bytes) -> Row:
    found = json.loads(data)
    found["signoffs"] = [Signoff(**s) for s in found["signoffs"]]
    found["findings"] = [FindingLine(**f) for f in found["findings"]]
    return Row(**found)


def dashboard_rows(prepared: list[tuple[Prepared, str | None]], today: dt.date, cache: Cache) -> list[Row]:
    """Each report's dashboard row, from the cache when its key (None: not known) was seen before."""
    rows = []
    for report, report_key in prepared:
        key = digest("dashboard", report_key) if report_key is not None else None
        cached = cache.get("dashboard", key) if key is not None else None
        if cached is not None:
            rows.append(_load(cached))
            continue
        row = dashboard_row(report, today)
        if key is not None:
            cache.put("dashboard", key, json.dumps(dataclasses.asdict(row)).encode())
        rows.append(row)
    return rows
