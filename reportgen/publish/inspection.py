"""Supplied PDFs are published as they are: each is inspected first, and one that is not accessible is
refused unless the clerk accepts it with a reason (--accept-inaccessible)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from reportgen.pdf.finish import finish
from reportgen.pdf.inspect import inspect
from reportgen.publish.plan import Inspection, Plan
from reportgen.publish.refusal import Reason, Refusal


def inspect_supplied(plan: Plan, work: Path, date: dt.date, author: str,
                     accept: str | None) -> tuple[dict[str, Inspection], list[Refusal]]:
    """What inspecting each supplied PDF found (by the document's file), and the refusals when one is not
    accessible and the clerk has not accepted it (with a reason). The inspection reads a finished copy in
    the work folder (the agenda's title and language set, as the pack sets them), so only its content is
    judged; the file published is the supplied one, byte for byte."""
    found: dict[str, Inspection] = {}
    refusals = []
    for d in plan.papers:
        if not d.supplied_pdf:
            continue
        assert d.source is not None
        copy = work / "supplied" / d.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(d.source, copy)
        finish(copy, title=d.title, date=date, author=author)
        pdf = inspect(copy)
        untagged = tuple(pdf.untagged_pages)
        if pdf.ok:
            found[d.file] = Inspection(untagged)
            continue
        if accept is None:
            refusals.append(Refusal(
                Reason.INACCESSIBLE,
                f"item {d.item} ({d.title}): supplied file {d.source.name} is not accessible: "
                + "; ".join(pdf.problems) + ". Supply a tagged PDF or the Word file, or publish "
                "it anyway with --accept-inaccessible \"reason\" (it is then named in the meeting's "
                "accessibility statement)", d.item))
        found[d.file] = Inspection(untagged, tuple(pdf.problems), accept)
    return found, refusals
