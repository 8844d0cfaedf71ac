"""Completeness and structure rules (RG1xx)."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any, Iterable, Iterator

from reportgen.check.context import Context, fold
from reportgen.content.attachments import attachment_problem
from reportgen.content.yamlio import Loc
from reportgen.check.registry import At, Span, Where, rule
from reportgen.content.model import Block
from reportgen.layout.markdown import link_allowed
from reportgen.layout.arrange import Prose

Found = Iterator[tuple[Where, str]]

#: Sections with a dedicated rule, so a missing one is reported once, by that rule.
DEDICATED = {"recommendations", "reasons", "alternative_options", "background_papers", "equality", "reviewers"}
PROSE = ("purpose", "reasons", "key_considerations", "community_impact", "environmental_impact", "financial",
         "legal", "consultees", "conclusion")
NOT_A_SENTENCE = re.compile(r"^\s*(n/?a|none|nil|not applicable|-+|–|tbc)\.?\s*$", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\b(?:TBC|TBA|tbc|tba)\b|\bXX+\b|\[insert[^\]]*\]|lorem ipsum", re.IGNORECASE)
TERMINAL = re.compile(r"(?:[.!?:;]|[;,]\s*(?:and|or))[\"'”’)\]*_]*\s*$")


@cache
def quoted_title() -> re.Pattern[str]:
    """A quoted heading or title ends a quotation or a lead-in ("The policy says: “Part 4: Library services”").
    Compiled on first use, as the patterns below that only some reports reach: a command compiles only those
    it uses, and most reports reach none of them."""
    return re.compile(r"(?:^|[:.!?]\s*)[“\"‘'][^“”\".!?]{1,80}[”\"’']\s*$")


# The number list is atomic: "paragraph 10 of Schedule 12A" must not backtrack to a reference to "1".
# "p" first, then the word boundary before it as a look-behind: the engine skips straight to each "p".
PARAGRAPH_REF = re.compile(r"p(?<!\wp)aragraphs?\s+((?>(?:\d+(?:\.\d+)*)(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+(?:\.\d+)*)*))"
                           r"(?!\s+of\b)", re.IGNORECASE)
# An appendix id is a number (1, 2a) or capitals (A, B1), matched case-sensitively, so that ordinary
# words ("the appendix to this report", "appendices A and B") are not read as ids.
APPENDIX_ID = r"(?-i:\b(?:\d[0-9A-Za-z]{0,2}|[A-Z][A-Z0-9]{0,2})\b)"
APPENDIX_REF = re.compile(r"\b(appendix|appendices|annexe?s?|ERPs?|essential reference papers?)\s+"
                          rf"((?:['‘\"]?{APPENDIX_ID}['’\"]?)(?:(?:\s*,\s*|\s+and\s+)['‘\"]?{APPENDIX_ID}['’\"]?)*)",
                          re.IGNORECASE)


def heading_of(ctx: Context, key: str) -> str:
    """The heading a section prints under; a key grouped under a shared heading is named by itself."""
    return ctx.profile.heading_of(key)


def _present(ctx: Context, key: str) -> bool:
    if key in ctx.profile.custom_sections:
        return key in ctx.report.sections
    return getattr(ctx.report, key, None) is not None


def _prose_sections(ctx: Context) -> Iterator[tuple[str, Loc, list[Block] | None]]:
    """Every prose section, built-in or the style's own, with where it is in report.yaml."""
    for key in PROSE:
        yield key, (key,), getattr(ctx.report, key)
    for key, value in ctx.report.sections.items():
        spec = ctx.profile.custom_sections.get(key)
        if spec is not None and spec.kind in ("prose", "statement"):
            yield key, ("sections", key), value


@rule("RG101", "Required section missing", "error",
      """The house style requires this section in every report. Council templates insist that mandatory
      headings are never deleted or renamed; a section with nothing to say states so in a sentence.""",
      "House style (profile required_sections)", "add the section; if there is nothing to say, say so in a sentence")
def required_sections(ctx: Context, params: dict[str, Any]) -> Found:
    for key in ctx.profile.required_keys:
        if key not in DEDICATED and not _present(ctx, key):
            yield (), f"required section '{heading_of(ctx, key)}' ({key}) is missing"


def _section_text(blocks: list[Block]) -> str:
    return " ".join(b.text for b in blocks if b.text).strip()


@rule("RG102", "Section empty or not a sentence", "error",
      """A section that is present must say something. Where there is nothing to say, council templates ask
      for a sentence such as "There are no legal implications arising from this report.", not "N/A",
      "None" or a blank.""",
      "Council report templates; DOMAIN.md", "write a full sentence, e.g. 'There are no legal implications arising from this report.'")
def empty_sections(ctx: Context, params: dict[str, Any]) -> Found:
    for key, loc, blocks in _prose_sections(ctx):
        if blocks is None:
            continue
        text = _section_text(blocks)
        if not text:
            yield loc, f"section '{heading_of(ctx, key)}' is empty"
        elif NOT_A_SENTENCE.match(text):
            yield loc, f"section '{heading_of(ctx, key)}' says only '{text}', not a sentence"


LETTER_START = re.compile(r"^\s*\(?([a-zA-Z]|[ivx]+)[).]\s")


@rule("RG103", "Recommendations missing or lettered by hand", "error",
      """A report asks the decision maker to decide something, so it has at least one recommendation.
      reportgen letters the items per house style; an item that starts with its own letter prints twice
      and can leave gaps in the lettering.""",
      "Decision records (SI 2012/2089 regs 12-13); house style", "add recommendations.items; remove hand-typed letters")
def recommendations(ctx: Context, params: dict[str, Any]) -> Found:
    recs = ctx.report.recommendations
    if recs is None or not recs.items:
        yield ("recommendations",) if recs else (), "the report makes no recommendation"
        return
    for i, item in enumerate(recs.items):
        match = LETTER_START.match(item.text)
        if match:
            yield ("recommendations", "items", i, "text"), f"recommendation starts with its own letter '{match.group(0).strip()}'"


@rule("RG104", "Recommendation lead-in differs from the house style", "warning",
      """Each house style opens its recommendations with fixed words (for example "That:" or "The Cabinet is
      RECOMMENDED to:") so the decision record reads the same for every report.""",
      "House style (profile recommendations.lead_in)", "remove recommendations.lead_in to use the house style's wording")
def lead_in(ctx: Context, params: dict[str, Any]) -> Found:
    recs = ctx.report.recommendations
    expected = ctx.profile.recommendations.lead_in
    if recs and recs.lead_in is not None and expected and not recs.lead_in.strip().startswith(expected.rstrip(":")):
        yield ("recommendations", "lead_in"), f"lead-in '{recs.lead_in}' does not open with '{expected}'"


@rule("RG105", "Reasons for recommendations missing", "error",
      """The record of an executive decision must give the reasons for it, so the report that proposes it
      states them.""",
      "SI 2012/2089 regs 12-13 (record of executive decisions)", "add a reasons section")
def reasons(ctx: Context, params: dict[str, Any]) -> Found:
    if not any("reasons" in spec.keys for spec in ctx.profile.sections):
        return  # the style prints no reasons section (its recommendations carry their reasons)
    if ctx.report.reasons is None:
        yield ("recommendations",), "no reasons for the recommendations are given"
    elif not _section_text(ctx.report.reasons):
        yield ("reasons",), "the reasons for the recommendations are empty"


@rule("RG106", "Alternative options missing or unexplained", "error",
      """The decision record lists the alternative options considered and rejected, so the report gives at
      least one alternative and says why each is not recommended.""",
      "SI 2012/2089 regs 12-13 (alternative options considered and rejected)",
      "add alternative_options, each with a reason")
def alternative_options(ctx: Context, params: dict[str, Any]) -> Found:
    opts = ctx.report.alternative_options
    if opts is None or not opts.options:
        yield ("alternative_options",) if opts else (), "no alternative options are given"
        return
    for i, opt in enumerate(opts.options):
        if not opt.recommended and not (opt.reason or "").strip():
            yield ("alternative_options", "options", i), "option does not say why it is not recommended"


DO_NOTHING = re.compile(r"\bdo(?:ing)?[ -]nothing\b|\bstatus quo\b|\bno change\b|\bnot\b", re.IGNORECASE)


@rule("RG107", "Few alternative options", "warning",
      """Decision makers and scrutiny expect to see the real alternatives, including doing nothing, so that
      the recommended option is shown to be better than the status quo.""",
      "Good practice in council report templates", "add a 'do nothing' option and at least two alternatives",
      minimum=2)
def options_quality(ctx: Context, params: dict[str, Any]) -> Found:
    opts = ctx.report.alternative_options
    if opts is None or not opts.options:
        return
    rejected = [o for o in opts.options if not o.recommended]
    if len(rejected) < params["minimum"]:
        yield ("alternative_options",), f"only {len(rejected)} alternative option(s); give at least {params['minimum']}"
    if not any(DO_NOTHING.search(o.option) for o in opts.options):
        yield ("alternative_options",), "no 'do nothing' option"


@rule("RG108", "Placeholder text left in", "error",
      """Guidance and placeholder text (TBC, TBA, XX, [insert ...], lorem ipsum) must be removed before a
      report is published.""",
      "Council report templates", "replace the placeholder with the real text")
def placeholders(ctx: Context, params: dict[str, Any]) -> Found:
    lowered = ctx.folded  # cheap substring tests rule out most reports before any regex
    if not any(marker in lowered for marker in ("tbc", "tba", "xx", "[insert", "lorem ipsum")):
        return
    for t in ctx.texts:
        match = PLACEHOLDER.search(t.text)
        if match:
            yield Span(t.loc, match.group(0)), f"placeholder '{match.group(0)}' left in the text"


@rule("RG109", "Link goes nowhere", "error",
      """A hyperlink whose target is empty or "#" leads readers nowhere; published papers must link to the
      real document.""",
      "Accessibility Regulations 2018 (WCAG 2.2 link purpose); DOMAIN.md", "give the link its real address")
def dead_links(ctx: Context, params: dict[str, Any]) -> Found:
    for t in ctx.texts:
        for href in t.links:
            if href.strip() in ("", "#"):
                yield Span(t.loc, f"]({href})"), f"link target is '{href}': it goes nowhere"


_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


@rule("RG119", "Link to an address that is not a web, email or phone address", "error",
      """Only http, https, mailto and tel links become hyperlinks. A link to another scheme (file:,
      javascript:, data:, search-ms:) or a relative path could open or run something on a reader's
      computer, so it prints as typed instead, which is not what the author meant.""",
      "Security; Accessibility Regulations 2018 (WCAG 2.2 link purpose)",
      "link to an https:// address, or write the address out as text")
def unsafe_links(ctx: Context, params: dict[str, Any]) -> Found:
    for t in ctx.texts:
        if "](" not in t.text:
            continue
        for match in _LINK_TARGET.finditer(t.text):
            if not link_allowed(match.group(1)):
                yield t.loc, f"link to '{match.group(1)[:60]}' prints as text: only http, https, mailto and tel links work"


@rule("RG110", "Paragraph stops mid-sentence", "error",
      """A paragraph that does not end with terminal punctuation usually lost its ending in editing.""",
      "Plain English; council report templates", "finish the sentence")
def mid_sentence(ctx: Context, params: dict[str, Any]) -> Found:
    for t in ctx.texts:
        # A recommendation item is a sentence too ("That: (a) the hours be agreed;"), ending with ; or a full
        # stop. Only the tail can match; searching the whole paragraph for a $-anchored pattern is slow.
        # A quotation ends where its source ends it ("... By Resolution”): its words are not the author's.
        if t.kind == "para" and not t.fixed and t.text.strip() and not TERMINAL.search(t.text.rstrip()[-16:]) \
                and not quoted_title().search(t.text.rstrip()[-90:]) and not _quoted_end(t.text):
            tail = t.text.strip()[-30:]
            yield Span(t.loc, " ".join(t.text.split()[-3:])), f"paragraph stops mid-sentence: '…{tail}'"


def _quoted_end(text: str) -> bool:
    """Whether the paragraph ends with a quotation (or is one) that opened within it."""
    stripped = text.rstrip()
    if stripped[-1:] not in ("”", '"', "’"):
        return False
    return "“" in stripped or stripped.count('"') >= 2 or "‘" in stripped


def _numbers(group: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)*", group)


@rule("RG111", "Reference to a paragraph that does not exist", "error",
      """Cross-references must point at a paragraph of the report. Write [[label]] in content and reportgen
      prints the paragraph's final number.""",
      "Council report templates (consecutive paragraph numbering)", "label the paragraph and refer to it as [[label]]")
def paragraph_refs(ctx: Context, params: dict[str, Any]) -> Found:
    existing = set(ctx.layout.paragraphs)
    if "paragraph" not in ctx.folded:
        return
    for t in ctx.texts:
        if t.fixed:
            continue
        for match in PARAGRAPH_REF.finditer(t.text):
            for number in _numbers(match.group(1)):
                if number not in existing:
                    yield Span(t.loc, match.group(0)), f"refers to paragraph {number}, which does not exist"


_APPENDIX_WORDS = ("appendi", "annex", "erp", "essential reference")


def appendix_refs(ctx: Context) -> list[tuple[Any, str, str]]:
    """(text, word, id) for every appendix/annex/ERP reference in the body (computed once per report)."""
    cached: list[tuple[Any, str, str]] | None = getattr(ctx, "_appendix_refs", None)
    if cached is not None:
        return cached
    found: list[tuple[Any, str, str]] = []
    if not any(w in ctx.folded for w in _APPENDIX_WORDS):
        ctx._appendix_refs = found  # type: ignore[attr-defined]
        return found
    for t in ctx.texts:
        lowered = t.text.casefold()
        if t.section in ("appendices", "background_papers", "title") or not any(w in lowered for w in _APPENDIX_WORDS):
            continue
        for match in APPENDIX_REF.finditer(t.text):
            for ident in re.findall(APPENDIX_ID, match.group(2)):
                found.append((t, match.group(1), ident))
    ctx._appendix_refs = found  # type: ignore[attr-defined]
    return found


@rule("RG112", "Reference to an appendix that does not exist", "error",
      """Every appendix, annex or essential reference paper the text refers to must be listed with the report,
      or readers cannot find it.""",
      "LGA 1972 s.100B (papers open to inspection)", "add it to appendices, or correct the reference")
def unknown_appendix(ctx: Context, params: dict[str, Any]) -> Found:
    ids = {a.id.casefold() for a in ctx.report.appendices or []}
    for t, word, ident in appendix_refs(ctx):
        if ident.casefold() not in ids:
            yield Span(t.loc, word), f"refers to {word} {ident}, but the report has no appendix {ident}"


@rule("RG113", "Appendix never referred to", "warning",
      """An appendix that the report never mentions leaves readers guessing why it is there.""",
      "Council report templates", "refer to it where the text relies on it")
def unreferenced_appendix(ctx: Context, params: dict[str, Any]) -> Found:
    used = {ident.casefold() for _, _, ident in appendix_refs(ctx)}
    for i, app in enumerate(ctx.report.appendices or []):
        if app.id.casefold() not in used and not _named(ctx, app.title):
            yield ("appendices", i), f"appendix {app.id} ({app.title}) is never referred to in the text"


def _named(ctx: Context, title: str) -> bool:
    """Whether the body refers to an appendix by its title ("the Digital Strategy") or by the title's last
    word as a name ("the Strategy")."""
    body = " ".join(t.text for t in ctx.texts if t.section not in ("appendices", "title"))
    words = re.findall(r"[^\W\d_]+", title)
    if title.strip() and title.strip().casefold() in body.casefold():
        return True
    return bool(words) and words[-1][:1].isupper() and len(words[-1]) > 3 and \
        re.search(rf"\b[Tt]he {re.escape(words[-1].capitalize())}\b", body) is not None


@rule("RG114", "Appendix file missing or unusable", "error",
      """An appendix names a file that is not in the report folder, or one that cannot be published: empty,
      not really a PDF, Word or OpenDocument file, encrypted, too large, a zip bomb, or a Word file
      with tracked changes. Publish refuses it, so the check says so first.""",
      "LGA 1972 s.100B", "add the file, correct appendices[].file, or supply a plain PDF or DOCX")
def appendix_files(ctx: Context, params: dict[str, Any]) -> Found:
    for i, app in enumerate(ctx.report.appendices or []):
        if not app.file:
            continue
        path = ctx.loaded.folder / app.file
        if not path.is_file():
            yield ("appendices", i, "file"), f"appendix file not found: {app.file}"
            continue
        why = attachment_problem(path)
        if why:
            yield ("appendices", i, "file"), f"appendix {app.file}: {why}"


@rule("RG115", "Background papers not listed", "error",
      """Each report lists the unpublished documents it relied on, or states that there are none.""",
      "LGA 1972 s.100D", "list the background papers, or write background_papers: \"None\"")
def background_papers(ctx: Context, params: dict[str, Any]) -> Found:
    bg = ctx.report.background_papers
    if bg is None:
        yield (), "background papers are neither listed nor stated as none"
    elif not bg.papers and not (bg.statement or "").strip():
        yield ("background_papers",), "background papers are neither listed nor stated as none"


# "3. The council ..." or "3.2 The council ...": a number typed where reportgen prints one.
HAND_NUMBER = re.compile(r"\A\s*(\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+)[ \t]+\S")
QUANTITY = re.compile(r"\s*\d+(?:\.\d+)?\s*(?:%|per\b|[a-z£])")  # "3.5 million", "10 people"
LIST_ITEM = re.compile(r"^\s*\d+[.)][ \t]", re.MULTILINE)


@rule("RG116", "Paragraph number typed by hand", "error",
      """Numbering is reportgen's job: each block is one numbered paragraph, numbered by the house style, and
      [[label]] refers to it. A block that starts with a typed number ("3. The council ...") prints a second,
      wrong number (Markdown reads it as a one-item list starting at 3).""",
      "Council report templates (consecutive paragraph numbering)",
      "delete the typed number; give the block a label and refer to it as [[label]]")
def hand_numbered(ctx: Context, params: dict[str, Any]) -> Found:
    for el in ctx.layout.elements:
        if not isinstance(el, Prose) or el.loc in _FIXED:
            continue
        match = HAND_NUMBER.match(el.markdown)
        # A real Markdown numbered list has more than one item; a lone "3." is a typed paragraph number.
        if match and len(LIST_ITEM.findall(el.markdown)) <= 1 and not QUANTITY.match(el.markdown):
            yield el.loc, f"starts with a hand-typed paragraph number '{match.group(1)}'"


_FIXED = {("equality", "general_duty"), ("recommendations", "lead_in")}
GUIDANCE = ["delete this guidance", "delete before publishing", "delete this text", "remove this guidance",
            "please complete this section", "complete this section", "guidance:", "guidance note",
            "insert text here", "enter text here", "click here to enter", "author's note", "note to author",
            "example wording", "for example only"]


#: Phrases grouped under a word each contains, each phrase with where in it its word first starts.
Groups = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]


@lru_cache(maxsize=16)
def _key_words(phrases: tuple[str, ...]) -> Groups:
    """Phrases grouped by a word each contains: one search for "guidance" rules out the four phrases
    that contain it, and the phrases themselves are searched for only when their word is there.

    The words are the phrases' longest ones; each phrase goes with the word, of those it contains, that
    the most phrases contain ("guidance:" with "guidance", "author's note" with "author"): every word is one
    more search of the whole report, twice."""
    longest = {max(phrase.split() or [phrase], key=len) for phrase in phrases}
    shared = {word: sum(word in phrase for phrase in phrases) for word in longest}
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        word = max((w for w in longest if w in phrase), key=lambda w: (shared[w], len(w), w))
        groups.setdefault(word, []).append(phrase)
    return _grouped(groups.items())


def _grouped(groups: Iterable[tuple[str, Iterable[str]]]) -> Groups:
    return tuple((word, tuple((p, p.index(word)) for p in group)) for word, group in groups)


def _any_phrase(phrases: tuple[str, ...], text: str) -> bool:
    return _contains_any(text, _key_words(phrases))


def _contains_any(text: str, groups: Groups) -> bool:
    """Whether any phrase of the groups is in the text. Each word is searched for once; a phrase is only
    tested where its word is (any occurrence of the phrase has its word `offset` characters in), instead of
    searching the whole text again for each phrase of a group whose word is somewhere in it."""
    for word, group in groups:
        at = text.find(word)
        while at >= 0:
            if any(at >= offset and text.startswith(phrase, at - offset) for phrase, offset in group):
                return True
            at = text.find(word, at + 1)
    return False


# Instructions to the author, whatever the template: "Please include ...", a sentence that opens "Insert"
# or "Delete", "[...]" or "[name of officer]" (not a link's text), "delete as appropriate", a section "to
# be completed before publication". (Compiled only for a text holding one of the hints below.)
@cache
def instruction() -> re.Pattern[str]:
    return re.compile(
        r"\bplease\s+(?:include|insert|add|complete|provide|state|set\s+out|describe|delete|remove|enter|attach"
        r"|explain|summarise|list|give|use|refer|check)\b"
        r"|(?:^|[.!?:]\s+|\()(?-i:Insert|Delete|Enter)\b"
        r"|\[(?:\.\.\.|…)\](?!\()|\[(?:insert\s+)?(?:name|date|title|details|amount|number)\s+of\b[^\]\n]{0,40}\](?![(\[])"
        r"|\bdelete\s+as\s+(?:appropriate|applicable|necessary)\b"
        r"|\b(?:must|to)\s+be\s+completed\s+before\s+(?:publication|publishing|the\s+report\s+is\s+published)\b",
        re.IGNORECASE | re.MULTILINE)


# Words without which no instruction matches: cheap substring tests on report.yaml as typed.
_INSTRUCTION_HINTS = ("please", "insert", "delete", ". enter", "- enter", ": enter", "(enter", "\"enter", "'enter",
                      "[...]", "[…]", "completed before", "[name", "[date", "[title", "[details", "[amount", "[number")
#: The hints grouped under a part each shares: a report without "enter" has none of the six "enter" hints, so
#: the test of a whole report.yaml costs six searches of it, not eighteen.
_HINT_GROUPS = _grouped((part, [h for h in _INSTRUCTION_HINTS if part in h])
                        for part in ("please", "insert", "delete", "enter", "[", "completed before"))
assert {h for _, group in _HINT_GROUPS for h, _ in group} == set(_INSTRUCTION_HINTS)
#: Keys whose values are names of files, styles or labels, not wording.
_NOT_WORDING = {"style", "file", "label", "id"}


def wording(ctx: Context) -> list[tuple[Loc, str]]:
    """Every string the author typed in report.yaml, with its key path (computed once per report)."""
    cached: list[tuple[Loc, str]] | None = getattr(ctx, "_wording", None)
    if cached is None:
        cached = list(_strings(ctx.loaded.data, ()))
        ctx._wording = cached  # type: ignore[attr-defined]
    return cached


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _NOT_WORDING:
                yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*loc, i))


@rule("RG117", "Template guidance left in", "error",
      """Instructions to the author must be removed before a report is published, in any field: a
      template's guidance ("Delete this guidance before publishing", "Please complete this section",
      "Guidance: ..."), its example wording, and any instruction such as "Please include ...", "Insert ...",
      "[...]" or "delete as appropriate". A house style lists its own templates' phrases (profile
      `guidance`); `phrases` replaces the general ones.""",
      "Council report templates", "replace the guidance with the report's own text",
      phrases=GUIDANCE)
def guidance(ctx: Context, params: dict[str, Any]) -> Found:
    phrases = [str(p).casefold() for p in (*params["phrases"], *ctx.profile.guidance)]
    # report.yaml as typed holds every field: a few substring tests on it rule out most reports before any
    # field is read.
    # (The body's texts, case-folded once for every rule, have their lines joined: a phrase broken across
    # two lines of a block is found there.)
    raw = fold(ctx.loaded.text)
    key = tuple(phrases)
    phrased = _any_phrase(key, raw) or _any_phrase(key, ctx.folded)
    if not phrased and not _contains_any(raw, _HINT_GROUPS):
        return
    for loc, text in wording(ctx):
        lowered = text.casefold()
        found = next((p for p in phrases if p in lowered), None) if phrased else None
        if found:
            excerpt = _excerpt(text, lowered.index(found), len(found))
        elif not _contains_any(". " + lowered, _HINT_GROUPS):
            continue
        else:
            match = instruction().search(text)
            if match is None:
                continue
            excerpt = match.group(0).lstrip(".!?:( \n\t")
        yield Span(loc, excerpt), f"template guidance left in the text: '{excerpt}'"


def _excerpt(text: str, start: int, length: int) -> str:
    return text[start:start + length]


@rule("RG118", "Reference to an unknown label", "error",
      """`[[label]]` prints the number of the paragraph with that label. A reference to a label no block has
      (a typo, or a section removed) cannot be printed, so `build` refuses the report; `check` reports it
      with every other finding.""",
      "Council report templates (cross-references)", "correct the label, or label the paragraph meant")
def unknown_labels(ctx: Context, params: dict[str, Any]) -> Iterator[tuple[At, str]]:
    for problem in ctx.layout.unresolved:
        yield At(str(problem.file), problem.line, problem.col, problem.key), problem.message
