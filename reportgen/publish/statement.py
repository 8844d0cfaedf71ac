"""The meeting's accessibility statement (2018 accessibility regulations), in Markdown and HTML.

It says which published documents and pack pages are not accessible, why, how to ask for an
accessible format, and whom to contact. Everything is built from data; all text is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from reportgen.content.meeting import LoadedMeeting
from reportgen.style import wording
from reportgen.style.profile import Profile


@dataclass
class Exception_:
    """One document that is not accessible, and where it sits in the public pack."""

    title: str
    file: str  # relative to public/
    pages: list[int]  # its own pages with untagged content
    pack_pages: list[int]  # the same pages in the public pack
    reason: str  # the clerk's reason for publishing it anyway
    problems: list[str]


def _pages(numbers: list[int]) -> str:
    """'page 2', 'pages 2, 3': the pages named, as a sentence says them."""
    if not numbers:
        return "every page"
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(str(n) for n in numbers)


def _paragraphs(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str) -> \
        tuple[str, list[str], list[list[str]], list[str]]:
    """Title, the opening paragraphs, one list of facts per exception, and the closing paragraphs."""
    m = meeting.meeting
    title = wording.statement_title(profile, m.committee, m.date)
    if exceptions:
        intro = [f"{profile.council} aims to publish every paper for this meeting in a form that assistive "
                 "technology can read (PDF/UA, WCAG 2.2 AA). The documents below are not fully accessible: "
                 f"each was supplied to the council and could not be fixed before publication. The agenda pack "
                 f"({pack}) contains their pages, so it does not claim PDF/UA conformance."]
    else:
        intro = [f"Every paper published for this meeting, and the agenda pack ({pack}), is tagged and "
                 "meets PDF/UA-1 as far as automated checks can tell."]
    facts = [[f"Document: {e.title} ({e.file})", f"Not accessible: the content of {_pages(e.pages)} of the document "
              f"({_pages(e.pack_pages)} of the agenda pack) is not tagged, so a screen reader may read it out "
              "of order or not at all.", f"Why: {e.reason}",
              *(f"Found: {p}" for p in e.problems)] for e in exceptions]
    closing = [profile.agenda.accessible_format]
    if m.contact is not None:
        closing += wording.contact_lines(profile.agenda.contact, m.contact.model_dump())
    reviewed = f"; last reviewed on {profile.format_date(meeting.revised)}" if meeting.revised else ""
    closing.append(f"Prepared on {profile.format_date(m.publication_date)}{reviewed} under the Public Sector Bodies "
                   "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.")
    return title, intro, facts, closing


def markdown(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str) -> str:
    title, intro, facts, closing = _paragraphs(meeting, profile, exceptions, pack)
    lines = [f"# {title}", "", *intro, ""]
    if facts:
        lines += ["## Content that is not accessible", ""]
        for group in facts:
            lines += [f"- {group[0]}", *(f"  - {fact}" for fact in group[1:])]
        lines.append("")
    lines += ["## How to ask for an accessible format", "", *(line + "  " for line in closing), ""]
    return "\n".join(lines)


def html(meeting: LoadedMeeting, profile: Profile, exceptions: list[Exception_], pack: str) -> str:
    title, intro, facts, closing = _paragraphs(meeting, profile, exceptions, pack)
    body = [f"<h1>{escape(title)}</h1>", *(f"<p>{escape(p)}</p>" for p in intro)]
    if facts:
        body.append("<h2>Content that is not accessible</h2><ul>")
        for group in facts:
            body.append(f"<li>{escape(group[0])}<ul>" + "".join(f"<li>{escape(f)}</li>" for f in group[1:])
                        + "</ul></li>")
        body.append("</ul>")
    body.append("<h2>How to ask for an accessible format</h2>")
    body += [f"<p>{escape(p)}</p>" for p in closing]
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n</head>\n<body>\n<main>\n" + "\n".join(body)
            + "\n</main>\n</body>\n</html>\n")
