"""Read YAML keeping the line and column of every key, so errors can point at them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Loc = tuple[str | int, ...]


class Positions:
    """Maps key paths such as ("recommendations", "items", 0) to 1-based (line, col)."""

    def __init__(self) -> None:
        self._marks: dict[Loc, tuple[int, int]] = {}

    def add(self, loc: Loc, node: yaml.Node) -> None:
        self._marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)

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


def format_loc(loc: Loc) -> str:
    """("items", 0, "text") -> "items[0].text"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _walk(node: yaml.Node, loc: Loc, pos: Positions, path: Path, problems: list[Problem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            child = loc + (key,)
            if key in seen:
                line = key_node.start_mark.line + 1
                problems.append(Problem(path, line, key_node.start_mark.column + 1, format_loc(child),
                                        f"duplicate key (first given on line {seen[key]})"))
                continue
            seen[key] = key_node.start_mark.line + 1
            pos.add(child, key_node)
            _walk(value_node, child, pos, path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            pos.add(loc + (i,), item)
            _walk(item, loc + (i,), pos, path, problems)


def parse_yaml(text: str, path: Path) -> tuple[Any, Positions]:
    """Parse one YAML document; raise ContentError naming the line on any syntax error."""
    loader = _Loader(text)
    problems: list[Problem] = []
    pos = Positions()
    try:
        node = loader.get_single_node()
        if node is None:
            return None, pos
        pos.add((), node)
        _walk(node, (), pos, path, problems)
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


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Read and parse a YAML file; a missing or unreadable file is a ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", "file not found")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", f"cannot read file: {exc}")]) from exc
    return parse_yaml(text, path)
