"""Incremental publish: each change of input rebuilds exactly what it affects; a corrupted cache entry
is rebuilt, never published; republishing with nothing changed rewrites nothing; `reportgen clean`."""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen import cache as cache_module
from reportgen.cache import Cache
from reportgen.cli import main
from reportgen.pdf.pool import Converter, Job
from reportgen.check.engine import ReportCheck
from reportgen.layout.prepared import Prepared
from reportgen.publish import gate, incremental
from reportgen.publish.run import PublishResult, publish
from reportgen.style.settings import Settings

from .conftest import ROOT

TODAY = dt.date(2026, 11, 21)
HIGHWAYS = "05-award-of-the-highways-drainage-maintenance"  # its work files' stem (item 5)
DEPOT = "06-"  # the depot land disposal report (item 6), exempt
APPENDIX_A = f"{HIGHWAYS}-appendix-a"
SHEETS = ("00-agenda-front-sheet", "private-cover")  # list pack pages: converted again when pages move


class Project:
    """A copy of the example meeting and the oxfordshire style, published as a draft (content edits
    make sign-offs stale, which only a draft may publish)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT / "content" / "examples", root / "content")
        shutil.copytree(ROOT / "templates" / "oxfordshire", root / "styles" / "oxfordshire")
        self.meeting = root / "content" / "meetings" / "2026-12-15-cabinet.yaml"
        self.out = root / "out"
        self.highways = root / "content" / "models" / "oxfordshire-2026-12-highways-maintenance-contract"
        self.style = root / "styles" / "oxfordshire"
        self.converted: list[str] = []
        self.all: set[str] = set()  # every document the first publish converted

    def reports(self) -> set[str]:
        """The two reports' documents, without their appendices."""
        found = {n for n in self.all if "appendix" not in n}
        assert found == {HIGHWAYS} | {n for n in self.all if n.startswith(DEPOT)} and len(found) == 2
        return found

    def publish(self) -> PublishResult:
        self.converted.clear()
        # No cache is cleared: the style's caches are keyed by the digest of its files, as in a watch.
        return publish(self.meeting, self.out, draft=True, today=TODAY,
                       settings=Settings.with_styles(self.root / "styles"))

    def items(self) -> set[str]:
        """The documents converted by the last publish, without the sheets that list pack pages."""
        return {name for name in self.converted if name not in SHEETS}

    def files(self) -> dict[Path, tuple[int, int]]:
        """Every published file with its inode and modification time."""
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in self.out.rglob("*")
                if p.is_file() and ".cache" not in p.parts}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    proj = Project(tmp_path_factory.mktemp("incremental"))
    patch = pytest.MonkeyPatch()
    original = Converter.convert

    def counting(self: Converter, jobs: list[Job], done: Any = None) -> None:
        proj.converted += [job.docx.stem for job in jobs]
        original(self, jobs, done)

    patch.setattr(Converter, "convert", counting)
    proj.publish()
    proj.all = proj.items()
    assert HIGHWAYS in proj.all and APPENDIX_A in proj.all
    yield proj
    patch.undo()


@pytest.fixture
def edit(project: Project) -> Iterator[Project]:
    """Restores every file a test edits, and republishes the original, so tests stay independent."""
    saved = {p: p.read_bytes() for p in [*project.highways.rglob("*"), *project.style.rglob("*")] if p.is_file()}
    yield project
    for path, data in saved.items():
        path.write_bytes(data)
    project.publish()


def _replace_in_docx(path: Path, member: str, old: str, new: str) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_republish_with_nothing_changed_converts_and_rewrites_nothing(project: Project) -> None:
    before = project.files()
    result = project.publish()
    assert project.converted == []
    assert not result.written
    assert project.files() == before  # same inodes and modification times: not a file rewritten
    assert result.manifest["documents"]


def test_changed_content_rebuilds_only_that_report(edit: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    original = gate._check_and_render

    def counting(prepared: Prepared, today: dt.date, draft: bool) -> tuple[ReportCheck, bytes | None]:
        checked.append(prepared.loaded.folder.name)
        return original(prepared, today, draft)

    monkeypatch.setattr(gate, "_check_and_render", counting)  # fewer than 4 reports: run in this process
    report = edit.highways / "report.yaml"
    text = report.read_text(encoding="utf-8")
    assert "It cannot be extended again." in text
    report.write_text(text.replace("It cannot be extended again.", "It cannot be extended any further."),
                      encoding="utf-8")
    result = edit.publish()
    assert result.written
    assert checked == [edit.highways.name]  # checked and rendered again: that report only
    assert edit.items() == {HIGHWAYS}


def test_changed_appendix_file_reconverts_only_that_appendix(edit: Project) -> None:
    _replace_in_docx(edit.highways / "appendix-a-scope.docx", "word/document.xml", "</w:body>",
                     "<w:p><w:r><w:t>An added line &amp; more.</w:t></w:r></w:p></w:body>")
    edit.publish()
    # The appendix is converted again, and so is its report: the sign-offs covered the appendix's bytes,
    # so they are stale now and the report's printed clearance table changes. The other report is not.
    assert edit.items() == {APPENDIX_A, HIGHWAYS}


def test_changed_template_reconverts_every_report_and_no_appendix(edit: Project) -> None:
    _replace_in_docx(edit.style / "template.docx", "word/document.xml", "{{ committee|upper }} - ",
                     "{{ committee|upper }} : ")
    edit.publish()
    assert edit.items() == edit.reports()


def test_changed_profile_reconverts_every_report_and_no_appendix(edit: Project) -> None:
    path = edit.style / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("heading: Legal Implications}",
                                                             "heading: Legal Comments}"), encoding="utf-8")
    edit.publish()
    assert edit.items() == edit.reports()


def test_a_comment_in_the_profile_reconverts_nothing(edit: Project) -> None:
    path = edit.style / "profile.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    edit.publish()
    assert edit.items() == set()


def test_new_reportgen_version_rebuilds_everything(edit: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "code_version", lambda: "99.0+test")
    monkeypatch.setattr("reportgen.publish.keys.code_version", lambda: "99.0+test")  # every key is made there
    edit.publish()
    assert edit.items() == edit.all


def test_corrupted_cache_entries_are_rebuilt_never_published(edit: Project) -> None:
    published = {p: p.read_bytes() for p in edit.out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    kept = edit.out / ".cache"
    entries = [p for p in kept.glob("*/*/*") if p.is_file() and not p.relative_to(kept).parts[0].startswith("_")]
    assert (kept / ".size").is_file()  # the cache's running total (see Cache.prune)
    # (no "bookmark": the front-sheet page of an item is read from the sheet's table, its text is not searched)
    assert {p.relative_to(kept).parts[0] for p in entries} == {"pdf", "docx", "gate", "meeting", "source", "numbered",
                                                               "inspect", "page", "stamp", "tree", "dashboard",
                                                               "sheet-length", "sheet-fixed", "parsed"}
    assert (kept / "_libreoffice-profile").is_dir()  # a warm profile for the next run's workers
    for entry in entries:  # same length, different bytes: only the stored digest can tell
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data))
    result = edit.publish()
    assert edit.items() == edit.all
    assert not result.written  # rebuilt to exactly what was published before
    assert {p: p.read_bytes() for p in published} == published


def test_cache_detects_corruption_and_is_bounded(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", limit=10_000)
    cache.put("pdf", "ab" * 32, b"x" * 3000)
    assert cache.get("pdf", "ab" * 32) == b"x" * 3000
    assert oct((tmp_path / "c").stat().st_mode & 0o777) == "0o700"  # it may hold exempt papers
    (tmp_path / "c").chmod(0o755)
    cache.put("docx", "ef" * 32, b"exempt")
    assert oct((tmp_path / "c").stat().st_mode & 0o777) == "0o700"
    entry = cache._path("pdf", "ab" * 32)
    entry.write_bytes(entry.read_bytes()[:-1] + b"y")
    assert cache.get("pdf", "ab" * 32) is None and not entry.exists()
    for n in range(8):
        cache.put("pdf", f"{n:02d}" * 32, b"z" * 3000)
        os.utime(cache._path("pdf", f"{n:02d}" * 32), (n, n))  # older first
    assert cache.prune() > 0
    assert cache.size() <= 10_000 * 0.8
    assert cache.get("pdf", "07" * 32) == b"z" * 3000 and cache.get("pdf", "00" * 32) is None


def test_the_cache_counts_its_entries_only_when_it_may_be_over_its_limit(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting stats every entry; a council's year has tens of thousands, so a running total decides."""
    counted: list[int] = []
    original = Cache._entries

    def entries(self: Cache) -> list[Path]:
        found = original(self)
        counted.append(len(found))
        return found

    monkeypatch.setattr(Cache, "_entries", entries)
    cache = Cache(tmp_path / "c", limit=10_000)
    cache.put("pdf", "aa" * 32, b"x" * 1000)
    assert cache.prune() == 0 and counted == [1]  # no ledger yet: counted
    for n in range(3):
        cache.put("pdf", f"{n:02d}" * 32, b"y" * 1000)
        assert cache.prune() == 0
    assert counted == [1]  # well under the limit by the ledger: not counted again
    for n in range(3, 9):
        cache.put("pdf", f"{n:02d}" * 32, b"z" * 1000)
        os.utime(cache._path("pdf", f"{n:02d}" * 32), (n, n))
    removed = cache.prune()  # the ledger says it may be over: counted, and pruned
    assert len(counted) == 2 and removed > 0
    assert sum(p.stat().st_size for p in (tmp_path / "c").glob("*/*/*")) <= 10_000 * 0.8
    Cache(tmp_path / "c", limit=10_000).prune()  # another process, nothing written: the ledger suffices
    assert len(counted) == 2


def test_clean_empties_the_cache(tmp_path: Path) -> None:
    from click.testing import CliRunner

    Cache(tmp_path / "publish" / ".cache").put("pdf", "cd" * 32, b"data")
    result = CliRunner().invoke(main, ["clean", "--out", str(tmp_path / "publish")])
    assert result.exit_code == 0, result.output
    assert result.output == f"emptied the cache of {tmp_path / 'publish'}\n"
    assert not (tmp_path / "publish" / ".cache").exists()
    again = CliRunner().invoke(main, ["clean", "--out", str(tmp_path / "publish")])
    assert again.output == f"no cache in {tmp_path / 'publish'}: nothing to clean\n"


def test_a_cache_entry_filed_under_another_key_is_rebuilt_never_published(edit: Project, tmp_path: Path) -> None:
    """An exempt report's cached PDF copied over an open report's entry (a swap, a restore from the wrong
    backup) fails its seal: the open report is converted again and the public folder holds the open report."""
    from .test_publish import EXEMPT_PHRASES, pdftext

    kept = edit.out / ".cache" / "pdf"
    entries = {}
    for entry in (p for p in kept.glob("*/*") if p.is_file()):
        (tmp_path / "probe.pdf").write_bytes(entry.read_bytes()[36:])
        entries[entry] = " ".join(pdftext(tmp_path / "probe.pdf").split())
    # The exempt report itself (its canary phrase is in its text) and the open report (its recommendations).
    # Earlier tests of this module leave older entries of each report too: swap every open one.
    exempt = next(e for e, text in entries.items() if "HERON-LAND-4482" in text and "RECOMMENDED" in text)
    opened = [e for e, text in entries.items() if "highways drainage maintenance" in text
              and "RECOMMENDED" in text and "AGENDA" not in text and "HERON-LAND-4482" not in text]
    assert opened
    for open_report in opened:
        open_report.write_bytes(exempt.read_bytes())
    for public in (edit.out / "2026-12-15-cabinet" / "public").glob(f"{HIGHWAYS}.pdf"):
        public.unlink()  # the published folder no longer matches: publish again, from the cache
    edit.publish()
    assert HIGHWAYS in edit.items()  # converted again, not taken from the swapped entry
    published = edit.out / "2026-12-15-cabinet" / "public" / f"{HIGHWAYS}.pdf"
    text = " ".join(pdftext(published).split())
    assert "highways drainage maintenance" in text
    assert not any(phrase in text for phrase in EXEMPT_PHRASES)


def test_a_reports_web_page_is_made_again_when_its_report_or_the_templates_change(
        edit: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.publish import web

    made: list[str] = []
    original = web.report_page

    def counting(prepared: Prepared, *args: Any, **kwargs: Any) -> str:
        made.append(prepared.loaded.folder.name)
        return original(prepared, *args, **kwargs)

    monkeypatch.setattr(web, "report_page", counting)
    page = edit.out / "2026-12-15-cabinet" / "public" / f"{HIGHWAYS}.html"
    report = edit.highways / "report.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("It cannot be extended again.", "It cannot be extended any further."),
                      encoding="utf-8")
    edit.publish()
    assert made == [edit.highways.name]  # the exempt report has no page; the open one changed
    assert "It cannot be extended any further." in page.read_text(encoding="utf-8")
    made.clear()
    edit.publish()  # unchanged: not even looked at
    assert made == []
    meeting = edit.meeting.read_bytes()
    try:  # the meeting file edited: a build, in which the unchanged report's page comes from the cache
        edit.meeting.write_bytes(meeting + b"# an edit\n")
        edit.publish()
        assert made == []
        monkeypatch.setattr(web, "web_assets", lambda: "other templates")  # as if reportgen's templates changed
        edit.meeting.write_bytes(meeting + b"# another edit\n")
        edit.publish()
        assert made == [edit.highways.name]
    finally:
        edit.meeting.write_bytes(meeting)


def test_a_sheet_is_laid_out_once_at_the_length_it_settled_at_and_a_wrong_guess_is_never_trusted(
        edit: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The front sheet and the private cover list pack pages, which depend on their own length: laid out
    from one page, a two-page sheet is rendered and converted twice. A publish whose sheets would settle
    where they did before lays each out once; a remembered length that is wrong (or forged, with a record
    of its DOCX) changes nothing published."""
    from reportgen.pdf.pack import open_pdf
    from reportgen.publish import write

    rendered: list[str] = []
    for name in ("render_front_sheet", "render_private_cover"):
        original = getattr(write, name)

        def counting(*args: Any, _name: str = name, _original: Any = original) -> bytes:
            rendered.append(_name)
            return _original(*args)
        monkeypatch.setattr(write, name, counting)
    public = edit.out / "2026-12-15-cabinet" / "public"
    front = public / "00-agenda-front-sheet.pdf"
    with open_pdf(front) as pdf:
        assert len(pdf.pages) >= 2  # else laying out from one page renders it once anyway
    sheets = {p: p.read_bytes() for p in [front, public / "agenda-pack.pdf",
                                          edit.out / "2026-12-15-cabinet" / "private" / "private-pack.pdf"]}
    profile = edit.style / "profile.yaml"

    def publish_again(comment: str) -> list[str]:
        """A publish that builds (the profile changed) but moves no page; what it rendered."""
        profile.write_text(profile.read_text(encoding="utf-8") + f"\n# {comment}\n", encoding="utf-8")
        rendered.clear()
        edit.publish()
        assert {p: p.read_bytes() for p in sheets} == sheets
        return sorted(rendered)

    assert publish_again("once") == ["render_front_sheet", "render_private_cover"]
    cache = Cache(edit.out / ".cache")
    hints = [p.name for p in (edit.out / ".cache" / "sheet-length").glob("*/*")]
    assert len(hints) >= 2
    for key in hints:  # a wrong length remembered: not trusted, laid out from one page as before
        cache.put("sheet-length", key, b"3")
    assert publish_again("wrong guess").count("render_front_sheet") >= 3  # the guess, then from one page
    for key in hints:  # the same, with a record claiming the wrong length's DOCX is where it settles
        cache.put("sheet-length", key, b"3")
    forged = write.sheet_fixed_key

    def forging(docx: bytes) -> str:
        key = forged(docx)
        cache.put("sheet-fixed", key, b"3")
        return key
    monkeypatch.setattr(write, "sheet_fixed_key", forging)
    assert publish_again("forged").count("render_front_sheet") >= 3


def test_the_cache_is_pruned_once_libreoffice_is_closed(edit: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A closing LibreOffice worker keeps its profile in the cache (a folder copied in, then renamed): a prune
    counting the cache's entries while it does found a folder gone under it (FileNotFoundError, exit 2)."""
    from reportgen.publish import write

    order: list[str] = []
    finish, prune = write.Closer.finish, Cache.prune

    def finishing(self: write.Closer) -> None:
        finish(self)
        order.append("closed")

    def pruning(self: Cache) -> int:
        order.append("pruned")
        return prune(self)
    monkeypatch.setattr(write.Closer, "finish", finishing)
    monkeypatch.setattr(Cache, "prune", pruning)
    profile = edit.style / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# prune\n", encoding="utf-8")
    edit.publish()
    assert order == ["closed", "pruned"]
