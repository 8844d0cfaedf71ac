"""Sections with a shape of their own: recommendations, options, equality, risks, appendices, papers,
reviewers (imported unbound: never sign-off records) and glossary. Each reader takes the section's items."""
from __future__ import annotations

import re
from typing import Any

from reportgen.importer.blocks import LETTER, NUMBER, Context, Leftover, Prose, data_table, strip_number, style_of
from reportgen.importer.docxread import Item, Para, Table
from reportgen.importer.frontmatter import parse_date
from reportgen.style.profile import Profile, SectionSpec


def _paras(items: list[Item]) -> list[Para]:
    return [p for p in items if isinstance(p, Para) and p.text.strip()]


def _leftover(ctx: Context, item: Item, why: str) -> None:
    if isinstance(item, Para):
        ctx.leftovers.append(Leftover(item.number, item.text.strip(), why))
    else:
        first = next((c for r in item.rows for c in r if c.strip()), "")
        ctx.leftovers.append(Leftover(item.number, f"table: {first}", why))


def recommendations(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    lead_in: str | None = None
    recs: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Table) and item.rows and all(LETTER.match(re.sub(r"\*\*", "", r[0]) + " x") for r in item.rows):
            # recommendations typed in a table: a letter, then the recommendation
            for row in item.rows:
                recs.append({"text": re.sub(r"^\*\*(.*)\*\*$", r"\1", " ".join(c for c in row[1:] if c.strip()))})
                ctx.where[id(recs[-1])] = item.number
            continue
        if isinstance(item, Table):
            if recs and "table" not in recs[-1]:
                recs[-1]["table"] = data_table(item)
            else:
                _leftover(ctx, item, "a table that belongs to no recommendation")
            continue
        if not item.text.strip():
            continue
        st = style_of(item)
        letter = LETTER.match(item.text)
        number = NUMBER.match(item.text)
        if st == "recommendation lead" or (not recs and lead_in is None and not letter and item.level is None
                                           and st != "recommendation"):
            lead_in = item.markdown[number.end():] if number else item.markdown
            lead_in = lead_in.replace("\t", " ").strip()
            continue
        is_item = bool(letter) or (profile.recommendations.lettering == "paragraph" and number is not None) or (
            item.level is not None) or (not ctx.own_styles)
        if st == "recommendation" and not letter and not number and recs and "table" in recs[-1] and "after" not in recs[-1]:
            recs[-1]["after"] = item.markdown
            continue
        if is_item:
            prefix = letter or number
            text = item.markdown
            if prefix:
                text = text[len(prefix.group(0)):] if text.startswith(prefix.group(0)) else \
                    re.sub(r"^(\*\*)?" + re.escape(prefix.group(0).strip()) + r"\s*", r"\1", text)
            recs.append({"text": text.strip()})
            ctx.where[id(recs[-1])] = item.number
            if number and prefix is number:
                ctx.numbered[number.group("n")] = recs[-1]
        else:
            _leftover(ctx, item, "a paragraph of the recommendations that is not a recommendation")
    if not recs:
        return None
    out: dict[str, Any] = {}
    if lead_in is not None and lead_in != profile.recommendations.lead_in:
        out["lead_in"] = lead_in
    out["items"] = recs
    return out


def alternative_options(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    return _options(items, profile, ctx, spec)


def _options(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    """Each numbered paragraph is an option; the style's option pattern splits what it is from why."""
    blocks = Prose(ctx, True).read(items)
    intro: list[Any] = []
    options: list[dict[str, Any]] = []
    after: list[Any] = []
    sep = _separator(profile.text.option)
    for block in blocks:
        is_option = block.get("numbered", True) and "text" in block and "heading" not in block and "table" not in block
        if is_option and options and sep.strip() and sep not in block["text"]:
            is_option = False  # a paragraph after the options: every option prints with the style's separator
        if is_option:
            options.append(_option(block["text"], profile.text.option))
            ctx.where[id(options[-1])] = ctx.where.get(id(block), 0)
            label_of = next((n for n, b in ctx.numbered.items() if b is block), None)
            if label_of is not None:
                ctx.numbered[label_of] = options[-1]
        else:
            (after if options else intro).append(block)
    if not options and not intro:
        return None
    if not intro and not after:
        return options
    out: dict[str, Any] = {}
    if intro:
        out["intro"] = intro
    out["options"] = options
    if after:
        out["after"] = after
    return out


def _option(text: str, pattern: str) -> dict[str, Any]:
    """'{option} {reason}' printed as one paragraph -> option and reason: split at the pattern's separator,
    or (a space) after the option's first sentence."""
    sep = _separator(pattern)
    out: dict[str, Any]
    if sep.strip():
        head, found, tail = text.partition(sep)
        out = {"option": head.strip(), "reason": tail.strip()} if found and tail.strip() else {"option": text.strip()}
    else:
        m = re.search(r"(?<=[.!?])\s+(?=[A-Z*])", text)
        if m is None or "\n" in text[:m.start()]:
            out = {"option": text.strip()}
        else:
            out = {"option": text[:m.start()].strip(), "reason": text[m.end():].strip()}
    if re.match(r"^(?:this (?:option )?is )?recommended\b", out.get("reason", ""), re.I):
        out["recommended"] = True
    return out


def _separator(pattern: str) -> str:
    return pattern.split("{option}", 1)[-1].split("{reason}", 1)[0] if "{reason}" in pattern else ""


def equality(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    blocks = Prose(ctx, spec.numbered).read(items)
    out: dict[str, Any] = {}
    duty = _words(profile.text.general_duty)
    if blocks and "text" in blocks[0] and _words(blocks[0]["text"]) == duty:
        out["general_duty"] = True
        blocks = blocks[1:]
    t = profile.text
    if blocks and "text" in blocks[-1] and "table" not in blocks[-1]:
        last = blocks[-1]["text"]
        for done, wording in ((True, t.impact_assessment_done), (False, t.impact_assessment_not_done)):
            if last.startswith(wording):
                assessment: dict[str, Any] = {"done": done}
                if last[len(wording):].strip():
                    assessment["summary"] = last[len(wording):].strip()
                out["impact_assessment"] = assessment
                blocks = blocks[:-1]
                break
    out["text"] = blocks
    return out


def _words(markdown: str) -> str:
    text = re.sub(r"\{type=a\}|[*~^>]|^\s*(?:-|\d+\.)\s", " ", markdown, flags=re.M)
    return " ".join(text.split()).casefold()


def risks(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    """Prose, then two-column tables of risk and mitigation, each perhaps under its own sub-heading."""
    tables: list[dict[str, Any]] = []
    prose: list[Item] = []
    heading: str | None = None
    for n, item in enumerate(items):
        if isinstance(item, Table) and item.rows and all(len(r) == 2 for r in item.rows):
            rows = item.rows[1:] if item.header else item.rows
            table: dict[str, Any] = {"rows": [{"risk": r[0], "mitigation": r[1]} for r in rows]}
            if heading:
                table = {"heading": heading, **table}
                heading = None
            tables.append(table)
            continue
        nxt = items[n + 1] if n + 1 < len(items) else None
        if isinstance(item, Para) and isinstance(nxt, Table) and style_of(item).startswith("heading"):
            heading = item.text.strip()
            continue
        if tables and isinstance(item, Para) and item.text.strip():
            _leftover(ctx, item, "text after the risk tables")
            continue
        prose.append(item)
    text = Prose(ctx, spec.numbered).read(prose)
    if not tables:
        return {"text": text} if text else None
    return {"text": text, "tables": tables} if text else tables


def appendices(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    t = profile.text
    exempt = _fields_regex(t.appendix_exempt)
    plain = _fields_regex(t.appendix)
    out = []
    for p in _paras(items):
        text = strip_number(p)[1] if spec.number_items else p.text.strip()
        text = re.sub(r"\*\*|\*", "", text).strip()
        m = exempt.match(text)
        if m:
            numbers = [int(n) for n in re.findall(r"\d", m.group("paragraphs"))]
            out.append({"id": m.group("id"), "title": m.group("title"), "exempt": {"paragraphs": numbers}})
            continue
        m = plain.match(text) or re.match(r"^(?:appendix|annex|erp|essential reference paper)?\s*"
                                          r"(?P<id>[A-Z0-9]{1,3})\s*[.:–\-)]\s*(?P<title>.+)$", text, re.I)
        if m:
            out.append({"id": _id(m.group("id")), "title": m.group("title").strip()})
        else:
            _leftover(ctx, p, "an appendices line that names no appendix")
    return out or None


def _id(value: str) -> str | int:
    return int(value) if value.isdigit() else value


def _fields_regex(pattern: str) -> re.Pattern[str]:
    regex, pos = "", 0
    for m in re.finditer(r"\{(\w+)\}", pattern):
        regex += re.escape(pattern[pos:m.start()]) + f"(?P<{m.group(1)}>.+?)"
        pos = m.end()
    return re.compile("^" + regex + re.escape(pattern[pos:]) + "$", re.I)


def background_papers(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    lines = [strip_number(p)[1] if spec.number_items else p.markdown.strip() for p in _paras(items)]
    lines = [re.sub(r"^[•\-–]\s+", "", line) for line in lines]
    if not lines:
        return None
    return lines[0] if len(lines) == 1 else lines


def reviewers(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    """The clearance table, as reviewers typed into the report: unbound, never sign-off records."""
    out = []
    for item in items:
        if not isinstance(item, Table):
            if isinstance(item, Para) and item.text.strip():
                _leftover(ctx, item, "text in the clearance section that is not the reviewers table")
            continue
        rows = item.rows[1:] if item.header else item.rows
        for row in rows:
            cells = [re.sub(r"\*\*", "", c).strip() for c in row] + ["", "", ""]
            if not cells[0]:
                continue
            role = profile.canonical_role(cells[0]) or cells[0]
            reviewer: dict[str, Any] = {"role": role}
            if cells[1]:
                reviewer["name"] = cells[1]
            when = parse_date(cells[2], profile) if cells[2] else None
            if when:
                reviewer["date"] = when
            out.append(reviewer)
    return out or None


def glossary(items: list[Item], profile: Profile, ctx: Context, spec: SectionSpec) -> Any:
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, Table):
            for row in item.rows[1:] if item.header else item.rows:
                if len(row) >= 2 and row[0].strip():
                    out[row[0].strip()] = " ".join(c.strip() for c in row[1:] if c.strip())
        elif item.text.strip():
            m = re.match(r"^(.{1,40}?)\s*[:–\-=]\s+(.+)$", item.text.strip())
            if m:
                out[m.group(1)] = m.group(2)
            else:
                _leftover(ctx, item, "a glossary line with no term and meaning")
    return out or None


def custom(spec: SectionSpec, items: list[Item], profile: Profile, ctx: Context) -> Any:
    """A section of the style's own, read by its kind."""
    if spec.kind in ("prose", "statement"):
        blocks = Prose(ctx, spec.numbered).read(items)
        if spec.kind == "statement" and len(blocks) == 1 and blocks[0].get("text") == spec.statement:
            return None
        return blocks or None
    if spec.kind == "risks":
        return risks(items, profile, ctx, spec)
    if spec.kind == "options":
        return _options(items, profile, ctx, spec)
    if spec.kind == "table":
        table = next((t for t in items if isinstance(t, Table)), None)
        return data_table(table) if table is not None else None
    people = []
    for p in _paras(items):
        name, _, role = p.text.strip().partition(",")
        people.append({"name": name.strip(), **({"role": role.strip()} if role.strip() else {})})
    return people or None
