"""manifest.json: what a website or committee system needs to import each published document.

public/manifest.json lists the public documents only; private/manifest.json the exempt ones.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pikepdf

from reportgen.cache import Cache
from reportgen.content.meeting import LoadedMeeting
from reportgen.pdf.inspect import PdfReport, Tree, inspect, inspect_open
from reportgen.publish.keys import inspect_key
from reportgen.publish.plan import CLEAN, Document, Inspection, Plan
from reportgen.style import wording
from reportgen.style.profile import Profile


def pdf_facts(path: Path, untagged: list[int], cache: Cache | None, data: bytes | None = None) -> dict[str, Any]:
    """What inspecting the PDF tells the manifest (remembered in the cache by the PDF's bytes)."""
    data = path.read_bytes() if data is None else data
    key = inspect_key(data, untagged)
    cached = cache.get("inspect", key) if cache is not None else None
    if cached is not None:
        found: dict[str, Any] = json.loads(cached)
        return found
    pdf = inspect(path, untagged)  # untagged pages found once, when converted, supplied or packed
    with pikepdf.open(path) as opened:
        facts = _facts(pdf, _marked(opened))
    if cache is not None:
        cache.put("inspect", key, json.dumps(facts).encode())
    return facts


def remember_facts(path: Path, pdf: pikepdf.Pdf, data: bytes, untagged: list[int], tree: Tree,
                   cache: Cache) -> dict[str, Any]:
    """pdf_facts of a PDF still open, read from the Pdf that was saved as `data` (its published bytes) and
    remembered under them, so the manifest finds them without opening the file again. `tree`: the counts
    of that Pdf's own structure tree (what inspect would count in it)."""
    facts = _facts(inspect_open(path, pdf, untagged, tree), _marked(pdf))
    cache.put("inspect", inspect_key(data, untagged), json.dumps(facts).encode())
    return facts


def _facts(pdf: PdfReport, marked: bool) -> dict[str, Any]:
    return {"pages": pdf.pages, "tagged": pdf.tagged, "marked": marked, "pdfua": pdf.pdfua,
            "untagged_pages": pdf.untagged_pages, "problems": pdf.problems}


def _marked(pdf: pikepdf.Pdf) -> bool:
    """What the PDF's /MarkInfo /Marked says."""
    info = pdf.Root.get("/MarkInfo")
    return bool(isinstance(info, pikepdf.Dictionary) and info.get("/Marked", False))


def _entry(meeting: LoadedMeeting, profile: Profile, d: Document, found: Inspection, root: Path,
           cache: Cache | None, draft: bool) -> dict[str, Any]:
    m = meeting.meeting
    path = d.path(root)
    report = d.item_ref.report.report if d.item_ref and d.item_ref.report else None
    dtype = report.decision_type if report else None
    data = path.read_bytes()
    pdf = pdf_facts(path, list(found.untagged_pages), cache, data)
    return {
        "meeting": meeting.slug, "committee": m.committee, "meeting_date": m.date.isoformat(),
        "item": d.item, "kind": d.kind, "title": d.title, "file": d.name,
        "restricted": d.restricted, "schedule_12a_paragraphs": list(d.paragraphs),
        "key_decision": bool(dtype and dtype.key),
        "forward_plan_ref": dtype.forward_plan_ref if dtype and dtype.key else None,
        "wards": (wording.wards(report, profile) or None) if report else None,
        "decision_date": report.date.isoformat() if report and report.date else None,
        "publication_date": m.publication_date.isoformat(),
        "pages": pdf["pages"], "sha256": hashlib.sha256(data).hexdigest(),
        # True only when it is: tagged, every page's content tagged or an artifact, and it says PDF/UA.
        "tagged": pdf["tagged"] and not pdf["untagged_pages"], "pdfua": pdf["pdfua"],
        "untagged_pages": pdf["untagged_pages"],
        "accepted_inaccessible": found.accepted,
        "accessibility_problems": list(found.problems) or pdf["problems"] or (
            [f"page(s) {', '.join(map(str, pdf['untagged_pages']))}: content outside the tags"]
            if pdf["untagged_pages"] else []),
        # The PDF's own claim (MarkInfo /Marked: it has a structure tree); `tagged` is stricter, so a pack
        # holding an untagged supplied page is marked but not tagged, and untagged_pages says where.
        "marked": pdf["marked"],
        **({"supplied": _supplied(d, data, draft)} if d.supplied_pdf else {}),
    }


def _supplied(d: Document, data: bytes, draft: bool) -> dict[str, Any]:
    """Where a supplied PDF came from and what publishing changed in it: nothing, but for a draft's stamps."""
    assert d.source is not None
    source = hashlib.sha256(d.source.read_bytes()).hexdigest()
    return {"file": d.source.name, "sha256": source,
            "changes": ["DRAFT stamped on every page"] if draft and source != hashlib.sha256(data).hexdigest() else []}


def manifest(meeting: LoadedMeeting, profile: Profile, plan: Plan, found: dict[str, Inspection], root: Path,
             draft: bool, restricted: bool, accessibility: dict[str, Any],
             cache: Cache | None = None) -> dict[str, Any]:
    """The manifest of public/ (restricted False) or private/ (True), files relative to that folder."""
    m = meeting.meeting
    return {"meeting": {"id": meeting.slug, "committee": m.committee, "date": m.date.isoformat(),
                        "time": m.time, "venue": m.venue, "publication_date": m.publication_date.isoformat(),
                        "revised": meeting.revised.isoformat() if meeting.revised else None,
                        "style": m.style, "draft": draft, "restricted": restricted},
            "accessibility": accessibility,
            "documents": [_entry(meeting, profile, d, found.get(d.file, CLEAN), root, cache, draft)
                          for d in plan.documents if d.restricted == restricted]}
