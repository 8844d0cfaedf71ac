"""Command line: a thin click layer over the library API; every command calls one function."""
from __future__ import annotations

import atexit
import gc
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from reportgen.errors import ReportgenError, printable

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from reportgen.style.settings import Settings

EXIT_INPUT = 2
#: pydantic's documented switch for its plugins, and what a command sets it to unless the user set it.
PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
#: New objects between two runs of the garbage collector in a command (Python's default: 700).
GC_THRESHOLD = 100_000


def records_out_option(fn: Any) -> Any:
    """Where the statutory records go, on every command that writes them."""
    return click.option("--out", type=click.Path(path_type=Path), default=None,
                        help="Output folder (default: the project's output/records, else build/records).")(fn)


def styles_option(fn: Any) -> Any:
    """The one house-style search option, on every command that finds a style."""
    return click.option("--styles", "styles", multiple=True, type=click.Path(path_type=Path, file_okay=False),
                        help="A folder of house styles, searched before the project's and the bundled ones "
                             "(repeatable).")(fn)


def server_option(fn: Any) -> Any:
    """--no-server, on every command that makes PDFs or that the warm reportgen runs (reportgen.client
    reads it before click does)."""
    return click.option("--no-server", "no_server", is_flag=True, envvar="REPORTGEN_NO_SERVER",
                        help="Run this command in this process only: no warm reportgen, and LibreOffice (if the "
                             "command needs it) started for this command instead of the project's warm "
                             "LibreOffice server (see `reportgen server`).")(fn)


def load_settings(styles: tuple[Path, ...] = (), server: bool = False) -> "Settings":
    """The command's one settings object: reportgen.yaml (found upward from the current folder, as git
    finds .git), the --styles folders and the defaults, read once and passed to the library. `server`:
    this command converts PDFs through the warm LibreOffice server, unless reportgen.yaml says `server: false`."""
    from reportgen.style.settings import Settings

    return Settings.load(Path.cwd(), styles, server)


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """click.echo with every control character escaped: the one way the commands print, so that a
    hostile key, value or file name in any line cannot move the cursor or rewrite the terminal."""
    click.echo(printable(message, keep_newlines=True), err=err, nl=nl)


def fail(exc: ReportgenError) -> NoReturn:
    """Print a located message per problem (no traceback) and exit 2."""
    for line in (str(p) for p in exc.problems) if exc.problems else [str(exc)]:
        echo(f"error: {line}" if not exc.problems else line, err=True)
    sys.exit(EXIT_INPUT)


class _Group(click.Group):
    """Turns every error reportgen raises on purpose, and environment errors, into clean messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReportgenError as exc:
            fail(exc)
        except OSError as exc:  # permission denied, disk full, ... : the environment, not a bug
            echo(printable(f"error: {exc}"), err=True)
            sys.exit(EXIT_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reportgen")
@click.option("-v", "--verbose", is_flag=True, help="Log each stage.")
def main(verbose: bool) -> None:
    """Build, check and publish local-government committee papers."""
    # A command imports libraries and builds models: tens of thousands of objects that live until it
    # exits. Python's collector, run every 700 new objects, scans them again and again for nothing
    # (about 7% of checking or building one report); every 100,000 still frees cycles in a long command.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    freeze_at_exit()
    # pydantic looks for plugins (entry points of the "pydantic" group, for tools that watch an application's
    # own validation) in every installed distribution's metadata when the first validator is built: a few
    # milliseconds that grow with the environment, for plugins reportgen neither has nor asks for. A command
    # sets pydantic's documented switch unless the user set it (a library user's program is left alone).
    os.environ.setdefault(*PYDANTIC_PLUGINS)
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


_freezing_at_exit = False


def freeze_at_exit() -> None:
    """Leave the command's objects out of the collections Python runs as it exits (once per process).

    Finalization collects garbage more than once, each time scanning every object the command's imports
    made (some 60,000, nearly all alive until the end): about 40 ms of checking one report, 60 ms of
    building one, for a process about to end. Frozen (gc.freeze, at exit), they are not scanned; the
    atexit handlers still run, the streams are flushed, and what no cycle holds is still freed as the
    modules are torn down. Only at exit: a program calling `main` in a process of its own (tests) keeps
    collecting as before."""
    global _freezing_at_exit
    if not _freezing_at_exit:
        _freezing_at_exit = True
        atexit.register(gc.freeze)


def show_progress(quiet: bool) -> bool:
    """A progress bar only for a person at a terminal: never in a pipe, a log or with --quiet."""
    return not quiet and sys.stderr.isatty()


def progress_bar(length: int, label: str) -> "ProgressBar[str]":
    """click's progress bar on stderr, showing the step or file just done."""
    bar: "ProgressBar[str]" = click.progressbar(length=length, label=label, file=sys.stderr,
                                                item_show_func=lambda step: step)
    return bar


def run() -> None:
    """The `reportgen` command: `main`, stopping cleanly on SIGTERM or Ctrl-C (its temporary files and
    LibreOffice removed, exit 143 or 130, no traceback). Only here: importing reportgen changes no signals."""
    from reportgen.cleanup import install

    install()
    main()


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: the project's, else build/); the content tree is mirrored below it.")
@click.option("--pdf", is_flag=True, help="Also write an accessible PDF next to each DOCX (needs LibreOffice).")
@click.option("--html", is_flag=True, help="Also write each report's accessible web page (.html) next to its DOCX.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@server_option
@styles_option
def build_command(paths: tuple[Path, ...], out: Path | None, pdf: bool, html: bool, quiet: bool,
                  no_server: bool, styles: tuple[Path, ...]) -> None:
    """Build every report under PATHS (default: the project's content/) to DOCX (and PDF, HTML)."""
    from reportgen.pipeline import build, build_pdfs

    settings = load_settings(styles, server=not no_server)
    result = build(settings.content_paths(paths), settings.output(out), settings, html=html)
    for item in result.built:
        echo(printable(f"built {item.target} ({item.style}, {item.seconds * 1000:.0f} ms)"))
        if item.html is not None:
            echo(printable(f"built {item.target.with_suffix('.html')}"))
    for _folder, exc in result.failures:
        for line in (str(p) for p in exc.problems) if exc.problems else [printable(f"{_folder}: {exc}")]:
            echo(line, err=True)
    if pdf and result.built:
        try:
            if show_progress(quiet):
                with progress_bar(len(result.built), "Converting to PDF") as bar:
                    pdfs = build_pdfs(result, done=lambda path: bar.update(1, path.name), settings=settings)
            else:
                pdfs = build_pdfs(result, settings=settings)
            for path in pdfs:
                echo(f"built {path}")
        except ReportgenError as exc:
            echo(f"error: {exc}", err=True)
            echo("The DOCX files were written.", err=True)
            sys.exit(EXIT_INPUT)
    if result.failures:
        echo(f"{len(result.failures)} report(s) not built", err=True)
        sys.exit(EXIT_INPUT)


@main.command("init")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--style", default="herefordshire", show_default=True,
              help="Bundled house style of the sample report and meeting.")
@click.option("--copy-style", is_flag=True, help="Copy the style into the project's templates/ to restyle it.")
@click.option("--no-git", is_flag=True, help="Do not make the project a git repository.")
def init_command(path: Path, style: str, copy_style: bool, no_git: bool) -> None:
    """Create a council's papers repository: reportgen.yaml, a sample report and meeting dated from today,
    editor settings, and a git repository with a first commit."""
    from reportgen.scaffold import init

    done = init(path, style, copy_style, git=not no_git)
    for written in done.written:
        echo(f"created {written}")
    for line in done.next_steps():
        echo(line)


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--style", help="House style (default: guessed from the document; the guess and its evidence are printed).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Report folder to write (for a folder of documents: the folder to write one report folder per "
                   "document in); default: the project's content/reports/.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@styles_option
def import_command(source: Path, style: str | None, out: Path | None, quiet: bool, styles: tuple[Path, ...]) -> None:
    """Import a Word report (SOURCE.docx), or every .docx in a folder, as report content, with an
    import-report.md of what could not be placed."""
    from reportgen.importer.run import Result, import_file, import_folder, summary_table, terminal_lines

    settings = load_settings(styles)
    if not source.is_dir():
        for line in terminal_lines(import_file(source, settings, style, out)):
            echo(line)
        return
    if show_progress(quiet):
        from reportgen.importer.run import docx_files

        with progress_bar(len(docx_files(source)), "Importing") as bar:
            results = import_folder(source, settings, style, out, done=lambda path: bar.update(1, path.name))
    else:
        results = import_folder(source, settings, style, out, done=lambda path: echo(f"read {path}", err=True))
    for _path, outcome in results:
        if isinstance(outcome, Result):
            for line in terminal_lines(outcome):
                echo(line)
        else:
            for line in (str(p) for p in outcome.problems) if outcome.problems else [str(outcome)]:
                echo(line, err=True)
    echo("")
    for line in summary_table(results):
        echo(line)
    failed = sum(1 for _p, outcome in results if not isinstance(outcome, Result))
    if failed or not results:
        echo(f"{failed} of {len(results)} document(s) not imported" if results else f"no .docx files in {source}",
                   err=True)
        sys.exit(EXIT_INPUT)


@main.command("new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--style", help="House style (default: the project's `style`).")
@click.option("--title", default="Title of the report", show_default=True)
@click.option("--decision-maker", help="Who decides, e.g. Cabinet or 'Cabinet Member for Transport'.")
@click.option("--kind", type=click.Choice(["committee", "individual"]),
              help="A committee decision (with a meeting) or an individual one (with a decision date); "
                   "default: what --decision-maker says, else committee.")
@styles_option
def new_command(path: Path, style: str | None, title: str, decision_maker: str | None, kind: str | None,
                styles: tuple[Path, ...]) -> None:
    """Scaffold a report folder with every section of STYLE, and only the keys its kind of decision uses."""
    from reportgen.scaffold import scaffold

    settings = load_settings(styles)
    style = style or settings.default_style
    if not style:
        raise click.UsageError("give --style NAME (or set `style:` in reportgen.yaml)")
    written = scaffold(path, style, title, settings, kind, decision_maker)
    echo(f"created {written}")


@main.command("new-meeting")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--style", help="House style (default: the project's `style`).")
@click.option("--committee", default="Cabinet", show_default=True)
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Meeting date (default: today).")
@styles_option
def new_meeting_command(path: Path, style: str | None, committee: str, date: Any, styles: tuple[Path, ...]) -> None:
    """Scaffold a meeting file (PATH.yaml) with every key, in STYLE's wording."""
    from reportgen.scaffold import new_meeting

    settings = load_settings(styles)
    style = style or settings.default_style
    if not style:
        raise click.UsageError("give --style NAME (or set `style:` in reportgen.yaml)")
    written = new_meeting(path, style, committee, date.date() if date else None, settings)
    echo(f"created {written}")


@main.command("schema")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the authoring reference as Markdown.")
@click.option("--meeting", "meeting", is_flag=True, help="The meeting file's JSON Schema instead of the report's.")
@click.option("--profile", "profile", is_flag=True, help="A house style's profile.yaml schema instead of the report's.")
@click.option("--style", "style", help="The report schema with this house style's own section keys.")
@styles_option
def schema_command(as_markdown: bool, meeting: bool, profile: bool, style: str | None,
                   styles: tuple[Path, ...]) -> None:
    """Print the content schema as JSON Schema (for the YAML language server)."""
    from reportgen.content.schema import json_schema, meeting_schema, reference_markdown
    from reportgen.style.profile import load_profile
    from reportgen.style.reference import profile_markdown, profile_schema, style_schema

    if profile:
        echo(profile_markdown() if as_markdown else json.dumps(profile_schema(), indent=2, ensure_ascii=False))
        return
    if as_markdown:
        echo(reference_markdown())
        return
    if style:
        schema = style_schema(load_profile(style, load_settings(styles)), style)
    else:
        schema = meeting_schema() if meeting else json_schema()
    echo(json.dumps(schema, indent=2, ensure_ascii=False))


@main.group("style")
def style_group() -> None:
    """Make and check a council's own house style."""


@style_group.command("new")
@click.argument("name")
@click.option("--from", "source", required=True, help="The style to start from, e.g. oxfordshire.")
@click.option("--to", "root", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder of styles to create it in (default: the project's styles folder, else templates/).")
@styles_option
def style_new_command(name: str, source: str, root: Path | None, styles: tuple[Path, ...]) -> None:
    """Copy STYLE into the project's styles folder as NAME, to edit as data."""
    from reportgen.scaffold import new_style

    settings = load_settings(styles)
    proj = settings.project
    folder = root or (proj.styles_dir if proj else Path("templates"))
    target = new_style(name, source, folder, settings)
    # Outside a project (or with --to) the new folder is not on the style path: say how to reach it.
    found = "" if proj and folder == proj.styles_dir else f" --styles {folder}"
    echo(f"created {target}: edit profile.yaml and template.docx, then run "
               f"`reportgen style check {name}{found}`")


@style_group.command("check")
@click.argument("name")
@styles_option
def style_check_command(name: str, styles: tuple[Path, ...]) -> None:
    """Check a house style: its profile, and that its templates use only variables and styles reportgen provides."""
    from reportgen.pipeline import check_style

    profile = check_style(name, load_settings(styles))
    echo(f"{profile.folder}: ok ({profile.name})")


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Check as of this date (default: today).")
@server_option
@styles_option
def check_command(paths: tuple[Path, ...], fmt: str, strict: bool, today: Any, no_server: bool,
                  styles: tuple[Path, ...]) -> None:
    """Check reports for missing, wrong or unlawful content. Exit 0 ready, 1 findings fail, 2 bad input."""
    from reportgen.check.output import exit_code, format_json, format_text
    from reportgen.pipeline import check

    settings = load_settings(styles)
    results = check(settings.content_paths(paths), today.date() if today else None, settings)
    if fmt == "json":
        echo(format_json(results, strict))
    else:
        for line in format_text(results, strict):
            echo(line)
    sys.exit(exit_code(results, strict))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List the rule catalogue: id, severity, title, explanation, source and fix."""
    from reportgen.check.catalogue import catalogue

    if fmt == "json":
        echo(json.dumps([{"id": r.id, "title": r.title, "severity": r.severity, "explanation": r.explanation,
                                "source": r.source, "hint": r.hint, "params": r.params} for r in catalogue().values()],
                              indent=2, ensure_ascii=False))
        return
    for r in catalogue().values():
        echo(f"{r.id} [{r.severity}] {r.title}")
        echo(f"    {r.explanation}")
        echo(f"    Source: {r.source}. Fix: {r.hint}.")
        if r.params:
            echo("    Parameters: " + ", ".join(f"{k}={v}" for k, v in r.params.items()))


@main.command("sign")
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--role", required=True, help="Reviewer role, e.g. Finance.")
@click.option("--name", required=True, help="Name of the reviewer.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Date of sign-off (default: today).")
@click.option("--strict", is_flag=True, help="Refuse to sign a report with check errors (default: warn).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Sign as of this date (default: today).")
@click.option("--key", type=click.Path(path_type=Path, dir_okay=False),
              help="Sign the record with this SSH private key (ssh-keygen -Y sign), e.g. ~/.ssh/id_ed25519.")
@click.option("--signer", help="Principal the key signs as (default: its entry in the project's allowed signers).")
@click.option("--reason", help="Why the sign-off is dated well before today (the style's backdate_days).")
@styles_option
def sign_command(path: Path, role: str, name: str, date: Any, strict: bool, today: Any, key: Path | None,
                 signer: str | None, reason: str | None, styles: tuple[Path, ...]) -> None:
    """Append a sign-off bound to the report's current content (earlier sign-offs are kept)."""
    from reportgen.errors import SignRefused
    from reportgen.pipeline import sign

    try:
        signed = sign(path, role, name, date.date() if date else None, load_settings(styles), strict,
                      today.date() if today else None, key, signer, reason)
    except SignRefused as exc:  # findings, not bad input: exit 1 like check
        echo(str(exc), err=True)
        sys.exit(1)
    record = signed.record
    if signed.errors:
        echo(f"warning: the report has {len(signed.errors)} check error(s); signed anyway "
                   "(use --strict to refuse):", err=True)
        for finding in signed.errors:
            echo(f"  {finding}", err=True)
    recorded = f", recorded {record.recorded.isoformat()} by {record.recorded_by}" if record.recorded else ""
    echo(printable(f"signed {path}: {record.role} by {record.name} on {record.date.isoformat()}{recorded} "
                         f"({record.digest[:19]}…)"))


@main.command("diff")
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--role", help="Compare with this role's latest sign-off (default: the latest of all).")
@click.option("--html", "html", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the changes as a self-contained HTML page.")
@click.option("--from", "first", type=int, help="Compare from sign-off record N of signoff.yaml (1 = the first).")
@click.option("--to", "second", type=int, help="Compare up to sign-off record N instead of the content now.")
@server_option
@styles_option
def diff_command(path: Path, role: str | None, html: Path | None, first: int | None, second: int | None,
                 no_server: bool, styles: tuple[Path, ...]) -> None:
    """Show, section by section and word by word, what changed since a reviewer signed. Exit 0 no change,
    1 changed, 2 bad input."""
    from reportgen.check.diff import format_html, format_text
    from reportgen.fs import write_atomic
    from reportgen.pipeline import diff

    changes = diff(path, role, load_settings(styles), first, second)
    colour = sys.stdout.isatty()
    for line in format_text(changes, colour):  # escaped line by line there; the colours are reportgen's own
        click.echo(line)
    if html is not None:
        write_atomic(html, format_html(changes, str(path)).encode("utf-8"))
        echo(f"wrote {html}")
    sys.exit(1 if changes.sections else 0)


@main.command("status")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="As of this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the governance dashboard (sections, sign-offs, deadlines, findings) to this HTML file.")
@server_option
@styles_option
def status_command(paths: tuple[Path, ...], today: Any, fmt: str, html_file: Path | None, no_server: bool,
                   styles: tuple[Path, ...]) -> None:
    """Completeness matrix: deadlines, errors and warnings, required sections, sign-offs done, missing or stale.
    Exit 0 all ready, 1 some not ready, 2 bad input. --html FILE writes the governance dashboard instead."""
    from reportgen.check.status import exit_code, format_json, format_rows
    from reportgen.fs import write_atomic
    from reportgen.pipeline import dashboard, status

    settings = load_settings(styles)
    if html_file is not None:
        page, rows = dashboard(settings.content_paths(paths), today.date() if today else None, settings)
        try:
            write_atomic(html_file, page.encode("utf-8"))
        except OSError as exc:
            echo(f"{html_file}: cannot write: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_INPUT)
        echo(f"wrote {html_file}")
        sys.exit(exit_code(rows))  # the dashboard is written either way; the exit code still tells CI
    rows = status(settings.content_paths(paths), today.date() if today else None, settings)
    if fmt == "json":
        echo(format_json(rows))
    else:
        for line in format_rows(rows):
            echo(line)
    sys.exit(exit_code(rows))


@main.command("clean")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Publish output folder (default: the project's output/publish, else build/publish).")
def clean_command(out: Path | None) -> None:
    """Empty the publish cache (check results, DOCX, PDFs): the next publish builds everything anew."""
    from reportgen.publish.incremental import clean

    root = load_settings().output(out, "publish")
    echo(f"emptied the cache of {root}" if clean(root) else f"no cache in {root}: nothing to clean")


@main.command("publish")
@click.argument("meeting", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: the project's output/publish, else build/publish).")
@click.option("--draft", is_flag=True, help="Publish despite check errors; every page says DRAFT.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Publish as of this later date (default: the clock: today, or $REPORTGEN_TODAY); an earlier "
                   "date is refused unless --draft.")
@click.option("--accept-inaccessible", "accept", metavar="REASON",
              help="Publish supplied documents that are not accessible, for this reason: the pack then claims "
                   "no PDF/UA conformance and the accessibility statement names their pages.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--watch", is_flag=True,
              help="Stay running: publish again whenever the meeting, its reports or its style change, with "
                   "LibreOffice kept warm (only what changed is converted). Ctrl-C stops.")
@server_option
@styles_option
def publish_command(meeting: Path, out: Path | None, draft: bool, today: Any, accept: str | None, quiet: bool,
                    watch: bool, no_server: bool, styles: tuple[Path, ...]) -> None:
    """Publish a meeting: public/ (accessible PDFs, front sheet, agenda pack, manifest, accessibility
    statement) and private/ (exempt papers, private pack) side by side."""
    from reportgen.errors import PublishRefused
    from reportgen.publish.run import STEPS, publish

    if accept is not None and not accept.strip():
        raise click.BadParameter("give the reason the documents cannot be made accessible",
                                 param_hint="--accept-inaccessible")
    settings = load_settings(styles, server=not no_server)
    args = (meeting, settings.output(out, "publish"), draft, today.date() if today else None, settings)
    if watch:
        _watch(*args, accept)
        return
    try:
        if show_progress(quiet):
            with progress_bar(len(STEPS), "Publishing") as bar:
                result = publish(*args, accept_inaccessible=accept,
                                 progress=lambda step: bar.update(1, step))
        else:
            result = publish(*args, accept_inaccessible=accept)
    except PublishRefused as exc:  # findings, not bad input: exit 1 like check
        echo(str(exc), err=True)
        sys.exit(1)
    _published(result)


def _published(result: Any, seconds: float | None = None) -> None:
    state = "written" if result.written else "unchanged (nothing rewritten)"
    docs = result.manifest["documents"]
    took = f" in {seconds:.2f} s" if seconds is not None else ""
    echo(printable(f"published {result.folder}: {len(docs)} public documents in {result.public}, {state}{took}"))
    if result.inaccessible:
        echo(f"NOT ACCESSIBLE: {len(result.inaccessible)} supplied document(s) published without PDF/UA; "
                   f"named in {result.public / 'accessibility-statement.html'}:", err=True)
        for line in result.inaccessible:
            echo(f"  {printable(line)}", err=True)
    if result.refused:
        echo(f"DRAFT: {len(result.refused)} problem(s) would block publication:", err=True)
        for reason in result.refused:  # reasons quote report titles and paths
            echo(f"  {printable(reason, keep_newlines=True)}", err=True)


def _watch(meeting: Path, out: Path, draft: bool, today: Any, settings: "Settings", accept: str | None) -> None:
    import signal

    from reportgen.publish.watch import Outcome, watch

    def report(outcome: Outcome) -> None:
        stamp = time.strftime("%H:%M:%S")
        if outcome.result is not None:
            echo(f"[{stamp}] ", nl=False)
            _published(outcome.result, outcome.seconds)
        else:
            echo(f"[{stamp}] not published ({outcome.seconds:.2f} s):\n{outcome.error}", err=True)
        echo(f"[{stamp}] watching {meeting} and its reports for changes (Ctrl-C stops)")

    # Ctrl-C is how a watch session ends, not an interruption: it stops watching between publishes, the
    # pool closes LibreOffice on its way out and the exit code is 0. SIGTERM still stops it at once.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        watch(meeting, out, report, draft, today, settings, accept_inaccessible=accept)
    except KeyboardInterrupt:
        echo("stopped watching")


@main.command("forward-plan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]),
              help="Start of the period: decisions from this date are listed (default: the publication date). "
                   "It never dates the plan.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="List decisions up to this date.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Publish the plan as of this later date (default: the clock); never earlier.")
@records_out_option
@server_option
@styles_option
def forward_plan_command(paths: tuple[Path, ...], start: Any, end: Any, today: Any, out: Path | None, no_server: bool,
                         styles: tuple[Path, ...]) -> None:
    """Write the forward plan of key decisions under PATHS: CSV and accessible PDF per house style, dated
    the day it is published; the publication history gives each entry's first publication date."""
    from reportgen.records.run import forward_plan

    settings = load_settings(styles, server=not no_server)
    for path in forward_plan(settings.content_paths(paths), start.date() if start else None,
                             end.date() if end else None, settings.output(out, "records"), settings,
                             today.date() if today else None):
        echo(f"wrote {path}")


@main.command("notices")
@click.argument("meeting", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--notice", "which", type=click.Choice(["28-day", "5-day"]), required=True,
              help="Which notice of a private meeting (reg 5): 28 clear days before, or 5 clear working days "
                   "before with the representations and the response.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Publish the notice as of this later date (default: the clock); never earlier.")
@records_out_option
@server_option
@styles_option
def notices_command(meeting: Path, which: str, today: Any, out: Path | None, no_server: bool,
                    styles: tuple[Path, ...]) -> None:
    """Write a notice of a private meeting from MEETING (a meeting file with exempt items), before the
    meeting, dated the day it is published; refused after its deadline unless the urgency route is recorded."""
    from reportgen.records.run import private_notice

    settings = load_settings(styles, server=not no_server)
    for path in private_notice(meeting, which, settings.output(out, "records"), settings,
                               today.date() if today else None):
        echo(f"wrote {path}")


@main.command("decisions")
@click.argument("meeting", type=click.Path(path_type=Path, exists=True))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Publish the notices as of this later date (default: the clock); never earlier, and never "
                   "before the decision.")
@records_out_option
@server_option
@styles_option
def decisions_command(meeting: Path, today: Any, out: Path | None, no_server: bool, styles: tuple[Path, ...]) -> None:
    """Write decision notices for MEETING (a meeting file with its .decisions.yaml, or a report folder
    with its decision.yaml), PDF and web page, dated the day they are published; an exempt decision's
    full record goes under private/."""
    from reportgen.records.run import decisions

    settings = load_settings(styles, server=not no_server)
    for path in decisions(meeting, settings.output(out, "records"), settings, today.date() if today else None):
        echo(f"wrote {path}")



@main.group("server")
def server_group() -> None:
    """The warm helpers: the project's LibreOffice, shared by PDF commands, and the warm reportgen that runs
    commands without Python's start-up; each started by the first command that uses it, exits when idle."""


@server_group.command("status")
def server_status_command() -> None:
    """Say whether the project's LibreOffice server and this Python's warm reportgen run (exit 0 if either
    does, 1 if neither), and what they have done."""
    from reportgen import warm
    from reportgen.pdf.server import request

    answer = request(load_settings(server=True), "status")
    if answer is None:
        echo("no LibreOffice server runs for this project")
    else:
        echo(f"LibreOffice server running: pid {answer['pid']}, up {answer['up']:.0f} s, "
             f"{answer['workers']} worker(s), {answer['converted']} document(s) converted, "
             f"exits after {answer['exits_in']:.0f} s more idle; socket {answer['socket']}")
    preloader = warm.request("status")
    if preloader is None:
        echo("no warm reportgen runs for this Python environment")
    else:
        echo(f"warm reportgen running: pid {preloader['pid']}, up {float(preloader['up']):.0f} s, "
             f"{preloader['served']} command(s) served, {preloader['running']} running, "
             f"exits after {float(preloader['exits_in']):.0f} s more idle; socket {preloader['socket']}")
    if answer is None and preloader is None:
        sys.exit(1)


@server_group.command("stop")
def server_stop_command() -> None:
    """Stop the project's LibreOffice server and this Python's warm reportgen (the next commands start new
    ones); a warm reportgen first finishes the commands it is running."""
    from reportgen import warm
    from reportgen.pdf.server import request

    answer = request(load_settings(server=True), "stop")
    echo("no LibreOffice server runs for this project" if answer is None
         else f"stopped the LibreOffice server (pid {answer['pid']})")
    preloader = warm.request("stop")
    echo("no warm reportgen runs for this Python environment" if preloader is None
         else f"stopped the warm reportgen (pid {preloader['pid']})")
