"""The check's shortcuts give exactly what the slow, obvious way gives.

The YAML reader builds plain data during its safety walk instead of running PyYAML's constructor
again; positions are found by walking the node tree, not from a map of every key; some regular expressions
are reordered so the engine can skip ahead. Each is compared here with the way it replaced, on the
repository's own YAML and on generated input.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from reportgen.content.yamlio import Loc, Positions, parse_yaml
from reportgen.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p for folder in ("content", "templates", "tests/fixtures") for p in (ROOT / folder).rglob("*.yaml"))

# Documents that leave the fast path: anchors and aliases, merge keys, explicit tags, odd scalars.
UNUSUAL = [
    "a: &x {b: 1}\nc: *x\n",
    "base: &b\n  x: 1\nitem:\n  <<: *b\n  y: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!binary aGVsbG8=\n",
    "x: !!set {a, b}\n",
    "o: !!omap [a: 1, b: 2]\n",
    "s: !!str 12\nf: !!float 3\n",
    "d: 2024-01-02\nt: 2024-01-02 10:30:00\ne: 1.5\nn: ~\ng: yes\nh: 0x1f\ni: .inf\n1: x\n2024-05-01: day\n",
    "- 1\n- [2, {a: b}]\n- {c: [d, e]}\n",
    "text: 'R&D and Fish & chips &amp; more'\n",
    "plain: |\n  & not an anchor inside a block\n",
    "".join(f"k{i}: {v}\n" for i, v in enumerate(["", "~", "null", "Null", "NULL", "yes", "No", "ON", "off", "true",
                                                  "False", "y", "n", "0", "-1", "+1", "0o17", "0x1F", "1_000",
                                                  "1:20", "1.5e3", ".inf", "-.Inf", ".NaN", "2024-01-02",
                                                  "'yes'", '"1"', "text", "Yes please"])),
]


def _standard(text: str) -> object:
    return yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_documents_read_as_pyyaml_reads_them(text: str) -> None:
    assert parse_yaml(text, Path("x.yaml"))[0] == _standard(text)


def test_every_yaml_file_in_the_repository_reads_as_pyyaml_reads_it() -> None:
    compared = 0
    for path in YAML_FILES:
        text = path.read_text(encoding="utf-8")
        try:
            ours = parse_yaml(text, path)[0]
        except ContentError:
            continue  # fixtures of bad input: their errors are tested elsewhere
        assert ours == _standard(text), path
        compared += 1
    assert compared > 30


def test_an_impossible_date_is_still_a_located_error() -> None:
    with pytest.raises(ContentError) as err:
        parse_yaml("title: x\ndate: 2019-02-30\n", Path("r.yaml"))
    assert "2:7" in str(err.value) and "impossible date" in str(err.value)


def _all_marks(node: yaml.Node | None, loc: Loc, out: dict[Loc, tuple[int, int]]) -> None:
    """The map of every key's position that Positions used to build (the reference here)."""
    if loc == ():
        out[()] = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = loc + (key_node.value,)
            out.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            _all_marks(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[loc + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _all_marks(item, loc + (i,), out)


def test_positions_match_the_map_of_every_key() -> None:
    checked = 0
    for path in YAML_FILES + [Path("dup.yaml")]:
        text = path.read_text(encoding="utf-8") if path.exists() else "a: 1\nb:\n  - x\n  - y: 2\na: 3\n"
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # a fixture of broken YAML has no positions to compare
        if root is None:
            continue
        marks: dict[Loc, tuple[int, int]] = {}
        _all_marks(root, (), marks)
        positions = Positions(root)
        for loc in [*marks, *(k + ("missing",) for k in marks), *(k + (999,) for k in marks)]:
            nearest = next(marks[loc[:i]] for i in range(len(loc), -1, -1) if loc[:i] in marks)
            assert positions.find(loc) == nearest, (path, loc)
            assert (loc in positions) == (loc in marks), (path, loc)
            checked += 1
    assert checked > 1000


# The rules' regular expressions as first written; today's are reordered so the engine can skip ahead.
ORIGINAL_PATTERNS = {
    "ACRONYM": r"(?<![-\w.])([A-Z][A-Z0-9&]{1,6})(s?)(?![-\w]|\.\w)",
    "PARAGRAPH_REF": r"\bparagraphs?\s+((?>(?:\d+(?:\.\d+)*)(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+(?:\.\d+)*)*))"
                     r"(?!\s+of\b)",
}


@pytest.mark.parametrize("name", sorted(ORIGINAL_PATTERNS))
def test_reordered_patterns_match_what_the_originals_matched(name: str) -> None:
    import re

    from reportgen.check.rules import completeness, language

    today = getattr(language, name, None) or getattr(completeness, name)
    original = re.compile(ORIGINAL_PATTERNS[name], today.flags)
    pieces = ["paragraph", "Paragraphs", "PARAGRAPH", " 3", "3.2", ", ", " and ", " to ", "–", " of", "LGA", "CO2",
              "s", "-", ".", "_", "x", " ", "\n", "é", "Ä", "R&D", "GOV.UK", "1", "(", ")", "ab", "sub"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(50000)]
    texts += [p.read_text(encoding="utf-8") for p in YAML_FILES]
    for text in texts:
        assert [(m.span(), m.groups()) for m in today.finditer(text)] == \
               [(m.span(), m.groups()) for m in original.finditer(text)], repr(text)


def test_markdown_syntax_test_and_sentence_cutting_agree_with_their_single_regex_originals() -> None:
    import re

    from reportgen.check.rules.language import sentences
    from reportgen.layout.markdown import has_syntax

    syntax = re.compile(r"[*_\[\]`\\|{!~^]|  \n|\n[ \t]*\n|(?m:^[ \t]*(?:[-+>#]|\d+[.)])(?:[ \t]|$))")
    sentence = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"'(])")
    pieces = ["a", " ", "  ", "\n", "\t", "-", "+", ">", "#", "1", "12", ".", ")", "*", "_", "[", "x", "é", "|",
              "\n\n", " \n", "!", "?", "A", "“", "\"", "'", "(", "..", "B c"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(100000)]
    texts += [p for path in YAML_FILES for p in path.read_text(encoding="utf-8").split("\n\n")]
    for text in texts:
        assert has_syntax(text) == (syntax.search(text) is not None), repr(text)
        assert sentences(text) == sentence.split(text), repr(text)
