"""Find the house style's sections in a document: by heading text, the style's aliases, then order."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from reportgen.importer.docxread import Item, Para
from reportgen.style.profile import Profile, SectionSpec

#: Other wordings of the built-in sections that councils print; a style adds its own with `aliases:`.
ALIASES: dict[str, list[str]] = {
    "purpose": ["purpose", "purpose of report", "purpose of the report", "summary", "executive summary",
                "purpose and summary", "purpose/summary of report", "introduction"],
    "recommendations": ["recommendation", "recommendations", "recommendation(s)", "recommended", "decision"],
    "reasons": ["reasons for recommendations", "reasons for recommendation", "reason(s)", "reasons",
                "reasons for decision", "reasons for the recommendations"],
    "alternative_options": ["alternative options", "options", "alternative options considered",
                            "options considered", "other options considered"],
    "key_considerations": ["key considerations", "background", "main considerations", "report", "detail",
                           "information", "issues"],
    "community_impact": ["community impact", "community impacts", "corporate plan"],
    "environmental_impact": ["environmental impact", "environmental impacts", "environmental implications",
                             "climate change implications", "sustainability implications"],
    "equality": ["equality duty", "equality implications", "equalities implications", "equality",
                 "equalities and inclusivity implications", "equality and diversity implications"],
    "financial": ["financial implications", "resource implications", "financial and staff implications",
                  "finance", "financial", "budget implications"],
    "legal": ["legal implications", "legal", "legal comments"],
    "risks": ["risk management", "risks", "risk implications", "risk assessment", "risk"],
    "consultees": ["consultees", "consultation", "consultations", "consultation undertaken"],
    "conclusion": ["conclusion", "conclusions", "concluding remarks"],
    "appendices": ["appendices", "appendix", "annexes", "annex", "essential reference papers", "attachments"],
    "background_papers": ["background papers", "background documents", "list of background papers"],
    "reviewers": ["report reviewers used for appraising this report", "report clearance", "clearance",
                  "report reviewers", "sign-off", "report sign off"],
    "glossary": ["glossary", "glossary of terms", "glossary of terms, abbreviations and acronyms", "abbreviations"],
}
_LEAD = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|[IVX]{1,4}\.)\s+")


def clean_heading(text: str) -> str:
    """A heading compared without its printed number, closing colon, case or extra spaces."""
    text = _LEAD.sub("", text.replace("\t", " "))
    return " ".join(text.casefold().strip().rstrip(":").split())


def wordings(spec: SectionSpec) -> list[str]:
    names = [spec.heading or ""] + list(spec.aliases)
    for key in spec.keys:
        names += ALIASES.get(key, [])
    return [clean_heading(n) for n in names if n]


@dataclass
class Found:
    spec: SectionSpec
    index: int  # item index of its heading (or first item, for a section printed without one)
    how: str  # "heading", "alias", "similar heading"
    heading: str


def is_heading(p: Para, own_styles: bool) -> bool:
    """A candidate section heading: a heading style, or a short typed line in bold (or all capitals)."""
    st = p.style.casefold()
    text = p.text.strip()
    if not text or len(text) > 120 or p.level is not None:
        return False
    if st.startswith("heading") or st == "title":
        return True
    if own_styles:
        return False
    return p.bold or (text.isupper() and len(text) > 3)


def find_sections(items: list[Item], profile: Profile, own_styles: bool) -> list[Found]:
    """Each section heading of the style found in the document, in document order."""
    specs = [s for s in profile.sections if s.heading]
    found: list[Found] = []
    position = 0  # the style's order: a section is looked for after the last one found first
    for i, item in enumerate(items):
        if not isinstance(item, Para) or not is_heading(item, own_styles):
            continue
        text = clean_heading(item.text)
        hit = _exact(text, specs, position) or _exact(text, specs, 0)
        how = "heading"
        if hit is None:
            hit = _alias(text, specs, position) or _alias(text, specs, 0)
            how = "alias"
        if hit is None:
            hit = _prefix(text, specs, position)
            how = "heading with words of its own"
        if hit is None and item.style.casefold() in ("heading 1", "heading 2") or (hit is None and not own_styles):
            hit = _similar(text, specs, position)
            how = "similar heading"
        if hit is None or any(f.spec is hit for f in found):
            continue
        if own_styles and item.style.casefold() != f"heading {hit.level + 1}":
            continue  # in reportgen's own output a section heading is printed at its level; others are sub-headings
        found.append(Found(hit, i, how, item.text.strip()))
        position = specs.index(hit) + 1
    return found


def _exact(text: str, specs: list[SectionSpec], start: int) -> SectionSpec | None:
    return next((s for s in specs[start:] if clean_heading(s.heading or "") == text), None)


def _alias(text: str, specs: list[SectionSpec], start: int) -> SectionSpec | None:
    return next((s for s in specs[start:] if text in wordings(s)), None)


def _prefix(text: str, specs: list[SectionSpec], start: int) -> SectionSpec | None:
    """'Environmental Impacts – Reducing the Council's Carbon Footprint': a known heading, then words of its own."""
    return next((s for s in specs[start:] for name in wordings(s)
                 if name and re.match(re.escape(name) + r"\s*[–:\-—]\s+\S", text)), None)


def _similar(text: str, specs: list[SectionSpec], start: int) -> SectionSpec | None:
    best, score = None, 0.0
    for s in specs[start:]:
        for name in wordings(s):
            ratio = difflib.SequenceMatcher(None, text, name).ratio()
            if ratio > score:
                best, score = s, ratio
    return best if score >= 0.8 else None
