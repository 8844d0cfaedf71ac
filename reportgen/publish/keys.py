"""Every cache key publish uses, in one place: what determines each thing it remembers.

    report_key    a report's check result and DOCX ("gate", "docx"), and the report document's key
    supplied_key  a supplied appendix or paper: its bytes (the key of its document in the plan)
    source_key    the DOCX or ODT handed to LibreOffice ("source"): the document's key and its kind
    pdf_key       a converted PDF ("pdf"): the DOCX bytes and the metadata set on it
    numbered_key  the published copy of a converted PDF ("numbered"): the pack copy and the page stamp
    inspect_key   what inspecting a PDF tells the manifest ("inspect")
    page_key      a report's web page ("page")
    bookmark_key  the front-sheet page that lists an item with no paper of its own ("bookmark")
    meeting_key   everything a publish of the meeting writes ("meeting": the record of the last publish)

A report's key covers its folder (report.yaml, signoff.yaml, appendix files), appendix files kept
elsewhere, its house-style folder (profile, templates) and resolved profile (project rule overrides
included), reportgen's version and code, the day (date rules) and draft mode. The meeting's key adds
the meeting file, the supplied files, the front sheet's style and the clerk's acceptance reason.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.cache import code_version, digest, tree_digest
from reportgen.errors import ReportgenError

if TYPE_CHECKING:  # publish.stamp keys a republish with these functions before any model is loaded
    from reportgen.content.load import LoadedReport
    from reportgen.content.meeting import LoadedMeeting
    from reportgen.layout.prepared import Prepared
    from reportgen.style.profile import Profile


def style_key(profile: Profile) -> str:
    """The house style as built: every file in its folder (the digest it was loaded by), and the profile as
    resolved, with the project's rule overrides and allowed signers."""
    # The word list is left out of the profile's JSON (exclude=True) but holds the project's words too,
    # which the style's folder digest does not cover: a word added to the project changes what check says.
    return _style_key(profile.digest, profile.model_dump_json(), json.dumps(profile.effective_rules, sort_keys=True,
                                                                            default=str), str(profile.allowed_signers),
                      "\n".join(sorted(profile.word_list)))


@lru_cache(maxsize=16)
def _style_key(*parts: str) -> str:
    # Once per style per command, not once per report: the profile's JSON is long. Every part is a value,
    # so an edited style (a new digest) is a new key, in a long-running watch too.
    return digest(*parts)


def report_key(loaded: LoadedReport, profile: Profile, today: dt.date, draft: bool, files: str | None = None) -> str:
    """Everything that determines a report's check result and DOCX: its files and its house style (the
    layout is made of them, so a report's key is known before it is laid out), and the publication date
    it prints (publish gives it the agenda's, and the day a revision changed it: run._date_reports). `files`: report_files, if already digested."""
    return digest("report", str(loaded.folder.resolve()), files if files is not None else report_files(loaded),
                  style_key(profile), code_version(), today.isoformat(), str(draft), str(loaded.report.publication_date),
                  loaded.dated, str(loaded.revised))


def report_files(loaded: LoadedReport) -> str:
    """The digest of a report's files: its folder and its appendices."""
    appendices = [loaded.folder / a.file for a in loaded.report.appendices or [] if a.file]
    return tree_digest([loaded.folder, *appendices])


def report_keys(reports: Mapping[int, tuple[LoadedReport, Profile] | Prepared | ReportgenError], today: dt.date,
                draft: bool, files: dict[int, str] | None = None) -> dict[int, str]:
    """report_key of each report whose style could be loaded (given as a loaded report and its profile, or
    prepared), by item number. `files`: each report's report_files by item number, filled as they are read
    and reused: publish keys its reports twice (for the day, and for the history's "made from"), reading
    each report's files once."""
    from reportgen.layout.prepared import Prepared

    files = {} if files is None else files
    keys = {}
    for n, found in reports.items():
        if isinstance(found, ReportgenError):
            continue
        loaded, profile = (found.loaded, found.profile) if isinstance(found, Prepared) else found
        if n not in files:
            files[n] = report_files(loaded)
        keys[n] = report_key(loaded, profile, today, draft, files[n])
    return keys


def supplied_key(data: bytes, suffix: str) -> str:
    """A supplied file, by its bytes and what kind of file it is."""
    return digest("supplied", data, suffix.lower(), code_version())


def source_key(document_key: str, suffix: str) -> str:
    """The file LibreOffice converts for a document (real bullets, no page-number fields, on A4)."""
    return digest("source", document_key, suffix, code_version())


def pdf_key(docx: bytes, title: str, date: dt.date, author: str) -> str:
    return digest(docx, title, str(date), author, code_version())


def numbered_key(pack_copy: bytes, stamp: str) -> str:
    return digest("numbered", pack_copy, stamp, code_version())


def inspect_key(pdf: bytes, untagged: list[int]) -> str:
    return digest("inspect", pdf, json.dumps(untagged), code_version())


def web_assets() -> str:
    """The web edition's templates and stylesheets, as installed (not .py files: code_version skips them)."""
    from reportgen import html

    folder = Path(html.__file__).parent
    return tree_digest([folder / "templates", folder / "static"])


def page_key(document_key: str, links: dict[int, str], pdf: str, index: str, draft: bool, assets: str) -> str:
    """A report's web page ("page"): the report document's key, what it links to, and the templates
    (`assets`: web_assets())."""
    return digest("page", document_key, json.dumps(sorted(links.items())), pdf, index, str(draft), assets,
                  code_version())


def bookmark_key(front_sheet: bytes, text: str) -> str:
    """Which page of a front sheet lists an item ("bookmark")."""
    return digest("bookmark", front_sheet, text, code_version())


def sheet_hint_key(name: str, draft: bool, pages: str) -> str:
    """The length a sheet listing pack pages (front sheet, private cover) settled at, last time its items
    had these pages ("sheet-length"; `pages`: where they lie after a one-page sheet). Only a first guess:
    publish.write._stable trusts it only with a "sheet-fixed" record of the very DOCX it then renders."""
    return digest("sheet-length", name, str(draft), pages, code_version())


def sheet_fixed_key(docx: bytes) -> str:
    """A sheet's DOCX (its pack copy's) that laying out from one page settled at ("sheet-fixed")."""
    return digest("sheet-fixed", docx, code_version())


def meeting_key(meeting: LoadedMeeting, keys: dict[int, str], profile: Profile, final: Path, today: dt.date,
                draft: bool, accept: str | None) -> str:
    """Everything that determines what a publish of the meeting writes to `final` (`keys`: report_keys)."""
    # web_assets(): the meeting's and reports' web pages are made from them, and code_version skips them
    parts: list[bytes | str] = ["meeting", str(final.resolve()), meeting.path.read_bytes(), style_key(profile),
                                code_version(), web_assets(), today.isoformat(), str(draft), accept or ""]
    for item in meeting.items:
        if item.number in keys:
            parts.append(keys[item.number])
        elif item.report is not None:  # could not be prepared: the publish is refused, but key it anyway
            parts.append(tree_digest([item.report.folder]))
        if item.file is not None:
            parts.append(tree_digest([item.file]))
    return digest(*parts)
