"""A republish that finds nothing changed, answered before any YAML is parsed (issue 26).

Keying a meeting (publish.keys.meeting_key) needs the meeting and every report loaded: parsed and
validated, most of a no-change republish. The stamp answers first: after each publish, the list of
every input it read (the meeting file, each report folder and appendix kept elsewhere, each supplied
file, each house-style folder and the style folders searched before it, the project file and the files
it names, the publication history) and a digest of their bytes, filed under the command's own terms
(meeting and output paths, style search path, reportgen's code, the day, draft, the acceptance reason).
The next publish with the same terms reads those same files again and compares the digest: content,
never modification times. Equal, the meeting key the stamp names is looked up as before (which also
checks the output is as that publish left it); any byte changed, publish loads and keys the meeting.

The list of inputs is itself made of the inputs (which reports a meeting names is in its file, which
style folder a name finds depends on the candidates listed, missing ones included), so the same bytes
name the same list.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.cache import Cache, code_version, digest, tree_digest
from reportgen.publish import incremental
from reportgen.publish.keys import web_assets

if TYPE_CHECKING:
    from reportgen.content.meeting import LoadedMeeting
    from reportgen.style.settings import Settings


@dataclass
class Answer:
    """An unchanged meeting's last publish, and what loading it warned about (said again)."""

    record: incremental.Record
    warnings: list[str]


def stamp_key(meeting_path: Path, final: Path, settings: Settings, today: dt.date, draft: bool,
              accept: str | None) -> str:
    """The terms of a publish that are not file contents."""
    return digest("stamp", str(meeting_path.resolve()), str(final.resolve()),
                  *[str(folder.resolve()) for folder in settings.style_dirs], str(settings.project_file or ""),
                  str(settings.history.resolve()), code_version(), web_assets(), today.isoformat(), str(draft),
                  accept or "")


def inputs(meeting: LoadedMeeting, settings: Settings) -> list[Path]:
    """Every file or folder a publish of the loaded meeting reads."""
    found: list[Path] = [meeting.path]
    styles = [meeting.meeting.style]
    for item in meeting.items:
        if item.report is not None:
            found.append(item.report.folder)
            found += [item.report.folder / a.file for a in item.report.report.appendices or [] if a.file]
            styles.append(item.report.report.style)
        if item.file is not None:
            found.append(item.file)
    for name in dict.fromkeys(styles):
        for root in settings.style_dirs:  # as load_profile searches: a style that appears earlier is a change
            candidate = root / name / "profile.yaml"
            found.append(candidate)
            if candidate.is_file():
                found.append(candidate.parent.resolve())
                break
    project = settings.project
    if project is not None:
        found += [project.path, *(p for p in (project.allowed_signers_file, project.signers_file) if p)]
        if project.words:
            found.append(project.root / project.words)
    return found


def remember(cache: Cache, key: str, paths: list[Path], read: str, meeting_key: str, history: Path,
             warnings: list[str]) -> None:
    """File the stamp: `read`, the digest of `paths` taken when the meeting was keyed (not now: a file
    edited while publishing must not be stamped as published); the history as this publish left it."""
    data = {"paths": [str(p) for p in paths], "digest": read, "meeting": meeting_key,
            "history": tree_digest([history]), "warnings": warnings}
    cache.put("stamp", key, json.dumps(data, ensure_ascii=False).encode())


def answer(cache: Cache, key: str, final: Path, history: Path) -> Answer | None:
    """The last publish under these terms, when not one byte of its inputs changed since and its output is
    as it left it; else None (publish loads and keys the meeting)."""
    raw = cache.get("stamp", key)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        paths = [Path(p) for p in data["paths"]]
        same = data["digest"] == tree_digest(paths) and data["history"] == tree_digest([history])
        meeting_key, warnings = str(data["meeting"]), [str(w) for w in data["warnings"]]
    except (ValueError, KeyError, TypeError):
        return None
    if not same:
        return None
    record = incremental.unchanged(cache, meeting_key, final)
    return Answer(record, warnings) if record is not None else None
