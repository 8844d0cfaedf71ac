"""The publication history: what was published, when (the clock's date) and the digest of what went out.

One JSON file kept in the project (publications.json beside reportgen.yaml; never under the output
folder, which `clean` empties and git ignores). Later records are computed from it, never typed: a
forward-plan entry's first publication, an agenda's first publication date and its revisions, when a
notice went out. Written whole and atomically (the old file or the new one, never half of one); a file
that is not a history is a located error, never a traceback, and is never overwritten.
"""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from reportgen.content.model import Date, Strict, empty_dict, empty_list
from reportgen.content.projectfile import HISTORY_FILE as HISTORY_FILE  # the history's file name in a project
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import read_yaml
from reportgen.errors import ContentError, Problem
from reportgen.fs import write_atomic



class Publication(Strict):
    """One publication: a document (or set of documents) made public on one day."""

    what: str = Field(description="agenda, forward plan, private meeting notice (28-day or 5-day), decisions.")
    key: str = Field(description="Which one: the meeting's id, or the forward plan's style.")
    published: Date = Field(description="The clock's date when it was made public.")
    sha256: str = Field(description="Digest of what went out: 64 hexadecimal digits.")
    inputs: str = Field("", description="Digest of what it was made from, to tell a revision from a republish.")
    revised: Date | None = Field(None, description="For a revision: the day of this revision (published "
                                                   "stays the first publication's date).")
    reports: dict[str, str] | None = Field(None, description="An agenda's reports: what each was made from (a "
                                           "digest), by its folder, to tell which reports a revision changed.")
    entries: list[str] = Field(default_factory=empty_list, description="A forward plan's decision references.")
    earlier: dict[str, Date] = Field(default_factory=empty_dict, description="A forward plan's entries first published "
                                     "before the history began (the report's notice_date), by reference.")


    @field_validator("sha256")
    @classmethod
    def _digest(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError("expected a sha256 digest (64 hexadecimal digits)")
        return value


class HistoryFile(Strict):
    publications: list[Publication] = Field(default_factory=empty_list)


@dataclass
class History:
    path: Path
    publications: list[Publication] = field(default_factory=list)

    def of(self, what: str, key: str) -> list[Publication]:
        return [p for p in self.publications if p.what == what and p.key == key]

    def first(self, what: str, key: str) -> dt.date | None:
        """When it was first published (a revision keeps this date)."""
        return min((p.published for p in self.of(what, key)), default=None)

    def latest(self, what: str, key: str) -> Publication | None:
        found = self.of(what, key)
        return found[-1] if found else None

    def first_listed(self, key: str, ref: str) -> dt.date | None:
        """When a forward plan of `key` first listed the decision `ref`."""
        plans = self.of("forward plan", key)
        return min([p.published for p in plans if ref in p.entries] + [p.earlier[ref] for p in plans if ref in p.earlier],
                   default=None)

    def record(self, publication: Publication) -> None:
        """Add a publication and write the file; the same thing published again on the same terms adds nothing."""
        last = self.latest(publication.what, publication.key)
        if last is not None and last.sha256 == publication.sha256 and last.revised == publication.revised:
            return
        self.publications.append(publication)
        rows = [json.dumps(p.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
                for p in self.publications]
        # one publication a line: a reviewer reads each new one as one added line in git
        text = '{"publications": [\n' + ",\n".join(rows) + "\n]}\n"
        write_atomic(self.path, text.encode("utf-8"))


def dated(history: History, what: str, key: str, inputs: str, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """(published, revised) for a publication made `today` from `inputs`: first published today; published
    before, the first date kept and, when made from other inputs on a later day, "revised on" today; made
    from the same inputs again, dated as it was then."""
    first, last = history.first(what, key), history.latest(what, key)
    if first is None or last is None:
        return today, None
    if last.inputs == inputs:
        return first, last.revised
    return first, today if today > first else last.revised


def revised_reports(history: History, what: str, key: str, reports: dict[str, str],
                    revised: dt.date | None) -> dict[str, dt.date | None]:
    """For each report of a publication made now (`reports`: what each was made from, by its folder; `revised`:
    the publication's own revision day, from dated()), the day a revision last changed it, else None (it
    prints its first publication's date only). A publication changes a report made from something else than
    in the one before it, or not in it (added to the agenda). After a publication recorded without its
    reports (an older history) which it changed is not known: each report then takes the next revision's day."""
    steps = [(p.reports, p.revised) for p in history.of(what, key)] + [(reports, revised)]
    found: dict[str, dt.date | None] = {}
    before: dict[str, str] | None = None  # the publication before's reports (None: not recorded)
    for i, (made, day) in enumerate(steps):
        for name, source in (made or {}).items():
            if i and (before is None or before.get(name) != source):
                found[name] = day  # (None on the first day: a change made that day is no revision)
        before = made
    return {name: found.get(name) for name in reports}


def load_history(path: Path) -> History:
    """The history at `path` (empty when there is none yet); every problem in it is raised, located."""
    if not path.exists():
        return History(path)
    if not path.is_file():
        raise ContentError(problems=[Problem(path, 1, 1, "", "the publication history is not a file")])
    data, pos = read_yaml(path)  # JSON is YAML: one reader, located messages
    if data is None:
        return History(path)
    found = validate_mapping(HistoryFile, data, pos, path, "the publication history",
                             example=' ({"publications": [...]})')
    return History(path, found.publications)


def digest(*parts: bytes) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()
