"""Publish stage: a meeting's accessible PDFs, front sheet, public and private packs, web edition, manifests
and accessibility statement.

Everything is built in a staging folder beside the output (public/ and private/ as siblings) and
swapped in at the end, so an interrupted or refused publish leaves the previous output intact; when
the new output is byte-identical to the old, nothing is touched at all. DOCX sources and pack copies
live in a work folder outside the published ones.

Incremental (see publish.keys, publish.incremental and reportgen.cache): a report whose inputs were gated before is
not checked or rendered again, a DOCX converted before is not converted again, and a meeting whose
inputs all match its last publish (and whose output is as that publish left it) is not built at all.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.cache import Cache, tree_digest
from reportgen.content import clock
from reportgen.errors import PublishError, PublishRefused, ReportgenError
from reportgen.publish import incremental, stamp
from reportgen.publish.paths import PUBLIC, MeetingPaths
from reportgen.publish.result import Progress, PublishResult
from reportgen.style.settings import DEFAULTS, Settings

if TYPE_CHECKING:
    from reportgen.content.history import History
    from reportgen.content.load import LoadedReport
    from reportgen.content.meeting import LoadedMeeting
    from reportgen.layout.prepared import Prepared
    from reportgen.pdf.job import PdfConverter
    from reportgen.publish.write import Closer
    from reportgen.style.profile import Profile

# Loading and keying the meeting (the models, the house styles) is imported only once the stamp of its
# inputs (publish.stamp) did not answer: a republish that finds nothing changed parses no YAML.
# Building (publish.write: the gate, DOCX, LibreOffice, packs) is imported only once publish knows there
# is something to build: a republish that finds nothing changed loads none of it.

log = logging.getLogger(__name__)

#: Where, in the cache, a warm LibreOffice profile is kept for the next run's workers.
PROFILE_SEED = "_libreoffice-profile"

#: What the history calls an agenda's publication.
AGENDA = "agenda"

#: The steps `progress` is told about, in order (a progress bar's length).
STEPS = ("check", "supplied documents", "convert", "front sheet", "packs", "manifest", "web edition", "write")


def earlier_output(paths: MeetingPaths) -> str:
    """What a refused publish leaves in place, in a sentence: nothing, or the earlier (draft?) output."""
    found = paths.final / PUBLIC / "manifest.json"
    if not paths.final.exists():
        return "Nothing was written; no earlier output exists for this meeting."
    try:
        draft = bool(json.loads(found.read_text(encoding="utf-8"))["meeting"]["draft"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"Nothing was written; the earlier output in {paths.final} remains as it was."
    kind = "a DRAFT, not for the website" if draft else "the last full publication"
    return f"Nothing was written; the earlier output in {paths.final} remains, and it is {kind}."


def publish(meeting_path: Path, out: Path = Path("build/publish"), draft: bool = False,
            today: dt.date | None = None, settings: Settings = DEFAULTS, workers: int | None = None,
            accept_inaccessible: str | None = None, progress: Progress | None = None,
            converter: PdfConverter | None = None) -> PublishResult:
    """Publish a meeting to out/<meeting>/public and out/<meeting>/private.

    `converter`: a LibreOffice pool to use (and leave running), for publishing many meetings in a row.

    Refuses (PublishRefused, saying what earlier output remains) unless every report is ready or
    `draft`, and unless every supplied document is accessible or `accept_inaccessible` gives the reason
    to publish it anyway.
    """
    paths = MeetingPaths(out, meeting_path.stem)  # the meeting's slug is its file's name
    cache = Cache(paths.cache)
    stamped = _stamped(meeting_path, paths, cache, today, draft, settings, accept_inaccessible)
    if stamped is not None:
        for warning in stamped.warnings:
            log.warning("%s", warning)
        log.info("%s: nothing changed since it was published (no input changed by a byte)", paths.final)
        return PublishResult(paths.final, False, stamped.record.manifest, stamped.record.refused,
                             stamped.record.inaccessible)
    closers: list[Closer] = []  # LibreOffice, once _publish has started it (closed here, whatever happens)
    try:
        result = _publish(meeting_path, paths, cache, draft, today, settings, workers, accept_inaccessible,
                          progress, converter, closers)
    finally:
        for closer in closers:
            closer.finish()
    # Once LibreOffice is closed: a closing worker keeps its profile in the cache (a folder copied in, then
    # renamed), which a prune counting the entries must not be walking at the time.
    cache.prune()
    return result


def _start_early(paths: MeetingPaths, settings: Settings, workers: int | None, cache: Cache) -> Closer:
    """LibreOffice, started as soon as a publish's inputs are read: it takes a second or two to start, on
    the other core, while this one lays out and keys the meeting; started with the gate instead, it is not
    ready when the gate is done (issue 26)."""
    from reportgen.pdf.server import open_converter

    pool = open_converter(settings, workers, cache.root / PROFILE_SEED)
    pool.start()
    from reportgen.publish.write import Closer  # (building's imports, once LibreOffice is on its way)

    return Closer(pool, own=True)


def _publish(meeting_path: Path, paths: MeetingPaths, cache: Cache, draft: bool, today: dt.date | None,
             settings: Settings, workers: int | None, accept_inaccessible: str | None, progress: Progress | None,
             converter: PdfConverter | None, closers: list[Closer]) -> PublishResult:
    """publish() once the stamp did not answer. `closers`: where the LibreOffice it starts is put, as soon as
    it is started, for the caller to close."""
    from reportgen.content.history import load_history
    from reportgen.content.meeting import load_meeting
    from reportgen.content.parsed import Pending
    from reportgen.pipeline import lay_out, profile_for
    from reportgen.publish import keys as keyed
    from reportgen.style.profile import load_profile_named

    parsed = Pending(cache)  # reports' parses, remembered once the input is known to be good
    meeting = load_meeting(meeting_path, parsed)  # loads and validates each report, once
    for warning in meeting.warnings:  # what loading changed (exempt items moved into Part 2)
        log.warning("%s", warning)
    profile = load_profile_named(meeting.meeting.style, settings, lambda why: meeting.problem(("style",), why),
                                 PublishError)
    # Each report's style first: its key needs no layout, so a meeting found unchanged is never laid out.
    styled: dict[int, tuple[LoadedReport, Profile] | ReportgenError] = {}
    for item in meeting.items:
        if item.report is not None:
            try:
                styled[item.number] = (item.report, profile_for(item.report, settings))
            except ReportgenError as exc:  # reported by the gate with every other reason
                styled[item.number] = exc
    today = clock.publication_day(today, draft)  # never before the clock: the date printed is a fact
    history = load_history(settings.history)  # a broken history refuses before anything is built
    from reportgen.publish.attachments import check_attachments

    if converter is None and not paths.final.exists():
        # A publish whose output was never written (a cold publish) builds: LibreOffice starts now, once the
        # inputs are read and its supplied files vetted, so that input refused writes nothing (not even
        # the LibreOffice profile kept in the cache). An output in place may be found unchanged (below).
        check_attachments(meeting)
        parsed.write()
        closers.append(_start_early(paths, settings, workers, cache))
    files: dict[int, str] = {}  # each report's files, digested once for both keys
    inputs, made_from = _dated(meeting, styled, profile, history, today, draft, accept_inaccessible, files)
    _date_reports(meeting, styled, history, made_from, draft)
    keys = keyed.report_keys(styled, today, draft, files)
    key = keyed.meeting_key(meeting, keys, profile, paths.final, today, draft, accept_inaccessible)
    # What the stamp will say this publish read, digested now with the key (see publish.stamp.remember).
    read = stamp.inputs(meeting, settings)
    read_digest = tree_digest(read)
    terms = stamp.stamp_key(meeting_path, paths.final, settings, today, draft, accept_inaccessible)
    same = incremental.unchanged(cache, key, paths.final)
    if same is not None:
        log.info("%s: nothing changed since it was published", paths.final)
        parsed.write()
        _record(history, meeting, paths, inputs, made_from, draft)
        stamp.remember(cache, terms, read, read_digest, key, settings.history, meeting.warnings)
        return PublishResult(paths.final, False, same.manifest, same.refused, same.inaccessible)
    prepared: dict[int, Prepared | ReportgenError] = {}
    for number, found in styled.items():
        try:
            prepared[number] = found if isinstance(found, ReportgenError) else lay_out(*found)
        except ReportgenError as exc:  # reported by the gate with every other reason
            prepared[number] = exc
    from reportgen.pdf.server import open_converter
    from reportgen.publish.write import Closer, Request, build

    # LibreOffice starting now, in this process's own pool (a server may be warm already): see _gate_workers
    starting = bool(closers) and not settings.server
    if not closers:  # not started early
        # Author-supplied files are vetted before LibreOffice sees any (an unchanged meeting's were vetted when
        # it was last published: their bytes are part of its key).
        check_attachments(meeting)
        parsed.write()
        closers.append(Closer(converter or open_converter(settings, workers, cache.root / PROFILE_SEED),
                              own=converter is None))
    [closer] = closers
    # Only as many LibreOffice workers as there may be documents to convert (the front sheet reuses one).
    gating = sum(not cache.has("gate", k) for k in keys.values())  # reports the gate checks and renders
    misses = gating + sum(i.file is not None for i in meeting.items)
    try:
        closer.pool.start(max(1, misses))  # LibreOffice starts while the gate and the DOCX rendering run
        result = build(Request(meeting, prepared, profile, paths, draft, today, accept_inaccessible, cache, keys,
                               key, progress, _gate_workers(starting, gating)), closer)
    except PublishRefused as exc:
        raise PublishRefused(exc.reasons, earlier_output(paths)) from None
    incremental.remember(cache, key, paths.final,
                         incremental.Record(result.manifest, result.refused, result.inaccessible))
    _record(history, meeting, paths, inputs, made_from, draft)
    stamp.remember(cache, terms, read, read_digest, key, settings.history, meeting.warnings)
    return result


#: Reports the gate checks and renders in this process while LibreOffice starts beside it (about 20 ms CPU
#: each: 40 take 0.8 s, within a cold start of two workers, 1.2-1.9 s measured on the 2-core machine).
GATE_BESIDE_START = 40


def _gate_workers(starting: bool, reports: int) -> int | None:
    """The gate's processes: one, this one, while LibreOffice is starting for this publish and the gate is done
    before it is (nothing can be converted sooner): forked workers would only cost CPU (forking, the pool,
    sending each DOCX back: 15% more, measured) that LibreOffice's start needs. Else one per core."""
    return 1 if starting and reports <= GATE_BESIDE_START else None


def _stamped(meeting_path: Path, paths: MeetingPaths, cache: Cache, today: dt.date | None, draft: bool,
             settings: Settings, accept: str | None) -> stamp.Answer | None:
    """The last publish under the same terms, if not one byte of what it read has changed (publish.stamp)."""
    try:
        day = clock.publication_day(today, draft)
    except ReportgenError:  # said by the full publish, after the meeting's own problems
        return None
    return stamp.answer(cache, stamp.stamp_key(meeting_path, paths.final, settings, day, draft, accept),
                        paths.final, settings.history)



def _dated(meeting: LoadedMeeting, styled: dict[int, tuple[LoadedReport, Profile] | ReportgenError],
           profile: Profile, history: History, today: dt.date, draft: bool, accept: str | None,
           files: dict[int, str]) -> tuple[str, dict[int, str]]:
    """Date the agenda from the history, never from the file: the day it is first published (the typed
    publication_date is only the plan); published again on a later day with other content, a revision
    that keeps the first date and adds "revised on". Returns the digest of what it is made from, and what
    each report is made from (by item number). `files`: as publish.keys.report_keys."""
    from reportgen.content.history import dated
    from reportgen.publish import keys as keyed

    # what the papers are made from, whatever the day (so a republish of the same papers is no revision)
    made_from = keyed.report_keys(styled, dt.date.min, draft, files)
    # (and wherever it is written: the same papers published to another folder are the same agenda)
    inputs = keyed.meeting_key(meeting, made_from, profile, Path("/"), dt.date.min, draft, accept)
    if not draft:  # a draft is not a publication: dated the day it is made
        printed, meeting.revised = dated(history, AGENDA, meeting.slug, inputs, today)
        meeting.meeting = meeting.meeting.model_copy(update={"publication_date": printed})
    else:
        meeting.meeting = meeting.meeting.model_copy(update={"publication_date": today})
    return inputs, made_from


def _report_names(meeting: LoadedMeeting, made_from: dict[int, str]) -> dict[int, str]:
    """Each report's name in the history, by item number: its folder as seen from the meeting file (the same
    in any checkout, and kept when items are renumbered)."""
    import os

    home = meeting.path.resolve().parent
    return {item.number: Path(os.path.relpath(item.report.folder.resolve(), home)).as_posix()
            for item in meeting.items if item.report is not None and item.number in made_from}


def _date_reports(meeting: LoadedMeeting, styled: dict[int, tuple[LoadedReport, Profile] | ReportgenError],
                  history: History, made_from: dict[int, str], draft: bool) -> None:
    """A meeting's reports are published with its agenda: each prints the agenda's date (the day publish
    made it public, from the history; a draft's day), never the publication_date typed in its report.yaml,
    which is only the author's plan; and a report that a revision of the agenda changed, the day of that
    revision (content.history.revised_reports), as the front sheet does. Set before layout, so statements
    naming {publication_date} say it too; part of each report's key (publish.keys.report_key)."""
    from reportgen.content.history import revised_reports

    names = _report_names(meeting, made_from)
    made = {names[n]: made_from[n] for n in names}
    revised = {} if draft else revised_reports(history, AGENDA, meeting.slug, made, meeting.revised)
    for number, found in styled.items():
        if not isinstance(found, ReportgenError):
            loaded = found[0]
            loaded.report = loaded.report.model_copy(update={"publication_date": meeting.meeting.publication_date})
            loaded.dated = "draft" if draft else "published"
            loaded.revised = revised.get(names.get(number, ""))


def _record(history: History, meeting: LoadedMeeting, paths: MeetingPaths, inputs: str, made_from: dict[int, str],
            draft: bool) -> None:
    """Add the agenda's publication to the history: when, and the digest of the public manifest (which
    holds the digest of every public file). A draft is not a publication."""
    if draft:
        return
    from reportgen.content.history import Publication, digest

    sent = (paths.final / PUBLIC / "manifest.json").read_bytes()
    history.record(Publication(what=AGENDA, key=meeting.slug, published=meeting.meeting.publication_date,
                               sha256=digest(sent), inputs=inputs, revised=meeting.revised,
                               reports={name: made_from[n] for n, name in _report_names(meeting, made_from).items()}))


__all__ = ["PROFILE_SEED", "PublishRefused", "PublishResult", "STEPS", "earlier_output", "publish"]
