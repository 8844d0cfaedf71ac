"""The front page: match the document's opening lines to the house style's template, and read each value back.

A style's template prints its front matter from variables (`{{ labels.wards }} {{ wards_text }}`); each of
its lines becomes a pattern with the style's own labels filled in, so a report built in the style is read
back exactly. Lines typed by hand ("Report by: ...", a two-column table of labels and values) are matched
by their labels instead.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from reportgen.style import wording
from reportgen.style.profile import Profile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAR = re.compile(r"\{\{\s*([\w.]+)\s*(?:\|\s*(\w+)\s*)?\}\}")
#: Template variables a document prints that give back a content value.
VALUE_VARS = ("title", "decision_maker", "committee", "date_text", "report_by", "classification_text",
              "public_interest", "decision_type_text", "key_decision_statement", "forward_plan_text",
              "forward_plan_notice_text", "wards_text", "publication_date_text", "lead_member", "time", "venue")
_OPTIONAL = re.compile(r"\{%p\s*if\s+(\w+)\s*%\}")


@dataclass
class Pattern:
    regex: re.Pattern[str]
    names: list[str]
    upper: set[str]
    optional: bool
    literal: bool  # has text of its own, not only a variable


@dataclass
class FrontMatter:
    values: dict[str, str] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # indexes of the lines read
    upper: set[str] = field(default_factory=set)  # values printed in capitals by the template


def template_patterns(profile: Profile) -> list[Pattern]:
    """The front-matter lines of the style's template, as patterns."""
    try:
        with zipfile.ZipFile(profile.template_path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return []
    labels = profile.text.labels.model_dump()
    fixed = {f"labels.{k}": v for k, v in labels.items()} | {"council": profile.council}
    patterns = []
    optional = False
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
        if not text:
            continue
        if text.startswith("{{p body"):
            break
        if text.startswith("{%p"):
            optional = bool(_OPTIONAL.match(text))
            continue
        patterns.append(_pattern(text, fixed, optional))
    return patterns


def _pattern(text: str, fixed: dict[str, str], optional: bool) -> Pattern:
    regex, names, upper, pos, literal = "", [], set(), 0, False
    for m in _VAR.finditer(text):
        regex += re.escape(text[pos:m.start()])
        literal = literal or bool(text[pos:m.start()].strip())
        name, flt = m.group(1), m.group(2)
        if name in fixed:
            value = fixed[name].upper() if flt == "upper" else fixed[name]
            regex += re.escape(value.strip())
            literal = literal or bool(value.strip())
        else:
            key = name.replace(".", "_")
            regex += f"(?P<{key}>.+?)" if key not in names else ".+?"
            names.append(key)
            if flt == "upper":
                upper.add(key)
        pos = m.end()
    regex += re.escape(text[pos:])
    literal = literal or bool(text[pos:].strip())
    return Pattern(re.compile(rf"^\s*{regex}\s*$", re.S | re.I), names, upper, optional, literal)


def match(lines: list[str], patterns: list[Pattern], profile: Profile) -> FrontMatter:
    """Align the document's opening lines with the template's patterns, in order."""
    out = FrontMatter()
    i = 0
    previous = True  # whether the pattern before matched: a line that is only a value follows its label
    for n, pat in enumerate(patterns):
        if i >= len(lines):
            break
        if not pat.literal and not pat.optional and not previous:
            continue
        previous = False
        if pat.optional and not pat.literal and not _plausible(pat.names[0], lines[i], out, profile):
            continue
        if pat.optional and not pat.literal:
            # An optional line holding only a variable is there only if the next line is not the next pattern's.
            nxt = next((q for q in patterns[n + 1:] if q.literal), None)
            if nxt is not None and nxt.regex.match(lines[i]):
                continue
        m = pat.regex.match(lines[i])
        if m is None and pat.literal:
            # a line of the template the document leaves out (or moved): look a little further
            ahead = next((j for j in range(i + 1, min(i + 4, len(lines))) if pat.regex.match(lines[j])), None)
            if ahead is None:
                continue
            i, m = ahead, pat.regex.match(lines[ahead])
        if m is None:
            continue
        for key, value in m.groupdict().items():
            if value and key not in out.values:
                out.values[key] = value.strip()
                if key in pat.upper:
                    out.upper.add(key)
        out.used.add(i)
        previous = True
        i += 1
    return out


def _plausible(name: str, line: str, found: FrontMatter, profile: Profile) -> bool:
    """Whether a line can be the value of an optional template line that holds only this variable."""
    t = profile.text
    folded = line.casefold()
    if name == "classification_text":
        head = t.classification_exempt.split("{")[0].strip().casefold()
        return folded == t.classification_open.casefold() or bool(head) and folded.startswith(head)
    if name == "public_interest":
        return "classification_text" in found.values
    if name == "decision_type_text":
        return any(folded.startswith(k.rstrip(". ").casefold()) for k in (t.key_decision, t.non_key_decision) if k)
    if name == "forward_plan_text":
        return folded.startswith(t.forward_plan.split("{")[0].casefold())
    if name == "key_decision_statement":
        return found.values.get("decision_type_text", "").casefold().startswith(t.key_decision.casefold()) \
            and not folded.startswith(t.forward_plan.split("{")[0].casefold())
    return True


#: Labels officers type on a front page, by the template variable they give.
TYPED_LABELS = {
    "decision_maker": ["decision maker", "decision-maker", "meeting", "committee", "to"],
    "date_text": ["meeting date", "decision date", "date of meeting", "date of decision", "date"],
    "title": ["title of report", "title", "report title", "subject"],
    "report_by": ["report by", "report of", "report from", "author"],
    "classification_text": ["classification", "status"],
    "decision_type_text": ["decision type", "key decision"],
    "wards_text": ["wards affected", "ward(s) affected", "wards", "divisions affected", "electoral divisions"],
}


def typed(pairs: list[tuple[int, str, str]], profile: Profile) -> FrontMatter:
    """(index, label, value) pairs typed by hand -> template values, by the style's labels and common ones."""
    labels = {k: [v.casefold().rstrip(":").strip()] for k, v in profile.text.labels.model_dump().items()}
    out = FrontMatter()
    for index, label, value in pairs:
        key = _clean(label)
        for var, known in TYPED_LABELS.items():
            own = labels.get(var.removesuffix("_text"), []) + [profile.text.meeting_date_label.casefold().rstrip(":"),
                                                            profile.text.decision_date_label.casefold().rstrip(":")] * (var == "date_text")
            if key in known + own and var not in out.values and value.strip():
                out.values[var] = value.strip()
                out.used.add(index)
                break
    return out


def _clean(label: str) -> str:
    return " ".join(label.casefold().replace(":", " ").split())


# --- reading values back ---------------------------------------------------------------------------

def parse_date(text: str, profile: Profile) -> dt.date | None:
    """A date printed in the style's format (or a common one), or None."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.I)
    formats = [profile.date_format, profile.short_date_format, "%d %B %Y", "%A %d %B %Y", "%A, %d %B %Y",
               "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%B %Y"]
    for fmt in formats:
        fmt = fmt.replace("%-d", "%d").replace("%o", "%d").replace("%-m", "%m")
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def report_fields(values: dict[str, str], profile: Profile) -> tuple[dict[str, Any], list[str]]:
    """Content keys from the template values, and notes on what could not be read back."""
    t = profile.text
    data: dict[str, Any] = {}
    notes: list[str] = []
    if "title" in values:
        data["title"] = values["title"]
    committee = values.get("committee") or values.get("decision_maker")
    if committee:
        data["decision_maker"] = committee
    if values.get("report_by"):
        data["report_by"] = values["report_by"]
    when = parse_date(values["date_text"], profile) if values.get("date_text") else None
    if values.get("date_text") and when is None:
        notes.append(f"date `{values['date_text']}` is not a date in the style's format")
    meeting = "committee" in values or values.get("date_label", "").casefold() == t.meeting_date_label.casefold()
    if when and meeting:
        data["meeting"] = {"committee": committee or "", "date": when}
    elif when:
        data["decision_date"] = when
    classification = values.get("classification_text")
    if classification:
        data["classification"] = _classification(classification, values.get("public_interest"), profile)
    dtype = values.get("decision_type_text")
    if dtype:
        data["decision_type"] = _decision_type(dtype, values, profile)
    wards = values.get("wards_text")
    if wards:
        if wards.casefold() == t.wards_all.casefold():
            data["wards"] = "all"
        elif wards.casefold() == t.wards_none.casefold():
            data["wards"] = "none"
        else:
            data["wards"] = [w.strip() for w in wards.split(",") if w.strip()]
    if values.get("publication_date_text"):
        # "not yet (planned for …)" (a built copy) is the plan; "… (revised on …)" keeps the first date;
        # a draft's day is no plan, and is left out
        day = wording.planned_or_published(values["publication_date_text"])
        published = parse_date(day, profile) if day else None
        if published:
            data["publication_date"] = published
    return data, notes


def _classification(text: str, public_interest: str | None, profile: Profile) -> dict[str, Any]:
    if text.casefold() == profile.text.classification_open.casefold() or text.casefold() == "open":
        return {"status": "open"}
    pattern = re.escape(profile.text.classification_exempt).replace(re.escape("{paragraphs}"), r"(?P<p>[\d, ?and]+)")
    m = re.match(pattern, text, re.I) or re.search(r"paragraphs?\s+(?P<p>[\d, and]+)", text, re.I)
    numbers = [int(n) for n in re.findall(r"\d+", m.group("p"))] if m else []
    out: dict[str, Any] = {"status": "exempt", "paragraphs": [n for n in numbers if 1 <= n <= 7]}
    if public_interest:
        out["public_interest"] = public_interest
    return out


def _decision_type(text: str, values: dict[str, str], profile: Profile) -> dict[str, Any]:
    t = profile.text
    out: dict[str, Any]
    for kind, key in ((t.key_decision, True), (t.non_key_decision, False)):
        word = kind.rstrip(". ")
        if text.casefold() == kind.casefold():
            out = {"key": key}
            break
        prefix = t.decision_type_reason.split("{reason}")[0].replace("{type}", word)
        if prefix and text.casefold().startswith(prefix.casefold()):
            out = {"key": key, "reason": text[len(prefix):].strip()}
            break
    else:
        key = not re.search(r"\bnon[- ]?key\b|\bno\b", text, re.I)
        out = {"key": key}
    if out["key"]:
        statement = values.get("key_decision_statement")
        if statement:
            reason, because = wording.split_key_statement(statement, profile)
            if reason and reason != " ".join(t.key_decision_statement.split()):
                out["statement"] = reason
            if because:
                out["key_because"] = because
        ref = values.get("forward_plan_text")
        if ref:
            pattern = re.escape(t.forward_plan).replace(re.escape("{ref}"), "(?P<ref>.+)")
            m = re.match(pattern, ref)
            out["forward_plan_ref"] = m.group("ref") if m else ref
    return out
