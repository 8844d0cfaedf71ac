"""The record of the last publish of a meeting, under its key (publish.keys.meeting_key), that lets an
unchanged meeting be republished without building anything."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.cache import Cache, tree_digest
from reportgen.publish.paths import cache_folder

log = logging.getLogger(__name__)


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
