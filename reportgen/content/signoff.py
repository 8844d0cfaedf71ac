"""Sign-off records bound to a digest of the report's content (`reportgen sign`).

Records live in signoff.yaml beside report.yaml, so signing never edits the
author's file. The digest covers what will be published: the parsed content
(not its YAML layout) and every appendix file. Whitespace inside text is
normalised, so reflowing a paragraph or re-indenting the YAML keeps a
sign-off valid, while any change of wording makes it stale.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from reportgen.errors import ContentError
from reportgen.fs import write_atomic
from reportgen.content.model import Date
from reportgen.content.validation import problems_from_validation
from reportgen.content.yamlio import parse_yaml, read_source

if TYPE_CHECKING:  # the loader reads sign-offs; only the type is needed here
    from reportgen.content.load import LoadedReport

SIGNOFF_FILE = "signoff.yaml"
_SPACES = re.compile(r"[ \t]+")


class SignOff(BaseModel):
    """One recorded clearance."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="Reviewer role, e.g. Finance.")
    name: str = Field(description="Who signed off.")
    date: Date = Field(description="When.")
    digest: str = Field(description="sha256 of the content that was signed off.")


_RECORDS = TypeAdapter(list[SignOff])


def _normal(value: Any, top: bool = False) -> Any:
    if isinstance(value, str):
        paragraphs = re.split(r"\n\s*\n", value.strip())
        return "\n\n".join(_SPACES.sub(" ", " ".join(line.strip() for line in p.splitlines())).strip()
                           for p in paragraphs)
    if isinstance(value, dict):
        # The reviewers list is the sign-off itself, not content; only the top-level key is left out.
        return {str(k): _normal(v) for k, v in value.items() if not (top and k == "reviewers")}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def digest(folder: Path, data: Any) -> str:
    """sha256 over the normalised content and the bytes of each appendix file it names."""
    canonical = json.dumps(_normal(data, top=True), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    h = hashlib.sha256(canonical.encode("utf-8"))
    for appendix in (data.get("appendices") or []) if isinstance(data, dict) else []:
        name = appendix.get("file") if isinstance(appendix, dict) else None
        if name and (folder / name).is_file():
            h.update(name.encode("utf-8"))
            h.update(hashlib.sha256((folder / name).read_bytes()).digest())
    return "sha256:" + h.hexdigest()


def content_digest(folder: Path, text: str, file: Path) -> str:
    data, _ = parse_yaml(text, file)
    return digest(folder, data)


def read_signoffs(folder: Path) -> list[SignOff]:
    """The records in signoff.yaml (none when the file does not exist)."""
    path = folder / SIGNOFF_FILE
    if not path.is_file():
        return []
    data, pos = parse_yaml(read_source(path), path)
    try:
        return _RECORDS.validate_python(data or [])
    except ValidationError as exc:
        raise ContentError(problems=problems_from_validation(exc, path, pos, list[SignOff])) from exc


def append_signoff(loaded: "LoadedReport", role: str, name: str, date: dt.date) -> SignOff:
    """Append a sign-off for `role` bound to the loaded report's content; earlier records are kept."""
    record = SignOff(role=role, name=name, date=date, digest=loaded.digest)
    records = [r for r in read_signoffs(loaded.folder) if r.role.casefold() != role.casefold()] + [record]
    header = "# Sign-off records written by `reportgen sign`; each is bound to the content it cleared.\n"
    body = yaml.safe_dump([r.model_dump(mode="json") for r in records], sort_keys=False, allow_unicode=True)
    write_atomic(loaded.folder / SIGNOFF_FILE, (header + body).encode("utf-8"))
    return record
