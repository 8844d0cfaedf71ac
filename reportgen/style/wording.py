"""Every piece of wording a house style prints about a report or a meeting, assembled in one place.

The layout, the DOCX templates, the front sheet, the packs and the manifest all ask
here, so "Wards affected" and "Divisions", "Appendix" and "Annex", the classification
line and the Schedule 12A wording can never disagree between two outputs.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from reportgen.content.model import Appendix, Report
from reportgen.style.profile import Profile, fill

if TYPE_CHECKING:  # a report's commands import this module, and need no meeting model
    from reportgen.content.load import LoadedReport
    from reportgen.content.meeting import Item


def paragraphs(numbers: list[int]) -> str:
    """Schedule 12A paragraph numbers as printed: '1, 3'; '?' when none is given."""
    return ", ".join(str(n) for n in sorted(set(numbers))) or "?"


def body(report: Report) -> str:
    """The committee, or the person who decides an individual decision."""
    return report.meeting.committee if report.meeting else report.decision_maker


def wards(report: Report, profile: Profile) -> str:
    """The wards (or divisions) affected, in the style's words; empty when the report says nothing."""
    w = report.wards
    if w is None:
        return ""
    if w.all:
        return profile.text.wards_all
    return ", ".join(w.names) if w.names else profile.text.wards_none


def wards_label(profile: Profile) -> str:
    """'Wards affected', or what the style calls them ('Divisions affected')."""
    return profile.text.wards_label


def classification(report: Report, profile: Profile) -> str:
    """'Open', or the exempt marking with its Schedule 12A paragraphs."""
    c = report.classification
    if c.status == "open":
        return profile.text.classification_open
    return fill(profile.text.classification_exempt, paragraphs=paragraphs(c.paragraphs))


def appendix(app: Appendix, profile: Profile, marked: bool = True) -> str:
    """An appendix as the style names it ('Appendix 1. Title', 'Annex A – Title');
    `marked` adds the exempt wording to an exempt appendix."""
    if marked and app.exempt is not None:
        return fill(profile.text.appendix_exempt, id=app.id, title=app.title,
                    paragraphs=paragraphs(app.exempt.paragraphs))
    return fill(profile.text.appendix, id=app.id, title=app.title)


def decision_type(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    if dtype is None:
        return ""
    kind = profile.text.key_decision if dtype.key else profile.text.non_key_decision
    if dtype.reason:
        return fill(profile.text.decision_type_reason, type=kind.rstrip(". "), reason=dtype.reason)
    return kind


def key_statement(report: Report, profile: Profile) -> str:
    """Why a key decision is key, in three parts: the reason (the report's own statement, else the style's,
    which may be none); the style's test sentence for each `key_because`; the style's notice sentence.
    A report's own statement replaces only the reason."""
    dtype = report.decision_type
    if not (dtype and dtype.key):
        return ""
    texts = profile.text
    reason = dtype.statement if dtype.statement is not None else texts.key_decision_statement
    tests = [getattr(texts.key_decision_tests, test) for test in dtype.key_because]
    return " ".join(part.strip() for part in (reason, *tests, texts.key_decision_notice) if part.strip())


def split_key_statement(text: str, profile: Profile) -> tuple[str, list[str]]:
    """The inverse, for the importer: (the report's own reason, the tests named) of a printed paragraph."""
    texts = profile.text
    rest = " ".join(text.split())
    notice = " ".join(texts.key_decision_notice.split())
    if notice and rest.endswith(notice):
        rest = rest[: -len(notice)].strip()
    because = []
    for test in ("spending", "wards"):
        sentence = " ".join(str(getattr(texts.key_decision_tests, test)).split())
        if sentence and sentence in rest:
            because.append(test)
            rest = rest.replace(sentence, "").strip()
    return " ".join(rest.split()), because


def date_label(report: Report, profile: Profile) -> str:
    """'Meeting date:' for a committee decision, 'Decision date:' for one taken by an individual."""
    return profile.text.meeting_date_label if report.meeting else profile.text.decision_date_label


def forward_plan_notice(report: Report, profile: Profile) -> str:
    """When a key decision was first published in the forward plan; empty without a notice date."""
    dtype = report.decision_type
    if not (dtype and dtype.key and dtype.notice_date):
        return ""
    return fill(profile.text.forward_plan_notice, date=profile.format_date(dtype.notice_date),
                ref=dtype.forward_plan_ref or "")


def forward_plan(report: Report, profile: Profile) -> str:
    dtype = report.decision_type
    if dtype and dtype.key and dtype.forward_plan_ref:
        return fill(profile.text.forward_plan, ref=dtype.forward_plan_ref)
    return ""


def draft_marking(draft: bool, marking: str = "") -> str:
    """What follows the classification marking in a header: " – DRAFT" after a marking, "DRAFT" alone,
    so a style whose open papers carry no marking never prints a dangling dash."""
    if not draft:
        return ""
    return " – DRAFT" if marking.strip() else "DRAFT"


def contact_lines(pattern: str, values: dict[str, Any]) -> list[str]:
    """Fill a multi-line contact pattern, dropping lines whose every field is empty."""
    lines = []
    for line in pattern.splitlines():
        fields = re.findall(r"{(\w+)}", line)
        if fields and not any(values.get(f) for f in fields):
            continue
        lines.append(fill(line, **{k: v or "" for k, v in values.items()}).strip(" -–,"))
    return lines


def agenda_item(profile: Profile, number: int, title: str) -> str:
    return fill(profile.agenda.item, number=number, title=title)


def agenda_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.title, committee=committee, date=profile.format_date(date))


def pack_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.pack_title, committee=committee, date=profile.format_date(date))


def private_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.private_title, committee=committee, date=profile.format_date(date))


def private_marking(profile: Profile, numbers: list[int]) -> str:
    return fill(profile.agenda.private_marking, paragraphs=paragraphs(numbers))


def exempt_business(items: list[Item]) -> list[tuple[Item, Appendix | None, list[int]]]:
    """Everything the exclusion resolution must cover: each exempt item, and each exempt appendix of an
    open item (it would disclose exempt information if discussed), with its Schedule 12A paragraphs."""
    found: list[tuple[Item, Appendix | None, list[int]]] = []
    for item in items:
        if item.report is None:
            continue
        r = item.report.report
        if item.exempt:
            found.append((item, None, sorted(set(r.classification.paragraphs))))
            continue
        found += [(item, app, sorted(set(app.exempt.paragraphs))) for app in r.appendices or [] if app.exempt]
    return found


def exclusion(profile: Profile, items: list[Item]) -> list[str]:
    """The proposed resolution to exclude the press and public (LGA 1972 s.100A(4)): its opening with every
    paragraph relied on, one line per exempt item and exempt appendix, then the public-interest test
    (Sch 12A para 10). Empty when nothing is exempt."""
    business = exempt_business(items)
    if not business:
        return []
    t = profile.agenda
    lines = [fill(t.exclusion, paragraphs=paragraphs([n for _, _, numbers in business for n in numbers]))]
    for item, app, numbers in business:
        if app is None:
            lines.append(fill(t.exclusion_item, number=item.number, title=item.title, paragraphs=paragraphs(numbers)))
        else:
            name = fill(t.exclusion_appendix_name, id=app.id, title=app.title)
            lines.append(fill(t.exclusion_appendix, number=item.number, title=item.title, appendix=name,
                              paragraphs=paragraphs(numbers)))
    lines.append(t.public_interest)
    return lines


def private_notice(profile: Profile, committee: str, date: Any) -> str:
    """The front sheet's reference to the notice of the private meeting (reg 5); empty when the style has none."""
    if not profile.agenda.private_notice:
        return ""
    notice = fill(profile.records.private_title, committee=committee, date=profile.format_date(date))
    return fill(profile.agenda.private_notice, notice=notice)


def statement_title(profile: Profile, committee: str, date: Any) -> str:
    return fill(profile.agenda.statement_title, committee=committee, date=profile.format_date(date))


def front_sheet_link(profile: Profile) -> str:
    """The meeting page's link to the front sheet PDF."""
    return profile.agenda.front_sheet_link

def statement_values(loaded: LoadedReport, profile: Profile) -> dict[str, str]:
    """The value of every field a statement sentence may name (profile.STATEMENT_FIELDS), from the
    report; an empty string where the report does not give it. {publication_date} is what the
    "Published" row prints (report_published): never a typed plan as if it were the day."""
    report = loaded.report
    dtype = report.decision_type
    return {
        "title": report.title,
        "decision_maker": report.decision_maker,
        "committee": body(report),
        "date": profile.format_date(report.date),
        "notice_date": profile.format_date(dtype.notice_date) if dtype else "",
        "forward_plan_ref": dtype.forward_plan_ref or "" if dtype else "",
        "report_by": report.report_by or "",
        "lead_member": report.lead_member.name if report.lead_member else "",
        "publication_date": report_published(loaded, profile),
        "wards": wards(report, profile),
    }


def statement_fields(pattern: str) -> list[str]:
    """The fields a statement sentence names, in order, each once."""
    return list(dict.fromkeys(re.findall(r"{(\w+)}", pattern)))


def front_rows(loaded: LoadedReport, profile: Profile) -> list[tuple[str, list[str]]]:
    """The style's declared front page as (label, lines) rows in its order: one definition that the DOCX
    template ({{ front_page }}) and the web page both print. Empty rows are left out unless the style
    prints them."""
    report = loaded.report
    page = profile.front_page
    if page is None:
        return []
    labels = profile.text.labels
    dtype = report.decision_type
    public_interest = report.classification.public_interest or "" if report.classification.status == "exempt" else ""
    builtin: dict[str, tuple[str, list[str]]] = {
        "decision_maker": (labels.decision_maker, [report.decision_maker]),
        "date": (date_label(report, profile), [profile.format_date(report.date)]),
        "title": (labels.title, [report.title]),
        "report_by": (labels.report_by, [report.report_by or ""]),
        "lead_member": (labels.lead_member, [report.lead_member.name if report.lead_member else ""]),
        "classification": (labels.classification, [classification(report, profile), public_interest]),
        "decision_type": (labels.decision_type, [decision_type(report, profile), key_statement(report, profile),
                                                 forward_plan(report, profile) if dtype else ""]),
        "wards": (labels.wards, [wards(report, profile)]),
        "publication_date": (labels.publication_date, [report_published(loaded, profile)]),
    }
    own = {f.key: f for f in page.fields}
    rows: list[tuple[str, list[str]]] = []
    for key in page.rows:
        if key in own:
            value = report.front.get(key)
            spec = own[key]
            if spec.type == "list":
                lines = [str(v) for v in value or []]
            elif spec.type == "date":
                lines = [profile.format_date(value)]
            else:
                lines = [str(value) if value is not None else ""]
            label = spec.label
        else:
            label, lines = builtin[key]
        lines = [line for line in lines if line]
        if lines or page.print_empty:
            rows.append((label, lines))
    return rows


def published(profile: Profile, first: Any, revised: Any = None, draft: bool = False) -> str:
    """A publication date as printed: the first publication's, and the revision's when there is one (a
    revision keeps the first date: a deadline that was met stays met). A draft is not a publication: it
    says so, with the day it was made, after the style's "Published" label."""
    text = profile.format_date(first)
    if draft:
        return DRAFT_OF.format(date=text) if text else "not yet (draft)"
    return REVISED.format(first=text, date=profile.format_date(revised)) if revised is not None else text



#: What a report built by `build` says after the "Published" label: never published, only planned.
PLANNED = "not yet (planned for {date})"
#: What a draft says (publish --draft): not a publication, with the day the draft was made.
DRAFT_OF = "not yet (draft of {date})"
#: A revision's addition to the first publication's date.
REVISED = "{first} (revised on {date})"


def planned(profile: Profile, plan: Any) -> str:
    """A report's typed publication_date where nothing has been published: the plan, said to be one
    (a typed date, even a past one, is never printed as the day it was published)."""
    return PLANNED.format(date=profile.format_date(plan))


def report_published(loaded: LoadedReport, profile: Profile) -> str:
    """What a report prints after the style's "Published" label, wherever it prints it (the DOCX's
    publication_date_text and front page, the web page, a statement naming {publication_date}), by what
    its date is (LoadedReport.dated): the day publish made it public (and the day a revision changed it),
    a draft's day, or, built by `build` (an author's copy), the typed date as the plan. Empty when the
    report gives no date."""
    day = loaded.report.publication_date
    if day is None:
        return ""
    if loaded.dated == "plan":
        return planned(profile, day)
    return published(profile, day, loaded.revised, draft=loaded.dated == "draft")


def planned_or_published(text: str) -> str | None:
    """The inverse, for the importer: the date text in a printed "Published" value that the report's
    publication_date should hold: a plan's date, a publication's first date (not its revision's);
    None for a draft, whose day is only when it was made, and for text that is no date at all."""
    text = " ".join(text.split())
    for pattern, keep in ((PLANNED, "date"), (REVISED, "first"), (DRAFT_OF, None)):
        regex = re.escape(pattern).replace(re.escape("{date}"), "(?P<date>.+)")
        found = re.fullmatch(regex.replace(re.escape("{first}"), "(?P<first>.+?)"), text)
        if found:
            return found[keep] if keep else None
    return None if text.startswith("not yet") else text
