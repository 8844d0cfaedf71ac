"""Before a meeting is published: every author-supplied file is usable, and no public file is an
exempt one attached again by another route (a supporting paper, an open appendix)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from reportgen.content.meeting import LoadedMeeting
from reportgen.content.safepath import inside
from reportgen.errors import Problem, PublishError
from reportgen.content.attachments import attachment_problem


@dataclass
class _File:
    path: Path
    restricted: bool
    what: str
    where: Problem  # its location; the message is filled in when something is wrong


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _at(where: Problem, message: str) -> Problem:
    return Problem(where.file, where.line, where.col, where.key, message)


def check_attachments(meeting: LoadedMeeting) -> None:
    """Raise PublishError, one located problem each, for an unusable appendix or supporting paper
    and for a public file whose bytes equal an exempt document's (by sha256)."""
    problems: list[Problem] = []
    files: list[_File] = []
    for index, item in enumerate(meeting.items):
        if item.report is not None:
            loaded = item.report
            for i, app in enumerate(loaded.report.appendices or []):
                if not app.file:
                    continue
                where = loaded.problem(("appendices", i, "file"), "")
                path, why = inside(loaded.folder, app.file, must_exist=True)
                if path is not None:
                    files.append(_File(path, item.exempt or app.exempt is not None,
                                       f"appendix {app.id} of item {item.number}", where))
                elif why:
                    problems.append(_at(where, why))
        elif item.file is not None:
            files.append(_File(item.file, False, f"the paper of item {item.number}",
                               meeting.problem(("items", index, "file"), "")))
    exempt: dict[str, _File] = {}
    for f in files:
        why = attachment_problem(f.path)
        if why:
            problems.append(_at(f.where, why))
        elif f.restricted:
            exempt.setdefault(_digest(f.path), f)
    for f in files:
        if not f.restricted and f.path.is_file():
            twin = exempt.get(_digest(f.path)) if exempt else None
            if twin is not None:
                problems.append(_at(f.where, f"this file is {twin.what}, which is exempt (not for publication): "
                                             "it is never published"))
    if problems:
        raise PublishError(problems=sorted(set(problems), key=lambda p: (str(p.file), p.line, p.col)))
