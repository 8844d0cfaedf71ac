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
