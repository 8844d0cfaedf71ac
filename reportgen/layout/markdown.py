"""reportgen's Markdown subset: one configured markdown-it parser, shared by the writers and the checks.

The subset is paragraphs, `-` bullets, `1.` lists, a `{type=a}` line before a list, `**bold**`,
`*italic*`, links to web, email and phone addresses, and pipe tables. Everything else prints as
typed: `__x__`, backslashes, `# text`, `![x](y)`, `~~x~~`, other `{...}` lines, links to other schemes.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.rules_inline.emphasis import tokenize as emphasis_tokenize
from markdown_it.rules_inline.image import image as image_rule
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.attrs.index import _attr_block_rule
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

#: CommonMark rules outside reportgen's Markdown subset. Off, indented text stays prose (not a code
#: block), "&amp;" prints as typed (no entity decoding), backslashes print as typed (no escapes),
#: "# text" is a paragraph: content text survives exactly. "> " block quotes are in the subset.
_OFF = ["code", "fence", "hr", "html_block", "lheading", "reference", "html_inline",
        "image", "autolink", "backticks", "entity", "linkify", "escape", "heading", "strikethrough"]
# Markdown syntax that can change the output; single line breaks alone do not (they are spaces):
# marker characters, a hard break or a blank line, and a line opening a list, quote or heading. The
# line test runs on the first line alone unless the text has more (most paragraphs are one line).
_SYNTAX = re.compile(r"[*_\[\]`\\|{!~^]|  \n|\n[ \t]*\n")
_LINE_SYNTAX = re.compile(r"[ \t]*(?:[-+>#]|\d+[.)])(?:[ \t]|$)", re.MULTILINE)
_LATER_LINE_SYNTAX = re.compile(r"\n[ \t]*(?:[-+>#]|\d+[.)])(?:[ \t]|$)", re.MULTILINE)


def has_syntax(text: str) -> bool:
    """True when `text` holds Markdown syntax that can change what is printed."""
    return (_SYNTAX.search(text) is not None or _LINE_SYNTAX.match(text) is not None
            or ("\n" in text and _LATER_LINE_SYNTAX.search(text) is not None))
#: Link targets that become live hyperlinks; any other scheme (file:, javascript:, search-ms:, data:)
#: or a relative path prints as typed, and `reportgen check` reports it (RG119).
LINK_SCHEMES = ("http", "https", "mailto", "tel")
#: Block nesting markdown-it follows (each list level takes two); deeper text would be dropped by the
#: parser, so a text that reaches it is printed line by line as typed instead.
MAX_NESTING = 100
#: The one attribute line the subset documents: letters a list, (a), (b) ...
_ATTR_LINE = re.compile(r"[ \t]*\{type=[aA]\}[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]*\d{1,9}[.)]([ \t]|$)")


def link_allowed(url: str) -> bool:
    """True for http, https, mailto and tel addresses (and "" or "#", which RG109 reports)."""
    url = url.strip()
    if url in ("", "#"):
        return True
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return scheme is not None and scheme.group(1).lower() in LINK_SCHEMES


def _star_emphasis(state: StateInline, silent: bool) -> bool:
    """`*x*` and `**x**` only: underscores (self.__init__, my__file__name) print as typed, and so does
    a star after a backslash (backslashes are not escapes, so `\\*` keeps both characters)."""
    if state.src[state.pos] == "_" or (state.pos > 0 and state.src[state.pos - 1] == "\\"):
        return False
    return bool(emphasis_tokenize(state, silent))


def _image_as_text(state: StateInline, silent: bool) -> bool:
    """`![alt](target)` prints as typed (images are not part of the subset), never as a link."""
    start = state.pos
    if not image_rule(state, True):
        return False
    if not silent:
        end = state.pos
        state.pos = start
        image_rule(state, False)  # find where it ends, as CommonMark would
        end = state.pos
        state.tokens.pop()
        state.push("text", "", 0).content = state.src[start:end]
    return True


def _attr_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Only a `{type=a}` line directly before a numbered list is an attribute line; others print."""
    line = state.src[state.bMarks[start]:state.eMarks[start]]
    if not _ATTR_LINE.fullmatch(line) or start + 1 >= end:
        return False
    following = state.src[state.bMarks[start + 1]:state.eMarks[start + 1]]
    if not _LIST_ITEM.match(following):
        return False
    return bool(_attr_block_rule(state, start, end, silent))


def _marker_runs_as_text(state: StateInline, silent: bool) -> bool:
    """`~~x~~` (strikethrough elsewhere, not in the subset), `^^` and a marker after a backslash print
    as typed: only a single `~` or `^` opens subscript or superscript."""
    src, pos = state.src, state.pos
    marker = src[pos]
    if marker not in "~^":
        return False
    if pos > 0 and src[pos - 1] == "\\":  # backslashes are not escapes: `\~` prints as typed
        if not silent:
            state.pending += marker
        state.pos = pos + 1
        return True
    if pos + 1 >= state.posMax or src[pos + 1] != marker:
        return False
    end = pos
    while end < state.posMax and src[end] == marker:
        end += 1
    if not silent:
        state.pending += src[pos:end]
    state.pos = end
    return True


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    # > block quotes print in the Quote style; CO~2~ and 4^th^ are subscript and superscript.
    md.use(attrs_block_plugin).use(sub_plugin).use(superscript_plugin)
    md.block.ruler.at("attr", _attr_line)
    md.inline.ruler.at("emphasis", _star_emphasis)
    md.inline.ruler.before("link", "image_as_text", _image_as_text)
    md.inline.ruler.before("sub", "marker_runs", _marker_runs_as_text)
    rules = md.get_all_rules()
    md.disable([r for r in _OFF if r in rules["block"] + rules["inline"] + rules["core"]], ignoreInvalid=True)
    md.validateLink = link_allowed  # type: ignore[method-assign]
    return md


def too_deep(tokens: Sequence[Token]) -> bool:
    """True when the parser reached its nesting limit, so some text may have been dropped."""
    return any(t.level >= MAX_NESTING - 2 for t in tokens)


def plain(text: str) -> str | None:
    """Text with no Markdown syntax as the one paragraph it is (line breaks as spaces), else None.

    Most paragraphs carry no Markdown; this gives what markdown-it would, without parsing.
    """
    if has_syntax(text):
        return None
    return " ".join(line.strip() for line in text.strip().split("\n"))
