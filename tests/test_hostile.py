"""Hostile input, by class (issue 14): every case exits 2 with a located message and no traceback.

Fixtures are generated here: YAML alias bombs, deep nesting, impossible dates, control characters,
symlinks out of the folder, zip bombs, encrypted PDFs, sandbox escapes in templates.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import shutil
import signal
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reportgen.cli import main
from reportgen.content.limits import MAX_FILE_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH
from reportgen.pipeline import build
from reportgen.style.profile import TEMPLATES_DIR

from .conftest import MINIMAL, write_report
from .docxtext import flat_text, read

TODAY = "2026-11-21"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def refused(result: Result, file: Path, message: str, code: int = 2) -> None:
    """Exit `code`, no traceback, and a `file:line:col:` message containing `message`."""
    assert "Traceback" not in result.output, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    located = [line for line in result.output.splitlines()
               if re.match(re.escape(str(file)) + r":\d+:\d+: ", line)]
    assert any(message in line for line in located), result.output


def report(tmp_path: Path, text: str = MINIMAL, name: str = "r") -> Path:
    return write_report(tmp_path / "content" / name, text)


def check(folder: Path, *more: str) -> Result:
    return run("check", str(folder), "--today", TODAY, *more)


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs': each level lists the one before nine times."""
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --- YAML: hangs and crashes -------------------------------------------------------------------------

YAML_CASES = [
    # (id, replace "decision_date: 2026-12-10" with, expected message)
    ("impossible-day", "decision_date: 2019-02-30", "impossible date or time '2019-02-30'"),
    ("month-13", "decision_date: 2019-13-01", "impossible date or time '2019-13-01'"),
    ("year-0", "decision_date: 0000-01-01", "impossible date or time '0000-01-01' (year 0 is out of range)"),
    ("29-feb-common-year", "decision_date: 2019-02-29", "impossible date or time '2019-02-29'"),
    ("hour-25", "decision_date: 2026-12-10 25:00:00", "impossible date or time '2026-12-10 25:00:00'"),
    ("date-zero", "decision_date: 0", "expected a date as YYYY-MM-DD, got the number 0"),
    ("nul-escape", 'decision_date: 2026-12-10\nreport_by: "Director\\0of Tests"', "U+0000"),
    ("bell", 'decision_date: 2026-12-10\nreport_by: "Director\\a"', "U+0007"),
    ("noncharacter", 'decision_date: 2026-12-10\nreport_by: "Director\\uFFFE"', "U+FFFE"),
    ("sequence-key", "decision_date: 2026-12-10\n? [a, b]\n: c", "a key must be text, not a list or mapping"),
    ("recursive-alias", "decision_date: 2026-12-10\nglossary: &g {a: *g}", "recursive alias"),
    ("deep-nesting", "decision_date: 2026-12-10\nglossary: " + "[" * 5000 + "]" * 5000,
     f"nested more than {MAX_YAML_DEPTH} levels deep"),
    ("alias-bomb", "decision_date: 2026-12-10\n" + alias_bomb(), f"more than {MAX_YAML_ALIASES} YAML alias uses"),
    ("infinite-value", "decision_date: 2026-12-10\ndecision_value: .inf", "decision_value"),
    ("1e400", "decision_date: 2026-12-10\ndecision_value: 1e400", "decision_value"),
    ("nan-cell", "decision_date: 2026-12-10\nfinancial:\n  - text: Costs.\n    table: {columns: [A], rows: [[.nan]]}",
     "financial[0].table.rows[0][0]"),
    ("table-without-columns",
     "decision_date: 2026-12-10\nfinancial:\n  - text: Costs.\n    table: {columns: [], rows: []}",
     "financial[0].table.columns"),
    ("heading-typo", "decision_date: 2026-12-10\nheadings: {purpsoe: Why}",
     "unknown section key 'purpsoe' (did you mean `purpose`?)"),
    ("published-after-decision", "decision_date: 2026-12-10\npublication_date: 2026-12-11",
     "published 2026-12-11, after the decision on 2026-12-10"),
    ("style-traversal", "decision_date: 2026-12-10\nstyle: ../../../etc", "style"),
    ("style-absolute", "decision_date: 2026-12-10\nstyle: /etc/passwd", "style"),
]


@pytest.mark.parametrize("replace,message", [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_broken_yaml_in_a_report_is_a_located_error(tmp_path: Path, replace: str, message: str | None) -> None:
    text = MINIMAL.replace("decision_date: 2026-12-10", replace)
    if "\nstyle: " in replace:
        text = text.replace("style: herefordshire\n", "")
    folder = report(tmp_path, text)
    start = time.perf_counter()
    result = check(folder)
    assert time.perf_counter() - start < 10  # a bomb is refused, not expanded
    refused(result, folder / "report.yaml", message or "decision_date")
    refused(run("build", str(folder), "--out", str(tmp_path / "out")), folder / "report.yaml", message or "decision_date")
    assert not (tmp_path / "out").exists()  # nothing half written


@pytest.mark.parametrize("style", ["flow", "block"])
@pytest.mark.parametrize("depth", [MAX_YAML_DEPTH + 5, 1200])  # 1200: past libyaml's own 1,000 (PyYAML 6.0.4 on)
def test_too_deep_yaml_names_reportgens_limit_at_the_first_value_past_it(tmp_path: Path, style: str, depth: int) -> None:
    """Whichever limit the installed parser has, the message names reportgen's and points at the same place."""
    line = MINIMAL.count("\n") + 1  # the glossary line; its value is the first level
    if style == "flow":
        nested = "glossary: " + "[" * depth + "]" * depth + "\n"
        line, col = line, len("glossary: ") + MAX_YAML_DEPTH + 1
    else:
        nested = "glossary:\n" + "".join(" " * level + "- \n" for level in range(depth))
        line, col = line + MAX_YAML_DEPTH + 1, MAX_YAML_DEPTH + 1  # level N starts on line N after glossary
    folder = report(tmp_path, MINIMAL + nested)
    done = _reportgen(tmp_path, "check", str(folder), "--today", TODAY)
    output = done.stdout + done.stderr
    assert done.returncode == 2 and "Traceback" not in output, output
    [located] = [text for text in output.splitlines() if text.startswith(f"{folder / 'report.yaml'}:")]
    assert located.startswith(f"{folder / 'report.yaml'}:{line}:{col}: "), output
    assert located.endswith(f": lists and mappings nested more than {MAX_YAML_DEPTH} levels deep"), output


def test_a_raw_nul_byte_gives_one_located_line(tmp_path: Path) -> None:
    folder = report(tmp_path)
    (folder / "report.yaml").write_bytes(MINIMAL.replace("Minimal report", "Minimal\0report").encode())
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    refused(result, folder / "report.yaml", "control character #x0000")
    assert "position" not in result.output and "<unicode string>" not in result.output


def test_invalid_utf8_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    folder = report(tmp_path)
    (folder / "report.yaml").write_bytes(MINIMAL.encode().replace(b"Minimal report", b"Minimal \xff report"))
    result = check(folder)
    refused(result, folder / "report.yaml", "not valid UTF-8")
    assert f"{folder / 'report.yaml'}:2:16:" in result.output  # 'title: Minimal ' is 15 characters


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    folder = report(tmp_path, MINIMAL + "# " + "x" * MAX_FILE_BYTES + "\n")
    refused(check(folder), folder / "report.yaml", "larger than the limit")
    endless = report(tmp_path, name="endless")
    (endless / "report.yaml").unlink()
    (endless / "report.yaml").symlink_to("/dev/zero")  # a shared folder's trap: reading never ends
    refused(check(endless), endless / "report.yaml", "larger than the limit")


@pytest.mark.parametrize("content,message", [
    (alias_bomb(), "YAML alias uses"),
    ("- role: Finance\n  name: A\n  date: 2019-02-30\n  digest: x\n", "impossible date"),
    (b"- role: Fin\xe9ance\n", "not valid UTF-8"),
], ids=["alias-bomb", "impossible-date", "invalid-utf8"])
def test_a_broken_signoff_file_is_located(tmp_path: Path, content: str | bytes, message: str) -> None:
    folder = report(tmp_path)
    path = folder / "signoff.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    refused(check(folder), path, message)


def test_sign_refuses_an_empty_role_or_name(tmp_path: Path) -> None:
    folder = report(tmp_path)
    for role, name, message in (("", "A. Person", "--role: '' is not a reviewer role"),
                                ("Finance", "  ", "--name: the reviewer's name is empty"),
                                ("Finance", "A.\x00Person", "--name: the reviewer's name must be a line of text")):
        result = run("sign", str(folder), "--role", role, "--name", name)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert message in result.output
    assert not (folder / "signoff.yaml").exists()


# --- house styles: profile and template ----------------------------------------------------------------

def house(tmp_path: Path, profile_edit: tuple[str, str] | None = None, append: str = "") -> Path:
    """A copy of the herefordshire style as styles/house, its profile edited."""
    styles = tmp_path / "styles"
    shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / "house")
    path = styles / "house" / "profile.yaml"
    text = path.read_text(encoding="utf-8")
    if profile_edit:
        assert profile_edit[0] in text
        text = text.replace(profile_edit[0], profile_edit[1], 1)
    path.write_text(text + append, encoding="utf-8")
    return styles


def styled(tmp_path: Path) -> Path:
    return report(tmp_path, MINIMAL.replace("style: herefordshire", "style: house"))


def zip_bomb(path: Path, size: int = 300 * 1024 * 1024) -> None:
    """A .docx that expands to `size` bytes of zeros (a few hundred kilobytes on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)


@pytest.mark.parametrize("edit,message", [
    (("template: template.docx", "template: ../../../../etc/passwd"), "leaves the folder"),
    (("template: template.docx", "template: /etc/passwd"), "is an absolute path"),
    (("template: template.docx", "template: profile.yaml"), "not a Word (.docx) file"),
    (("paragraph: \"{n}.\"", "paragraph: \"{x}.\""), "unknown field {x}"),
    (('appendix: "{id}. {title}"', 'appendix: "{id}. {titel}"'),
     "text.appendix: unknown field {titel} (this text takes {id}, {title})"),
    (("known_acronyms:", "agenda: {pack_title: \"Pack {x}\"}\nknown_acronyms:"),
     "agenda.pack_title: unknown field {x} (this text takes {committee}, {date})"),
], ids=["template-traversal", "template-absolute", "template-not-a-zip", "numbering-unknown-field",
        "text-unknown-field", "agenda-unknown-field"])
def test_a_broken_profile_is_a_located_style_error(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    profile = (TEMPLATES_DIR / "herefordshire" / "profile.yaml").read_text(encoding="utf-8")
    if edit[0] not in profile:  # the pattern the bundled style writes
        edit = ("numbering:\n", "numbering:\n  paragraph: \"{x}.\"\n") if "{x}" in edit[1] else edit
    styles = house(tmp_path, edit)
    folder = styled(tmp_path)
    refused(run("build", str(folder), "--styles", str(styles), "--out", str(tmp_path / "out")),
            styles / "house" / "profile.yaml", message)


def test_a_profile_alias_bomb_and_impossible_date_are_located(tmp_path: Path) -> None:
    styles = house(tmp_path, append="x_bomb:\n" + "".join("  " + line + "\n" for line in alias_bomb().splitlines()))
    folder = styled(tmp_path)
    refused(check(folder, "--styles", str(styles)), (styles / "house" / "profile.yaml").resolve(), "alias")
    styles2 = house(tmp_path / "2", ("name:", "x_date: 2019-02-30\nname:"))
    refused(check(folder, "--styles", str(styles2)), (styles2 / "house" / "profile.yaml").resolve(),
            "impossible date")


def test_a_zip_bomb_template_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    styles = house(tmp_path)
    zip_bomb(styles / "house" / "template.docx")
    folder = styled(tmp_path)
    start = time.perf_counter()
    refused(run("build", str(folder), "--styles", str(styles), "--out", str(tmp_path / "out")),
            styles / "house" / "profile.yaml", "zip bomb")
    assert time.perf_counter() - start < 10


def test_a_template_symlinked_outside_its_style_folder_is_refused(tmp_path: Path) -> None:
    styles = house(tmp_path)
    outside = tmp_path / "elsewhere.docx"
    shutil.copyfile(styles / "house" / "template.docx", outside)
    (styles / "house" / "template.docx").unlink()
    (styles / "house" / "template.docx").symlink_to(outside)
    refused(run("build", str(styled(tmp_path)), "--styles", str(styles), "--out", str(tmp_path / "out")),
            styles / "house" / "profile.yaml", "resolves outside the folder")


def _template_with(tmp_path: Path, tag: str) -> Path:
    """styles/house whose template.docx carries `tag` in its body text."""
    styles = house(tmp_path)
    path = styles / "house" / "template.docx"
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ title }}", tag.encode() + b"{{ title }}", 1)
                assert tag.encode() in data
            out.writestr(info, data)
    return styles


@pytest.mark.parametrize("tag,message", [
    ("{{ cycler.__init__.__globals__.os.system('touch PWNED') }}", "template refused"),
    ("{% include '/etc/passwd' %}", "may not include or import"),
    ("{% import 'x.html' as x %}", "may not include or import"),
], ids=["dunder-escape", "include", "import"])
def test_an_untrusted_template_runs_in_the_sandbox(tmp_path: Path, tag: str, message: str) -> None:
    styles = _template_with(tmp_path, tag)
    folder = styled(tmp_path)
    os.chdir(tmp_path)
    result = run("build", str(folder), "--styles", str(styles), "--out", str(tmp_path / "out"))
    refused(result, (styles / "house" / "template.docx").resolve(), message)
    assert not (tmp_path / "PWNED").exists()


def test_jinja_delimiters_escaped_the_docxtpl_way_stay_as_typed_in_content_and_print_from_a_template(
        tmp_path: Path) -> None:
    """docxtpl's escapes ({_{ }_} {_% %_}) print Jinja's delimiters from a template's text; typed in a report,
    they are the report's text and print as typed (docxtpl rewrote them in the whole output, so a report's
    "{_{" printed "{{"). Built as users build, in a fresh process."""
    styles = _template_with(tmp_path, "{_{ kept }_} ")
    typed = "Typed {_{ a }_} and {_% b %_} here"
    folder = report(tmp_path, MINIMAL.replace("style: herefordshire", "style: house")
                    .replace("title: Minimal report", f"title: '{typed}'")
                    .replace("purpose: To test reportgen.", f"purpose: 'Body {typed}.'"))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", "from reportgen.cli import run; run()", "build", str(folder),
                           "--styles", str(styles), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    text = "\n".join(p.text for p in read(next(out.rglob("*.docx")))[0])
    assert f"{{{{ kept }}}} {typed}" in text  # the template's escape printed; the title after it as typed
    assert f"Body {typed}." in text
    assert "{{ a }}" not in text and "{% b %}" not in text


@pytest.mark.parametrize("old,new,message", [
    ("date: 2026-12-10", "date: 2026-02-30", "impossible date or time '2026-02-30'"),
    ("date: 2026-12-10", "date: 2026-12-10\n" + alias_bomb(), "YAML alias uses"),
    ("style: herefordshire", "style: nowhere", "unknown house style 'nowhere'"),
], ids=["impossible-date", "alias-bomb", "unknown-style"])
def test_a_broken_meeting_file_is_located(tmp_path: Path, old: str, new: str, message: str) -> None:
    meeting = tmp_path / "m.yaml"
    text = ("committee: Cabinet\nstyle: herefordshire\ndate: 2026-12-10\ntime: '10:00'\nvenue: Hall\n"
            "publication_date: 2026-12-01\nitems:\n  - standard: apologies\n")
    meeting.write_text(text.replace(old, new, 1), encoding="utf-8")
    refused(run("publish", str(meeting), "--out", str(tmp_path / "pub"), "--today", TODAY), meeting, message)


def test_an_unknown_or_traversing_style_in_a_meeting_is_located(tmp_path: Path) -> None:
    meeting = tmp_path / "m.yaml"
    meeting.write_text("committee: Cabinet\nstyle: ../../etc\ndate: 2026-12-10\ntime: '10:00'\nvenue: Hall\n"
                       "publication_date: 2026-12-01\nitems:\n  - standard: apologies\n", encoding="utf-8")
    refused(run("publish", str(meeting), "--out", str(tmp_path / "pub"), "--today", TODAY), meeting, "style")


# --- paths: local file disclosure -------------------------------------------------------------------

def with_appendix(tmp_path: Path, name: str) -> Path:
    text = MINIMAL + f"appendices:\n  - id: 1\n    title: Annex\n    file: '{name}'\n"
    return report(tmp_path, text)


@pytest.mark.parametrize("name,message", [
    ("../../../etc/passwd", "leaves the folder"),
    ("/etc/passwd", "is an absolute path"),
    ("/proc/self/mem", "is an absolute path"),
    ("passwd.docx", "resolves outside the folder"),  # a symlink to /etc/passwd
    ("mem.pdf", "resolves outside the folder"),  # a symlink to /proc/self/mem
    ("sub", "is a folder"),
], ids=["traversal", "absolute", "proc", "symlink-out", "symlink-proc", "directory"])
def test_an_appendix_outside_the_report_folder_is_refused(tmp_path: Path, name: str, message: str) -> None:
    folder = with_appendix(tmp_path, name)
    (folder / "passwd.docx").symlink_to("/etc/passwd")
    (folder / "mem.pdf").symlink_to("/proc/self/mem")
    (folder / "sub").mkdir()
    refused(check(folder), folder / "report.yaml", message)
    refused(run("build", str(folder), "--out", str(tmp_path / "out")), folder / "report.yaml", message)


def test_an_upper_case_appendix_name_is_accepted(tmp_path: Path) -> None:
    folder = with_appendix(tmp_path, "APPENDIX-A.DOCX")
    shutil.copyfile(TEMPLATES_DIR / "herefordshire" / "template.docx", folder / "APPENDIX-A.DOCX")
    result = check(folder, "--format", "json")
    assert result.exit_code in (0, 1) and "INPUT" not in result.output and "RG114" not in result.output


@pytest.mark.parametrize("name,message", [
    ("../../etc/passwd", "leaves the folder"),
    ("/etc/passwd", "is an absolute path"),
    ("link.pdf", "resolves outside the folder"),
], ids=["traversal", "absolute", "symlink-out"])
def test_a_supporting_paper_outside_the_meeting_folder_is_refused(tmp_path: Path, name: str, message: str) -> None:
    meeting = tmp_path / "m.yaml"
    (tmp_path / "link.pdf").symlink_to("/etc/passwd")
    meeting.write_text("committee: Cabinet\nstyle: herefordshire\ndate: 2026-12-10\ntime: '10:00'\nvenue: Hall\n"
                       f"publication_date: 2026-12-01\nitems:\n  - standard: minutes\n    file: '{name}'\n",
                       encoding="utf-8")
    refused(run("publish", str(meeting), "--out", str(tmp_path / "pub"), "--today", TODAY), meeting, message)
    assert not (tmp_path / "pub").exists()


# --- content printed as something else --------------------------------------------------------------

AS_TYPED = [
    "Call self.__init__ and my__file__name and __x__ here.",
    "The share \\\\server\\share costs \\$5 and \\*not\\* more.",
    "{.note}",
    "{#id}",
    "{start=abc}",
    "{start=99999999999999999999}",
    "1000000000. is not a list item",
    "# Not a heading",
    "See ![x](https://example.org/x.png) here.",
    "Struck ~~out~~ text.",
    "Open [files](search-ms:query=x) or [this](javascript:alert(1)) or [that](file:///etc/passwd).",
]


def test_text_outside_the_markdown_subset_prints_as_typed(tmp_path: Path) -> None:
    body = "".join(f"  - |-\n    {line}\n" for line in AS_TYPED)
    folder = report(tmp_path, MINIMAL + "legal:\n" + body)
    result = build([folder], tmp_path / "out")
    assert result.ok, result.failures
    text = flat_text(result.built[0].target)
    for line in AS_TYPED:
        assert line in text, line
    with zipfile.ZipFile(result.built[0].target) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    for scheme in ("search-ms:", "javascript:", "file:"):
        assert scheme not in rels  # no live hyperlink to a dangerous scheme


def test_only_web_mail_and_phone_links_are_live(tmp_path: Path) -> None:
    folder = report(tmp_path, MINIMAL + "legal: See [a](https://x.org/a), [b](mailto:c@x.org), [c](tel:+44123), "
                    "[d](data:text/html,x).\n")
    result = build([folder], tmp_path / "out")
    with zipfile.ZipFile(result.built[0].target) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert all(t in rels for t in ("https://x.org/a", "mailto:c@x.org", "tel:+44123")) and "data:" not in rels
    assert "[d](data:text/html,x)" in flat_text(result.built[0].target)
    assert "RG119" in check(folder).output


def test_lists_deeper_than_word_keeps_every_item(tmp_path: Path) -> None:
    for depth in (12, 80):  # beyond Word's nine levels; beyond the parser's nesting limit
        items = "".join("  " * i + f"- item{i} of {depth}\n" for i in range(depth))
        folder = report(tmp_path, MINIMAL + "legal:\n  - |-\n" + "".join("    " + line + "\n" for line in items.splitlines()),
                        name=f"deep{depth}")
        result = build([folder], tmp_path / "out")
        assert result.ok, result.failures
        paras, _ = read(result.built[0].target)
        text = "\n".join(p.text for p in paras)
        assert all(f"item{i} of {depth}" in text for i in range(depth))
        assert all(p.level is None or p.level <= 8 for p in paras)


def test_a_300_character_title_builds_with_a_shortened_core_property(tmp_path: Path) -> None:
    title = "Opening hours & staffing at Hereford Library " * 7
    folder = report(tmp_path, MINIMAL.replace("title: Minimal report", f"title: '{title.strip()}'"))
    result = build([folder], tmp_path / "out")
    assert result.ok, result.failures
    with zipfile.ZipFile(result.built[0].target) as z:
        core = z.read("docProps/core.xml").decode()
    shown = re.search(r"<dc:title>(.*)</dc:title>", core)
    assert shown and len(shown.group(1).replace("&amp;", "&")) == 255 and shown.group(1).endswith("…")
    assert title.strip().replace("  ", " ") in flat_text(result.built[0].target).replace("  ", " ")


# --- collisions and limits -----------------------------------------------------------------------------

def test_two_report_folders_with_one_name_never_overwrite_each_other(tmp_path: Path) -> None:
    a = report(tmp_path / "a", name="r")
    b = report(tmp_path / "b", MINIMAL.replace("Minimal report", "Other report"), name="r")
    result = run("build", str(a), str(b), "--out", str(tmp_path / "out"))
    assert "Traceback" not in result.output
    docs = sorted((tmp_path / "out").rglob("*.docx"))
    texts = {flat_text(d).count("Other report") for d in docs}
    if result.exit_code == 0:
        assert len(docs) == 2 and texts == {0, 1}  # distinct output paths
    else:
        assert result.exit_code == 2 and "same output" in result.output


def test_a_250_character_folder_name_builds(tmp_path: Path) -> None:
    folder = report(tmp_path, name="r" * 250)
    result = run("build", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / ("r" * 250 + ".docx")).is_file()


# --- kill -9 ------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "content" / "examples"


def _strays(marker: str) -> list[int]:
    """PIDs of processes whose command line names `marker` (the test's own TMPDIR)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def _no_strays(marker: str, within: float = 10.0) -> None:
    first = _strays(marker)
    deadline = time.monotonic() + within
    while _strays(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _strays(marker)
    assert not left, f"LibreOffice outlived the killed run: {left} (first seen {first})"


def _reportgen(tmp: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    env.pop("REPORTGEN_FAULT", None)
    if fault:
        env["REPORTGEN_FAULT"] = fault
    return subprocess.run([sys.executable, "-c", "from reportgen.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=180)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _leftovers(*folders: Path) -> list[str]:
    return sorted(str(p) for folder in folders for p in folder.iterdir()
                  if p.name.startswith(("reportgen-", ".")) and p.name != ".cache")


def test_build_pdf_killed_mid_conversion_leaves_the_old_output_and_no_libreoffice(tmp_path: Path) -> None:
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    folder = report(tmp_path)
    assert _reportgen(tmp, "build", str(folder), "--pdf", "--out", str(out)).returncode == 0
    before = _tree(out)
    write_report(folder, MINIMAL.replace("Minimal report", "Changed report"))
    for stage in ("pdf-start", "pdf-convert"):  # while LibreOffice starts, and while it converts
        killed = _reportgen(tmp, "build", str(folder), "--pdf", "--out", str(out), fault=stage)
        assert killed.returncode == -9, killed.stderr
        _no_strays(str(tmp))
        assert {k: v for k, v in _tree(out).items() if k.endswith(".pdf")} == \
            {k: v for k, v in before.items() if k.endswith(".pdf")}  # the old PDF, whole
    profiles = [p.name for p in tmp.iterdir() if p.name.startswith("reportgen-lo-")]
    assert profiles  # the killed runs' LibreOffice profiles, and below the pipe sockets they leave
    pids = {name.split("-")[2] for name in profiles}
    dead = 999_999
    (out / f".r.docx.{dead}.abc123.tmp").write_bytes(b"half")  # as a kill mid-write leaves it
    write_report(folder, MINIMAL)  # the next run's output is identical to what is there: nothing rewritten
    assert _reportgen(tmp, "build", str(folder), "--pdf", "--out", str(out)).returncode == 0
    assert _tree(out) == before
    sockets = [p for folder in (tmp, Path("/tmp")) for p in folder.glob("OSL_PIPE_*_reportgen-*")
               if p.name.split("reportgen-")[1].split("-")[0] in pids]
    assert sockets == []
    assert _leftovers(tmp, out) == []


def test_publish_killed_at_each_stage_keeps_the_published_folder(tmp_path: Path) -> None:
    tmp, out = tmp_path / "tmp", tmp_path / "pub"
    tmp.mkdir()
    content = tmp_path / "examples"
    shutil.copytree(EXAMPLES / "meetings", content / "meetings")
    shutil.copytree(EXAMPLES / "models", content / "models")
    meeting = content / "meetings" / "2026-12-15-cabinet.yaml"
    args = ("publish", str(meeting), "--out", str(out), "--today", TODAY, "--accept-inaccessible", "supplied minutes")
    assert _reportgen(tmp, *args).returncode == 0
    published = out / meeting.stem
    before = _tree(published)
    assert (out / ".cache").stat().st_mode & 0o077 == 0  # cached exempt PDFs: not for the web server
    model = content / "models" / "oxfordshire-2026-12-highways-maintenance-contract" / "report.yaml"
    for n, stage in enumerate(("pdf-start", "pdf-convert", "publish-staged", "swap")):
        model.write_text(model.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: Kill {n} ", 1),
                         encoding="utf-8")
        for role, name in (("Finance", "Andrew Whitlock"), ("Legal", "Folasade Adeyemi")):  # cleared again
            assert _reportgen(tmp, "sign", str(model.parent), "--role", role, "--name", name,
                              "--date", TODAY, "--today", TODAY).returncode == 0
        killed = _reportgen(tmp, *args, fault=stage)
        assert killed.returncode == -9, (stage, killed.stderr)
        _no_strays(str(tmp))
        assert _tree(published) == before, stage  # a reader still sees the complete previous folder
        # Even half-published, no report source (exempt ones included) sits in the public tree.
        assert not list(out.rglob("*.docx")), stage
    assert _leftovers(tmp, out)  # the killed runs' staging and sources, until the next run
    assert _reportgen(tmp, *args).returncode == 0
    assert _leftovers(tmp, out) == []
    assert "Kill 3" in (published / "public" / "manifest.json").read_text(encoding="utf-8")


def test_swap_folder_is_one_exchange_and_has_a_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen import fs

    final, staging = tmp_path / "m", tmp_path / ".m.new"
    for folder, text in ((final, "old"), (staging, "new")):
        folder.mkdir()
        (folder / "f").write_text(text)
    new_inode = staging.stat().st_ino
    assert fs.swap_folder(staging, final)
    assert final.stat().st_ino == new_inode and (final / "f").read_text() == "new" and not staging.exists()
    monkeypatch.setattr(fs, "exchange", lambda a, b: False)  # a kernel or filesystem without renameat2
    staging.mkdir()
    (staging / "f").write_text("newer")
    assert fs.swap_folder(staging, final)
    assert (final / "f").read_text() == "newer" and sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_stale_temp_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    from reportgen.fs import write_atomic

    dead = subprocess.run(["true"]).returncode or 999_999  # a pid no process has
    stale = tmp_path / f".r.docx.{dead}.abc123.tmp"
    live = tmp_path / f".r.docx.{os.getpid()}.def456.tmp"
    stale.write_bytes(b"half")
    live.write_bytes(b"busy")
    write_atomic(tmp_path / "r.docx", b"whole")
    assert not stale.exists() and live.exists()


# --- attachments: broken files, exempt by another route -----------------------------------------------

def pdf_file(path: Path, encrypt: bool = False, pages: int = 1) -> Path:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    if encrypt:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="secret"))
    else:
        pdf.save(path)
    return path


def tracked_docx(path: Path) -> Path:
    src = zipfile.ZipFile(TEMPLATES_DIR / "herefordshire" / "template.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b'<w:p><w:ins w:id="9" w:author="A"><w:r><w:t>added</w:t>'
                                                  b"</w:r></w:ins></w:p></w:body>", 1)
            out.writestr(info, data)
    return path


def meeting_of(tmp_path: Path, report_text: str | None = None, minutes: str | None = None) -> Path:
    """m.yaml in tmp_path: report folder r (when given) and a minutes item with `minutes` as its file."""
    items = ""
    if minutes:
        items += f"  - standard: minutes\n    file: {minutes}\n"
    if report_text:
        write_report(tmp_path / "r", report_text)
        items += "  - report: r\n"
    path = tmp_path / "m.yaml"
    path.write_text("committee: Cabinet\nstyle: herefordshire\ndate: 2026-12-10\ntime: '10:00'\nvenue: Hall\n"
                    f"publication_date: 2026-12-01\nitems:\n{items}", encoding="utf-8")
    return path


def publish_args(meeting: Path, *more: str) -> list[str]:
    return ["publish", str(meeting), "--out", str(meeting.parent / "pub"), "--today", TODAY, *more]


BROKEN_FILES = [
    ("random-bytes.docx", lambda p: p.write_bytes(os.urandom(4096)), "not a Word (.docx) file"),
    ("empty.docx", lambda p: p.write_bytes(b""), "the file is empty"),
    ("text.docx", lambda p: p.write_text("just text"), "not a Word (.docx) file"),
    ("bomb.docx", zip_bomb, "zip bomb"),
    ("tracked.docx", tracked_docx, "tracked changes"),
    ("locked.pdf", lambda p: pdf_file(p, encrypt=True), "password protected"),
    ("corrupt.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n garbage"), "not a readable PDF"),
]


@pytest.mark.parametrize("name,make,message", BROKEN_FILES, ids=[b[0] for b in BROKEN_FILES])
@pytest.mark.parametrize("route", ["appendix", "supporting-paper"])
def test_a_broken_attachment_is_refused_before_publishing(tmp_path: Path, name: str, make, message: str,
                                                          route: str) -> None:
    if route == "appendix":
        meeting = meeting_of(tmp_path, MINIMAL + f"appendices:\n  - id: 1\n    title: Annex\n    file: {name}\n")
        make(tmp_path / "r" / name)
        where = tmp_path / "r" / "report.yaml"
    else:
        meeting = meeting_of(tmp_path, minutes=name)
        make(tmp_path / name)
        where = meeting
    start = time.perf_counter()
    for draft in ((), ("--draft",)):
        result = run(*publish_args(meeting, *draft))
        refused(result, where, message)
        assert str(tmp_path / "pub") not in result.output.replace(str(where), "")  # names the author's file
    assert time.perf_counter() - start < 20
    assert not (tmp_path / "pub").exists()


@pytest.mark.parametrize("name,make,message", BROKEN_FILES, ids=[b[0] for b in BROKEN_FILES])
def test_check_reports_a_broken_appendix_file_at_its_key(tmp_path: Path, name: str, make, message: str) -> None:
    """The governance officer hears of an unusable appendix from check, before publish refuses it."""
    folder = report(tmp_path, MINIMAL + f"appendices:\n  - id: 1\n    title: Annex\n    file: {name}\n")
    make(folder / name)
    result = check(folder)
    refused(result, folder / "report.yaml", f"error RG114: appendix {name}: ", code=1)
    [line] = [line for line in result.output.splitlines() if "RG114" in line]
    assert message in line


@pytest.mark.parametrize("problem", ["missing", "directory"])
def test_a_missing_or_directory_appendix_is_located_under_draft(tmp_path: Path, problem: str) -> None:
    meeting = meeting_of(tmp_path, MINIMAL + "appendices:\n  - id: 1\n    title: Annex\n    file: annex.pdf\n")
    if problem == "directory":
        (tmp_path / "r" / "annex.pdf").mkdir()
    refused(run(*publish_args(meeting, "--draft")), tmp_path / "r" / "report.yaml",
            "file not found" if problem == "missing" else "is a folder")


EXEMPT = MINIMAL + """\
classification:
  status: exempt
  paragraphs: [3]
  public_interest: Commercial terms would be disclosed.
appendices:
  - id: A
    title: Tender prices
    file: prices.pdf
"""


def test_an_exempt_annex_attached_again_as_a_supporting_paper_is_never_published(tmp_path: Path) -> None:
    meeting = meeting_of(tmp_path, EXEMPT, minutes="copy-of-prices.pdf")
    pdf_file(tmp_path / "r" / "prices.pdf", pages=3)
    shutil.copyfile(tmp_path / "r" / "prices.pdf", tmp_path / "copy-of-prices.pdf")
    for draft in ((), ("--draft",)):
        refused(run(*publish_args(meeting, *draft)), meeting, "is appendix A of item 2, which is exempt")
    assert not (tmp_path / "pub").exists()


def test_an_exempt_appendix_repeated_as_an_open_one_is_never_published(tmp_path: Path) -> None:
    text = MINIMAL + ("appendices:\n"
                      "  - {id: A, title: Prices, file: prices.pdf, exempt: {paragraphs: [3], public_interest: X.}}\n"
                      "  - {id: B, title: Summary, file: summary.pdf}\n")
    meeting = meeting_of(tmp_path, text)
    pdf_file(tmp_path / "r" / "prices.pdf", pages=2)
    shutil.copyfile(tmp_path / "r" / "prices.pdf", tmp_path / "r" / "summary.pdf")
    refused(run(*publish_args(meeting, "--draft")), tmp_path / "r" / "report.yaml",
            "is appendix A of item 1, which is exempt")


def test_publish_draft_with_an_unlayoutable_report_is_refused_and_located(tmp_path: Path) -> None:
    # An unknown [[label]] is a check finding now (a draft prints it as typed); labels on paragraphs
    # the style does not number (its purpose) still leave the report without a layout.
    twice = "purpose:\n  - label: x\n    text: One.\n  - label: x\n    text: Two.\n"
    meeting = meeting_of(tmp_path, MINIMAL.replace("purpose: To test reportgen.\n", twice))
    result = run(*publish_args(meeting, "--draft"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"report\.yaml:\d+:\d+: purpose\[0\]\.text\.label: an unnumbered paragraph cannot carry a label",
                     result.output), result.output
    assert not (tmp_path / "pub" / "m").exists()


def test_docs_state_every_limit_with_its_value() -> None:
    from reportgen.content import limits
    from reportgen.layout.markdown import MAX_NESTING

    doc = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text(encoding="utf-8")
    documented = {m.group(1): int(m.group(2).replace(",", ""))
                  for m in re.finditer(r"^\| `(?:layout\.markdown\.)?(\w+)` \| ([\d,]+) \|", doc, re.M)}
    actual = {name: getattr(limits, name) for name in dir(limits) if name.startswith("MAX_")}
    assert documented == {**actual, "MAX_NESTING": MAX_NESTING}


# --- round three (issue 25): what reaches the terminal, the spreadsheet and the style checker ----------

REPORTGEN = Path(sys.executable).with_name("reportgen")  # the installed command, as a user runs it


def _cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(REPORTGEN), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


#: ESC[2J (clear the screen), BEL, DEL, CSI (U+009B), the line separator U+2028 and a bare CR, as YAML escapes.
HOSTILE = "X\\e[2J\\a\\x7f\\u009b\\u2028\\rY"
SHOWN = "X\\x1b[2J\\x07\\x7fU+009BU+2028\\x0dY"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def test_control_characters_reach_the_terminal_escaped(tmp_path: Path) -> None:
    write_report(tmp_path / "content" / "r\x1b£", MINIMAL + f'"key{HOSTILE}": 1\n')
    write_report(tmp_path / "content" / "v", MINIMAL.replace("style: herefordshire", 'style: "£–😀\\u009b\\u2028\\rY"'))
    yaml_path = f"{tmp_path}/content/r\\x1b£/report.yaml"  # the folder's ESC is shown escaped too
    for args in (("check", "--today", TODAY), ("build", "--out", str(tmp_path / "out"))):
        result = _cli(*args[:1], str(tmp_path / "content"), *args[1:])
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        for stream in (result.stdout, result.stderr):
            assert not RAW.search(stream), repr(stream)
        lines = (result.stdout + result.stderr).splitlines()
        assert any(line.startswith(f"{yaml_path}:10:1: ") and f"key{SHOWN}: " in line for line in lines), lines
        assert any(line.startswith(f"{tmp_path}/content/v/report.yaml:1:1: ") and "'£–😀U+009BU+2028\\x0dY'" in line
                   for line in lines), lines


def test_every_line_a_command_prints_is_escaped(tmp_path: Path) -> None:
    """Not only messages: the lines naming what was built, written or found (`built …`, `wrote …`, status rows)
    quote folder names, which may hold an ESC too. The CLI prints every line through one escaping echo."""
    folder = write_report(tmp_path / "content" / "r\x1b[2J\x07", MINIMAL)
    runs = [("build", str(folder), "--out", str(tmp_path / "out\x1b")), ("status", str(folder), "--today", TODAY),
            ("forward-plan", str(tmp_path / "content"), "--out", str(tmp_path / "records\x1b]0;x\x07")),
            ("new", str(tmp_path / "new\x1b[31m"), "--style", "herefordshire")]
    for args in runs:
        result = _cli(*args)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stdout.strip(), (args, result.stderr)
        for stream in (result.stdout, result.stderr):
            assert not RAW.search(stream), (args, repr(stream))
        assert "\\x1b" in result.stdout + result.stderr, (args, result.stdout)


@pytest.mark.parametrize("tag,message", [
    ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' is unsafe"),
    ("{{ report.__init__ }}", "access to attribute '__init__' is unsafe"),
    ("{% if false %}{{ cycler.__init__.__globals__ }}{% endif %}", "access to attribute '__init__' is unsafe"),
    ("{% include 'x' %}", "may not include or import other templates ('x')"),
    ("{% import 'macros.html' as m %}", "may not include or import other templates ('macros.html')"),
    ("{% extends 'base.docx' %}", "may not include or import other templates ('base.docx')"),
], ids=["mro", "dunder-init", "globals-in-untaken-branch", "include", "import", "extends"])
def test_style_check_refuses_what_the_build_sandbox_refuses(tmp_path: Path, tag: str, message: str) -> None:
    import docx

    assert _cli("init", str(tmp_path / "council")).returncode == 0
    project = tmp_path / "council"
    made = _cli("style", "new", "evil", "--from", "oxfordshire", cwd=project)
    assert made.returncode == 0, made.stderr
    assert _cli("style", "check", "evil", cwd=project).returncode == 0  # untouched, the copy is ok
    template = next(project.rglob("evil/template.docx"))
    document = docx.Document(str(template))
    paragraphs = [p for p in document.paragraphs if p.runs]
    target = paragraphs[2]
    number = 1 + list(document.element.body.iter(docx.oxml.ns.qn("w:p"))).index(target._p)
    target.runs[0].text = tag + target.runs[0].text
    document.save(str(template))
    result = _cli("style", "check", "evil", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    located = f"{template}:1:1: word/document.xml paragraph {number}: template refused: "
    assert any(line.startswith(located) and message in line for line in result.stderr.splitlines()), result.stderr


def test_forward_plan_csv_cells_never_run_as_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    from reportgen.records.run import plan_records

    folder = tmp_path / "highways"
    shutil.copytree(EXAMPLES / "models" / "oxfordshire-2026-12-highways-maintenance-contract", folder)
    text = (folder / "report.yaml").read_text(encoding="utf-8")
    text = text.replace('forward_plan_ref: "2026/123"', 'forward_plan_ref: "+2026/123"')
    text = text.replace("\ntitle: Award of the highways drainage maintenance contract 2027 to 2031\n",
                        "\ntitle: '=HYPERLINK(\"http://x\",\"y\") Award of the highways drainage maintenance contract'\n")
    (folder / "report.yaml").write_text(text, encoding="utf-8")

    def plan(day: str) -> bytes:
        """The plan made on `day`, its publication recorded in the history as `forward-plan` records it."""
        monkeypatch.setenv("REPORTGEN_TODAY", day)
        made = plan_records([folder], None, None)
        for publication, _ in made.publications:
            made.history.record(publication.model_copy(update={"sha256": "0" * 64}))
        [data] = [r.data for r in made.records if r.data]
        return data

    first = plan("2026-10-23")
    assert b'"\'=HYPERLINK(""http://x"",""y"") Award' in first and b'"\'+2026/123"' in first
    rows = list(csv.reader(io.StringIO(first.decode())))
    assert rows[1][0] == "'+2026/123" and rows[1][1].startswith("'=HYPERLINK(\"http://x\",\"y\") Award of the")
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[1][4])  # other cells read as before
    # A week later the entry is recognised in the history by its reference as written (else RG407 refuses:
    # "missing from the plan"), whatever the CSV made of it.
    later = list(csv.reader(io.StringIO(plan("2026-10-30").decode())))
    assert later[1][0] == "'+2026/123" and later[1][-2] == "2026-10-23"


def test_report_folders_with_one_name_mirror_the_tree(tmp_path: Path) -> None:
    write_report(tmp_path / "content" / "a" / "r", MINIMAL)
    write_report(tmp_path / "content" / "b" / "r", MINIMAL.replace("Minimal report", "Other report"))
    write_report(tmp_path / "content" / "c" / "solo", MINIMAL)
    # From the project, `build content` mirrors from content/; from inside it, each folder given is
    # mirrored from its parent, so a/r and b/r would both be r.docx: those two mirror from content/ too.
    for cwd, args, out, expected in ((tmp_path, ("content",), "build", ["a/r.docx", "b/r.docx", "c/solo.docx"]),
                                     (tmp_path / "content", ("a/r", "b/r", "c/solo"), "../out",
                                      ["a/r.docx", "b/r.docx", "solo.docx"])):  # no twin: today's name
        result = _cli("build", *args, *(("--out", out) if out != "build" else ()), cwd=cwd)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        root = (cwd / out).resolve()
        assert sorted(str(p.relative_to(root)) for p in root.rglob("*.docx")) == expected
        assert "Other report" not in flat_text(root / "a" / "r.docx") and "Other report" in flat_text(root / "b" / "r.docx")


def test_a_draft_missing_a_report_says_so_in_its_exit_code(tmp_path: Path) -> None:
    twice = "purpose:\n  - label: x\n    text: One.\n  - label: x\n    text: Two.\n"
    meeting = meeting_of(tmp_path, MINIMAL.replace("purpose: To test reportgen.\n", twice))
    write_report(tmp_path / "good", MINIMAL.replace("Minimal report", "Good report"))
    meeting.write_text(meeting.read_text(encoding="utf-8") + "  - report: good\n", encoding="utf-8")
    result = _cli(*publish_args(meeting, "--draft"), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if "unusable" in line]
    assert len(lines) == 2 and all(line.startswith("  item 1 (Minimal report): unusable: ") for line in lines)
    assert all(re.search(r"r/report\.yaml:\d+:\d+: purpose\[\d\]\.text\.label: an unnumbered paragraph", line)
               for line in lines), lines
    assert not (tmp_path / "pub" / "m").exists()  # the good report is not published as if it were the meeting


def _stopped(tmp: Path, args: list[str], ready, sig: int) -> subprocess.CompletedProcess[str]:
    """Run reportgen with TMPDIR=tmp, send `sig` once `ready()` (polled), and wait for it to end."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([str(REPORTGEN), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, ("finished before it could be stopped", proc.communicate())
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_run_removes_its_temporary_files_and_libreoffice(tmp_path: Path, sig: int, code: int) -> None:
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    folder = report(tmp_path)
    meeting = meeting_of(tmp_path / "m", MINIMAL)
    pub = meeting.parent / "pub"
    runs = [  # stopped while LibreOffice works; and while the publish is staged beside its output
        (["build", str(folder), "--pdf", "--out", str(out)],
         lambda: _strays(str(tmp)) and any(p.name.startswith("reportgen-lo-") for p in tmp.iterdir())),
        ([*publish_args(meeting, "--draft"), "--quiet"],
         lambda: _strays(str(tmp)) and pub.is_dir() and any(p.name.startswith(".m.") for p in pub.iterdir())),
    ]
    for args, ready in runs:
        result = _stopped(tmp, args, ready, sig)
        assert result.returncode == code, result.stderr
        assert "Traceback" not in result.stderr and f"stopped by {signal.Signals(sig).name}" in result.stderr
        assert _strays(str(tmp)) == []  # no LibreOffice of the run (their profiles are under TMPDIR)
        assert list(tmp.iterdir()) == []  # no profile, source copy, LibreOffice temp file or pipe
        assert _leftovers(*(f for f in (out, pub) if f.exists())) == []  # no temp file beside the output


# The `reportgen` command, with the timing that load gave it (1 CI run in 6): a job finds its worker killed by the
# stop and starts it again after the stop's sweep of the temp folder, and the process ends a while after the sweep.
_STOPPED_BEFORE_A_RETRY = """
import os, signal, time
from reportgen import cleanup
from reportgen.pdf import pool
stopped = False
convert, start, sweep = pool._Worker.convert, pool._Worker.start, cleanup.remove_all

def stop_at_the_first_export(self, docx, pdf):
    global stopped
    if not stopped:
        stopped = True
        os.kill(os.getpid(), signal.SIGTERM)  # handled by the main thread, while this one exports
        deadline = time.monotonic() + 30
        while self.proc is not None and time.monotonic() < deadline:
            time.sleep(0.01)  # until the stop has killed this worker's LibreOffice
    convert(self, docx, pdf)  # finds it dead: starts it again

def late_start(self):
    if stopped:
        time.sleep(1.0)  # the job retrying its killed worker comes after the sweep
    start(self)

def slow_exit():
    sweep()
    time.sleep(2.0)  # the process ends a while after the sweep: the job threads run on meanwhile

pool._Worker.convert, pool._Worker.start, cleanup.remove_all = stop_at_the_first_export, late_start, slow_exit
from reportgen.cli import run
run()  # the command's own entry: its signal handlers installed
"""


def test_a_stopped_run_never_restarts_libreoffice_or_retries_a_job(tmp_path: Path) -> None:
    """Once the run is stopping, a job whose LibreOffice the stop killed neither retries it (which made the
    worker's folder again in the swept temp folder, left behind) nor says so: the run prints what any stopped
    run prints and nothing else."""
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    folder = report(tmp_path)
    result = subprocess.run([sys.executable, "-c", _STOPPED_BEFORE_A_RETRY, "build", str(folder), "--pdf",
                             "--out", str(out)], env={**os.environ, "TMPDIR": str(tmp)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 143, result.stderr
    assert result.stderr == "reportgen: stopped by SIGTERM; its temporary files were removed\n"
    assert _strays(str(tmp)) == []
    assert list(tmp.iterdir()) == []  # no worker folder made again after the sweep
    assert not list(out.rglob("*.pdf"))


_FORKED = """
import os, signal, sys, time
from pathlib import Path
from reportgen import cleanup
from reportgen.parallel import fork_map
cleanup.install()
kept = cleanup.track(Path(sys.argv[1]))
kept.write_text("the run's own temporary file")
child = os.fork()
if child == 0:  # as a check worker of the command: forked from it, then told to stop
    time.sleep(30)
    os._exit(0)
time.sleep(0.3)
os.kill(child, signal.SIGTERM)
_, status = os.waitpid(child, 0)
print(os.WIFSIGNALED(status) and os.WTERMSIG(status), kept.exists())
# The command's own pool of check workers ends (its idle workers are sent SIGTERM as it closes).
print(fork_map(pow, [(n, 2) for n in range(8)], workers=2, minimum=1))
"""


def test_a_forked_worker_told_to_stop_leaves_the_run_alone(tmp_path: Path) -> None:
    """A process forked from the command (the gate's check workers) dies of SIGTERM as any process: it
    neither runs the command's clean-up (removing the run's temporary files) nor ignores the signal."""
    kept = tmp_path / "reportgen-kept"
    done = subprocess.run([sys.executable, "-c", _FORKED, str(kept)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{int(signal.SIGTERM)} True", str([n * n for n in range(8)])], done.stderr
    assert "stopped by" not in done.stderr


@pytest.mark.parametrize("signers,allowed", [
    ("judith@council: [not, a, mapping\n", "judith@council ssh-ed25519 AAAA\n"),
    ("judith@council:\n  name: Judith\x1b[2J Okafor\n  roles: [Finance]\n", "judith@council ssh-ed25519 AAAA\n"),
    ("judith@council:\n  name: Judith Okafor\n  roles: Finance\n", "judith@council ssh-ed25519 AAAA\n"),
    ("judith@council:\n  name: Judith Okafor\n  roles: [Finance]\n", "\x00\x1b[2J\xff garbage \x07\n" * 1000),
], ids=["broken-yaml", "control-character", "wrong-type", "garbage-allowed-signers"])
def test_a_hostile_signers_register_or_allowed_signers_file_is_a_clear_error(tmp_path: Path, signers: str,
                                                                             allowed: str) -> None:
    """The project's key files are input like any other: located errors, no traceback, nothing raw on screen."""
    assert _cli("init", str(tmp_path / "council"), "--no-git").returncode == 0
    project = tmp_path / "council"
    config = project / "reportgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "allowed_signers: allowed_signers\nsigners: signers.yaml\n",
                      encoding="utf-8")
    (project / "signers.yaml").write_bytes(signers.encode("utf-8"))
    (project / "allowed_signers").write_bytes(allowed.encode("utf-8", "surrogateescape") if "\xff" not in allowed
                                              else allowed.encode("latin-1"))
    result = _cli("check", cwd=project)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    for stream in (result.stdout, result.stderr):
        assert not RAW.search(stream), repr(stream)
    if "garbage" in allowed:  # read by ssh-keygen only when a record is verified: nothing to verify here
        assert result.returncode == 1 and "no sign-off from" in result.stdout
    else:  # the register is read with the project: a located error of every command
        assert result.returncode == 2 and re.search(r"signers\.yaml:\d+:\d+: ", result.stdout + result.stderr), \
            result.stdout + result.stderr
