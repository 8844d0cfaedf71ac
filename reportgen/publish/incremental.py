"""What a publish may reuse: the digest of every input of each report and of the whole meeting, and
the record of the last publish that lets an unchanged meeting be republished without building anything.

A report's key covers its folder (report.yaml, signoff.yaml, appendix files), appendix files kept
elsewhere, its house-style folder (profile, templates) and resolved profile (project rule overrides
included), reportgen's version and code, the day (date rules) and draft mode. The meeting's key adds
the meeting file, the supplied files, the front sheet's style and the clerk's acceptance reason.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportgen.cache import Cache, code_version, digest, tree_digest
from reportgen.content.meeting import LoadedMeeting
from reportgen.errors import ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.publish.paths import cache_folder
from reportgen.style.profile import Profile

log = logging.getLogger(__name__)


def style_key(profile: Profile) -> str:
    """The house style as built: every file in its folder (the digest it was loaded by), and the profile as
    resolved, with the project's rule overrides and allowed signers."""
    return _style_key(profile.digest, profile.model_dump_json(), json.dumps(profile.effective_rules, sort_keys=True,
                                                                            default=str), str(profile.allowed_signers))


@lru_cache(maxsize=16)
def _style_key(*parts: str) -> str:
    # Once per style per command, not once per report: the profile's JSON is long. Every part is a value,
    # so an edited style (a new digest) is a new key, in a long-running watch too.
    return digest(*parts)


def report_key(prepared: Prepared, today: dt.date, draft: bool) -> str:
    """Everything that determines a report's check result and DOCX."""
    loaded = prepared.loaded
    appendices = [loaded.folder / a.file for a in loaded.report.appendices or [] if a.file]
    return digest("report", str(loaded.folder.resolve()), tree_digest([loaded.folder, *appendices]),
                  style_key(prepared.profile), code_version(), today.isoformat(), str(draft))


def report_keys(prepared: dict[int, Prepared | ReportgenError], today: dt.date, draft: bool) -> dict[int, str]:
    """report_key of each report that could be prepared, by item number."""
    return {n: report_key(p, today, draft) for n, p in prepared.items() if isinstance(p, Prepared)}


def meeting_key(meeting: LoadedMeeting, keys: dict[int, str], profile: Profile, final: Path, today: dt.date,
                draft: bool, accept: str | None) -> str:
    """Everything that determines what a publish of the meeting writes to `final` (`keys`: report_keys)."""
    parts: list[bytes | str] = ["meeting", str(final.resolve()), meeting.path.read_bytes(), style_key(profile),
                                code_version(), today.isoformat(), str(draft), accept or ""]
    for item in meeting.items:
        if item.number in keys:
            parts.append(keys[item.number])
        elif item.report is not None:  # could not be prepared: the publish is refused, but key it anyway
            parts.append(tree_digest([item.report.folder]))
        if item.file is not None:
            parts.append(tree_digest([item.file]))
    return digest(*parts)


@dataclass
class Record:
    """What the last publish of a meeting returned, and a digest of the folder it wrote."""

    manifest: dict[str, Any]
    refused: list[str]
    inaccessible: list[str]


def unchanged(cache: Cache, key: str, final: Path) -> Record | None:
    """The record of an earlier publish with these very inputs, if its output is still exactly as written."""
    raw = cache.get("meeting", key)
    if raw is None or not final.is_dir():
        return None
    try:
        data = json.loads(raw)
        record = Record(data["manifest"], data["refused"], data["inaccessible"])
        ok = data["tree"] == tree_digest([final])
    except (ValueError, KeyError, TypeError):
        return None
    if not ok:
        log.info("%s was changed since it was published: publishing again", final)
        return None
    return record


def remember(cache: Cache, key: str, final: Path, record: Record) -> None:
    data = {"tree": tree_digest([final]), "manifest": record.manifest, "refused": record.refused,
            "inaccessible": record.inaccessible}
    cache.put("meeting", key, json.dumps(data, ensure_ascii=False).encode())


def clean(out: Path) -> bool:
    """Empty the cache of the publish root `out` (`reportgen clean`); True when there was one."""
    return Cache(cache_folder(out)).clear()
