"""Command line: a thin click layer over the library API; every command calls one function."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from reportgen.errors import ReportgenError

if TYPE_CHECKING:
    from reportgen.content.project import Project
    from reportgen.style.profile import StylePath

EXIT_INPUT = 2


def styles_option(fn: Any) -> Any:
    """The one house-style search option, on every command that finds a style."""
    return click.option("--styles", "styles", multiple=True, type=click.Path(path_type=Path, file_okay=False),
                        help="A folder of house styles, searched before the project's and the bundled ones "
                             "(repeatable).")(fn)


def project() -> "Project | None":
    """The reportgen.yaml governing the current folder, if any (found upward, as git finds .git)."""
    from reportgen.content.project import find_project, load_project

    found = find_project(Path.cwd())
    return load_project(found) if found else None


def style_path(styles: tuple[Path, ...]) -> "StylePath":
    """--styles folders, then the project's styles folder and rule overrides, then the bundled styles."""
    from reportgen.style.profile import StylePath

    proj = project()
    folders = [*styles, *([proj.styles_dir] if proj else [])]
    return StylePath(tuple(folders), tuple((proj.rules if proj else {}).items()))


def default_paths(paths: tuple[Path, ...]) -> list[Path] | None:
    proj = project()
    return list(paths) or ([proj.content_dir] if proj else None)


def default_out(out: Path | None, sub: str = "") -> Path:
    if out is not None:
        return out
    proj = project()
    base = proj.output_dir if proj else Path("build")
    return base / sub if sub else base


def fail(exc: ReportgenError) -> NoReturn:
    """Print a located message per problem (no traceback) and exit 2."""
    for line in (str(p) for p in exc.problems) if exc.problems else [str(exc)]:
        click.echo(f"error: {line}" if not exc.problems else line, err=True)
    sys.exit(EXIT_INPUT)


class _Group(click.Group):
    """Turns every error reportgen raises on purpose, and environment errors, into clean messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReportgenError as exc:
            fail(exc)
        except OSError as exc:  # permission denied, disk full, ... : the environment, not a bug
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportgen")
@click.option("-v", "--verbose", is_flag=True, help="Log each stage.")
def main(verbose: bool) -> None:
    """Build, check and publish local-government committee papers."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: the project's, else build/); the content tree is mirrored below it.")
@click.option("--pdf", is_flag=True, help="Also write an accessible PDF next to each DOCX (needs LibreOffice).")
@click.option("--html", is_flag=True, help="Also write each report's accessible web page (.html) next to its DOCX.")
@styles_option
def build_command(paths: tuple[Path, ...], out: Path | None, pdf: bool, html: bool, styles: tuple[Path, ...]) -> None:
    """Build every report under PATHS (default: the project's content/) to DOCX (and PDF, HTML)."""
    from reportgen.pipeline import build, build_pdfs

    result = build(default_paths(paths), default_out(out), style_path(styles), html=html)
    for item in result.built:
        click.echo(f"built {item.target} ({item.style}, {item.seconds * 1000:.0f} ms)")
        if item.html is not None:
            click.echo(f"built {item.target.with_suffix('.html')}")
    for _folder, exc in result.failures:
        for line in (str(p) for p in exc.problems) if exc.problems else [f"{_folder}: {exc}"]:
            click.echo(line, err=True)
    if pdf and result.built:
        try:
            for path in build_pdfs(result):
                click.echo(f"built {path}")
        except ReportgenError as exc:
            click.echo(f"error: {exc}", err=True)
            click.echo("The DOCX files were written.", err=True)
            sys.exit(EXIT_INPUT)
    if result.failures:
        click.echo(f"{len(result.failures)} report(s) not built", err=True)
        sys.exit(EXIT_INPUT)


@main.command("init")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--style", default="herefordshire", show_default=True,
              help="Bundled house style of the sample report and meeting.")
@click.option("--copy-style", is_flag=True, help="Copy the style into the project's templates/ to restyle it.")
def init_command(path: Path, style: str, copy_style: bool) -> None:
    """Create a council's papers repository: reportgen.yaml, a sample report and meeting, editor settings."""
    from reportgen.scaffold import init

    for written in init(path, style, copy_style):
        click.echo(f"created {written}")


@main.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--style", help="House style (default: the project's `style`).")
@click.option("--title", default="Title of the report", show_default=True)
@styles_option
def new_command(path: Path, style: str | None, title: str, styles: tuple[Path, ...]) -> None:
    """Scaffold a report folder with every section of STYLE."""
    from reportgen.scaffold import scaffold

    proj = project()
    style = style or (proj.style if proj else None)
    if not style:
        raise click.UsageError("give --style NAME (or set `style:` in reportgen.yaml)")
    written = scaffold(path, style, title, style_path(styles))
    click.echo(f"created {written}")


@main.command("schema")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the authoring reference as Markdown.")
def schema_command(as_markdown: bool) -> None:
    """Print the content schema as JSON Schema (for the YAML language server)."""
    from reportgen.content.schema import json_schema, reference_markdown

    click.echo(reference_markdown() if as_markdown else json.dumps(json_schema(), indent=2, ensure_ascii=False))


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Check as of this date (default: today).")
@styles_option
def check_command(paths: tuple[Path, ...], fmt: str, strict: bool, today: Any, styles: tuple[Path, ...]) -> None:
    """Check reports for missing, wrong or unlawful content. Exit 0 ready, 1 findings fail, 2 bad input."""
    from reportgen.check.output import exit_code, format_json, format_text
    from reportgen.pipeline import check

    results = check(default_paths(paths), today.date() if today else None, style_path(styles))
    if fmt == "json":
        click.echo(format_json(results, strict))
    else:
        for line in format_text(results, strict):
            click.echo(line)
    sys.exit(exit_code(results, strict))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List the rule catalogue: id, severity, title, explanation, source and fix."""
    from reportgen.check.registry import RULES

    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "title": r.title, "severity": r.severity, "explanation": r.explanation,
                                "source": r.source, "hint": r.hint, "params": r.params} for r in RULES.values()],
                              indent=2, ensure_ascii=False))
        return
    for r in RULES.values():
        click.echo(f"{r.id} [{r.severity}] {r.title}")
        click.echo(f"    {r.explanation}")
        click.echo(f"    Source: {r.source}. Fix: {r.hint}.")
        if r.params:
            click.echo("    Parameters: " + ", ".join(f"{k}={v}" for k, v in r.params.items()))


@main.command("sign")
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--role", required=True, help="Reviewer role, e.g. Finance.")
@click.option("--name", required=True, help="Name of the reviewer.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Date of sign-off (default: today).")
@styles_option
def sign_command(path: Path, role: str, name: str, date: Any, styles: tuple[Path, ...]) -> None:
    """Record a sign-off bound to the report's current content."""
    from reportgen.pipeline import sign

    record = sign(path, role, name, date.date() if date else None, style_path(styles))
    click.echo(f"signed {path}: {record.role} by {record.name} on {record.date.isoformat()} ({record.digest[:19]}…)")


@main.command("status")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="As of this date (default: today).")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the governance dashboard (sections, sign-offs, deadlines, findings) to this HTML file.")
@styles_option
def status_command(paths: tuple[Path, ...], today: Any, html_file: Path | None, styles: tuple[Path, ...]) -> None:
    """Completeness matrix: deadlines, required sections, sign-offs done, missing or stale."""
    from reportgen.check.status import format_rows
    from reportgen.fs import write_atomic
    from reportgen.pipeline import dashboard, status

    if html_file is not None:
        page = dashboard(default_paths(paths), today.date() if today else None, style_path(styles))
        try:
            write_atomic(html_file, page.encode("utf-8"))
        except OSError as exc:
            click.echo(f"{html_file}: cannot write: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_INPUT)
        click.echo(f"wrote {html_file}")
        return
    rows = status(default_paths(paths), today.date() if today else None, style_path(styles))
    for line in format_rows(rows):
        click.echo(line)


@main.command("publish")
@click.argument("meeting", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: the project's output/publish, else build/publish).")
@click.option("--draft", is_flag=True, help="Publish despite check errors; every page says DRAFT.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Check as of this date (default: today).")
@styles_option
def publish_command(meeting: Path, out: Path | None, draft: bool, today: Any, styles: tuple[Path, ...]) -> None:
    """Publish a meeting: accessible PDFs, front sheet, public and private packs, manifest.json."""
    from reportgen.errors import PublishRefused
    from reportgen.publish.run import publish

    try:
        result = publish(meeting, default_out(out, "publish"), draft, today.date() if today else None,
                         style_path(styles))
    except PublishRefused as exc:  # findings, not bad input: exit 1 like check
        click.echo(str(exc), err=True)
        sys.exit(1)
    state = "written" if result.written else "unchanged (nothing rewritten)"
    docs = result.manifest["documents"]
    click.echo(f"published {result.folder}: {len(docs)} documents, {state}")
    if result.refused:
        click.echo(f"DRAFT: {len(result.refused)} problem(s) would block publication:", err=True)
        for reason in result.refused:
            click.echo(f"  {reason}", err=True)
