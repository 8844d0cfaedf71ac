"""The stamp of a meeting's inputs (publish.stamp): a republish with nothing changed is answered before any
YAML is parsed, as users run it (fresh processes), and never once one byte of an input has changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_startup import RUN_AND_LIST

STAMPED = "no input changed by a byte"  # what publish -v logs when the stamp answered
REPORT = "content/models/oxfordshire-2026-12-highways-maintenance-contract/report.yaml"


class Meeting:
    """A copy of the example meeting and the oxfordshire style, published as a draft by fresh processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT / "content" / "examples", root / "content")
        shutil.copytree(ROOT / "templates" / "oxfordshire", root / "styles" / "oxfordshire")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN")}
        self.env["REPORTGEN_HISTORY"] = str(root / "publications.json")
        self.args = ["-v", "publish", str(root / "content" / "meetings" / "2026-12-15-cabinet.yaml"),
                     "--out", str(root / "out"), "--draft", "--today", "2026-11-21", "--quiet", "--no-server",
                     "--styles", str(root / "styles")]

    def publish(self) -> str:
        """The log of one publish (a fresh process); it must succeed."""
        done = subprocess.run([str(Path(sys.executable).parent / "reportgen"), *self.args], cwd=self.root, env=self.env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stderr


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Meeting:
    found = Meeting(tmp_path_factory.mktemp("stamp"))
    assert STAMPED not in found.publish()  # the first publish builds
    return found


def test_an_unchanged_republish_is_answered_by_the_stamp_without_loading_the_meeting(meeting: Meeting) -> None:
    assert STAMPED in meeting.publish()
    watched = ["yaml", "pydantic", "reportgen.content.meeting", "reportgen.content.model", "reportgen.publish.write"]
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, ",".join(watched), *meeting.args], cwd=meeting.root,
                          env=meeting.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and STAMPED in done.stderr, done.stderr
    assert done.stdout.splitlines()[-1] == "imported: "  # no YAML parser, no model, no writer


@pytest.mark.parametrize("changed", [REPORT, "styles/oxfordshire/profile.yaml"])
def test_one_changed_byte_of_a_report_or_a_style_redoes_the_work(meeting: Meeting, changed: str) -> None:
    path = meeting.root / changed
    original = path.read_bytes()
    assert STAMPED in meeting.publish()  # armed
    # one byte: a report's text (the published papers change), or a comment of the style (they do not)
    edited = original.replace(b"drainage", b"drainagE", 1) if changed == REPORT else original + b"#"
    assert len(edited) - len(original) in (0, 1) and edited != original
    path.write_bytes(edited)
    try:
        log = meeting.publish()
        assert STAMPED not in log, log
        if changed == REPORT:
            assert "drainagE" in "".join(p.read_text(errors="ignore") for p in (meeting.root / "out").rglob("*.html"))
        assert STAMPED in meeting.publish()  # stamped again, for the edited bytes
    finally:
        path.write_bytes(original)
    assert STAMPED not in meeting.publish()  # the bytes moved back: a change too


def test_an_edited_web_template_or_stylesheet_changes_the_meeting_key_and_the_stamp(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """code_version digests reportgen's .py files only: the web edition's templates and stylesheets
    (keys.web_assets) must key the meeting and the stamp, or an edited one would never be republished."""
    import datetime as dt

    from reportgen.content.meeting import load_meeting
    from reportgen.publish import keys, stamp
    from reportgen.style.profile import DEFAULTS, load_profile
    from reportgen.style.settings import Settings

    loaded = load_meeting(ROOT / "content" / "examples" / "meetings" / "2026-12-15-cabinet.yaml")
    profile, settings, day = load_profile("oxfordshire", DEFAULTS), Settings.load(ROOT), dt.date(2026, 11, 21)
    seen = set()
    for assets in ("before", "after"):
        monkeypatch.setattr(keys, "web_assets", lambda: assets)
        monkeypatch.setattr(stamp, "web_assets", lambda: assets)
        seen.add((keys.meeting_key(loaded, {}, profile, Path("out"), day, False, None),
                  stamp.stamp_key(loaded.path, Path("out"), settings, day, False, None)))
    (first_meeting, first_stamp), (second_meeting, second_stamp) = seen
    assert first_meeting != second_meeting and first_stamp != second_stamp
