"""SSH keys and an allowed-signers file made with ssh-keygen in a tmp folder, for sign-off signature tests."""
from __future__ import annotations

import subprocess

import yaml
from pathlib import Path

from reportgen.content.sshsig import NAMESPACE


def keygen(folder: Path, name: str) -> Path:
    """A new passphrase-less ed25519 private key folder/name (public key beside it as name.pub)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


def allowed_signers(path: Path, **principals: Path) -> Path:
    """An allowed-signers file listing each principal's public key for the sign-off namespace."""
    lines = []
    for principal, key in principals.items():
        public = Path(f"{key}.pub").read_text(encoding="ascii").split()
        lines.append(f'{principal.replace("_at_", "@")} namespaces="{NAMESPACE}" {public[0]} {public[1]}')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def signers(path: Path, **people: tuple[str, list[str]]) -> Path:
    """A signers register: each principal's person and the roles they may clear."""
    path.write_text(yaml.safe_dump({principal.replace("_at_", "@"): {"name": name, "roles": roles}
                                    for principal, (name, roles) in people.items()}), encoding="utf-8")
    return path
