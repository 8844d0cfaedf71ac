"""A house-style template prepared once (docxtpl's rewrite of its XML, Jinja's code of it) and remembered in
the user's cache (reportgen/docx/remembered.py): the same answer as the libraries give, a fresh one for
any other text, library or environment setting, and a build that does without a cache it cannot write."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docxtpl
import jinja2
import pytest
from docxtpl import DocxTemplate

from reportgen.docx.remembered import Sandbox, Template

from .conftest import ROOT

REPORT = ROOT / "content" / "examples" / "models" / "east-herts-2026-12-council-tax-support"
# A paragraph as Word splits it into runs, which docxtpl's rewrite joins back into one Jinja tag.
XML = ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{{</w:t>'
       '</w:r><w:r><w:t> title </w:t></w:r><w:r><w:t>}}</w:t></w:r></w:p></w:body>')


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "reportgen" / "templates"


def entries(cache: Path, kind: str) -> list[Path]:
    return sorted((cache / kind).glob("*/*"))


def test_the_rewrite_is_docxtpls_own_and_each_text_has_its_own(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tpl = Template(str(ROOT / "templates" / "east-herts" / "template.docx"))
    other = XML.replace("title", "council")
    for xml in (XML, other, XML, other):  # the second time each from the cache
        assert tpl.patch_xml(xml) == DocxTemplate.patch_xml(tpl, xml)
    assert "{{ title }}" in tpl.patch_xml(XML) and "{{ council }}" in tpl.patch_xml(other)
    assert len(entries(cache, "patched")) == 2
    monkeypatch.setattr(docxtpl, "__version__", "99.0")  # another docxtpl may rewrite differently
    tpl.patch_xml(XML)
    assert len(entries(cache, "patched")) == 3


def test_jinja_code_is_remembered_per_text_and_setting(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = Sandbox(autoescape=True, undefined=jinja2.StrictUndefined)
    assert env.from_string("A{{ x }}").render(x="<") == "A&lt;"
    assert env.from_string("B{{ x }}").render(x="<") == "B&lt;"
    assert Sandbox(autoescape=False).from_string("A{{ x }}").render(x="<") == "A<"
    assert len(entries(cache, "jinja")) == 3

    made: list[str] = []
    compile_ = Sandbox.compile

    def counted(self: Sandbox, source: str, *args: object) -> object:
        made.append(source)
        return compile_(self, source, *args)

    monkeypatch.setattr(Sandbox, "compile", counted)
    assert Sandbox(autoescape=True).from_string("A{{ x }}").render(x="<") == "A&lt;"
    assert made == []  # from the cache
    with pytest.raises(jinja2.UndefinedError):  # the environment's own undefined, not the cached one's
        Sandbox(autoescape=True, undefined=jinja2.StrictUndefined).from_string("A{{ x }}").render()
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    Sandbox(autoescape=True).from_string("A{{ x }}")
    assert made == ["A{{ x }}"]  # another Jinja: made again


def test_a_damaged_entry_is_made_again(cache: Path) -> None:
    assert Sandbox(autoescape=True).from_string("A{{ x }}").render(x=1) == "A1"
    [entry] = entries(cache, "jinja")
    good = entry.read_bytes()
    entry.write_bytes(good[:-8] + b"\0" * 8)
    assert Sandbox(autoescape=True).from_string("A{{ x }}").render(x=1) == "A1"  # another process, as it were
    assert entry.read_bytes() == good  # made and stored again


def build(tmp_path: Path, out: str, cache_home: Path) -> bytes:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run([sys.executable, "-c", "import sys; from reportgen.cli import main; sys.exit(main())",
                           "build", str(REPORT), "--out", str(tmp_path / out), "--quiet"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return (tmp_path / out / f"{REPORT.name}.docx").read_bytes()


def test_a_build_from_the_cache_is_the_same_and_one_without_a_cache_too(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    first = build(tmp_path, "one", home)
    assert list((home / "reportgen" / "templates" / "patched").glob("*/*"))
    assert list((home / "reportgen" / "templates" / "jinja").glob("*/*"))
    assert build(tmp_path, "two", home) == first
    blocked = tmp_path / "blocked"
    (blocked / "reportgen").mkdir(parents=True)
    (blocked / "reportgen" / "templates").write_text("not a folder")
    assert build(tmp_path, "three", blocked) == first  # a cache that cannot be written is done without


LISTED = ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>one\ntwo\tthree\afour\ffive</w:t>'
          '</w:r></w:p><w:p><w:r><w:t xml:space="preserve">plain text</w:t></w:r></w:p>'
          '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell\nline</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>')


def test_listings_are_resolved_as_docxtpl_resolves_them() -> None:
    """Only the paragraphs holding a tab, bell, newline or form feed are handed to docxtpl's resolve_listing;
    the result is the one it gives for the whole text, and it changes those paragraphs."""
    tpl = Template(str(ROOT / "templates" / "east-herts" / "template.docx"))
    ours = tpl.resolve_listing(LISTED)
    assert ours == DocxTemplate.resolve_listing(tpl, LISTED)
    assert "<w:br/>" in ours and "<w:tab/>" in ours and 'w:type="page"' in ours and "\n" not in ours


@pytest.mark.parametrize("draft", [False, True])
def test_documents_are_those_docxtpls_resolve_listing_makes(monkeypatch: pytest.MonkeyPatch, draft: bool) -> None:
    """Every example report, the fixture house style's (its front page rows are Listings of several lines)
    and the example meeting's front sheet, byte for byte as docxtpl's own resolve_listing would make them."""
    from reportgen.content.meeting import load_meeting
    from reportgen.content.load import find_reports
    from reportgen.docx.frontsheet import render_front_sheet
    from reportgen.pipeline import render_report
    from reportgen.style.profile import load_profile

    from .test_house_styles import PATH as STYLED, REPORT as STYLED_REPORT

    meeting = load_meeting(ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml")
    profile = load_profile(meeting.meeting.style)
    pages: dict[int, tuple[int, int] | None] = {item.number: (2 * item.number, 2 * item.number + 1)
                                                for item in meeting.items}

    def made() -> list[bytes]:
        reports = [render_report(folder, draft=draft)[1] for folder in find_reports([ROOT / "content" / "examples"])]
        return reports + [render_report(STYLED_REPORT, STYLED, draft)[1], render_front_sheet(meeting, profile, pages, draft)]
    resolved: list[str] = []
    original = DocxTemplate.resolve_listing

    def spied(self: DocxTemplate, xml: str) -> str:
        resolved.append(xml)
        return str(original(self, xml))
    monkeypatch.setattr(DocxTemplate, "resolve_listing", spied)
    ours = made()
    assert any("\n" in xml for xml in resolved)  # some paragraphs were Listings, resolved by docxtpl
    monkeypatch.setattr(Template, "resolve_listing", spied)  # docxtpl's own, on the whole text
    assert made() == ours
