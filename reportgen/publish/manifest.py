"""manifest.json: what a website or committee system needs to import each published document."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from reportgen.content.meeting import LoadedMeeting
from reportgen.pdf.inspect import inspect
from reportgen.publish.plan import Doc
from reportgen.style import wording
from reportgen.style.profile import Profile


def manifest(meeting: LoadedMeeting, profile: Profile, docs: list[Doc], staging: Path,
              draft: bool, untagged: list[Path]) -> dict[str, Any]:
    m = meeting.meeting
    entries = []
    for d in docs:
        path = staging / d.file
        report = d.item_ref.report.report if d.item_ref and d.item_ref.report else None
        dtype = report.decision_type if report else None
        pdf = inspect(path)
        entries.append({
            "meeting": meeting.slug, "committee": m.committee, "meeting_date": m.date.isoformat(),
            "item": d.item, "kind": d.kind, "title": d.title, "file": d.file,
            "restricted": d.restricted, "schedule_12a_paragraphs": d.paragraphs,
            "key_decision": bool(dtype and dtype.key),
            "forward_plan_ref": dtype.forward_plan_ref if dtype and dtype.key else None,
            "wards": (wording.wards(d.item_ref.report.report, profile) or None) if d.item_ref and d.item_ref.report else None,
            "decision_date": report.date.isoformat() if report and report.date else None,
            "publication_date": m.publication_date.isoformat(),
            "pages": pdf.pages, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "tagged": pdf.tagged and path not in untagged,
            "accessibility_problems": pdf.problems,
        })
    return {"meeting": {"id": meeting.slug, "committee": m.committee, "date": m.date.isoformat(),
                        "time": m.time, "venue": m.venue, "publication_date": m.publication_date.isoformat(),
                        "style": m.style, "draft": draft},
            "documents": entries}


