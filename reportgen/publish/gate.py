"""The publish gate: every reason a meeting's reports may not be published, and the DOCX of those that may."""
from __future__ import annotations

import datetime as dt
import json

from reportgen.cache import Cache
from reportgen.check.engine import ReportCheck, check_prepared
from reportgen.check.meeting import check_meeting
from reportgen.check.rules import warm_up
from reportgen.content.meeting import LoadedMeeting
from reportgen.docx.render import render
from reportgen.errors import ReportgenError
from reportgen.layout.prepared import Prepared
from reportgen.parallel import map_shared
from reportgen.publish.refusal import Reason, Refusal
from reportgen.style.profile import Profile

#: Only errors block publication, so advisory rules (readability, say) need not run here.
BLOCKING = frozenset({"error"})


def _blocking(result: ReportCheck) -> list["Error"]:
    # A meeting's reports are published with its agenda, on its date: whether that is in time is one
    # fact, said once for the meeting (RG601), not again for each report (RG401).
    return [(f.rule, str(f)) for f in result.findings if f.severity == "error" and f.rule not in IN_MEETING]


def _check_and_render(prepared: Prepared, today: dt.date, draft: bool) -> tuple[ReportCheck, bytes | None]:
    """One pass per prepared report: its blocking findings, and its DOCX when it may be published."""
    result = check_prepared(prepared, today, BLOCKING)
    if _blocking(result) and not draft:
        return result, None
    return result, render(prepared, draft)


#: Report rules the meeting's own rules answer when the report is published with an agenda.
IN_MEETING = frozenset({"RG401"})

#: A blocking finding as the gate keeps it: its rule and its line.
Error = tuple[str, str]


def _checked(prepared: list[Prepared], today: dt.date, draft: bool, keys: list[str] | None,
             cache: Cache | None, workers: int | None = None) -> list[tuple[list[Error], bytes | None]]:
    """Each report's blocking findings (rule and text) and DOCX: from the cache when its inputs were seen
    before, else checked and rendered (in parallel, on up to `workers` processes) and remembered."""
    found: dict[int, tuple[list[Error], bytes | None]] = {}
    if cache is not None and keys is not None:
        for i, key in enumerate(keys):
            raw = cache.get("gate", key)
            if raw is None:
                continue
            entry = json.loads(raw)
            docx = cache.get("docx", key) if entry["docx"] else None
            if entry["docx"] and docx is None:
                continue  # its DOCX was pruned or corrupted: check and render again
            found[i] = ([(rule, text) for rule, text in entry["errors"]], docx)
    todo = [i for i in range(len(prepared)) if i not in found]
    results = map_shared(_check_and_render, [prepared[i] for i in todo], (today, draft), workers, minimum=4,
                         prepare=lambda: warm_up(BLOCKING))
    for i, (result, docx) in zip(todo, results):
        errors = _blocking(result)
        found[i] = (errors, docx)
        if cache is not None and keys is not None:
            if docx is not None:
                cache.put("docx", keys[i], docx)
            cache.put("gate", keys[i], json.dumps({"errors": errors, "docx": docx is not None}).encode())
    return [found[i] for i in range(len(prepared))]


def gate(meeting: LoadedMeeting, prepared: dict[int, Prepared | ReportgenError], today: dt.date,
         draft: bool = False, profile: Profile | None = None, cache: Cache | None = None,
         keys: dict[int, str] | None = None, workers: int | None = None) -> tuple[list[Refusal], dict[int, bytes]]:
    """Every reason the meeting's papers may not be published (the agenda's own timing and items, each
    report's check errors, missing or stale sign-off included), and the DOCX of every report that may
    be, by item number.

    With a cache and each report's input key (publish.keys.report_key), a report whose inputs
    were gated before is neither checked nor rendered again. `workers`: at most this many processes
    (parallel.fork_map's default when None).
    """
    ready = [(n, p) for n, p in prepared.items() if isinstance(p, Prepared)]
    results = _checked([p for _, p in ready], today, draft, [keys[n] for n, _ in ready] if keys else None, cache,
                       workers)
    outcome = dict(zip((n for n, _ in ready), results))
    # Only errors block (a style may lower a meeting rule to a warning, as for any rule).
    reasons = ([Refusal(Reason.MEETING, f"meeting: {f}", rule=f.rule)
                for f in check_meeting(meeting, profile) if f.severity == "error"] if profile else [])
    rendered: dict[int, bytes] = {}
    for item in meeting.items:
        if item.number not in prepared:
            continue
        where = f"item {item.number} ({item.title})"
        found = prepared[item.number]
        if isinstance(found, ReportgenError):
            # One line per problem, each naming the item left out (a draft is refused without it).
            reasons += [Refusal(Reason.UNUSABLE, f"{where}: unusable: {p}", item.number)
                        for p in found.problems] or [Refusal(Reason.UNUSABLE, f"{where}: unusable: {found}",
                                                             item.number)]
            continue
        errors, docx = outcome[item.number]
        reasons += [Refusal(Reason.CHECK, f"{where}: {text}", item.number, rule) for rule, text in errors]
        if docx is not None:
            rendered[item.number] = docx
    return reasons, rendered
