"""The project's register of signers: which person, and which roles, each SSH key signs for.

OpenSSH's allowed-signers file proves which key made a signature, but its principal is only a label,
and ssh-keygen refuses options it does not know (so roles cannot ride on its lines). The register is a
companion YAML file (reportgen.yaml `signers:`) keyed by the same principals:

    judith@council:
      name: Judith Okafor
      roles: [Finance]

A key is bound to one person's name and the roles they may clear; a record signed with it under another
name or role does not count.
"""
# (annotations as objects, not text: see the note in reportgen/content/model.py)

import hashlib
from functools import lru_cache
from pathlib import Path

from pydantic import Field, RootModel

from reportgen.content.model import Strict
from reportgen.content.validation import validate_mapping
from reportgen.content.yamlio import read_yaml


class Signer(Strict):
    """The person an SSH key belongs to."""

    name: str = Field(description="The person's full name, as they sign.")
    roles: list[str] = Field(min_length=1, description="Reviewer roles they may clear (any wording the house style knows).")


class Register(RootModel[dict[str, Signer]]):
    """Principal (as in the allowed-signers file) -> the person."""


def load_signers(path: Path) -> dict[str, Signer]:
    """The register, parsed again whenever its bytes change (remembered by their digest, as profiles are,
    so a long-running watch sees every edit); every problem in it is located."""
    try:
        key = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        key = ""  # missing or unreadable: read_yaml says so, located
    return _load(path, key)


@lru_cache(maxsize=16)
def _load(path: Path, _digest: str) -> dict[str, Signer]:
    data, pos = read_yaml(path)
    return validate_mapping(Register, data if data is not None else {}, pos, path, "a signers register").root
