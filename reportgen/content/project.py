"""The project file: reportgen.yaml at the root of a council's papers repository, found upward as MkDocs finds
mkdocs.yml. It says where the council's own house styles, content and output live, which style new reports
take, and rule overrides that apply to every style."""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

from pathlib import Path
from typing import Any

from pydantic import Field

from reportgen.content.model import Strict, empty_dict
from reportgen.errors import ContentError
from reportgen.content.validation import validate_mapping
from reportgen.content.projectfile import PROJECT_FILE as PROJECT_FILE, find_project as find_project
from reportgen.content.safepath import inside
from reportgen.content.wordlist import read_word_list
from reportgen.content.yamlio import read_yaml
from reportgen.errors import ContentError


class Project(Strict):
    """A council's papers repository."""

    styles: str = Field("templates", description="Folder of the council's own house styles, searched before the bundled ones.")
    content: str = Field("content", description="Folder of reports and meetings; the default PATH of build, check and status.")
    output: str = Field("build", description="Where build and publish write (publish into its publish/ subfolder).")
    style: str | None = Field(None, description="House style `reportgen new` uses when --style is not given.")
    rules: dict[str, Any] = Field(default_factory=empty_dict, description="Rule overrides applied over every style's own (as in a profile's rules).")
    words: str | None = Field(None, description="The council's own word list for the spelling check (place names, councillors' and product names), one word a line; added to every style's.")
    server: bool = Field(True, description="Convert PDFs through a warm LibreOffice kept between commands (`reportgen server`); false: every PDF command starts its own, as with --no-server.")
    allowed_signers: str | None = Field(None, description="An SSH allowed-signers file; when set, a sign-off counts only if signed (`reportgen sign --key`) by a key listed there.")
    signers: str | None = Field(None, description="The register binding each allowed signer's principal to a person's name and the roles they may clear (YAML); required with allowed_signers.")

    # set by load_project, not read from the file
    path: Path = Field(Path(PROJECT_FILE), exclude=True)
    word_list: frozenset[str] = Field(frozenset(), exclude=True)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def styles_dir(self) -> Path:
        return self.root / self.styles

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def allowed_signers_file(self) -> Path | None:
        return self.root / self.allowed_signers if self.allowed_signers else None

    @property
    def signers_file(self) -> Path | None:
        return self.root / self.signers if self.signers else None

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


def load_project(path: Path) -> Project:
    """Read and validate a project file; every problem is located, like a report's."""
    data, pos = read_yaml(path)
    project = validate_mapping(Project, data if data is not None else {}, pos, path, "a project file")
    if project.allowed_signers and not project.signers:
        # A key proves only which key signed; without the register it does not say whose it is.
        raise ContentError(problems=[pos.problem(path, ("allowed_signers",), "allowed_signers needs `signers:`, "
                                                 "a register naming each principal's person and roles")])
    project.path = path
    if project.words is not None:
        found, why = inside(project.root, project.words, must_exist=True)
        if why or found is None:
            raise ContentError(problems=[pos.problem(path, ("words",), why or f"file not found: {project.words}")])
        project.word_list, problems = read_word_list(found, "words")
        if problems:
            raise ContentError(problems=problems)
    return project
