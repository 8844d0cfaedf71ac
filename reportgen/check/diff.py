"""`reportgen diff`: what changed, section by section and word by word, since a reviewer signed."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import jinja2

from reportgen.content.signoff import (FILES_KEY, PRINTED_KEY, SignOff, changed_sections, read_snapshot, snapshot,
                                      snapshot_matches, snapshot_path)
from reportgen.content.yamlio import scalars
from reportgen.errors import ContentError, Problem, printable
from reportgen.layout.prepared import Prepared
from reportgen.layout.arrange import printed_words

#: One run of words: "=" unchanged, "-" removed, "+" added.
Run = tuple[str, str]
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class Change:
    """One changed line of a section: "~" reworded, "+" added, "-" removed, as runs of words."""

    kind: str
    runs: list[Run]


@dataclass
class SectionDiff:
    key: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ReportDiff:
    """The changes between the content a sign-off cleared and the content now."""

    record: SignOff
    sections: list[SectionDiff]
    #: the later sign-off compared with, or None for the content now
    until: SignOff | None = None


_ROWS = ("columns", "total")


def _row(value: list[Any]) -> str:
    return " | ".join("" if v is None else str(v) for v in value)


def lines(value: Any, key: str = "") -> Iterator[str]:
    """A section's content as lines of text: one per paragraph, list item or table row."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, list) and k in _ROWS:
                yield f"{k}: {_row(v)}"
            elif isinstance(v, list) and k == "rows":
                for row in v:  # a table's rows are lists of cells; a risk table's rows are mappings
                    yield from [_row(row)] if isinstance(row, list) else lines(row, k)
            elif isinstance(v, (dict, list)):
                yield from lines(v, k)
            elif v is not None:
                yield from (f"{k}: {line}" for line in lines(v, k))
    elif isinstance(value, list):
        for v in value:
            yield from lines(v, key)
    elif value is not None:
        yield from str(value).split("\n\n")


def _runs(old: str, new: str) -> list[Run]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    runs: list[Run] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return runs


def section_changes(before: Any, after: Any) -> list[Change]:
    """Line-level alignment, then word-level changes inside each reworded line."""
    a, b = list(lines(before)), list(lines(after))
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = a[i1:i2], b[j1:j2]
        if op == "replace":
            for x, y in zip(old, new):
                changes.append(Change("~", _runs(x, y)))
            old, new = old[len(new):], new[len(old):]
        changes += [Change("-", [("-", x)]) for x in old] + [Change("+", [("+", y)]) for y in new]
    return changes


def _leaves(value: Any) -> Iterator[str]:
    """Each paragraph of every text in the tree, spaces squashed."""
    for text in scalars(value):
        if isinstance(text, str):
            for paragraph in text.split("\n\n"):
                yield " ".join(paragraph.split())


_PREFIX = re.compile(r"^\S+\s+")
#: a printed paragraph or item number: "8.", "2.3", "(a)", "iv)"
_NUMBERED = re.compile(r"^(?:\(?[0-9]+(?:\.[0-9]+)*[.)]?|\(?[a-zA-Z]{1,4}[.)])\s")
_REF = re.compile(r"\[\[[^\[\]\s]+\]\]")


def _style_lines(shot: dict[str, Any]) -> list[str]:
    """The printed lines that are not a piece of content as typed (numbered or not): what the house style
    wrote (headings, lead-ins, fixed lines), so a content edit is shown once, in its own section."""
    content = [x for k, v in shot.items() if k not in (PRINTED_KEY, FILES_KEY) for x in _leaves(v)]
    content += [str(x) for k, v in shot.items() if k not in (PRINTED_KEY, FILES_KEY) for x in _numbers(v)]
    plain = set(content)
    # A [[label]] prints as a paragraph number: such text matches with any short reference in its place.
    refs = [re.compile(r"\S+(?: \S+)?".join(re.escape(part) for part in _REF.split(x))) for x in content if "[[" in x]
    kept = []
    for line in shot.get(PRINTED_KEY) or []:
        text = _PREFIX.sub("", str(line)) if _PREFIX.match(str(line)) and _NUMBERED.match(str(line)) else str(line)
        candidates = (str(line), text)
        if any(c in plain for c in candidates) or any(r.fullmatch(c) for r in refs for c in candidates) \
                or all(cell.strip() in plain or not cell.strip() for cell in str(line).split(" | ")):
            continue  # a piece of content, or a row of a content table
        kept.append(text)  # numbers shift with content edits, so they are left out here
    return kept


def _numbers(value: Any) -> Iterator[Any]:
    return (x for x in scalars(value) if isinstance(x, (int, float)) and not isinstance(x, bool))


def pick_record(prepared: Prepared, role: str | None) -> SignOff:
    """The latest sign-off of `role` (any wording the style knows), or the latest of all."""
    records = prepared.loaded.signoffs
    if role is not None:
        wanted = prepared.profile.canonical_role(role) or role
        records = [r for r in records if (prepared.profile.canonical_role(r.role) or r.role) == wanted]
    if not records:
        who = f" from {role}" if role else ""
        raise ContentError(problems=[Problem(prepared.loaded.file, 1, 1, "", f"no sign-off{who} to compare with")])
    return records[-1]


def _nth(prepared: Prepared, n: int) -> SignOff:
    records = prepared.loaded.signoffs
    if not 1 <= n <= len(records):
        raise ContentError(problems=[Problem(prepared.loaded.folder / "signoff.yaml", 1, 1, "",
                                             f"no sign-off record {n} (there are {len(records)})")])
    return records[n - 1]


def _signed(prepared: Prepared, record: SignOff) -> dict[str, object]:
    """The snapshot of what the record cleared, verified against the record's digests: a snapshot edited
    after signing is reported, never shown as what was signed."""
    folder = prepared.loaded.folder
    found = read_snapshot(folder, record.digest, record.printed)
    if found is None:
        raise ContentError(problems=[Problem(folder / "signoff.yaml", record.line, 1, "digest",
                                             "no snapshot of the signed content is kept (signed/ is missing it)")])
    if not snapshot_matches(found, record):
        shot = snapshot_path(folder, record.digest, record.printed)
        raise ContentError(problems=[Problem(shot, 1, 1, "", f"{shot.name} was altered after signing: it does not "
                                             f"match the digest of the {record.role} sign-off by {record.name} "
                                             f"(signoff.yaml line {record.line}); restore signed/ from version "
                                             "control")])
    return found


def diff_prepared(prepared: Prepared, role: str | None = None, first: int | None = None,
                  second: int | None = None) -> ReportDiff:
    """What changed since the latest sign-off (of `role`), or since record `first` (1-based, as in
    signoff.yaml) up to now or up to record `second`: the history of sign-offs can be compared."""
    record = _nth(prepared, first) if first is not None else pick_record(prepared, role)
    before = _signed(prepared, record)
    after = _signed(prepared, _nth(prepared, second)) if second is not None else \
        snapshot(prepared.loaded.folder, prepared.loaded.data, printed_words(prepared.layout))
    if PRINTED_KEY not in before:  # a record made before sign-offs were bound to the printed words
        after.pop(PRINTED_KEY, None)
    elif changed_sections({k: v for k, v in before.items() if k != PRINTED_KEY},
                          {k: v for k, v in after.items() if k != PRINTED_KEY}):
        # The content changed too: its sections show that; the printed words show what else changed.
        before, after = {**before, PRINTED_KEY: _style_lines(before)}, {**after, PRINTED_KEY: _style_lines(after)}
    sections = [SectionDiff(k, section_changes(before.get(k), after.get(k))) for k in changed_sections(before, after)]
    return ReportDiff(record, sections, _nth(prepared, second) if second is not None else None)


def _title(diff: ReportDiff) -> str:
    r, u = diff.record, diff.until
    until = f" up to the {u.role} sign-off by {u.name} on {u.date.isoformat()}" if u else ""
    return f"Changes since the {r.role} sign-off by {r.name} on {r.date.isoformat()}{until}"


def format_text(diff: ReportDiff, colour: bool = False) -> Iterator[str]:
    """Plain text in git's word-diff style ([-removed-]{+added+}), or coloured for a terminal."""
    def show(run: Run) -> str:
        op, text = run
        text = printable(text)  # the report's own words: never raw control characters to the terminal
        if op == "=":
            return text
        if colour:
            return f"\x1b[{'31;9' if op == '-' else '32'}m{text}\x1b[0m"
        return f"[-{text}-]" if op == "-" else f"{{+{text}+}}"
    yield printable(_title(diff) + ":" if diff.sections else _title(diff) + ": none")
    for section in diff.sections:
        yield printable(f"## {section.key}")
        for change in section.changes:
            yield f"{change.kind} " + "".join(show(run) for run in change.runs)


_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: Arial, sans-serif; max-width: 50em; margin: 2em auto; line-height: 1.5; }
del { background: #fde2e2; color: #8a1010; }
ins { background: #dff5e1; color: #0b5d1e; text-decoration: none; border-bottom: 2px solid #0b5d1e; }
li { margin-bottom: .5em; list-style: none; }
.kind { font-weight: bold; display: inline-block; width: 1.5em; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p>Report: {{ path }}</p>
{% if not sections %}<p>Nothing has changed.</p>{% endif %}
{% for section in sections %}
<h2>{{ section.key }}</h2>
<ul>
{% for change in section.changes %}<li><span class="kind" aria-label="{{ labels[change.kind] }}">{{ change.kind }}</span>
{%- for op, text in change.runs %}{% if op == "-" %}<del>{{ text }}</del>{% elif op == "+" %}<ins>{{ text }}</ins>{% else %}{{ text }}{% endif %}{% endfor %}</li>
{% endfor %}</ul>
{% endfor %}
</body>
</html>
""")


def format_html(diff: ReportDiff, path: str) -> str:
    """A self-contained page (no scripts, no external files); the content is escaped, never interpreted."""
    return _HTML.render(title=_title(diff), path=path, sections=diff.sections,
                        labels={"~": "reworded", "+": "added", "-": "removed"})
