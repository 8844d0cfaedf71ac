"""What a rule sees: one prepared report (Context), a decision on it, or a forward plan entry."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from reportgen.check.textscan import Text, scan
from reportgen.content.load import LoadedReport
from reportgen.content.yamlio import Loc
from reportgen.errors import Problem
from reportgen.layout.prepared import Prepared
from reportgen.layout.arrange import Layout
from reportgen.style.profile import Profile

if TYPE_CHECKING:  # annotations only: checking a report needs neither meetings nor decision records
    from reportgen.content.decisions import Decision, DecisionsFile
    from reportgen.content.meeting import LoadedMeeting


_ASCII = bytes(range(128))


def fold(text: str) -> str:
    """text.casefold(), three times faster for text whose only characters beyond ASCII fold to themselves
    (£, ’, “, –, as in most reports): then folding changes only ASCII capitals, and bytes.lower changes
    those at C speed. Case folding works character by character, so the two are the same."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8
        return text.casefold()
    beyond = data.translate(None, _ASCII).decode()
    return data.lower().decode() if beyond.casefold() == beyond else text.casefold()


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
        return fold(self.all_text)

    @cached_property
    def tokens(self) -> list[str]:
        """all_text split at spaces once, for rules that look at words (spelling, repeated words)."""
        return self.all_text.split()

    @cached_property
    def folded_tokens(self) -> list[str]:
        """The tokens case-folded: `folded` split at spaces (case folding makes no spaces), at C speed."""
        return self.folded.split()

    def texts_with(self, words: re.Pattern[str]) -> list[Text]:
        """The texts in which `words` (a pattern of plain lower-case words without spaces at either end, written
        for case-folded text) occurs, found with one search of `folded` instead of one search per text.

        A superset of the texts a case-insensitive search for the same words would find: where case folding
        changes a text's length, or the text holds a character that a case-insensitive search equates with an
        ASCII letter but case folding does not (dotless ı, dotted İ), every text is returned."""
        folded = self.folded
        if len(folded) != len(self.all_text) or any(c in folded for c in _UNFOLDED):
            return list(self.texts)
        return self._texts_at(m.start() for m in words.finditer(folded))

    def texts_holding(self, words: set[str]) -> list[Text]:
        """The texts that hold any of the words as typed (no word holds a line break, so each place a word is
        in all_text is inside one text), in order: each word found in all_text, not each text searched for
        each word."""
        text = self.all_text

        def places() -> Iterator[int]:
            for word in words:
                at = text.find(word)
                while at >= 0:
                    yield at
                    at = text.find(word, at + 1)

        return self._texts_at(places())

    def _texts_at(self, places: Iterable[int]) -> list[Text]:
        """The texts in which these places of all_text fall, in order, each once."""
        ends = self._ends
        return [self.texts[i] for i in sorted({bisect_left(ends, at) for at in places})]

    @cached_property
    def _ends(self) -> list[int]:
        """Where each text ends in all_text (each is followed by the newline that joins them)."""
        ends, at = [], 0
        for t in self.texts:
            at += len(t.text)
            ends.append(at)
            at += 1
        return ends


#: Characters a case-insensitive regular expression matches to an ASCII letter that str.casefold leaves
#: alone or makes longer (İ is i and a combining dot).
_UNFOLDED = "\u0130\u0131"

@dataclass
class DecisionContext:
    """What a decision rule sees: the prepared report, the decision recorded on it, and where that is."""

    prepared: Prepared
    decision: Decision
    file: DecisionsFile
    #: The decision's key path in its file: ("items", i) in a meeting's decisions file, () in an individual one.
    base: Loc
    published: dt.date

    @property
    def profile(self) -> Profile:
        return self.prepared.profile

    def problem(self, loc: Loc, message: str) -> Problem:
        return self.file.problem(self.base + loc, message)


@dataclass
class PlanContext:
    """What a forward-plan rule sees: a key decision's report and the forward plans that listed it."""

    prepared: Prepared
    #: Date of the first earlier (published) forward plan that listed the decision; None if none did.
    first_listed: dt.date | None
    #: Dates of the forward plans published before the one being made.
    plans: list[dt.date]
    #: Publication date of the forward plan being made.
    plan_date: dt.date

    @property
    def profile(self) -> Profile:
        return self.prepared.profile

    def problem(self, loc: Loc, message: str) -> Problem:
        return self.prepared.loaded.problem(loc, message)


@dataclass
class MeetingContext:
    """What a meeting rule sees: the meeting file, its reports loaded, and its house style."""

    meeting: LoadedMeeting
    profile: Profile

    def problem(self, loc: Loc, message: str) -> Problem:
        return self.meeting.problem(loc, message)
