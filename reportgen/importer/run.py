"""`reportgen import`: one DOCX (or a folder of them) -> report folders, each with its import report."""
from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from reportgen.content import clock
from reportgen.content.load import load_report
from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.importer.assemble import Imported, assemble, own_styles
from reportgen.importer.docxread import Document, Para, located, read_docx
from reportgen.importer.sections import clean_heading, wordings
from reportgen.style.profile import available_styles, load_profile
from reportgen.style.settings import Settings


@dataclass
class Result:
    source: Path
    folder: Path
    imported: Imported
    evidence: list[str]


def guess_style(doc: Document, settings: Settings, path: Path) -> tuple[str, list[str]]:
    """The house style the document looks most like, by council name, template styles and headings,
    with the evidence for it; ContentError when it looks like none."""
    text = " ".join(p.text for p in doc.items if isinstance(p, Para)).casefold()
    headings = {clean_heading(p.text) for p in doc.items if isinstance(p, Para) and len(p.text) < 120}
    best: tuple[int, str, list[str]] = (0, "", [])
    for name in available_styles(settings):
        try:
            profile = load_profile(name, settings)
        except ReportgenError:
            continue
        evidence, score = [], 0
        if profile.council.casefold() in text:
            score += 5
            evidence.append(f"names the council ({profile.council})")
        elif doc.author.casefold() == profile.council.casefold():
            score += 5
            evidence.append(f"its author is the council ({doc.author})")
        own = [s.heading for s in profile.sections if s.heading and clean_heading(s.heading) in headings]
        if own:
            score += 2 * len(own)
            evidence.append(f"{len(own)} of its section headings ({', '.join(own[:4])}{', ...' if len(own) > 4 else ''})")
        alias = [s.heading for s in profile.sections if s.heading and s.heading not in own
                 and any(w in headings for w in wordings(s))]
        if alias:
            score += len(alias)
            evidence.append(f"{len(alias)} headings in other wordings")
        if own_styles(doc) and score:
            evidence.append("reportgen's named paragraph styles")
        if score > best[0]:
            best = (score, name, evidence)
    if best[0] < 3:
        known = ", ".join(available_styles(settings)) or "none"
        raise located(path, "the document matches no known house style (no council name and too few of any "
                            f"style's headings); give one with --style (known styles: {known})")
    return best[1], best[2]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "report"


def import_file(path: Path, settings: Settings, style: str | None = None, out: Path | None = None) -> Result:
    """Import one DOCX into a new report folder (default: the project's content/reports/<name>)."""
    if path.suffix.lower() != ".docx":
        raise located(path, "not a Word (.docx) file; save it as .docx first (a .doc or .odt is not read)")
    doc = read_docx(path)
    evidence = [f"given with --style {style}"] if style else []
    if style is None:
        style, evidence = guess_style(doc, settings, path)
        evidence = [f"{path}:1:1: {e}" for e in evidence]
    profile = load_profile(style, settings)
    imported = assemble(doc, profile, style)
    folder = out if out is not None else settings.content_dir / "reports" / slug(path.stem)
    if (folder / "report.yaml").exists():
        raise located(folder / "report.yaml", "already exists; import into a new folder (--out)")
    _write(folder, path, imported, evidence)
    return Result(path, folder, imported, evidence)


def _write(folder: Path, source: Path, imported: Imported, evidence: list[str]) -> None:
    """Write into a temporary folder, check the report loads, then move it into place: never half written."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".import-") as tmp:
        work = Path(tmp) / "report"
        work.mkdir()
        (work / "report.yaml").write_text(dump(imported.data), encoding="utf-8")
        for image in imported.images:
            (work / "images").mkdir(exist_ok=True)
            (work / "images" / image.name).write_bytes(image.data)
        (work / "import-report.md").write_text(import_report(source, imported, evidence), encoding="utf-8")
        try:
            load_report(work)
        except ContentError as exc:
            # a defect of the import, not of the document: say so, against the file it would have written
            problems = [dataclasses.replace(p, file=folder / Path(p.file).name,
                                            message=f"the imported content does not load: {p.message}")
                        for p in exc.problems] or [Problem(source, 1, 1, "", f"the imported content does not load: {exc}")]
            raise ContentError(problems=problems) from None
        if folder.exists() and not any(folder.iterdir()):
            folder.rmdir()
        shutil.move(str(work), str(folder))


class _Dumper(yaml.CSafeDumper):
    """libyaml's dumper (a table of thousands of rows is written in a moment), with multi-line text as
    literal blocks and a table row on one line."""


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: Any, value: list[Any]) -> Any:
    flow = bool(value) and all(isinstance(v, (int, float)) or (isinstance(v, str) and "\n" not in v and len(v) < 60)
                               for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def dump(data: dict[str, Any]) -> str:
    head = "# Imported by `reportgen import`; see import-report.md for what could not be placed.\n"
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def import_report(source: Path, imported: Imported, evidence: list[str]) -> str:
    """import-report.md: style and evidence, sections found, then every leftover, warning, comment and image."""
    lines = [f"# Import report: {source.name}", "", f"Imported {clock.today().isoformat()} in the house style "
             f"`{imported.style}`.", ""]
    if evidence:
        lines += ["## Why this style", ""] + [f"- {e}" for e in evidence] + [""]
    lines += ["## Sections found", ""]
    lines += [f"- {f.heading!r} -> `{', '.join(f.spec.keys)}` (by {f.how})" for f in imported.sections] or ["- none"]
    lines += ["", "## Not placed", ""]
    lines += [f"- {item}" for item in imported.leftovers] or ["Everything was placed."]
    lines += ["", "## Warnings", ""]
    lines += [f"- {item}" for item in imported.notes] or ["None."]
    lines += ["", "## Comments (left out of the content)", ""]
    lines += [f"- paragraph {c.number}: \"{c.anchored}\": {c.text}" for c in imported.comments] or ["None."]
    lines += ["", "## Images", ""]
    lines += [f"- images/{i.name} (paragraph {i.number}): alt text \"{i.alt}\"" for i in imported.images] or ["None."]
    return "\n".join(lines) + "\n"


def docx_files(folder: Path) -> list[Path]:
    """The Word files of a folder, in name order (Word's lock files ~$x.docx left out)."""
    return sorted(p for p in folder.glob("*.docx") if not p.name.startswith("~$"))


def import_folder(folder: Path, settings: Settings, style: str | None = None, out: Path | None = None,
                  done: Callable[[Path], None] | None = None) -> list[tuple[Path, Result | ReportgenError]]:
    """Import every DOCX of a folder, each into its own report folder; one failure never stops the rest."""
    results: list[tuple[Path, Result | ReportgenError]] = []
    base = out if out is not None else settings.content_dir / "reports"
    for path in docx_files(folder):
        try:
            results.append((path, import_file(path, settings, style, base / slug(path.stem))))
        except ReportgenError as exc:
            results.append((path, exc))
        if done is not None:
            done(path)
    return results


def terminal_lines(result: Result) -> list[str]:
    """What one import prints: where it went, the style and why, then what was not placed and the warnings."""
    imp = result.imported
    lines = [f"imported {result.source} -> {result.folder} (style {imp.style}, "
             f"{len(imp.sections)} section(s) matched)"]
    lines += [f"  style evidence: {e}" for e in result.evidence]
    lines += [f"{result.source}: not placed: {item}" for item in imp.leftovers]
    lines += [f"{result.source}: warning: {item}" for item in imp.notes]
    if imp.comments:
        lines.append(f"{result.source}: {len(imp.comments)} comment(s) left out, listed in import-report.md")
    lines.append(f"see {result.folder / 'import-report.md'}")
    return lines


def summary_table(results: list[tuple[Path, Result | ReportgenError]]) -> list[str]:
    """The batch summary: file, style, sections matched, what was left over (or why it failed)."""
    rows = [("file", "style", "sections matched", "left over")]
    for path, outcome in results:
        if isinstance(outcome, Result):
            imp = outcome.imported
            left = f"{len(imp.leftovers)} not placed, {len(imp.notes)} warning(s)"
            rows.append((path.name, imp.style, str(len(imp.sections)), left))
        else:
            rows.append((path.name, "-", "-", f"failed: {str(outcome).splitlines()[0]}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return ["  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3] for r in rows]
