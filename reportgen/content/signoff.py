"""Sign-off records bound to a digest of the report's content (`reportgen sign`).

Records live in signoff.yaml beside report.yaml, so signing never edits the
author's file. They are appended, never rewritten, so the history of who
cleared which version stays. The digest covers what will be published: the
parsed content (not its YAML layout) and every appendix file. Whitespace
inside text is normalised, so reflowing a paragraph or re-indenting the YAML
keeps a sign-off valid, while any change of wording makes it stale.

Each record also carries `record_digest`, a digest over its own fields, so a
record edited by hand is told apart from one `reportgen sign` wrote; and the
normalised content it cleared is kept in signed/<digest>.yaml, so `reportgen
diff` can show what changed since.
"""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError

from reportgen.errors import ContentError
from reportgen.fs import write_atomic
from reportgen.content.model import Date, empty_list
from reportgen.content.validation import problems_from_validation
from reportgen.content.yamlio import parse_yaml, read_source

if TYPE_CHECKING:  # the loader reads sign-offs; only the type is needed here
    from reportgen.content.parsed import Store
    from reportgen.content.load import LoadedReport

SIGNOFF_FILE = "signoff.yaml"
SNAPSHOT_DIR = "signed"
_SPACES = re.compile(r"[ \t]+")
_HEADER = ("# Sign-off records written by `reportgen sign`: each is bound to the content it cleared and\n"
           "# sealed by record_digest. Records are appended; do not edit them by hand.\n")


class Bar(BaseModel):
    """What the house style required when a record was made, so a later lowering of it can be named."""

    # defer_build: a model's validator is built when it first validates, so a command pays only for the models it uses
    model_config = ConfigDict(extra="forbid", defer_build=True)

    required: list[str] = Field(default_factory=empty_list, description="Roles that had to sign off.")
    errors: list[str] = Field(default_factory=empty_list, description="Rules in force as errors.")
    warnings: list[str] = Field(default_factory=empty_list, description="Rules in force as warnings.")


class SignOff(BaseModel):
    """One recorded clearance."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    role: str = Field(description="Reviewer role, e.g. Finance.")
    name: str = Field(description="Who signed off.")
    date: Date = Field(description="When.")
    digest: str = Field(description="sha256 of the content that was signed off.")
    text_digest: str | None = Field(None, description="sha256 of report.yaml's bytes and the appendix files as signed: "
                                                      "while they are unchanged the content is, without normalising it.")
    signer: str | None = Field(None, description="Principal of the SSH key that signed the record, if any.")
    printed: str | None = Field(None, description="sha256 of the paper's words as printed in the house style (wording "
                                                  "such as the recommendation lead-in included), at signing.")
    recorded: Date | None = Field(None, description="The day the record was made (the stated `date` may be earlier).")
    recorded_by: str | None = Field(None, description="Who made the record: the git author, or the computer's user.")
    reason: str | None = Field(None, description="Why the stated date is well before the day of recording.")
    bar: Bar | None = Field(None, description="The bar the house style set when the record was made.")
    record_digest: str | None = Field(None, description="sha256 over this record's own fields (tamper evidence).")
    signature: str | None = Field(None, description="SSH signature (ssh-keygen -Y sign) over the record.")

    _line: int = PrivateAttr(1)
    _sealed: tuple[str | None, bool] | None = PrivateAttr(None)

    @property
    def line(self) -> int:
        """Line of the record in signoff.yaml, for located findings."""
        return self._line

    def payload(self) -> bytes:
        """The bytes the record digest and the SSH signature cover."""
        fields: dict[str, Any] = {"role": self.role, "name": self.name, "date": self.date.isoformat(),
                                  "digest": self.digest, "text_digest": self.text_digest, "signer": self.signer}
        # Fields added later are sealed when present, so a record written before them keeps its seal.
        later = {"printed": self.printed, "recorded": self.recorded.isoformat() if self.recorded else None,
                 "recorded_by": self.recorded_by, "reason": self.reason,
                 "bar": self.bar.model_dump() if self.bar else None}
        fields.update({k: v for k, v in later.items() if v is not None})
        return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def seal(self) -> str:
        return "sha256:" + hashlib.sha256(self.payload()).hexdigest()

    @property
    def sealed(self) -> bool:
        """Whether the record is as `reportgen sign` wrote it (worked out once: records are not edited)."""
        if self._sealed is None or self._sealed[0] != self.record_digest:
            self._sealed = (self.record_digest, self.record_digest == self.seal())
        return self._sealed[1]


@cache
def _records() -> TypeAdapter[list[SignOff]]:
    """The validator of a signoff.yaml, built for the first one read: a report not yet signed has none."""
    return TypeAdapter(list[SignOff])


def same_name(a: str, b: str) -> bool:
    """One person's name, however spaced or capitalised (a record's, a register's, an author's)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _normal(value: Any, top: bool = False) -> Any:
    if isinstance(value, str):
        if "\n" not in value:  # most strings are one line: the same result without the regular expressions
            value = value.strip()
            return _SPACES.sub(" ", value) if "  " in value or "\t" in value else value
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


def _appendix_files(folder: Path, data: Any) -> dict[str, str]:
    files: dict[str, str] = {}
    for appendix in (data.get("appendices") or []) if isinstance(data, dict) else []:
        name = appendix.get("file") if isinstance(appendix, dict) else None
        if name and (folder / name).is_file():
            files[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    return files


def digest(folder: Path, data: Any) -> str:
    """sha256 over the normalised content and the bytes of each appendix file it names."""
    canonical = json.dumps(_normal(data, top=True), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    h = hashlib.sha256(canonical.encode("utf-8"))
    for name, hexdigest in _appendix_files(folder, data).items():
        h.update(name.encode("utf-8"))
        h.update(bytes.fromhex(hexdigest))
    return "sha256:" + h.hexdigest()


#: Keys of a snapshot that are not content sections.
FILES_KEY, PRINTED_KEY = "appendix files", "as printed"


def snapshot(folder: Path, data: Any, printed: list[str] | None = None) -> dict[str, Any]:
    """The normalised content a digest covers, section by section, with each appendix file's sha256, and
    the paper's words as printed (house-style wording included)."""
    normal = _normal(data, top=True)
    if not isinstance(normal, dict):
        return {}
    files = _appendix_files(folder, data)
    if files:
        normal[FILES_KEY] = files
    if printed is not None:
        normal[PRINTED_KEY] = printed
    return normal


def printed_digest(lines: list[str]) -> str:
    """sha256 over the printed words of a paper, line by line."""
    return "sha256:" + hashlib.sha256(json.dumps(lines, ensure_ascii=False).encode("utf-8")).hexdigest()


def snapshot_matches(shot: dict[str, Any], record: SignOff) -> bool:
    """Whether a kept snapshot is the content (and printed words) the record's digests were made of.

    The snapshot is re-digested as `digest` digests the report, so a snapshot edited after signing
    (to hide a change from `reportgen diff`) no longer matches its record."""
    content = {k: v for k, v in shot.items() if k not in (FILES_KEY, PRINTED_KEY)}
    canonical = json.dumps(_normal(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    h = hashlib.sha256(canonical.encode("utf-8"))
    files = shot.get(FILES_KEY) or {}
    try:
        for name, hexdigest in files.items():
            h.update(str(name).encode("utf-8"))
            h.update(bytes.fromhex(str(hexdigest)))
    except (AttributeError, ValueError):
        return False
    if "sha256:" + h.hexdigest() != record.digest:
        return False
    printed = shot.get(PRINTED_KEY)
    if record.printed is None:
        return printed is None
    return isinstance(printed, list) and printed_digest([str(x) for x in printed]) == record.printed


def text_digest(folder: Path, text: str, data: Any) -> str:
    """sha256 over the file's exact text and the appendix files: a cheap test that nothing changed at all."""
    h = hashlib.sha256(text.encode("utf-8"))
    for name, hexdigest in _appendix_files(folder, data).items():
        h.update(b"\0" + name.encode("utf-8") + b"\0" + hexdigest.encode("ascii"))
    return "sha256:" + h.hexdigest()


def content_digest(folder: Path, text: str, file: Path) -> str:
    data, _ = parse_yaml(text, file)
    return digest(folder, data)


def snapshot_path(folder: Path, content: str, printed: str | None = None) -> Path:
    """signed/<name>.yaml: named by the content digest, and the printed words' digest where the record has one
    (a house-style wording change gives the same content a new snapshot)."""
    name = content.removeprefix("sha256:")[:16]
    if printed:
        name += "-" + printed.removeprefix("sha256:")[:8]
    return folder / SNAPSHOT_DIR / f"{name}.yaml"


def read_snapshot(folder: Path, content: str, printed: str | None = None) -> dict[str, Any] | None:
    """The content a sign-off with these digests cleared, or None when no snapshot was kept."""
    path = snapshot_path(folder, content, printed)
    if not path.is_file():
        return None
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), path)
    return data if isinstance(data, dict) else None


def read_signoffs(folder: Path, parsed: "Store | None" = None) -> list[SignOff]:
    """The records in signoff.yaml (none when the file does not exist), oldest first. `parsed`: where its
    parsed data is remembered by its text (content.parsed), for a publish."""
    path = folder / SIGNOFF_FILE
    if not path.is_file():
        return []
    text = read_source(path)  # size limit, located decoding errors
    if parsed is None:
        data, pos = parse_yaml(text, path)  # located errors, alias and size limits
    else:
        from reportgen.content.parsed import parse_cached

        data, pos = parse_cached(text, path, parsed)
    try:
        records = _records().validate_python(data or [])
    except ValidationError as exc:
        raise ContentError(problems=problems_from_validation(exc, path, pos, list[SignOff])) from exc
    for i, record in enumerate(records):
        record._line = pos.find((i,))[0]
    return records


def new_record(loaded: "LoadedReport", role: str, name: str, date: dt.date, printed: list[str],
               signer: str | None = None, **more: Any) -> SignOff:
    """A sealed record for `role`, bound to the loaded report's content and its printed words (not yet
    written); `more` are the other fields (recorded, recorded_by, reason, bar)."""
    record = SignOff(role=role, name=name, date=date, digest=loaded.digest, text_digest=loaded.text_digest,
                     signer=signer, printed=printed_digest(printed), **more)
    record.record_digest = record.seal()
    return record


def append_signoff(loaded: "LoadedReport", record: SignOff, printed: list[str]) -> SignOff:
    """Append a record to signoff.yaml and keep a snapshot of the content (and printed words) it cleared;
    earlier records stay."""
    folder = loaded.folder
    data = loaded.data if loaded.data is not None else parse_yaml(loaded.text, loaded.file)[0]
    shot = snapshot_path(folder, record.digest, record.printed)
    if not shot.is_file() or not snapshot_matches(read_snapshot(folder, record.digest, record.printed) or {}, record):
        body = yaml.safe_dump(snapshot(folder, data, printed), sort_keys=False, allow_unicode=True, width=1_000_000)
        write_atomic(shot, (f"# The content cleared by sign-offs with digest {record.digest}.\n" + body).encode("utf-8"))
    path = folder / SIGNOFF_FILE
    # Appended as text, so the records already there stay byte for byte as they were.
    existing = path.read_text(encoding="utf-8") if path.is_file() else _HEADER
    if not yaml.safe_load(existing):  # no records yet (an empty file or an empty list)
        existing = _HEADER
    entry = yaml.safe_dump([record.model_dump(mode="json", exclude_none=True)], sort_keys=False,
                           allow_unicode=True, width=1000)
    write_atomic(path, (existing.rstrip("\n") + "\n" + entry).encode("utf-8"))
    return record


# --------------------------------------------------------------------------- which records count

@dataclass
class RoleState:
    """The records of one reviewer role: the one that clears the content now, if any, and the latest."""

    role: str
    current: SignOff | None = None
    latest: SignOff | None = None
    history: list[SignOff] = field(default_factory=list)
    #: everyone whose record clears the content now, one record (their latest) each, in the order they
    #: first cleared it: a role such as Finance may be cleared by two officers
    people: list[SignOff] = field(default_factory=list)


def bound(loaded: "LoadedReport", record: SignOff, printed: str | None) -> bool:
    """Whether the record was made for the content and printed words as they stand (whatever its seal)."""
    if printed is not None and record.printed != printed:
        return False
    # The exact text unchanged means the content is unchanged; only otherwise is it normalised and digested.
    return record.text_digest == loaded.text_digest or record.digest == loaded.digest


def clearance(loaded: "LoadedReport", canon: Callable[[str], str | None],
              counts: Callable[[SignOff], bool] = lambda r: r.sealed,
              printed: str | None = None) -> dict[str, RoleState]:
    """Each role's records, by the house style's wording of the role (aliases folded in).

    A record counts only when it is bound to the content (and, given `printed`, the printed words) as
    they stand and `counts` accepts it (by default: sealed, i.e. not edited by hand).
    """
    roles: dict[str, RoleState] = {}
    for record in loaded.signoffs:
        role = canon(record.role) or record.role
        state = roles.setdefault(role, RoleState(role))
        state.history.append(record)
        state.latest = record
        if bound(loaded, record, printed) and counts(record):
            state.current = record
            same = next((i for i, p in enumerate(state.people) if same_name(p.name, record.name)), None)
            if same is None:
                state.people.append(record)
            else:
                state.people[same] = record
    return roles


def changed_sections(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Top-level keys (sections, front matter, appendix files) whose content differs, in the report's order."""
    if before is None:
        return []
    keys = list(dict.fromkeys([*after, *before]))
    return [k for k in keys if before.get(k) != after.get(k)]
