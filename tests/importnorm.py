"""Normalised report data for the import round trip: what a built document prints, compared as data."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reportgen.content.load import LoadedReport, load_report
from reportgen.content.model import Report
from reportgen.layout.arrange import REF, arrange
from reportgen.style.profile import Profile, load_profile
from reportgen.style.settings import DEFAULTS, Settings

#: Fields no bundled template prints, so no document can give them back.
UNPRINTED = {"publication_date", "decision_value", "reviewers", "headings"}


def normalised(loaded: LoadedReport, profile: Profile) -> dict[str, Any]:
    """The report as data, [[label]] references replaced by the numbers they print, labels dropped,
    whitespace inside a paragraph collapsed (YAML folding is layout), and what is not printed left out."""
    layout = arrange(loaded, profile)
    data = loaded.report.model_dump(mode="json", exclude_defaults=True)
    for key in UNPRINTED:
        data.pop(key, None)
    if "meeting" in data:
        data["meeting"] = {k: v for k, v in data["meeting"].items() if k in ("committee", "date")}
    # a contact line prints only the fields its pattern names
    shown = {"lead_member": profile.text.contact_member, "contact_officers": profile.text.contact_officer}
    for key, pattern in shown.items():
        fields = set(re.findall(r"\{(\w+)\}", pattern))
        people = data.get(key)
        for person in people if isinstance(people, list) else [people] if people else []:
            for name in [k for k in person if k not in fields]:
                del person[name]
    # no bundled template prints a forward-plan notice date, an appendix's file or its public-interest test
    if isinstance(data.get("decision_type"), dict):
        data["decision_type"].pop("notice_date", None)
    for appendix in data.get("appendices") or []:
        appendix.pop("file", None)
        if isinstance(appendix.get("exempt"), dict):
            appendix["exempt"].pop("public_interest", None)
    return _walk(data, layout.labels)


def _walk(value: Any, labels: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, labels) for k, v in value.items() if k != "label"}
    if isinstance(value, list):
        return [_walk(v, labels) for v in value]
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)  # a table cell "1" prints as the number 1
    if isinstance(value, str):
        text = REF.sub(lambda m: labels.get(m.group(1), m.group(0)), value)
        return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
    return value


def load_folder(folder: Path, settings: Settings = DEFAULTS) -> tuple[LoadedReport, Profile]:
    loaded = load_report(folder)
    return loaded, load_profile(loaded.report.style, settings)
