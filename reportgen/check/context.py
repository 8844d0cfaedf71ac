"""What a rule sees: one prepared report, its house style, its laid-out body and today's date."""
from __future__ import annotations

import datetime as dt
from functools import cached_property

from reportgen.check.textscan import Text, scan
from reportgen.content.load import LoadedReport
from reportgen.layout.arrange import Layout
from reportgen.style.profile import Profile


class Context:
    """What a rule sees: the report, its house style, its laid-out body and today's date."""

    def __init__(self, loaded: LoadedReport, profile: Profile, layout: Layout, today: dt.date) -> None:
        self.loaded = loaded
        self.report = loaded.report
        self.profile = profile
        self.layout = layout
        self.today = today

    @cached_property
    def texts(self) -> list[Text]:
        return scan(self.report, self.profile, self.layout)

    @cached_property
    def all_text(self) -> str:
        """Every text joined, so a rule can rule out a whole report with one search."""
        return "\n".join(t.text for t in self.texts)

    @cached_property
    def folded(self) -> str:
        """all_text case-folded once, for rules' cheap substring pre-checks."""
        return self.all_text.casefold()


