"""The meeting's web page: committee, date, venue, membership and each agenda item with its papers."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.html.render import render_page, stylesheet
from reportgen.style.profile import Profile


@dataclass
class Link:
    """A link to a published file, with what a reader needs before opening it (format, size, pages)."""

    text: str
    href: str
    detail: str = ""


@dataclass
class Entry:
    """One agenda item. An exempt item carries its title and Schedule 12A line only: no link, no text."""

    number: int
    title: str
    lines: list[str] = field(default_factory=list)
    key: bool = False
    exempt: str = ""  # the Schedule 12A line of an exempt item
    links: list[Link] = field(default_factory=list)


@dataclass
class MeetingPage:
    title: str
    council: str
    committee: str
    when: str
    venue: str
    published: str
    members: list[str]
    entries: list[Entry]
    pack: Link | None = None
    accessibility: Link | None = None
    marking: str = ""
    urgency: str = ""  # the chair's reasons for taking a late agenda as urgent, printed publicly


def file_detail(kind: str, size: int, pages: int | None = None) -> str:
    """'PDF, 245 KB, 12 pages': what a link leads to, as GOV.UK asks for attachments."""
    amount = f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
    parts = [kind, amount] + ([f"{pages} page{'s' if pages != 1 else ''}"] if pages is not None else [])
    return ", ".join(parts)


def meeting_page(page: MeetingPage, profile: Profile) -> str:
    """The meeting page as one self-contained HTML page (CSS inlined, no script)."""
    return render_page("meeting.html.j2", page=page, css=stylesheet(profile))
