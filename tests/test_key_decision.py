"""Herefordshire's key-decision paragraph in three parts (issue 22, item 5): the reason (the report's own or
none), the spending or wards test only when the report says that is why it is key, and the notice sentence,
always; a report's own statement replaces only the reason."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reportgen.errors import ContentError
from reportgen.html.report import report_page
from reportgen.importer.run import import_file
from reportgen.pipeline import prepare, render_report
from reportgen.style.profile import load_profile
from reportgen.style.settings import DEFAULTS

from .docxtext import read
from .htmltext import page_text
from .importnorm import load_folder, normalised

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "examples" / "models" / "herefordshire-2026-12-library-opening-hours"
TEXTS = load_profile("herefordshire").text
NOTICE = " ".join(TEXTS.key_decision_notice.split())
SPENDING = " ".join(TEXTS.key_decision_tests.spending.split())
WARDS = " ".join(TEXTS.key_decision_tests.wards.split())
OWN = "The new contract covers every library in the county."


def key_report(tmp_path: Path, **decision: object) -> Path:
    """The Herefordshire example made a key decision with `decision` added to its decision_type."""
    folder = tmp_path / "report"
    shutil.copytree(EXAMPLE, folder)
    data = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    data["decision_type"] = {"key": True, "forward_plan_ref": "FP/2027/12", "notice_date": "2026-11-02", **decision}
    (folder / "report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def paragraph(folder: Path) -> str:
    """The key-decision paragraph as the DOCX prints it, checked to be what the web page prints too."""
    built = folder.parent / "built.docx"
    built.write_bytes(render_report(folder)[1])
    lines = [" ".join(p.text.split()) for p in read(built)[0]]
    [printed] = [line for line in lines if NOTICE in line]
    assert printed in " ".join(page_text(report_page(prepare(folder))).split())
    return printed


@pytest.mark.parametrize("decision, parts", [
    ({}, [NOTICE]),
    ({"key_because": ["spending"]}, [SPENDING, NOTICE]),
    ({"key_because": ["wards"]}, [WARDS, NOTICE]),
    ({"key_because": ["spending", "wards"]}, [SPENDING, WARDS, NOTICE]),
    ({"statement": OWN}, [OWN, NOTICE]),
    ({"statement": OWN, "key_because": ["wards"]}, [OWN, WARDS, NOTICE]),
], ids=["no-reason", "spending", "wards", "both", "own-reason", "own-reason-and-wards"])
def test_the_paragraph_prints_only_what_the_report_says(tmp_path: Path, decision: dict[str, object],
                                                        parts: list[str]) -> None:
    printed = paragraph(key_report(tmp_path, **decision))
    assert printed == " ".join(parts)
    assert ("£500,000" in printed) == ("spending" in decision.get("key_because", []))  # type: ignore[operator]


def test_key_because_is_refused_on_a_non_key_decision(tmp_path: Path) -> None:
    folder = key_report(tmp_path, key_because=["spending"])
    text = (folder / "report.yaml").read_text(encoding="utf-8").replace("key: true", "key: false")
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"report\.yaml:\d+:\d+: decision_type.*key_because is for a key decision"):
        prepare(folder)


def test_import_gives_back_the_reason_and_the_tests(tmp_path: Path) -> None:
    folder = key_report(tmp_path, statement=OWN, key_because=["spending", "wards"])
    out = tmp_path / "built.docx"
    out.write_bytes(render_report(folder)[1])
    import_file(out, DEFAULTS, out=tmp_path / "imported")
    back = normalised(*load_folder(tmp_path / "imported"))["decision_type"]
    assert back["statement"] == OWN and back["key_because"] == ["spending", "wards"]
