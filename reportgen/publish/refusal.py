"""Why a publish is refused, as typed values: what is wrong (the Reason), for which item, by which rule,
and the line the clerk reads. Code decides by the reason, never by the wording of the line."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Reason(Enum):
    MEETING = "meeting"  # the agenda itself (its timing, its items)
    UNUSABLE = "unusable"  # a report that could not even be loaded or laid out: no paper to publish
    CHECK = "check"  # a report's check error, missing or stale sign-off included
    INACCESSIBLE = "inaccessible"  # a supplied PDF that is not accessible, and not accepted


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    text: str  # what the clerk is told, one line
    item: int | None = None
    rule: str | None = None  # the check rule (RG...), for a MEETING or CHECK refusal

    def __str__(self) -> str:
        return self.text


def lines(refusals: list[Refusal]) -> list[str]:
    return [r.text for r in refusals]
