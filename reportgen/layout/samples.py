"""Sample reports of each kind a house style prints (committee, individual, exempt, key, non-key), laid out
in that style, for `reportgen style check` to render through its templates."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportgen.content.load import LoadedReport
from reportgen.content.model import Report
from reportgen.content.yamlio import Positions
from reportgen.layout.arrange import arrange
from reportgen.layout.prepared import Prepared
from reportgen.style.profile import Profile
from reportgen.style.sections import bind_front

_DAY = dt.date(2000, 1, 3)

#: Every report field a template or a statement may print, filled, so a sample lacks nothing a real
#: report could give; each kind then changes what makes it that kind.
_COMMON: dict[str, Any] = {
    "title": "Sample report", "report_by": "Director of Samples",
    "lead_member": {"name": "Councillor Sample", "role": "Cabinet Member for Samples"},
    "contact_officers": [{"name": "Sample Officer", "email": "sample@example.org"}],
    "publication_date": _DAY.isoformat(), "wards": ["North", "South"],
    "purpose": ["A sample paragraph."], "recommendations": [{"text": "Agree the sample."}],
}
_MEETING = {"committee": "Cabinet", "date": _DAY.isoformat(), "time": "10:00", "venue": "Council Chamber"}
_KEY = {"key": True, "forward_plan_ref": "FP/1", "notice_date": _DAY.isoformat(), "key_because": ["spending", "wards"]}
_NON_KEY = {"key": False, "forward_plan_ref": "FP/1", "notice_date": _DAY.isoformat()}

#: kind -> what that sample report says besides the common fields.
KINDS: dict[str, dict[str, Any]] = {
    "committee": {"decision_maker": "Cabinet", "meeting": _MEETING, "decision_type": _NON_KEY},
    "individual": {"decision_maker": "Cabinet Member for Samples", "decision_date": _DAY.isoformat(),
                   "decision_type": _NON_KEY},
    "exempt": {"decision_maker": "Cabinet", "meeting": _MEETING, "decision_type": _NON_KEY,
               "classification": {"status": "exempt", "paragraphs": [3], "public_interest": "Sample reason."}},
    "key": {"decision_maker": "Cabinet", "meeting": _MEETING, "decision_type": _KEY, "decision_value": 600000},
    "non-key": {"decision_maker": "Cabinet", "meeting": _MEETING,
                "decision_type": {**_NON_KEY, "reason": "A sample reason it is not key."}},
}


def _front(profile: Profile) -> dict[str, Any]:
    """A value for every front-page field of the style's own, of its type."""
    fields = profile.front_page.fields if profile.front_page else []
    sample = {"text": "Sample", "date": _DAY.isoformat(), "list": ["Sample one", "Sample two"]}
    return {f.key: sample[f.type] for f in fields}


def sample(kind: str, profile: Profile) -> Prepared:
    """One sample report of `kind` (a key of KINDS) in the style, laid out as build lays a report out."""
    report = Report.model_validate({"style": profile.folder.name, **_COMMON, **KINDS[kind], "front": _front(profile)})
    loaded = bind_front(LoadedReport(Path("."), Path("report.yaml"), "", report, Positions()), profile)
    return Prepared(loaded, profile, arrange(loaded, profile))


def samples(profile: Profile) -> list[tuple[str, Prepared]]:
    """(kind, sample) for every kind."""
    return [(kind, sample(kind, profile)) for kind in KINDS]
