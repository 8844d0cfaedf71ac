"""The check's text scan reads common Markdown shapes without the block parser: it must read them exactly as the
full parse does (kinds, text, links, inline code), and its memory of the house style's wording must not leak."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from reportgen.check import textscan
from reportgen.content.load import find_reports
from reportgen.layout.arrange import Prose
from reportgen.pipeline import prepare

ROOT = Path(__file__).resolve().parent.parent

EDGES = [
    "**Legal:** [Schedule 1A](https://www.legislation.gov.uk/ukpga/1992/14/schedule/1A) requires it.",
    "The main changes are:\n\n- one **two**\n- three [four](https://x.org)\n- `code` five\n",
    "Lead:\n\n- a\n- - b\n", "Lead:\n\n- 1. a\n- b", "Lead:\n\n- > quoted", "Lead:\n\n-  two spaces",
    "Lead:\n\n- a\n  continued", "Lead:\n\n- a\n\n- b", "Lead:\n\n* a\n* b", "Lead:\n\n- a\nlazy line",
    "- only a list", "1. ordered", "> quote", "# not a heading", "{type=a}\n1. a\n2. b",
    "Lead:\n\n{type=a}\n1. a\n2. b", "A | B\n--|--\n1 | 2", "\x85\u2003 *x* \u2003", "x *y*\r\nz",
    "  **indented**  ", "\n\n**after blank lines**\n\n", " \n \n", "a\n\nb\n\nc *d*", "*a*  \nb",
    "Lead *x*:\n\n- [link](file:x)\n- ![image](y)\n- a~2~ b^3^\n", "Lead:\n\n- \u2003*x*", "Lead:\n\n- a\t",
    "\u2028*a*", "**a**\x00", "Lead:\n\n- a\n- ", "Lead:\n\n- a\n-", "Lead:\n\n- a\n+ b",
]


def _full(markdown_text: str, monkeypatch: pytest.MonkeyPatch) -> list[textscan.Text]:
    with monkeypatch.context() as m:
        m.setattr(textscan, "_simple", lambda text: None)  # every text through markdown-it's block parser
        return textscan._prose(Prose(markdown_text, ("purpose",)), "purpose", False)


def _examples() -> list[str]:
    texts = []
    for folder in find_reports([ROOT / "content" / "examples"]):
        texts += [el.markdown for el in prepare(folder).layout.elements if isinstance(el, Prose)]
    return texts


def test_common_shapes_read_as_the_full_parse_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(23)
    atoms = ["\n", "\n- ", "\n\n", "- ", " ", "  ", "\t", "**", "*", "`c`", "[a](https://x.y)", "x", "word", ">",
             "#", "1.", "|", "{", "\r", "\u2003", "\x85", ":"]
    generated = ["".join(rnd.choice(atoms) for _ in range(rnd.randint(1, 10))) for _ in range(3000)]
    fast = 0
    for text in EDGES + _examples() + generated:
        fast += textscan._simple(text) is not None
        assert textscan._prose(Prose(text, ("purpose",)), "purpose", False) == _full(text, monkeypatch), repr(text)
    # The two shapes are read without the block parser (else this test compares the full parse with itself).
    assert textscan._simple(EDGES[0]) == [("para", EDGES[0])]
    assert [kind for kind, _ in textscan._simple(EDGES[1]) or []] == ["para", "list", "list", "list"]
    assert fast > 500


def test_house_wording_is_remembered_without_sharing_what_rules_may_change() -> None:
    text = "Under section 149:\n\n- one [link](https://x.org)\n- `two`"
    first = textscan._prose(Prose(text, ("equality", "general_duty")), "equality", True)
    first[1].links.append("changed")
    first[2].code.append("changed")
    again = textscan._prose(Prose(text, ("equality", "general_duty")), "equality", True)
    assert [t.links for t in again] == [[], ["https://x.org"], []]
    assert [t.code for t in again] == [[], [], []]  # (backticks print as typed in reportgen's Markdown)
    assert again == [
        textscan.Text(("equality", "general_duty"), kind, t, "equality", links, True, code)
        for kind, t, links, code in [("para", "Under section 149:", [], []), ("list", "one link", ["https://x.org"], []),
                                     ("list", "`two`", [], [])]]
