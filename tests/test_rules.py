"""The rule catalogue: every rule fires on a scenario made for it and stays quiet on a near miss.

Scenarios are small edits of tests/fixtures/check-clean, a report with no findings at all as of
TODAY. Each FIRES case lists the exact findings its rule must produce (severity, message, key path,
and the line they point at) and which other rules the edit may also trip; each QUIET case is a
near miss the rule must not report. test_every_rule_is_tested fails when a rule is added to the
catalogue without both.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import textstat
import yaml

from reportgen.check import rules as _rules  # noqa: F401  (registers the catalogue)
from reportgen.check.output import exit_code
from reportgen.check.catalogue import catalogue
from reportgen.pipeline import check_report
from reportgen.errors import ContentError, ReportgenError, StyleError
from reportgen.content.project import Project
from reportgen.style.profile import DEFAULTS, TEMPLATES_DIR, Settings
from reportgen.pipeline import prepare, sign
from reportgen.content.load import load_report
from reportgen.content.signoff import append_signoff, new_record
from reportgen.layout.arrange import printed_words

from .conftest import FIXTURES
from .sshkeys import allowed_signers, keygen, signers

TODAY = dt.date(2026, 11, 21)
CLEAN = FIXTURES / "check-clean"
Edit = Callable[[dict], Any]


# --- building scenarios -------------------------------------------------------------------

def clean_data() -> dict:
    return yaml.safe_load((CLEAN / "report.yaml").read_text(encoding="utf-8"))


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


ROLES = ("Governance", "Finance", "Legal", "Equality")  # herefordshire's required reviewers


def sign_roles(folder: Path, roles: tuple[str, ...] = ROLES, name: str = "A Reviewer",
               date: dt.date = dt.date(2026, 11, 18), **more: Any) -> None:
    """Record sign-offs as `reportgen sign` does, without checking the report first (a test shortcut).

    Content that cannot be loaded cannot be signed; it is left unsigned."""
    try:
        # A sign-off is bound to the words as printed in the house style: a scenario's own style copy
        # (house_style, beside its content folder) is where its report's style is found.
        styles = [p for p in (folder.parent.parent / "styles",) if p.is_dir()]
        prepared = prepare(folder, Settings.with_styles(*styles))
    except ReportgenError:
        return
    printed = printed_words(prepared.layout)
    for role in roles:
        append_signoff(prepared.loaded, new_record(prepared.loaded, role, name, date, printed, **more), printed)


def make_report(folder: Path, *edits: Edit, signed: bool = True) -> Path:
    """A copy of the clean report (with its appendix file) in `folder`, changed by `edits`.

    The edited content is signed off again by every role the clean report was (unless `signed` is false),
    so a scenario shows only the findings of its own edit.
    """
    shutil.copytree(CLEAN, folder, ignore=shutil.ignore_patterns("signoff.yaml", "signed"))
    if edits:
        data = clean_data()
        for edit in edits:
            edit(data)
        (folder / "report.yaml").write_text(dump(data), encoding="utf-8")
    if signed:
        if edits:
            sign_roles(folder)
        else:
            shutil.copy(CLEAN / "signoff.yaml", folder / "signoff.yaml")
            shutil.copytree(CLEAN / "signed", folder / "signed")
    return folder


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def drop(*path: str | int) -> Edit:
    return lambda d: _at(d, path[:-1]).pop(path[-1])


def put(*path: str | int, value: Any) -> Edit:
    def edit(d: dict) -> None:
        _at(d, path[:-1])[path[-1]] = value
    return edit


def add(*path: str | int, value: Any) -> Edit:
    return lambda d: _at(d, path).append(value)


def line_of(folder: Path, needle: str) -> int:
    """1-based number of the first line of report.yaml that contains `needle`."""
    for n, line in enumerate((folder / "report.yaml").read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {folder / 'report.yaml'}")


def as_settings(styles: "list[Path] | Settings | None") -> Settings:
    """A scenario's style folders (or settings) as the settings a command would pass."""
    if styles is None:
        return DEFAULTS
    return styles if isinstance(styles, Settings) else Settings.with_styles(*styles)


def findings(folder: Path, today: dt.date = TODAY, styles: "list[Path] | Settings | None" = None):
    result = check_report(folder, today, as_settings(styles))
    assert result.unusable is None, result.unusable
    return result.findings


def _append(path: Path, data: bytes) -> None:
    """Change a file's bytes, keeping it a readable PDF (readers ignore what follows %%EOF)."""
    with path.open("ab") as f:
        f.write(data)


def edit_text(folder: Path, old: str, new: str) -> None:
    path = folder / "report.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def words(n: int) -> str:
    """A plain sentence of exactly n short words."""
    pool = "the new hours help people who work and study to use the library in the evening".split()
    return " ".join(pool[i % len(pool)] for i in range(n)).capitalize() + "."


# --- the base report ----------------------------------------------------------------------

def test_the_clean_report_has_no_findings_at_all() -> None:
    result = check_report(CLEAN, TODAY)
    assert result.unusable is None
    assert [str(f) for f in result.findings] == []
    assert result.ready(strict=True)


def test_the_scenario_helper_keeps_the_report_clean(tmp_path: Path) -> None:
    # Re-dumping the YAML must not change what the checks see.
    folder = make_report(tmp_path / "r", lambda d: None)
    assert "#" not in (folder / "report.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert findings(folder) == []


# --- every rule fires ---------------------------------------------------------------------

@dataclass
class Fires:
    rule: str
    name: str
    edits: tuple[Edit, ...]
    #: (severity, message, key) of each finding of `rule`, in the order reported.
    expected: list[tuple[str, str, str]]
    #: a substring of the line each finding points at (same order), or None not to check lines.
    at: list[str] | None = None
    #: other rules the same edit trips (documented side effects; anything else fails the test).
    also: frozenset[str] = frozenset()
    setup: Callable[[Path], None] | None = None
    today: dt.date = TODAY
    #: whether the edited report is signed off by every role first (see make_report)
    signed: bool = True
    #: the file the findings point at
    file: str = "report.yaml"
    #: the house-style search path to check with, made for the scenario's folder
    styles: Callable[[Path], Any] | None = None


def _sign(role: str, name: str, date: dt.date) -> Callable[[Path], None]:
    return lambda folder: sign_roles(folder, (role,), name, date)


def _edit_records(change: Callable[[list[dict]], None]) -> Callable[[Path], None]:
    """Edit signoff.yaml by hand, as someone bypassing `reportgen sign` would."""
    def setup(folder: Path) -> None:
        path = folder / "signoff.yaml"
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(records)
        path.write_text(yaml.safe_dump(records, sort_keys=False, indent=4), encoding="utf-8")
    return setup


def _rename_third(records: list[dict]) -> None:
    records[2]["name"] = "Someone Else"


def _undigest_first(records: list[dict]) -> None:
    del records[0]["record_digest"]


def _signers(folder: Path) -> Settings:
    """A project's allowed signers listing one reviewer's key (made in the scenario's tmp folder)."""
    keys = folder.parent / "keys"
    if not (keys / "reviewer").is_file():
        allowed_signers(keys / "allowed_signers", reviewer_at_council=keygen(keys, "reviewer"))
        signers(keys / "signers.yaml", reviewer_at_council=("A Reviewer", list(ROLES)))
    return Settings(project=Project(path=keys / "reportgen.yaml", allowed_signers="allowed_signers",
                                    signers="signers.yaml"))


def _sign_with_key(folder: Path) -> None:
    for role in ROLES:
        sign(folder, role, "A Reviewer", dt.date(2026, 11, 18), _signers(folder), today=TODAY,
             key=folder.parent / "keys" / "reviewer")


def _sign_as_priya_with_the_reviewers_key(folder: Path) -> None:
    """Records signed with A Reviewer's key under another name, outside the project (so `sign` allowed it)."""
    _signers(folder)
    for role in ROLES:
        sign(folder, role, "Priya Shah", dt.date(2026, 11, 18), Settings(), today=TODAY,
             key=folder.parent / "keys" / "reviewer", signer="reviewer@council")


def _sign_under(folder: Path) -> None:
    """Every role signed with `reportgen sign` under the bundled style, which keeps the bar it set."""
    for role in ROLES:
        sign(folder, role, "A Reviewer", dt.date(2026, 11, 18), today=TODAY)


def _project_rules(rules: dict[str, Any]) -> Callable[[Path], Settings]:
    return lambda folder: Settings(project=Project(path=folder.parent / "reportgen.yaml", rules=rules))


def _style_without_reference(tmp: Path) -> list[Path]:
    """A copy of herefordshire, named noref, that prints no forward-plan reference."""
    styles = tmp / "styles"
    if not (styles / "noref").is_dir():
        shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / "noref")
        path = styles / "noref" / "profile.yaml"
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))
        profile["text"]["forward_plan"] = ""
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    return [styles]


def _variant(tmp: Path, name: str, change: Callable[[dict], None], files: dict[str, str] | None = None) -> list[Path]:
    """A copy of herefordshire named `name`, its profile changed by `change`, with extra `files` in it."""
    styles = tmp / "styles"
    if not (styles / name).is_dir():
        shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / name)
        path = styles / name / "profile.yaml"
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(profile)
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        for file, text in (files or {}).items():
            (styles / name / file).write_text(text, encoding="utf-8")
    return [styles]


def _style_words(folder: Path) -> list[Path]:
    """A style whose word list knows the name of a place the dictionary does not (Wyebridge)."""
    return _variant(folder.parent, "spell", lambda p: p.update(words="place-names.txt"),
                    {"place-names.txt": "# places\nWyebridge\n"})


def _project_words(folder: Path) -> Settings:
    """A project (reportgen.yaml) whose own word list knows Wyebridge."""
    (folder.parent / "words.txt").write_text("Wyebridge\n", encoding="utf-8")
    (folder.parent / "reportgen.yaml").write_text("words: words.txt\n", encoding="utf-8")
    return Settings.load(folder.parent)


def _style_guidance(folder: Path) -> list[Path]:
    return _variant(folder.parent, "guided", lambda p: p.update(guidance=["say here which wards are affected"]))


def _style_without_reasons(folder: Path) -> list[Path]:
    return _variant(folder.parent, "noreasons",
                    lambda p: p.update(sections=[s for s in p["sections"] if s.get("key") != "reasons"]))


def _style_requiring_references(folder: Path) -> list[Path]:
    return _variant(folder.parent, "refs", lambda p: p.update(rules={"RG402": {"require_reference": True}}))


TYPED = [{"role": "Finance", "name": "Judith Okafor", "date": dt.date(2026, 11, 10)}, {"role": "Legal"}]


LONG_WORDS = ("Consultation participants overwhelmingly characterised existing arrangements as "
              "unsatisfactory. Respondents identified considerable inconsistencies regarding "
              "availability, accessibility and organisational responsiveness. Professional "
              "organisations recommended comprehensive reconsideration of operational "
              "responsibilities. Representatives additionally emphasised intergenerational "
              "opportunities, particularly educational collaboration, volunteering initiatives "
              "and technological experimentation. Participants appreciated the improvements.")

FIRES: list[Fires] = [
    # RG101 required section missing
    Fires("RG101", "legal-missing", (drop("legal"),),
          [("error", "required section 'Legal implications' (legal) is missing", "")], ["title:"]),
    Fires("RG101", "two-missing", (drop("consultees"), drop("community_impact")),
          [("error", "required section 'Community impact' (community_impact) is missing", ""),
           ("error", "required section 'Consultees' (consultees) is missing", "")], ["title:", "title:"]),
    # RG102 section empty or not a sentence
    Fires("RG102", "legal-na", (put("legal", value="N/A"),),
          [("error", "section 'Legal implications' says only 'N/A', not a sentence", "legal")], ["legal:"],
          also=frozenset({"RG110"})),  # "N/A" has no full stop either
    Fires("RG102", "consultees-none", (put("consultees", value=["None."]),),
          [("error", "section 'Consultees' says only 'None.', not a sentence", "consultees")], ["consultees:"]),
    Fires("RG102", "consultees-empty", (put("consultees", value=""),),
          [("error", "section 'Consultees' is empty", "consultees")], ["consultees:"]),
    # RG103 recommendations missing or lettered by hand
    Fires("RG103", "no-items", (put("recommendations", value={"items": []}),),
          [("error", "the report makes no recommendation", "recommendations")], ["recommendations:"],
          also=frozenset({"RG113"})),  # the recommendation was the only reference to appendix 1
    Fires("RG103", "missing", (drop("recommendations"),),
          [("error", "the report makes no recommendation", "")], ["title:"], also=frozenset({"RG113"})),
    Fires("RG103", "hand-lettered",
          (put("recommendations", "items", 1, "text", value="(b) Up to £12,000 be spent on extra staff hours."),),
          [("error", "recommendation starts with its own letter '(b)'", "recommendations.items[1].text")],
          ["(b) Up to"]),
    # RG104 lead-in differs from the house style (warning)
    Fires("RG104", "own-lead-in", (put("recommendations", "lead_in", value="We recommend:"),),
          [("warning", "lead-in 'We recommend:' does not open with 'That:'", "recommendations.lead_in")],
          ["lead_in:"]),
    # RG105 reasons missing
    Fires("RG105", "missing", (drop("reasons"),),  # located at the recommendations it gives no reasons for
          [("error", "no reasons for the recommendations are given", "recommendations")], ["recommendations:"]),
    Fires("RG105", "empty", (put("reasons", value=""),),
          [("error", "the reasons for the recommendations are empty", "reasons")], ["reasons:"],
          also=frozenset({"RG102"})),
    # RG106 alternative options missing or unexplained
    Fires("RG106", "missing", (drop("alternative_options"),),
          [("error", "no alternative options are given", "")], ["title:"]),
    Fires("RG106", "no-options", (put("alternative_options", value={"options": []}),),
          [("error", "no alternative options are given", "alternative_options")], ["alternative_options:"]),
    Fires("RG106", "no-reason", (drop("alternative_options", "options", 1, "reason"),),
          [("error", "option does not say why it is not recommended", "alternative_options.options[1]")],
          ["Open on Sundays"]),
    # RG107 few alternative options (warning)
    Fires("RG107", "one-option", (drop("alternative_options", "options", 1),),
          [("warning", "only 1 alternative option(s); give at least 2", "alternative_options")],
          ["alternative_options:"]),
    Fires("RG107", "recommended-does-not-count",
          (put("alternative_options", "options", 1, "recommended", value=True),),
          [("warning", "only 1 alternative option(s); give at least 2", "alternative_options")]),
    Fires("RG107", "no-do-nothing", (put("alternative_options", "options", 0, "option", value="Open on Saturdays."),),
          [("warning", "no 'do nothing' option", "alternative_options")], ["alternative_options:"]),
    # RG108 placeholder text
    Fires("RG108", "tbc", (put("legal", value=["The legal advice is TBC."]),),
          [("error", "placeholder 'TBC' left in the text", "legal[0].text")], ["The legal advice is TBC."],
          also=frozenset({"RG201"})),  # TBC also reads as an unexplained acronym
    Fires("RG108", "insert", (add("key_considerations", value="The library had [insert number] visits."),),
          [("error", "placeholder '[insert number]' left in the text", "key_considerations[2].text")],
          ["[insert number]"]),
    Fires("RG108", "table-cell", (put("financial", 0, "table", "rows", 1, 0, value="XXX"),),
          [("error", "placeholder 'XXX' left in the text", "financial[0].table")], ["table:"],
          also=frozenset({"RG201"})),
    Fires("RG108", "title", (put("title", value="Cabinet member decision on opening hours [insert library]"),),
          [("error", "placeholder '[insert library]' left in the text", "title")], ["title:"]),
    # RG109 link goes nowhere
    Fires("RG109", "hash", (put("legal", value=["The council must follow the [library guidance](#)."]),),
          [("error", "link target is '#': it goes nowhere", "legal[0].text")], ["library guidance"]),
    Fires("RG109", "empty", (put("legal", value=["The council must follow the [library guidance]()."]),),
          [("error", "link target is '': it goes nowhere", "legal[0].text")], ["library guidance"]),
    # RG119 link to a scheme other than http, https, mailto, tel (prints as text)
    Fires("RG119", "search-ms", (put("legal", value=["Open the [library files](search-ms:query=x) for the act."]),),
          [("error", "link to 'search-ms:query=x' prints as text: only http, https, mailto and tel links work",
            "legal[0].text")], ["library files"]),
    Fires("RG119", "file-and-javascript",
          (put("legal", value=["See [the act](file:///etc/passwd) and [this](javascript:alert(1)) for the law."]),),
          [("error", "link to 'file:///etc/passwd' prints as text: only http, https, mailto and tel links work",
            "legal[0].text"),
           ("error", "link to 'javascript:alert(1' prints as text: only http, https, mailto and tel links work",
            "legal[0].text")], ["the act", "the act"]),
    # RG110 paragraph stops mid-sentence
    Fires("RG110", "short", (put("community_impact", value=["Later hours help students and"]),),
          [("error", "paragraph stops mid-sentence: '…Later hours help students and'", "community_impact[0].text")],
          ["Later hours help"]),
    Fires("RG110", "tail", (put("legal", value=["The council must run a good library service, but the"]),),
          [("error", "paragraph stops mid-sentence: '… good library service, but the'", "legal[0].text")],
          ["but the"]),
    Fires("RG110", "recommendation-without-full-stop",
          (put("recommendations", "items", 0, "text", value="The new opening hours in appendix 1 be agreed"),),
          [("error", "paragraph stops mid-sentence: '… hours in appendix 1 be agreed'", "recommendations.items[0].text")],
          ["be agreed"]),
    Fires("RG110", "quoted-words-mid-sentence",
          (add("legal", value="The strategy asks for “a comprehensive service” and"),),
          [("error", "paragraph stops mid-sentence: '… “a comprehensive service” and'", "legal[1].text")],
          ["comprehensive service"]),
    Fires("RG110", "option-without-full-stop",
          (put("alternative_options", "options", 1, "reason", value="This is not recommended, because few asked"),),
          [("error", "paragraph stops mid-sentence: '…recommended, because few asked'", "alternative_options.options[1]")],
          ["Open on Sundays"]),
    # RG111 reference to a paragraph that does not exist
    Fires("RG111", "missing-paragraph", (add("key_considerations", value="The costs are in paragraph 99."),),
          [("error", "refers to paragraph 99, which does not exist", "key_considerations[2].text")],
          ["paragraph 99"]),
    Fires("RG111", "one-of-a-list", (add("key_considerations", value="See paragraphs 2 and 40."),),
          [("error", "refers to paragraph 40, which does not exist", "key_considerations[2].text")],
          ["paragraphs 2 and 40"]),
    # RG112 reference to an appendix that does not exist
    Fires("RG112", "appendix-2", (add("key_considerations", value="Appendix 2 shows the costs."),),
          [("error", "refers to Appendix 2, but the report has no appendix 2", "key_considerations[2].text")],
          ["Appendix 2 shows"]),
    Fires("RG112", "list-of-ids", (add("key_considerations", value="Appendices 1 and 3 show the hours."),),
          [("error", "refers to Appendices 3, but the report has no appendix 3", "key_considerations[2].text")],
          ["Appendices 1 and 3"]),
    # RG113 appendix never referred to (warning)
    Fires("RG113", "unreferenced", (add("appendices", value={"id": 2, "title": "Consultation responses"}),),
          [("warning", "appendix 2 (Consultation responses) is never referred to in the text", "appendices[1]")],
          ["id: 2"]),
    # RG114 appendix file missing
    Fires("RG114", "wrong-name", (put("appendices", 0, "file", value="missing.pdf"),),
          [("error", "appendix file not found: missing.pdf", "appendices[0].file")], ["file: missing.pdf"]),
    Fires("RG114", "file-deleted", (), [("error", "appendix file not found: appendix-1.pdf", "appendices[0].file")],
          ["file: appendix-1.pdf"], setup=lambda folder: (folder / "appendix-1.pdf").unlink(),
          also=frozenset({"RG503"})),  # the sign-offs cleared the file
    # RG115 background papers not listed
    Fires("RG115", "missing", (drop("background_papers"),),
          [("error", "background papers are neither listed nor stated as none", "")], ["title:"]),
    Fires("RG115", "blank", (put("background_papers", value=""),),
          [("error", "background papers are neither listed nor stated as none", "background_papers")],
          ["background_papers:"]),
    Fires("RG115", "empty-list", (put("background_papers", value=[]),),
          [("error", "background papers are neither listed nor stated as none", "background_papers")],
          ["background_papers:"]),
    # RG116 paragraph number typed by hand
    Fires("RG116", "typed-number", (add("key_considerations", value="3. The council will review the hours in 2028."),),
          [("error", "starts with a hand-typed paragraph number '3.'", "key_considerations[2].text")], ["3. The council"]),
    Fires("RG116", "section-number", (add("legal", value="4.2 The council may change the hours."),),
          [("error", "starts with a hand-typed paragraph number '4.2'", "legal[1].text")], ["4.2 The council"]),
    # RG117 template guidance left in
    Fires("RG117", "please-complete", (put("legal", value=["Please complete this section with the legal advice."]),),
          [("error", "template guidance left in the text: 'Please complete this section'", "legal[0]")],
          ["Please complete"]),
    Fires("RG117", "guidance-label", (add("consultees", value="Guidance: say who was consulted and what they said."),),
          [("error", "template guidance left in the text: 'Guidance:'", "consultees[1]")], ["Guidance: say"]),
    Fires("RG117", "style-phrase-in-any-field",
          (put("style", value="guided"), put("report_by", value="Say here which wards are affected")),
          [("error", "template guidance left in the text: 'Say here which wards are affected'", "report_by")],
          ["report_by:"], styles=_style_guidance, also=frozenset({"RG501"}), signed=False),  # signed in herefordshire
    Fires("RG117", "instructions-to-the-author",
          (put("style", value="oxfordshire"),  # its template asks for a glossary
           add("key_considerations", value="Please include a glossary of terms."),
           add("legal", value="Insert the legal advice. The officer is [name of officer]."),
           put("financial", 0, "table", "rows", 1, 0, value="Heat and light (delete as appropriate)"),
           add("consultees", value="This section must be completed before publication.")),
          [("error", "template guidance left in the text: 'Please include a glossary'", "key_considerations[2]"),
           ("error", "template guidance left in the text: 'delete as appropriate'", "financial[0].table.rows[1][0]"),
           ("error", "template guidance left in the text: 'Insert'", "legal[1]"),
           ("error", "template guidance left in the text: 'must be completed before publication'",
            "consultees[1]")],
          also=frozenset({"RG501"}), signed=False),  # signed for herefordshire only
    # RG118 reference to an unknown label: a finding like any other, not unusable input
    Fires("RG118", "typo", (add("key_considerations", value="As paragraph [[visit]] shows, evenings are busy."),),
          [("error", "reference to unknown label [[visit]] (did you mean [[visits]]?)", "key_considerations[2].text")],
          ["[[visit]]"]),
    # RG201 acronym not expanded (warning), reported once, at first use
    Fires("RG201", "lga", (add("legal", value="The LGA agrees. The LGA has said so before."),),
          [("warning", "LGA is not expanded at first use or in the glossary", "legal[1].text")], ["The LGA agrees"]),
    Fires("RG201", "expanded-too-late",
          (put("purpose", value=["The LGA agrees with the new hours for the library."]),
           add("legal", value="The Local Government Association (LGA) agrees.")),
          [("warning", "LGA is not expanded at first use or in the glossary", "purpose[0].text")], ["The LGA agrees"]),
    Fires("RG201", "after-an-all-caps-heading",
          (add("key_considerations", value={"heading": "CURRENT OPENING HOURS"}),
           add("key_considerations", value="The LGA agrees.")),
          [("warning", "LGA is not expanded at first use or in the glossary", "key_considerations[3].text")],
          ["The LGA agrees"]),
    Fires("RG201", "plural-and-table", (put("financial", 0, "table", "rows", 0, 0, value="SLAs"),),
          [("warning", "SLA is not expanded at first use or in the glossary", "financial[0].table")], ["table:"]),
    # RG202 glossary entry not used (warning)
    Fires("RG202", "unused", (put("glossary", "Open access", value="Self-service opening"),),
          [("warning", "glossary term 'Open access' is not used in the report", "glossary.Open access")],
          ["Open access:"]),
    Fires("RG202", "acronym-case-matters", (put("glossary", "PIN", value="Personal identification number"),
                                            add("legal", value="Staff will pin the new hours to the door.")),
          [("warning", "glossary term 'PIN' is not used in the report", "glossary.PIN")], ["PIN:"]),
    # RG203 hard to read (warning)
    Fires("RG203", "long-sentence-in-purpose", (put("purpose", value=[words(30)]),),
          [("warning", "section 'purpose': 1 of 1 sentences over 25 words (longest 30)", "purpose")], ["purpose:"]),
    Fires("RG203", "many-long-sentences",
          (put("key_considerations", value=[words(26), words(27), "Most came after 3pm."]),),
          [("warning", "section 'key_considerations': 2 of 3 sentences over 25 words (longest 27)",
            "key_considerations")], ["key_considerations:"]),
    Fires("RG203", "reading-ease", (put("consultees", value=[LONG_WORDS]),),
          [("warning", f"section 'consultees': reading ease {textstat.flesch_reading_ease(LONG_WORDS):.0f} "
                       "(aim for 30 or more)", "consultees")], ["consultees:"]),
    # RG301 total does not add up
    Fires("RG301", "wrong-total", (put("financial", 0, "table", "total", 1, value=13000),),
          [("error", "total 13000 in column 'Amount £' does not equal the sum of the rows (12000)",
            "financial[0].table.total")], ["total:"]),
    Fires("RG301", "text-cells",
          (put("financial", 0, "table", "rows", value=[["Staff hours", "£12,500"], ["Saving", "(500)"]]),
           put("financial", 0, "table", "total", value=["Total", "£12,500"])),
          [("error", "total 12500 in column 'Amount £' does not equal the sum of the rows (12000)",
            "financial[0].table.total")], ["total:"]),
    Fires("RG301", "decimals-and-recommendation-table",
          (put("recommendations", "items", 1, "table",
               value={"columns": ["Item", "£m"], "rows": [["Staff", 1.25], ["Heat", 0.5]], "total": ["Total", 1.7]}),),
          [("error", "total 1.70 in column '£m' does not equal the sum of the rows (1.75)",
            "recommendations.items[1].table.total")], ["total:"]),
    # RG204 spelling (warning): British English, one finding per word, with suggestions
    Fires("RG204", "misspelt", (add("key_considerations", value="The libary will open later. The libary is busy."),),
          [("warning", "'libary' is not in the en_GB dictionary (did you mean 'library', 'biliary'?)",
            "key_considerations[2].text")], ["The libary will"]),
    Fires("RG204", "american-spelling", (add("community_impact", value="The center will organize the color scheme."),),
          [("warning", "'center' is not in the en_GB dictionary (did you mean 'centre', 'venter', 'enter'?)",
            "community_impact[1].text"),
           ("warning", "'color' is not in the en_GB dictionary (did you mean 'colour', 'colon', 'col-or'?)",
            "community_impact[1].text")], None),
    # RG205 repeated word (warning)
    Fires("RG205", "the-the", (add("legal", value="The council must publish the the hours."),),
          [("warning", "'the the': the word is repeated", "legal[1].text")], ["publish the the"]),
    # RG206 acronym written more than one way (warning)
    Fires("RG206", "dotted-half-dotted-plain",
          (put("glossary", "ICT", value="Information and communications technology"),
           add("key_considerations", value="The ICT team and the I.C.T. board agree. I.CT staff too.")),
          [("warning", "ICT is written 3 ways: ICT, I.C.T, I.CT", "key_considerations[2].text")], ["I.C.T. board"]),
    # RG207 recommendation without a verb of decision (warning)
    Fires("RG207", "repeats-the-title",
          (put("recommendations", "items", 0, "text", value="Cabinet member communities: opening hours at Hereford Library."),),
          [("warning", "the recommendation has no verb of decision (approve, agree, note, delegate ...)",
            "recommendations.items[0].text")], ["Cabinet member communities: opening"],
          also=frozenset({"RG113"})),  # the recommendation was the only reference to appendix 1
    # RG401 five clear working days
    Fires("RG401", "late", (put("publication_date", value=dt.date(2026, 12, 7)),),
          [("error", "published 7 December 2026, only 2 clear working days before 10 December 2026 (needs 5)",
            "publication_date")], ["publication_date:"]),
    Fires("RG401", "one-day-late", (put("publication_date", value=dt.date(2026, 12, 3)),),
          [("error", "published 3 December 2026, only 4 clear working days before 10 December 2026 (needs 5)",
            "publication_date")]),
    Fires("RG401", "bank-holidays",
          (put("decision_date", value=dt.date(2027, 1, 5)), put("publication_date", value=dt.date(2026, 12, 24))),
          [("error", "published 24 December 2026, only 4 clear working days before 5 January 2027 (needs 5)",
            "publication_date")]),
    Fires("RG401", "no-publication-date", (drop("publication_date"),),
          [("error", "no publication_date: it must be published by 2 December 2026 for the 10 December 2026 decision",
            "decision_date")], ["decision_date:"]),  # at the date the deadline is counted back from
    Fires("RG401", "meeting",
          (drop("decision_date"), put("decision_maker", value="Cabinet"),
           put("meeting", value={"committee": "Cabinet", "date": dt.date(2026, 12, 8)})),
          [("error", "published 1 December 2026, only 4 clear working days before 8 December 2026 (needs 5)",
            "publication_date")]),
    # RG402 key decision without 28 days' notice
    Fires("RG402", "no-notice", (put("decision_type", value={"key": True}),),
          [("error", "key decision has no forward plan notice date (notice_date)", "decision_type")],
          ["decision_type:"]),
    Fires("RG402", "notice-without-reference-where-the-style-requires-one",
          (put("style", value="refs"), put("decision_type", value={"key": True, "notice_date": dt.date(2026, 11, 1)})),
          [("error", "key decision has no forward plan reference (forward_plan_ref)", "decision_type")],
          ["decision_type:"], styles=_style_requiring_references, also=frozenset({"RG501"}),
          signed=False),  # signed in herefordshire
    Fires("RG402", "late-notice",
          (put("decision_type", value={"key": True, "forward_plan_ref": "2026/041",
                                       "notice_date": dt.date(2026, 11, 12)}),),
          [("error", "forward plan notice on 12 November 2026 gives 27 clear days before 10 December 2026 (needs 28)",
            "decision_type.notice_date")], ["notice_date:"]),
    # RG403 looks like a key decision (warning)
    Fires("RG403", "value", (put("decision_value", value=600000),),
          [("warning", "not marked key, but its value £600,000 reaches the £500,000 threshold", "decision_type")],
          ["decision_type:"]),
    Fires("RG403", "all-wards", (put("wards", value="all"),),
          [("warning", "not marked key, but it affects all wards", "decision_type")]),
    Fires("RG403", "value-and-wards", (put("decision_value", value=500000), put("wards", value=["Central", "Tupsley"])),
          [("warning", "not marked key, but its value £500,000 reaches the £500,000 threshold and it affects 2 wards",
            "decision_type")]),
    # RG404 decision type not stated (warning)
    Fires("RG404", "missing", (drop("decision_type"),),
          [("warning", "the report does not say whether this is a key decision", "")], ["title:"]),
    # RG405 exempt without paragraph or public interest
    Fires("RG405", "report", (put("classification", value={"status": "exempt"}),),
          [("error", "the report is exempt but cites no Schedule 12A paragraph", "classification"),
           ("error", "the report is exempt but has no public-interest statement", "classification")],
          ["classification:", "classification:"]),
    Fires("RG405", "appendix", (put("appendices", 0, "exempt", value={"paragraphs": [3]}),),
          [("error", "appendix 1 is exempt but has no public-interest statement", "appendices[0].exempt")],
          ["exempt:"]),
    # RG406 equality duty not addressed
    Fires("RG406", "missing", (drop("equality"),),
          [("error", "no equality section: the s.149 duty is not addressed (set equality.general_duty: true and "
                     "give equality.impact_assessment)", "")], ["title:"]),
    Fires("RG406", "no-duty", (put("equality", "general_duty", value=False),),
          [("error", "the equality section does not state the s.149 general duty: set equality.general_duty: true",
            "equality")], ["equality:"]),
    Fires("RG406", "no-assessment", (drop("equality", "impact_assessment"),),
          [("error", "the equality section does not say whether an equality impact assessment was done: "
                     "give equality.impact_assessment", "equality")],
          ["equality:"]),
    # RG411 text calls something not for publication that is not marked exempt
    Fires("RG411", "appendix-called-not-for-publication",
          (put("consultees", value="Staff costs are in appendix 1, which is not for publication."),),
          [("error", "calls Appendix 1 'not for publication', but it is not marked exempt (appendices[0].exempt): "
                     "it would be published", "consultees[0].text")], ["consultees:"]),
    Fires("RG411", "paragraph-called-confidential",
          (put("consultees", value="The details in this paragraph are confidential. Staff were asked."),),
          [("error", "calls this paragraph 'confidential', but the report is not marked exempt (classification): "
                     "it would be published", "consultees[0].text")], ["consultees:"]),
    # RG501 required sign-off missing: only a record written by `reportgen sign` for this content counts
    Fires("RG501", "nobody-signed", (), [("error", f"no sign-off from {role}", "title") for role in ROLES],
          ["title:"] * 4, signed=False),
    Fires("RG501", "role-missing", (), [("error", "no sign-off from Equality", "title")], ["title:"],
          signed=False, setup=lambda folder: sign_roles(folder, ROLES[:3])),
    Fires("RG501", "typed-names-do-not-count", (put("reviewers", value=TYPED),),
          [("error", f"no sign-off from {role}", "reviewers") for role in ROLES], ["reviewers:"] * 4,
          signed=False, also=frozenset({"RG504"})),
    # RG502 sign-off date impossible (pointing at the record in signoff.yaml)
    Fires("RG502", "recorded-in-the-future", (), [("error", "Finance sign-off is dated 2026-11-30, in the future",
                                                   "role")],
          signed=False, setup=_sign("Finance", "Judith Okafor", dt.date(2026, 11, 30)), also=frozenset({"RG501"}),
          file="signoff.yaml"),
    Fires("RG502", "after-publication", (),
          [("error", "Legal sign-off on 2026-12-03 is after publication on 2026-12-01", "role")],
          setup=_sign("Legal", "Samir Haddad", dt.date(2026, 12, 3)), today=dt.date(2026, 12, 5),
          file="signoff.yaml"),
    # RG503 sign-off is stale, naming what changed
    Fires("RG503", "wording-changed", (),
          [("error", f"{role} sign-off by A Reviewer on 2026-11-18 is stale: the content changed after it: "
                     "key_considerations changed", "key_considerations") for role in ROLES],
          ["key_considerations:"] * 4, setup=lambda folder: edit_text(folder, "9,000 visits", "9,500 visits")),
    Fires("RG503", "two-sections-and-an-appendix-file", (),
          [("error", "Legal sign-off by Samir Haddad on 2026-11-18 is stale: the content changed after it: "
                     "purpose, legal, appendix files changed", "purpose")], ["purpose:"],
          signed=False, also=frozenset({"RG501"}),
          setup=lambda folder: (sign_roles(folder, ("Legal",), "Samir Haddad"),
                                edit_text(folder, "open later on Thursdays", "open later on Fridays"),
                                edit_text(folder, "good library service", "good public library service"),
                                _append(folder / "appendix-1.pdf", b"% changed\n"))),
    # RG504 reviewers typed into report.yaml
    Fires("RG504", "typed-reviewer", (put("reviewers", value=TYPED),),
          [("error", "Finance sign-off by Judith Okafor is recorded but not bound to this content", "reviewers[0]")],
          ["role: Finance"]),
    Fires("RG504", "date-without-name", (put("reviewers", value=[{"role": "Legal", "date": dt.date(2026, 11, 9)}]),),
          [("error", "Legal sign-off is recorded but not bound to this content", "reviewers[0]")], ["role: Legal"]),
    # RG506 not signed by an allowed signer (the project lists allowed signers)
    Fires("RG506", "unsigned", (),
          [("error", f"{role} sign-off by A Reviewer is not signed (allowed signers: allowed_signers)", "role")
           for role in ROLES], styles=_signers, file="signoff.yaml"),
    # RG507 the author cleared their own report in a statutory role (separation of duties)
    Fires("RG507", "author-signs-as-finance", (put("author", value="Judith Okafor"),),
          [("error", "Finance sign-off does not count: Judith Okafor wrote this report and may not clear it as "
                     "Finance", "role")], signed=False, file="signoff.yaml",
          setup=lambda folder: (sign_roles(folder, ("Governance", "Legal", "Equality")),
                                sign_roles(folder, ("Finance",), "Judith Okafor"))),
    Fires("RG507", "contact-officer-signs-as-legal",
          (put("contact_officers", value=[{"name": "Samir Haddad", "role": "Solicitor"}]),),
          [("error", "Legal sign-off does not count: Samir Haddad wrote this report and may not clear it as Legal",
            "role")], signed=False, file="signoff.yaml",
          setup=lambda folder: (sign_roles(folder, ("Governance", "Finance", "Equality")),
                                sign_roles(folder, ("Legal",), "Samir Haddad"))),
    # RG508 a key-signed record whose name is not the key's person
    Fires("RG508", "forged-name-under-a-key", (),
          [("error", f"{role} sign-off by Priya Shah does not count: the key of reviewer@council is A Reviewer's, "
                     "not Priya Shah's", "role") for role in ROLES],
          signed=False, setup=_sign_as_priya_with_the_reviewers_key, styles=_signers, file="signoff.yaml"),
    # RG509 dates that cannot be true
    Fires("RG509", "backdated-without-reason", (),
          [("error", f"{role} sign-off by A Reviewer does not count: it is dated 2019-06-01, 2730 days before it "
                     "was recorded on 2026-11-21 (more than 3), with no reason given", "role") for role in ROLES],
          signed=False, file="signoff.yaml",
          setup=lambda folder: sign_roles(folder, date=dt.date(2019, 6, 1), recorded=TODAY)),
    Fires("RG509", "after-the-meeting", (),
          [("error", "Legal sign-off by Samir Haddad does not count: it is dated 2026-12-11, after the meeting on "
                     "2026-12-10", "role")], signed=False, file="signoff.yaml", today=dt.date(2026, 12, 12),
          setup=lambda folder: (sign_roles(folder, ("Governance", "Finance", "Equality")),
                                sign_roles(folder, ("Legal",), "Samir Haddad", dt.date(2026, 12, 11)))),
    # RG510 the house style lowered the bar since sign-off
    Fires("RG510", "rule-switched-off", (),
          [("error", "the bar was lowered since sign-off: RG401 lowered to a warning", "title"),
           ("error", "the bar was lowered since sign-off: RG203 switched off", "title")],
          ["title:", "title:"], signed=False, setup=_sign_under,
          styles=_project_rules({"RG203": "off", "RG401": "warning"})),
    # RG505 sign-off record altered by hand
    Fires("RG505", "name-changed", (),
          [("error", "Legal sign-off record by Someone Else was changed by hand: its record digest does not match",
            "role")], setup=_edit_records(_rename_third), file="signoff.yaml"),
    Fires("RG505", "digest-removed", (),
          [("error", "Governance sign-off record by A Reviewer has no record digest", "role")],
          setup=_edit_records(_undigest_first), file="signoff.yaml"),
]


@pytest.mark.parametrize("case", FIRES, ids=[f"{c.rule}-{c.name}" for c in FIRES])
def test_rule_fires(case: Fires, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "report", *case.edits, signed=case.signed)
    if case.setup:
        case.setup(folder)
    found = findings(folder, case.today, case.styles(folder) if case.styles else None)
    mine = [f for f in found if f.rule == case.rule]
    assert [(f.severity, f.message, f.key) for f in mine] == case.expected
    assert {f.rule for f in found} - {case.rule} == set(case.also)
    for f in mine:
        assert f.file == str(folder / case.file)
        assert f.hint == catalogue()[case.rule].hint
    if case.at is not None:
        assert [f.line for f in mine] == [line_of(folder, needle) for needle in case.at]


# --- and stays quiet on near misses -------------------------------------------------------

@dataclass
class Quiet:
    rule: str
    name: str
    edits: tuple[Edit, ...] = ()
    setup: Callable[[Path], None] | None = None
    today: dt.date = TODAY
    styles: Callable[[Path], Any] | None = None


QUIET: list[Quiet] = [
    Quiet("RG101", "optional-section-absent", (drop("reasons"),)),  # not required by herefordshire (RG105 has it)
    Quiet("RG101", "dedicated-sections-reported-once",
          (drop("equality"), drop("alternative_options"), drop("background_papers"), drop("recommendations"))),
    Quiet("RG102", "sentence-saying-nothing", (put("legal", value="There are no legal implications arising from this report."),)),
    Quiet("RG102", "starts-with-none", (put("consultees", value="None of the people asked objected."),)),
    Quiet("RG103", "letters-from-the-house-style",
          (put("recommendations", "items", 0, "text", value="A new timetable be agreed, as in appendix 1."),)),
    Quiet("RG104", "lead-in-opens-with-house-words", (put("recommendations", "lead_in", value="That the cabinet member:"),)),
    Quiet("RG104", "house-style-without-lead-in",
          (put("style", value="east-herts"), put("recommendations", "lead_in", value="The Council is asked to:"))),
    Quiet("RG105", "one-sentence", (put("reasons", value="The new hours match when people visit."),)),
    Quiet("RG106", "recommended-option-needs-no-reason",
          (add("alternative_options", "options", value={"option": "Open later on Thursdays.", "recommended": True}),)),
    Quiet("RG107", "status-quo", (put("alternative_options", "options", 0, "option", value="Keep the status quo."),)),
    Quiet("RG107", "negative-option", (put("alternative_options", "options", 0, "option", value="Do not change the hours."),)),
    Quiet("RG108", "words-that-look-like-placeholders",
          (add("legal", value="The hours are to be confirmed by XXL Ltd in the TBCs register."),)),
    Quiet("RG109", "real-link",
          (add("legal", value="See the [Public Libraries and Museums Act 1964]"
                              "(https://www.legislation.gov.uk/ukpga/1964/75)."),)),
    Quiet("RG119", "web-mail-phone",
          (add("legal", value="Ask [the clerk](mailto:clerk@example.gov.uk), [call](tel:+441234567890) or read "
                              "[the act](https://www.legislation.gov.uk/ukpga/1964/75)."),)),
    Quiet("RG110", "closing-quote-and-bracket",
          (add("legal", value="The act says the service must be \u201ccomprehensive and efficient.\u201d"),
           add("community_impact", value="Students asked for this (see appendix 1.)"))),
    Quiet("RG110", "lead-in-to-a-list",
          (add("community_impact", value="The main changes are:\n\n- later Thursdays\n- earlier Mondays\n"),)),
    Quiet("RG110", "list-continues", (add("community_impact", value="Later hours help students; and"),)),
    Quiet("RG110", "recommendation-items-ending-with-semicolons",
          (put("recommendations", "items", 0, "text", value="the new opening hours in appendix 1 be agreed; and"),)),
    Quiet("RG110", "quoted-extract-of-the-constitution",
          (add("legal", value="The constitution says: “The Cabinet may change the hours By Resolution”"),)),
    Quiet("RG110", "quoted-heading-in-a-quotation",
          (add("legal", value="The library strategy says, under its heading on duties: “Part 4: Library services”"),
           add("legal", value="“A comprehensive and efficient service”"))),
    Quiet("RG111", "existing-and-labelled",
          (add("key_considerations", value="Paragraphs 5 and 6 explain this, as does paragraph [[visits]]."),)),
    # "paragraph 3.17 of the code" is the code's paragraph, not the report's; it must not be read as "3.1".
    Quiet("RG111", "paragraph-of-another-document",
          (add("legal", value="The guidance in paragraph 3.17 of the Libraries Code applies."),)),
    Quiet("RG111", "schedule-12a-paragraph-with-section-numbering",
          (put("style", value="east-herts"),
           add("legal", value="The public interest test is in paragraph 10 of Schedule 12A.")),),
    Quiet("RG112", "existing-appendix-any-word", (add("key_considerations", value="Annex 1 and appendix '1' list the hours."),)),
    Quiet("RG112", "ordinary-words-after-appendix",
          (add("key_considerations", value="The appendix to this report sets out the hours, and the appendices are short."),)),
    Quiet("RG113", "referred-to-in-a-table", (add("appendices", value={"id": "B", "title": "Costs"}),
                                              put("financial", 0, "table", "rows", 1, 0, value="Heat and light (appendix B)"))),
    Quiet("RG113", "referred-to-by-its-title",
          (add("appendices", value={"id": 2, "title": "Library Strategy 2026"}),
           add("key_considerations", value="The Strategy sets out the hours.")),),
    Quiet("RG105", "style-without-a-reasons-section", (put("style", value="noreasons"), drop("reasons")),
          styles=_style_without_reasons),
    Quiet("RG114", "no-file-named", (drop("appendices", 0, "file"),)),
    Quiet("RG115", "papers-listed", (put("background_papers", value=["Library visitor counts, 2025/26."]),)),
    Quiet("RG201", "expanded-before", (add("legal", value="The Local Government Association (LGA) agrees. The LGA said so."),)),
    Quiet("RG201", "expanded-after", (add("legal", value="The LGA (Local Government Association) agrees."),)),
    Quiet("RG201", "glossary-known-and-codes",
          (put("glossary", "LGA", value="Local Government Association"),
           add("legal", value="The LGA, the NHS and GOV.UK agree; see file HERON-LAND-4482 and road A417."))),
    Quiet("RG201", "chemical-formulae-and-units",
          (add("environmental_impact", value="CO2 and NO2 fall, PM2.5 and PM10 too, saving 300 kWh a year."),)),
    Quiet("RG201", "all-caps-sub-heading", (add("key_considerations", value={"heading": "CURRENT OPENING HOURS"}),)),
    Quiet("RG116", "numbers-that-are-not-paragraph-numbers",
          (add("key_considerations", value="1. Consult the staff.\n2. Agree the new hours."),
           add("key_considerations", value="10 people asked for Sunday opening."),
           add("key_considerations", value="3.5 million visits were made in 2025."),
           add("key_considerations", value="2026 was the busiest year."))),
    Quiet("RG117", "guidance-as-an-ordinary-word",
          (add("legal", value="The statutory guidance for libraries was followed; the complete section is in appendix 1."),)),
    Quiet("RG117", "instruction-words-in-ordinary-sentences",
          (add("legal", value="The council will delete old records and enter new ones; see [the name list](https://example.org/names)."),)),
    Quiet("RG118", "reference-forward-to-a-later-section",
          (put("purpose", value=["The legal position is in paragraph [[duty]]."]),
           put("legal", value=[{"label": "duty", "text": "The council must run a good library service."}]))),
    Quiet("RG204", "quotes-code-addresses-names-and-acronyms",
          (put("contact_officers", value=[{"name": "Siobhan Przybylski", "role": "Librarian"}]),
           put("glossary", "Wyebridge Forum", value="A group of library users"),
           add("key_considerations", value="Siobhan Przybylski said “the libary is grate” in `libry.csv` at "
                                           "https://exmple.org/libary or libry@exmple.org. The QWZX scheme and the "
                                           "Wyebridge Forum agree, colour and organise, decision-making etc.")),),
    Quiet("RG204", "a-styles-word-list", (put("style", value="spell"), add("legal", value="Wyebridge library opens later.")),
          styles=_style_words),
    Quiet("RG204", "a-projects-word-list", (add("legal", value="Wyebridge library opens later."),),
          styles=_project_words),
    Quiet("RG205", "doubled-on-purpose-and-new-cell-lines",
          (add("legal", value="The hours it had had were short; he said that that was so."),
           put("financial", 0, "table", "rows", 0, 0, value="Staff hours\nHours of staff")),),
    Quiet("RG206", "one-way-each", (add("legal", value="The U.K. rules apply. The NHS agrees, e.g. the NHS trust."),)),
    Quiet("RG207", "verbs-of-decision-in-any-form",
          (put("recommendations", "items", 0, "text", value="That the hours in appendix 1 be approved."),
           put("recommendations", "items", 1, "text", value="Delegate to the director the choice of staff."),
           add("recommendations", "items", value={"text": "The hardship fund be kept at £50,000."}),
           add("recommendations", "items", value={"text": "The director may change the hours after six months."}))),
    Quiet("RG202", "term-used-in-any-case", (put("glossary", "Thursday evening", value="After 5pm on a Thursday"),)),
    Quiet("RG203", "one-long-sentence-in-five",
          (put("key_considerations", value=[words(30), words(5), words(5), words(5), words(5)]),)),
    Quiet("RG203", "long-lead-in-from-the-house-style", (put("style", value="oxfordshire"),)),
    Quiet("RG301", "text-cells-and-decimals",
          (put("financial", 0, "table", "rows", value=[["Staff", "£12,500.50"], ["Saving", "(500.50)"]]),
           put("financial", 0, "table", "total", value=["Total", "£12,000"]))),
    Quiet("RG401", "exactly-five-days", (put("publication_date", value=dt.date(2026, 12, 2)),)),
    Quiet("RG401", "five-days-over-christmas",
          (put("decision_date", value=dt.date(2027, 1, 5)), put("publication_date", value=dt.date(2026, 12, 23)))),
    Quiet("RG401", "report-on-a-meeting-published-with-its-agenda",
          (drop("publication_date"), drop("decision_date"), put("decision_maker", value="Cabinet"),
           put("meeting", value={"committee": "Cabinet", "date": dt.date(2026, 12, 8)}))),
    Quiet("RG401", "urgent",
          (put("publication_date", value=dt.date(2026, 12, 8)),
           put("urgency_statement", value="The chair agreed the report is urgent because of the contract deadline."))),
    Quiet("RG402", "exactly-28-days",
          (put("decision_type", value={"key": True, "forward_plan_ref": "2026/041", "notice_date": dt.date(2026, 11, 11)}),)),
    Quiet("RG402", "notice-without-reference-where-the-style-prints-none",
          (put("style", value="noref"), put("decision_type", value={"key": True, "notice_date": dt.date(2026, 11, 1)})),
          styles=lambda folder: _style_without_reference(folder.parent)),
    Quiet("RG402", "notice-date-without-reference", (put("decision_type", value={"key": True, "notice_date": dt.date(2026, 11, 1)}),)),
    Quiet("RG402", "general-exception", (put("decision_type", value={"key": True, "urgency": "general-exception"}),)),
    Quiet("RG403", "below-threshold-one-ward", (put("decision_value", value=499999),)),
    Quiet("RG403", "reason-given",
          (put("wards", value="all"), put("decision_value", value=600000),
           put("decision_type", value={"key": False, "reason": "The spending is from an approved capital budget."}))),
    Quiet("RG403", "full-council", (put("decision_maker", value="Full Council"), put("wards", value="all"))),
    Quiet("RG404", "council-decision", (drop("decision_type"), put("decision_maker", value="Council"))),
    Quiet("RG405", "exempt-with-paragraph-and-reason",
          (put("classification", value={"status": "exempt", "paragraphs": [3],
                                        "public_interest": "Disclosure would harm the tender."}),
           put("appendices", 0, "exempt", value={"paragraphs": [3], "public_interest": "It holds bid prices."}))),
    Quiet("RG406", "duty-and-assessment-in-prose",
          (put("equality", value={"text": ["The council has had due regard to the public sector equality duty. "
                                            "An equality impact assessment found no harm."]}),)),
    Quiet("RG411", "appendix-marked-exempt",
          (put("consultees", value="Staff costs are in appendix 1, which is not for publication."),
           put("appendices", 0, "exempt", value={"paragraphs": [3], "public_interest":
                                                   "Publishing the staff costs would harm the council's negotiations."}))),
    Quiet("RG411", "exempt-from-a-charge", (put("consultees", value="Children are exempt from the fee. Staff were asked."),)),
    Quiet("RG501", "signed-with-reportgen-sign", (put("reviewers", value=[{"role": r} for r in ROLES]),),
          setup=lambda folder: [sign(folder, role, "A Reviewer", dt.date(2026, 11, 18), today=TODAY)
                                for role in ("Governance", "Finance", "legal", "Equality")]),
    Quiet("RG501", "role-worded-differently",
          setup=lambda folder: [sign(folder, role, "A Reviewer", dt.date(2026, 11, 18), today=TODAY)
                                for role in ("Monitoring Officer", "Section 151 officer", "Legal", "Equality Duty")]),
    Quiet("RG502", "signed-on-publication-day",
          setup=_sign("Legal", "Samir Haddad", dt.date(2026, 12, 1)), today=dt.date(2026, 12, 1)),
    Quiet("RG503", "signed-after-the-change",
          setup=lambda folder: (edit_text(folder, "9,000 visits", "9,500 visits"), sign_roles(folder))),
    Quiet("RG504", "roles-listed-without-names", (put("reviewers", value=[{"role": r} for r in ROLES]),)),
    Quiet("RG505", "records-reformatted", setup=_edit_records(lambda records: None)),
    Quiet("RG506", "signed-with-an-allowed-key", setup=_sign_with_key, styles=_signers),
    Quiet("RG507", "author-signs-a-role-that-is-not-statutory", (put("author", value="Megan Tudor-Hughes"),),
          setup=lambda folder: (folder.joinpath("signoff.yaml").unlink(),
                                sign_roles(folder, ("Governance", "Finance", "Legal")),
                                sign_roles(folder, ("Equality",), "Megan Tudor-Hughes"))),
    Quiet("RG508", "signed-with-the-reviewers-own-key", setup=_sign_with_key, styles=_signers),
    Quiet("RG509", "backdated-with-a-reason",
          setup=lambda folder: (folder.joinpath("signoff.yaml").unlink(),
                                sign_roles(folder, date=dt.date(2026, 11, 2), recorded=TODAY,
                                           reason="cleared by email on 2 November; recorded on return from leave"))),
    Quiet("RG510", "bar-raised", setup=_sign_under, styles=_project_rules({"RG107": "error"})),
]


@pytest.mark.parametrize("case", QUIET, ids=[f"{c.rule}-{c.name}" for c in QUIET])
def test_rule_stays_quiet(case: Quiet, tmp_path: Path) -> None:
    folder = make_report(tmp_path / "report", *case.edits, signed=not case.styles)
    if case.setup:
        case.setup(folder)
    found = findings(folder, case.today, case.styles(folder) if case.styles else None)
    assert [str(f) for f in found if f.rule == case.rule] == []


def test_every_rule_is_tested() -> None:
    """A rule added to the catalogue without a firing and a quiet scenario fails here
    (rules on the statutory records are tested in test_records.py)."""
    report_rules = sorted(r.id for r in catalogue().values() if r.scope == "report")
    assert len(report_rules) >= 28
    assert report_rules == sorted({c.rule for c in FIRES})
    assert report_rules == sorted({c.rule for c in QUIET})


def test_each_finding_is_reported_once(tmp_path: Path) -> None:
    """A missing section with a dedicated rule is reported by that rule alone."""
    folder = make_report(tmp_path / "r", drop("equality"), drop("alternative_options"),
                         drop("background_papers"), drop("recommendations"), drop("reasons"),
                         add("key_considerations", value="Appendix 1 sets out the hours."))
    assert sorted(f.rule for f in findings(folder)) == ["RG103", "RG105", "RG106", "RG115", "RG406"]


# --- rule details worth their own test ----------------------------------------------------

def test_grouped_section_is_named_by_its_key(tmp_path: Path) -> None:
    """East Herts prints legal under 'Implications/Consultations', so the key names it."""
    folder = make_report(tmp_path / "r", put("style", value="east-herts"), drop("legal"))
    assert [f.message for f in findings(folder) if f.rule == "RG101"] == ["required section 'legal' (legal) is missing"]


def test_paragraph_numbers_follow_the_house_style(tmp_path: Path) -> None:
    """East Herts numbers 2.1, 2.2 ...; a reference to '2' is wrong there, '2.1' is right."""
    folder = make_report(tmp_path / "r", put("style", value="east-herts"),
                         add("key_considerations", value="See paragraph 2.1 and paragraph 2."))
    assert [f.message for f in findings(folder) if f.rule == "RG111"] == ["refers to paragraph 2, which does not exist"]


def test_acronym_in_the_impact_assessment_summary_is_checked(tmp_path: Path) -> None:
    """The house style's impact-assessment sentence is fixed wording, but the summary after it is the author's."""
    folder = make_report(tmp_path / "r", put("equality", "impact_assessment", "summary", value="The LGA found no harm"))
    got = [(f.rule, f.message, f.key) for f in findings(folder)]
    assert got == [("RG110", "paragraph stops mid-sentence: '…The LGA found no harm'", "equality.impact_assessment"),
                   ("RG201", "LGA is not expanded at first use or in the glossary", "equality.impact_assessment")]


def test_house_style_wording_is_not_the_authors_fault(tmp_path: Path) -> None:
    """Oxfordshire's lead-in 'The Cabinet is RECOMMENDED to:' and the s.149 text are not checked as prose."""
    folder = make_report(tmp_path / "r", put("style", value="oxfordshire"))
    assert [f.rule for f in findings(folder) if f.rule in ("RG110", "RG201", "RG203")] == []


def test_key_decision_threshold_comes_from_the_house_style(tmp_path: Path) -> None:
    # East Herts: £250,000.
    folder = make_report(tmp_path / "r", put("style", value="east-herts"), put("decision_value", value=300000))
    assert [f.message for f in findings(folder) if f.rule == "RG403"] == [
        "not marked key, but its value £300,000 reaches the £250,000 threshold"]


def test_required_reviewers_come_from_the_house_style(tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r", put("style", value="east-herts"), signed=False)
    sign_roles(folder, ("Finance", "Legal"))
    assert [f.message for f in findings(folder) if f.rule == "RG501"] == ["no sign-off from Monitoring Officer"]
    sign_roles(folder, ("Governance",))  # east-herts words the monitoring officer's role so; Governance is its alias
    assert [f.message for f in findings(folder) if f.rule == "RG501"] == []


def test_stale_sign_off_is_not_also_missing(tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")
    assert [f.rule for f in findings(folder)] == []
    edit_text(folder, "9,000 visits", "9,001 visits")
    assert [f.rule for f in findings(folder)] == ["RG503"] * 4


def test_a_style_may_lower_typed_reviewers_to_a_warning(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG504: warning\n")
    folder = styled_report(tmp_path, put("reviewers", value=TYPED))
    got = [(f.rule, f.severity, f.message) for f in findings(folder, styles=[styles])]
    assert got == [("RG504", "warning", "Finance sign-off by Judith Okafor is recorded but not bound to this content")]


# --- house-style overrides ----------------------------------------------------------------

def house_style(tmp_path: Path, rules: str, name: str = "house") -> Path:
    """A copy of the herefordshire style named `name`, with `rules` (YAML) under rules:."""
    styles = tmp_path / "styles"
    shutil.copytree(TEMPLATES_DIR / "herefordshire", styles / name)
    profile = styles / name / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "rules:\n" + rules, encoding="utf-8")
    return styles


def styled_report(tmp_path: Path, *edits: Edit, name: str = "house") -> Path:
    return make_report(tmp_path / "content" / "r", put("style", value=name), *edits)


NO_DO_NOTHING = put("alternative_options", "options", 0, "option", value="Open on Saturdays.")
LATE = put("publication_date", value=dt.date(2026, 12, 7))


def test_the_copied_style_behaves_like_the_original(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  {}\n")
    folder = styled_report(tmp_path, NO_DO_NOTHING, LATE)
    assert [(f.rule, f.severity) for f in findings(folder, styles=[styles])] == [("RG401", "error"), ("RG107", "warning")]


@pytest.mark.parametrize("override", ["RG107: off", "RG107: false", "RG107: {enabled: false}"])
def test_a_rule_can_be_switched_off(tmp_path: Path, override: str) -> None:
    styles = house_style(tmp_path, f"  {override}\n")
    folder = styled_report(tmp_path, NO_DO_NOTHING)
    assert [f.rule for f in findings(folder, styles=[styles])] == []


def test_a_rule_switched_off_in_one_style_still_runs_in_others(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG107: off\n")
    folder = make_report(tmp_path / "r", NO_DO_NOTHING)  # herefordshire itself
    assert [f.rule for f in findings(folder, styles=[styles])] == ["RG107"]


@pytest.mark.parametrize("override", ["RG107: error", "RG107: {severity: error}"])
def test_a_warning_can_be_made_an_error(tmp_path: Path, override: str) -> None:
    styles = house_style(tmp_path, f"  {override}\n")
    result = check_report(styled_report(tmp_path, NO_DO_NOTHING), TODAY, Settings.with_styles(styles))
    assert [(f.rule, f.severity, f.message) for f in result.findings] == [("RG107", "error", "no 'do nothing' option")]
    assert not result.ready()
    assert exit_code([result]) == 1


def test_an_error_can_be_made_a_warning(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG401: warning\n")
    result = check_report(styled_report(tmp_path, LATE), TODAY, Settings.with_styles(styles))
    assert [(f.rule, f.severity) for f in result.findings] == [("RG401", "warning")]
    assert result.ready() and not result.ready(strict=True)
    assert exit_code([result]) == 0 and exit_code([result], strict=True) == 1


def test_a_number_parameter_accepts_any_number(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG203: {min_ease: 29.5, max_words: 40}\n  RG401: {clear_days: 5.0}\n")
    assert findings(styled_report(tmp_path), styles=[styles]) == []


def test_a_parameter_can_be_changed(tmp_path: Path) -> None:
    styles = house_style(tmp_path, "  RG401: {clear_days: 3}\n  RG107: {minimum: 3}\n  RG203: {max_words: 40}\n")
    three_days = put("publication_date", value=dt.date(2026, 12, 4))  # Dec 7, 8, 9 are clear
    long_purpose = put("purpose", value=[words(30)])
    default = findings(make_report(tmp_path / "default", three_days, long_purpose))
    assert sorted(f.rule for f in default) == ["RG203", "RG401"]
    got = [(f.rule, f.message) for f in findings(styled_report(tmp_path, three_days, long_purpose), styles=[styles])]
    assert got == [("RG107", "only 2 alternative option(s); give at least 3")]
    late = findings(make_report(tmp_path / "late", put("style", value="house"), LATE), styles=[styles])
    assert [f.message for f in late if f.rule == "RG401"] == [
        "published 7 December 2026, only 2 clear working days before 10 December 2026 (needs 3)"]


@pytest.mark.parametrize("override,problem", [
    ("RG999: off", "unknown rule RG999"),
    ("RG401: {clear_dayz: 3}", "rule RG401: unknown parameter(s) clear_dayz"),
    ("RG107: fatal", "rule RG107: expected error, warning, info or off, got 'fatal'"),
    ("RG107: {severity: loud}", "rule RG107: unknown severity 'loud'"),
    ("RG401: {clear_days: '3'}", "rule RG401: clear_days must be a number, got '3'"),
    ("RG203: {strict_sections: purpose}", "rule RG203: strict_sections must be a list, got 'purpose'"),
    ("RG107: {enabled: 'no'}", "rule RG107: enabled must be true or false, got 'no'"),
    ("RG107: 2", "rule RG107: expected error, warning, info, off or a mapping of parameters, got 2"),
    ("RG999: off\n  RG401: {clear_days: 3, days: 2}",
     "unknown rule RG999; rule RG401: unknown parameter(s) days"),
], ids=["unknown-rule", "unknown-parameter", "unknown-severity", "unknown-severity-in-mapping",
        "parameter-of-the-wrong-type", "list-parameter-given-as-text", "enabled-not-a-boolean", "not-a-mapping",
        "every-problem-at-once"])
def test_a_bad_override_makes_the_report_unusable(tmp_path: Path, override: str, problem: str) -> None:
    styles = house_style(tmp_path, f"  {override}\n")
    result = check_report(styled_report(tmp_path), TODAY, Settings.with_styles(styles))
    assert isinstance(result.unusable, StyleError)
    # one message per problem, each located at its rule's key in profile.yaml
    where = re.escape(str((styles / "house" / "profile.yaml").resolve())) + r":\d+:3: rules\.RG\d+: "
    lines = str(result.unusable).splitlines()
    assert all(re.match(where, line) for line in lines), lines
    assert [re.sub(where, "", line) for line in lines] == problem.split("; ")
    assert result.findings == [] and not result.ready()
    assert exit_code([result]) == 2


def test_a_removed_section_that_is_referred_to_is_reported_with_every_other_finding(tmp_path: Path, runner) -> None:
    """Removing the labelled legal section leaves [[duty]] dangling: check reports both, build refuses."""
    from reportgen.cli import main
    folder = make_report(tmp_path / "r", add("key_considerations", value="The duty is in paragraph [[duty]]."),
                         drop("legal"))
    result = check_report(folder, TODAY)
    assert result.unusable is None
    assert sorted((f.rule, f.message) for f in result.findings) == [
        ("RG101", "required section 'Legal implications' (legal) is missing"),
        ("RG118", "reference to unknown label [[duty]]")]
    assert exit_code([result]) == 1
    built = runner.invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 2
    assert "key_considerations[2].text: reference to unknown label [[duty]]" in built.output
    assert not (tmp_path / "out").exists()


def test_findings_inside_a_block_scalar_point_at_their_own_line_and_column(tmp_path: Path) -> None:
    folder = make_report(tmp_path / "r")
    edit_text(folder, "  - Later hours help students and working people.\n",
              "  - |\n    Later hours help students and working people.\n    The hours are [insert number] a week.\n"
              "    The LGA agrees, see paragraph 99.\n")
    sign_roles(folder)
    text = (folder / "report.yaml").read_text(encoding="utf-8").splitlines()
    got = {f.rule: (f.line, f.col, f.key) for f in findings(folder)}
    line = line_of(folder, "[insert number]")
    assert got["RG108"] == (line, text[line - 1].index("[insert number]") + 1, "community_impact[0].text")
    line = line_of(folder, "The LGA agrees")
    assert got["RG201"] == (line, text[line - 1].index("LGA") + 1, "community_impact[0].text")
    assert got["RG111"] == (line, text[line - 1].index("paragraph 99") + 1, "community_impact[0].text")
