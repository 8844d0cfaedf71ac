"""A read document -> report.yaml data in a house style's shape, with everything left over located."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.content.model import SECTION_KEYS
from reportgen.importer import frontmatter
from reportgen.importer.blocks import NUMBER, Context, Leftover, Prose, is_subheading, style_of
from reportgen.importer.docxread import Comment, Document, Image, Item, Para, Table
from reportgen.importer.sections import Found, find_sections
from reportgen.style.profile import Profile, SectionSpec

#: Sections whose content is prose blocks.
PROSE_KEYS = ("purpose", "reasons", "key_considerations", "community_impact", "environmental_impact", "financial",
              "legal", "consultees", "conclusion")
#: A typed cross-reference to a paragraph: "paragraph 23", "paragraphs 2.3", "para. 4".
XREF = re.compile(r"\b(?P<word>[Pp]aragraphs?|[Pp]aras?\.?)\s+(?P<n>\d{1,3}(?:\.\d{1,3})?)(?![\d.]*\d)")


@dataclass
class Imported:
    """One imported document: the report data and everything the import report lists."""

    data: dict[str, Any]
    style: str
    sections: list[Found] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
    notes: list[Leftover] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def own_styles(doc: Document) -> bool:
    """True for a document reportgen built (or written in its template): it uses the named paragraph styles."""
    names = {n.casefold() for n in doc.style_names}
    return "numbered paragraph" in names or "recommendation" in names


def assemble(doc: Document, profile: Profile, style: str) -> Imported:
    ctx = Context(own_styles(doc))
    if profile.numbering.heading:
        # section numbering prints sub-headings as "2.0 Report": the number is the style's, not the heading's
        ctx.heading_number = re.compile(re.escape(profile.numbering.heading).replace(re.escape("{s}"), r"\d+") + r"\s+")
    elif not ctx.own_styles:
        ctx.heading_number = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s+")
    items = doc.items
    found = find_sections(items, profile, ctx.own_styles)
    start = found[0].index if found else len(items)
    data: dict[str, Any] = {"style": style}
    _front(items[:start], profile, data, ctx, " ".join(p.text for p in items if isinstance(p, Para)))
    tail = _people(items, start, profile, data, ctx)
    for n, hit in enumerate(found):
        if ctx.own_styles and hit.how != "heading" and len(hit.spec.keys) == 1:
            data.setdefault("headings", {})[hit.spec.keys[0]] = hit.heading  # this report's own wording
        end = found[n + 1].index if n + 1 < len(found) else len(items)
        section = [it for k, it in enumerate(items[hit.index + 1:end], hit.index + 1) if k not in tail]
        for spec, part in _split_headingless(hit.spec, section, profile, ctx):
            _section(spec, part, profile, data, ctx)
    if not found:
        rest = [it for k, it in enumerate(items) if k >= start and k not in tail]
        _unplaced(rest, ctx, "no section heading of the style was found before it")
    _cross_references(data, ctx)
    data.setdefault("title", "")
    data.setdefault("decision_maker", "")
    for key in ("title", "decision_maker"):
        if not data[key]:
            ctx.notes.append(Leftover(1, "", f"no {key.replace('_', ' ')} was found on the front page; fill in `{key}`"))
    ordered = _order(data, profile)
    for w in doc.warnings:
        ctx.notes.append(Leftover(w[0], _quote(items, w[0]), w[1]))
    return Imported(ordered, style, found, ctx.leftovers, ctx.notes, doc.comments, doc.images)


# --- front page ------------------------------------------------------------------------------------

def _front(items: list[Item], profile: Profile, data: dict[str, Any], ctx: Context, body: str) -> None:
    lines: list[tuple[int, str]] = []
    pairs: list[tuple[int, str, str]] = []
    for item in items:
        if isinstance(item, Para):
            if item.text.strip():
                lines.append((item.number, item.text.strip()))
                m = re.match(r"^([^:]{2,40}):\s*(.+)$", item.text.strip())
                if m:
                    pairs.append((len(lines) - 1, m.group(1), m.group(2)))
        else:
            for row in item.rows:
                cells = [c for c in row if c.strip()]
                for c in cells:
                    lines.append((item.number, _plain(c)))
                if len(cells) == 2:
                    pairs.append((len(lines) - 1, _plain(cells[0]), _plain(cells[1])))
    texts = [t for _, t in lines]
    front = frontmatter.match(texts, frontmatter.template_patterns(profile), profile)
    typed = frontmatter.typed(pairs, profile)
    if len(typed.values) > len(front.values):
        # a value line of a typed pair is used too
        used = set(typed.used) | {i - 1 for i in typed.used} | {i for i in typed.used}
        front = frontmatter.FrontMatter(typed.values, used)
        for index, label, value in pairs:
            if index in typed.used:
                front.used.add(index)
    if "title" not in front.values:
        title = next((p for p in items if isinstance(p, Para) and style_of(p) == "title"), None)
        if title is not None:
            front.values["title"] = title.text.strip()
            front.used.add(next(i for i, (n, _) in enumerate(lines) if n == title.number))
    upper = set()
    for key in front.upper:
        # The template prints it in capitals: take its case from where the text says it again.
        m = re.search(r"\b" + re.escape(front.values[key]) + r"\b", body.replace(front.values[key], ""), re.I)
        if m:
            front.values[key] = m.group(0)
        elif key != "date_text":
            upper.add(key)
    fields, notes = frontmatter.report_fields(front.values, profile)
    data.update(fields)
    for key in sorted(upper):
        ctx.notes.append(Leftover(1, front.values[key], f"`{key.removesuffix('_text')}` is printed in capitals by the "
                                                          "template; check its case"))
    for note in notes:
        ctx.notes.append(Leftover(1, "", note))
    for i, (number, text) in enumerate(lines):
        if i not in front.used:
            ctx.leftovers.append(Leftover(number, text, "front-page line not matched to a front-page field"))


def _plain(markdown: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", markdown).strip()


# --- signature and contacts, printed without headings ------------------------------------------------

def _people(items: list[Item], start: int, profile: Profile, data: dict[str, Any], ctx: Context) -> set[int]:
    """Signature, contact and date lines anywhere after the front page; the indexes they took."""
    taken: set[int] = set()
    member = _line_patterns(profile.text.contact_member)
    officer = _line_patterns(profile.text.contact_officer)
    person: dict[str, str] | None = None
    patterns: list[_Forms] = []
    for k in range(start, len(items)):
        p = items[k]
        if not isinstance(p, Para) or not p.text.strip():
            continue
        st, text = style_of(p), p.text.strip()
        if st == "signature":
            data["signature"] = {"name": text}
            taken.add(k)
            continue
        if st == "signature role" and "signature" in data:
            data["signature"]["role"] = text
            taken.add(k)
            continue
        for pats, key in ((member, "lead_member"), (officer, "contact_officers")):
            m = pats[0].match(text) if pats else None
            if m and (st == "contact" or not ctx.own_styles):
                person = {k2: v.strip() for k2, v in m.groupdict().items() if v and v.strip()}
                patterns = pats[1:]
                if key == "lead_member":
                    data["lead_member"] = person
                else:
                    data.setdefault("contact_officers", []).append(person)
                taken.add(k)
                break
        else:
            if person is not None and patterns and (st == "contact" or not ctx.own_styles):
                for n, pat in enumerate(patterns):
                    m = pat.match(text)
                    if m:
                        person.update({k2: v.strip() for k2, v in m.groupdict().items() if v and v.strip()})
                        patterns = patterns[n + 1:]
                        taken.add(k)
                        break
    if "dated" in {k for s in profile.sections for k in s.keys}:
        last = next((k for k in range(len(items) - 1, start, -1) if isinstance(items[k], Para)
                     and items[k].text.strip()), None)  # type: ignore[union-attr]
        if last is not None and last not in taken:
            text = items[last].text.strip()  # type: ignore[union-attr]
            if frontmatter.parse_date(text, profile) and len(text) < 30:
                data["dated"] = text
                taken.add(last)
    return taken


class _Forms:
    """The forms one contact line may be printed in, longest first, matched like one regex."""

    def __init__(self, forms: list[re.Pattern[str]]) -> None:
        self.forms = forms

    def match(self, text: str) -> re.Match[str] | None:
        return next((m for m in (f.match(text) for f in self.forms) if m), None)


def _line_patterns(pattern: str) -> list[_Forms]:
    """A multi-line contact pattern -> one matcher per line ('Contact officer: {name}, {role}'). A line whose
    last fields are empty is printed with their separators trimmed, so each shorter form matches too."""
    out = []
    for line in pattern.splitlines():
        parts = re.split(r"\{(\w+)\}", line)  # literal, field, literal, field, ..., literal
        fields = len(parts) // 2
        forms = []
        for k in range(fields, 0, -1):
            regex, seen = "", set()
            for i in range(k):
                literal, name = parts[2 * i], parts[2 * i + 1]
                regex += re.escape(literal) + (f"(?P<{name}>.+?)" if name not in seen else ".+?")
                seen.add(name)
            tail = parts[2 * k] if k == fields else ""
            forms.append(re.compile(rf"^{regex}{re.escape(tail.rstrip(' -–,'))}\s*$", re.I))
        if forms:
            out.append(_Forms(forms))
    return out


# --- sections --------------------------------------------------------------------------------------

def _split_headingless(spec: SectionSpec, items: list[Item], profile: Profile,
                       ctx: Context) -> list[tuple[SectionSpec, list[Item]]]:
    """A section followed in the style by a prose section printed without a heading (Oxfordshire's key
    considerations follow its summary): that one starts at the first sub-heading."""
    order = profile.sections
    n = next((i for i, s in enumerate(order) if s is spec), -1)
    nxt = order[n + 1] if 0 <= n < len(order) - 1 else None
    if nxt is None or nxt.heading or not any(k in PROSE_KEYS or nxt.kind == "prose" for k in nxt.keys):
        return [(spec, items)]
    cut = next((i for i, it in enumerate(items) if isinstance(it, Para) and is_subheading(it, ctx.own_styles)), None)
    if cut is None:
        return [(spec, items)]
    return [(spec, items[:cut]), (nxt, items[cut:])]


def _section(spec: SectionSpec, items: list[Item], profile: Profile, data: dict[str, Any], ctx: Context) -> None:
    from reportgen.importer import structured

    keys = spec.keys
    if spec.custom:
        value = structured.custom(spec, items, profile, ctx)
        if value is not None:
            data.setdefault("sections", {})[keys[0]] = value
        return
    if len(keys) > 1:
        for key, part in _grouped(keys, items):
            _section(SectionSpec(keys=[key], heading=None, numbered=spec.numbered), part, profile, data, ctx)
        return
    key = keys[0]
    if key in PROSE_KEYS:
        blocks = Prose(ctx, spec.numbered).read(items)
        if blocks:
            data[key] = _merge(data.get(key), blocks)
        return
    handler = getattr(structured, key, None)
    if handler is None:
        _unplaced(items, ctx, f"the style's `{key}` section is not imported")
        return
    value = handler(items, profile, ctx, spec)
    if value is not None:
        data[key] = value


def _merge(old: Any, blocks: list[dict[str, Any]]) -> Any:
    return (old or []) + blocks


#: Words that open a paragraph about one of several sections printed under one heading.
GROUP_WORDS = {
    "consultees": {"consultation", "consultees", "consulted"}, "financial": {"finance", "financial", "budget"},
    "legal": {"legal"}, "equality": {"equality", "equalities"}, "risks": {"risk", "risks"},
    "environmental_impact": {"environmental", "environment", "climate", "carbon"},
    "community_impact": {"community"},
}


def _grouped(keys: list[str], items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Sections printed under one shared heading: each paragraph goes to the section its opening words
    name ("Finance: ...", "Legal implications"), else stays with the one before it."""
    current = keys[0]
    parts: dict[str, list[Item]] = {}
    for item in items:
        if isinstance(item, Para) and item.text.strip():
            opening = re.findall(r"[a-z]+", NUMBER.sub("", item.text).casefold())[:8]
            # the section whose word comes first ("Legal: ... Finance Act" is legal)
            hits = [(opening.index(w), key) for key in keys for w in GROUP_WORDS.get(key, set()) if w in opening]
            if hits:
                current = min(hits)[1]
        parts.setdefault(current, []).append(item)
    return [(k, parts[k]) for k in keys if k in parts]


def _unplaced(items: list[Item], ctx: Context, why: str) -> None:
    for item in items:
        if isinstance(item, Para) and item.text.strip():
            ctx.leftovers.append(Leftover(item.number, item.text.strip(), why))
        elif isinstance(item, Table):
            first = next((c for r in item.rows for c in r if c.strip()), "")
            ctx.leftovers.append(Leftover(item.number, f"table: {first}", why))


def _quote(items: list[Item], number: int) -> str:
    for item in items:
        if isinstance(item, Para) and item.number == number:
            return item.text.strip()
        if isinstance(item, Table) and item.number <= number:
            continue
    return ""


# --- cross-references ------------------------------------------------------------------------------

def _cross_references(data: dict[str, Any], ctx: Context) -> None:
    """"paragraph 23" -> "paragraph [[p23]]" where paragraph 23 was found; kept as typed (with a warning) where not."""
    used: set[str] = set()
    at = [0]

    def replace(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            number = m.group("n")
            block = ctx.numbered.get(number)
            if block is None:
                ctx.notes.append(Leftover(at[0], m.group(0), f"cross-reference to paragraph {number}: no such "
                                                         "numbered paragraph was found; kept as typed"))
                return m.group(0)
            label = "p" + number
            block["label"] = label
            used.add(label)
            return f"{m.group('word')} [[{label}]]"
        return XREF.sub(one, text)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            at[0] = ctx.where.get(id(value), at[0])
            for k, v in value.items():
                if k in ("text", "after", "option", "reason", "lead_in", "note", "summary") and isinstance(v, str):
                    value[k] = replace(v)
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        return value

    for key in list(data):
        if key not in ("style", "title"):
            walk(data[key])


def _order(data: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """Front matter first, then the sections in the style's print order."""
    front = ["style", "title", "decision_maker", "meeting", "decision_date", "report_by", "lead_member",
             "contact_officers", "signature", "classification", "decision_type", "wards", "publication_date", "dated",
             "headings"]
    order = front + [k for s in profile.sections for k in s.keys] + list(SECTION_KEYS) + ["sections"]
    return {k: data[k] for k in dict.fromkeys(order) if k in data}

