"""Read YAML keeping the line and column of every key, so errors can point at them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reportgen.errors import ContentError, Problem

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Loc = tuple[str | int, ...]


class Positions:
    """Maps key paths such as ("recommendations", "items", 0) to 1-based (line, col).

    Built on first use from the parsed node tree: most reports are read without any message
    needing a location, so the map is not worth building up front.
    """

    def __init__(self, root: yaml.Node | None = None) -> None:
        self._root = root
        self._built: dict[Loc, tuple[int, int]] | None = None if root is not None else {}
        self._lines: list[str] | None = None

    @property
    def _marks(self) -> dict[Loc, tuple[int, int]]:
        if self._built is None:
            self._built = {}
            _marks(self._root, (), self._built)
        return self._built

    def __contains__(self, loc: Loc) -> bool:
        return loc in self._marks

    def find(self, loc: Loc) -> tuple[int, int]:
        """Position of loc, or of its nearest ancestor that exists in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self._marks:
                return self._marks[loc]
            loc = loc[:-1]
        return self._marks.get((), (1, 1))


    def locate(self, loc: Loc, text: str, needle: str) -> tuple[int, int]:
        """Line and column of `needle` inside the scalar at loc (a block scalar spans many lines), else of loc."""
        node = self._root
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                break  # a loc may go deeper than the file (a plain string block's "text")
        if isinstance(node, yaml.ScalarNode) and needle:
            first, last = node.start_mark.line, node.end_mark.line
            if self._lines is None:  # several findings may point into the same file
                self._lines = text.splitlines()
            lines = self._lines[first:last + 1]
            words = needle.split()
            # The needle may be folded over lines in the file: try it whole, then its first words.
            for probe in dict.fromkeys([" ".join(words), " ".join(words[:3]), words[0] if words else ""]):
                for i, line in enumerate(lines):
                    start = node.start_mark.column if i == 0 else 0
                    col = line.find(probe, start) if probe else -1
                    if col >= 0:
                        return first + i + 1, col + 1
        return self.find(loc)


def format_loc(loc: Loc) -> str:
    """("items", 0, "text") -> "items[0].text"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _marks(node: yaml.Node | None, loc: Loc, out: dict[Loc, tuple[int, int]]) -> None:
    if loc == ():
        out[()] = _mark(node) if node is not None else (1, 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = loc + (key_node.value,)
            out.setdefault(child, _mark(key_node))  # a duplicate key keeps its first place
            _marks(value_node, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[loc + (i,)] = _mark(item)
            _marks(item, loc + (i,), out)


def _duplicates(node: yaml.Node, loc: Loc, path: Path, problems: list[Problem]) -> None:
    """PyYAML keeps the last of two equal keys silently; a duplicate is an author's mistake."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                line, col = _mark(key_node)
                problems.append(Problem(path, line, col, format_loc(loc + (key,)),
                                        f"duplicate key (first given on line {seen[key]})"))
            else:
                seen[key] = key_node.start_mark.line + 1
            _duplicates(value_node, loc + (key,), path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicates(item, loc + (i,), path, problems)


def parse_yaml(text: str, path: Path) -> tuple[Any, Positions]:
    """Parse one YAML document; raise ContentError naming the line on any syntax error."""
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions()
        pos = Positions(node)
        _duplicates(node, (), path, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        problem, context = exc.problem_mark, exc.context_mark
        # An unterminated quote or bracket is "found" at the end of the file; point at its start.
        mark = context if context and (not problem or "end of stream" in (exc.problem or "")) else problem
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "syntax error"
        if exc.context and context:
            what += f" ({exc.context} at line {context.line + 1}, column {context.column + 1})"
        raise ContentError(problems=[Problem(path, line, col, "", f"invalid YAML: {what}")]) from exc
    except yaml.YAMLError as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", f"invalid YAML: {exc}")]) from exc
    finally:
        loader.dispose()
    if problems:
        raise ContentError(problems=problems)
    return data, pos


def read_source(path: Path) -> str:
    """A content file's text; a missing or unreadable file is a ContentError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", "file not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", f"cannot read file: {exc}")]) from exc


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Read and parse a YAML file; a missing or unreadable file is a ContentError."""
    return parse_yaml(read_source(path), path)
