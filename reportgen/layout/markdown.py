"""reportgen's Markdown subset: one configured markdown-it parser, shared by the writers and the checks."""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

#: CommonMark rules outside reportgen's Markdown subset. Off, indented text stays prose (not a code
#: block) and "&amp;" prints as typed (no entity decoding): content text survives exactly.
_OFF = ["code", "fence", "hr", "html_block", "lheading", "reference", "html_inline",
        "image", "autolink", "backticks", "entity", "linkify"]
# Markdown syntax that can change the output; single line breaks alone do not (they are spaces).
_SYNTAX = re.compile(r"[*_\[\]`\\|{~^]|  \n|\n[ \t]*\n|(?m:^[ \t]*(?:[-+>#]|\d+[.)])(?:[ \t]|$))")


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    # > block quotes print in the Quote style; CO~2~ and 4^th^ are subscript and superscript.
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin) \
        .use(sub_plugin).use(superscript_plugin)
    md.disable([r for r in _OFF if r in md.get_all_rules()["block"] + md.get_all_rules()["inline"]
                + md.get_all_rules()["core"]], ignoreInvalid=True)
    return md


def plain(text: str) -> str | None:
    """Text with no Markdown syntax as the one paragraph it is (line breaks as spaces), else None.

    Most paragraphs carry no Markdown; this gives what markdown-it would, without parsing.
    """
    if _SYNTAX.search(text) is not None:
        return None
    return " ".join(line.strip() for line in text.strip().split("\n"))
