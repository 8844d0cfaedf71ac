"""requirements/lock.txt and pyproject.toml agree, and this environment runs exactly the lock.

The lock is written by `./dev.sh lock` (uv pip compile, universal, with hashes); `./dev.sh setup`
installs it. pyproject.toml keeps the ranges a wheel needs; the lock is one set of versions inside them.
"""
from __future__ import annotations

import importlib.metadata as metadata
import tomllib
from pathlib import Path
from typing import NamedTuple

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: Installed in the venv but never locked: the venv's own installer, and reportgen itself (editable).
NOT_LOCKED = {canonicalize_name("pip"), canonicalize_name(PYPROJECT["project"]["name"])}


class Pin(NamedTuple):
    version: Version
    marker: Marker | None
    hashes: int

    @property
    def applies(self) -> bool:
        """Whether the pin is for this platform and Python (a universal lock also holds others')."""
        return self.marker is None or self.marker.evaluate()


def locked() -> dict[NormalizedName, Pin]:
    """The lock's pins: one logical line each (continued with backslashes), then its --hash options."""
    pins: dict[NormalizedName, Pin] = {}
    logical = LOCK.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in logical.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        spec, *options = line.split(" --")
        req = Requirement(spec)
        [pinned] = req.specifier
        assert pinned.operator == "==", f"not pinned exactly: {line}"
        pins[canonicalize_name(req.name)] = Pin(Version(pinned.version), req.marker,
                                                sum(o.startswith("hash=sha256:") for o in options))
    return pins


def declared() -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies, the test extra and the build requirements."""
    project = PYPROJECT["project"]
    return [Requirement(r) for r in (*project["dependencies"], *project["optional-dependencies"]["test"],
                                     *PYPROJECT["build-system"]["requires"])]


def closure(roots: list[Requirement]) -> tuple[set[NormalizedName], set[NormalizedName]]:
    """The installed distributions `roots` need here, markers and extras honoured; and the names any
    of them asks for only on another platform or Python (a universal lock pins those too)."""
    needed: set[NormalizedName] = set()
    elsewhere: set[NormalizedName] = set()
    todo = [(r, frozenset(r.extras)) for r in roots if r.marker is None or r.marker.evaluate()]
    done: set[tuple[NormalizedName, frozenset[str]]] = set()
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if (name, extras) in done:
            continue
        done.add((name, extras))
        needed.add(name)
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # not installed: the environment test names it; here it still counts as needed
        for text in requires:
            sub = Requirement(text)
            wanted = [{"extra": e} for e in ("", *extras)]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in wanted):
                todo.append((sub, frozenset(sub.extras)))
            elif "extra" not in str(sub.marker):
                elsewhere.add(canonicalize_name(sub.name))
    return needed, elsewhere


def test_every_pin_has_hashes() -> None:
    pins = locked()
    assert len(pins) > len(declared())
    assert not [name for name, pin in pins.items() if pin.hashes == 0]


def test_every_declared_requirement_is_locked_at_a_version_it_allows() -> None:
    pins = locked()
    wrong = {}
    for req in declared():
        pin = pins.get(canonicalize_name(req.name))
        if pin is None or not req.specifier.contains(pin.version, prereleases=True):
            wrong[str(req)] = str(pin.version) if pin else "not locked"
    assert not wrong, f"pyproject.toml and the lock disagree (run ./dev.sh lock): {wrong}"


def test_the_lock_holds_the_dependency_closure_and_nothing_else() -> None:
    pins = locked()
    needed, elsewhere = closure(declared())
    here = {name for name, pin in pins.items() if pin.applies}
    assert not needed - here, f"needed but not locked (run ./dev.sh lock): {sorted(needed - here)}"
    assert not here - needed, f"locked but nothing needs it (run ./dev.sh lock): {sorted(here - needed)}"
    other = {name for name, pin in pins.items() if not pin.applies}
    assert not other - elsewhere, f"locked for another platform, but nothing asks for it: {sorted(other - elsewhere)}"


def test_this_environment_runs_exactly_the_lock() -> None:
    """A clean clone's ./dev.sh test runs the locked versions, and only them."""
    pins = locked()
    installed = {canonicalize_name(d.metadata["Name"]): Version(d.version) for d in metadata.distributions()}
    differ = {name: (str(pin.version), str(installed.get(name, "missing")))
              for name, pin in pins.items() if pin.applies and installed.get(name) != pin.version}
    assert not differ, f"installed versions differ from the lock (locked, installed): {differ}"
    extra = set(installed) - set(pins) - NOT_LOCKED
    assert not extra, f"installed but not in the lock: {sorted(extra)}"
