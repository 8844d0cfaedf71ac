"""One settings object per command, as MkDocs loads mkdocs.yml into one config: the project file
(reportgen.yaml, found upward from the current folder), the --styles folders and the defaults, read once
and passed down to every stage. No stage reads reportgen.yaml or looks for styles on its own."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.content.projectfile import HISTORY_FILE, find_project

if TYPE_CHECKING:
    from reportgen.content.project import Project

# The project's model (pydantic) is imported only when there is a project file to load: a command run
# outside a project, such as a republish that finds nothing changed, does not pay for it.


def _bundled() -> Path:
    """The house styles shipped with reportgen.

    A wheel carries them as package data in reportgen/styles/ (pyproject maps the repository's
    top-level templates/ there); a checkout or an editable install reads templates/ itself.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    return installed if installed.is_dir() else package.parent / "templates"


#: Where the bundled house styles live.
TEMPLATES_DIR = _bundled()


@dataclass(frozen=True)
class Settings:
    """What a command is configured by: `--styles` folders, then the project (if any), then the defaults.

    House styles are searched in `style_dirs` order: a project's style overrides a bundled one of the
    same name. The project's rule overrides apply over every style's own."""

    extra_styles: tuple[Path, ...] = ()
    project: Project | None = None
    #: Convert PDFs through the project's warm LibreOffice server (reportgen.pdf.server). Off for the
    #: library and tests; the PDF commands turn it on unless --no-server or `server: false` says otherwise.
    server: bool = False

    @classmethod
    def load(cls, start: Path | None = None, styles: Iterable[Path] = (), server: bool = False) -> "Settings":
        """The settings of a command run in `start` (default: the current folder); `server`: the command
        would use the LibreOffice server (the project file may still turn it off)."""
        found = find_project(start or Path.cwd())
        project = _load_project(found) if found else None
        _check_register(project)
        return cls(tuple(styles), project, server and (project.server if project else True))

    @classmethod
    def with_styles(cls, *folders: Path) -> "Settings":
        """No project, these style folders before the bundled ones (for the library and tests)."""
        return cls(tuple(folders))

    def reload(self) -> "Settings":
        """The same settings read again from the project file (a long-running watch sees its edits)."""
        if self.project_file is None or not self.project_file.is_file():
            return self
        project = _load_project(self.project_file)
        _check_register(project)
        return dataclasses.replace(self, project=project)

    @property
    def project_file(self) -> Path | None:
        return self.project.path if self.project else None

    @property
    def style_dirs(self) -> list[Path]:
        own = [self.project.styles_dir] if self.project else []
        return [*self.extra_styles, *own, TEMPLATES_DIR]

    @property
    def rules(self) -> dict[str, Any]:
        """The project's rule overrides (reportgen.yaml `rules:`)."""
        return dict(self.project.rules) if self.project else {}

    @property
    def words(self) -> frozenset[str]:
        """The project's own word list (reportgen.yaml `words`), for the spelling check."""
        return self.project.word_list if self.project else frozenset()

    @property
    def allowed_signers(self) -> Path | None:
        return self.project.allowed_signers_file if self.project else None

    @property
    def signers(self) -> Path | None:
        return self.project.signers_file if self.project else None

    @property
    def default_style(self) -> str | None:
        return self.project.style if self.project else None

    @property
    def content_dir(self) -> Path:
        return self.project.content_dir if self.project else Path("content")

    def content_paths(self, paths: Iterable[Path]) -> list[Path]:
        """The paths a command was given, or the project's content folder."""
        return list(paths) or [self.content_dir]

    @property
    def history(self) -> Path:
        """The publication history: $REPORTGEN_HISTORY (tests, a scratch run), else publications.json beside
        reportgen.yaml, else in the current folder; never under the output folder, which `clean` empties."""
        chosen = os.environ.get("REPORTGEN_HISTORY", "").strip()
        if chosen:
            return Path(chosen)
        return self.project.path.parent / HISTORY_FILE if self.project else Path(HISTORY_FILE)

    def output(self, out: Path | None = None, sub: str = "") -> Path:
        """`--out` when given, else the project's output folder (or build/), with `sub` below it."""
        if out is not None:
            return out
        base = self.project.output_dir if self.project else Path("build")
        return base / sub if sub else base


def _load_project(path: Path) -> "Project":
    from reportgen.content.project import load_project

    return load_project(path)


def _check_register(project: "Project | None") -> None:
    """A project's signers register is configuration, read with it: a broken one is a located error of
    every command, not found only when some record happens to be verified against it."""
    if project is not None and project.signers_file is not None and project.signers_file.is_file():
        from reportgen.content.signers import load_signers

        load_signers(project.signers_file)


#: No project and no extra styles: the bundled styles only.
DEFAULTS = Settings()
