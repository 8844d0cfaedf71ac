"""Read YAML keeping the line and column of every key, so errors can point at them."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from reportgen.content.limits import MAX_FILE_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_NODES
from reportgen.errors import ContentError, Problem

try:  # the C loader is several times faster; fall back where libyaml is absent
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader, with an impossible date (2019-02-30, hour 25) a located error, not a crash."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> dt.date | dt.datetime:
        try:
            value: dt.date | dt.datetime = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"impossible date or time '{node.value}' ({exc})", node.start_mark) from exc
        return value


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

# Control characters (but tab and line breaks), lone surrogates and Unicode noncharacters: Word
# cannot hold them, and no author types them on purpose.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(rf"\U{p:08x}\U{p + 1:08x}" for p in range(0x1FFFE, 0x110000, 0x10000)) + "]")
#: The same characters below U+10000: one small class, searched first (the full class above is slow).
_BAD_BMP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def bad_character(text: str) -> re.Match[str] | None:
    """The first control character or noncharacter in `text`, or None."""
    found = _BAD_BMP.search(text)
    if found or text.isascii() or not _ASTRAL.search(text):
        return found
    return _BAD_CHAR.search(text)

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

    def problem(self, path: Path | str, loc: Loc, message: str) -> Problem:
        """A problem located at `loc` (or its nearest ancestor in the file), named by its key path."""
        line, col = self.find(loc)
        return Problem(path, line, col, format_loc(tuple(loc)), message)

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


class _TooBig(Exception):
    """Stops the walk of a file that breaks a resource limit; the message says which, the node where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


class _Inspector:
    """One walk over the node tree before anything else reads it: every limit, duplicate key,
    non-text key and unusable character is found here, located, so no later stage can hang or crash."""

    def __init__(self, path: Path, problems: list[Problem], text: str) -> None:
        self.path, self.problems = path, problems
        # Such a character reaches a value only as itself or through a YAML escape (a backslash in a
        # double-quoted string); a file with neither, the usual case, needs no per-value search.
        self.scan_characters = "\\" in text or bad_character(text) is not None
        # Aliases need an anchor (&name): without one no node can be reached twice, so there is
        # nothing to count or to find recursive.
        self.track_aliases = "&" in text
        self.seen: set[int] = set()
        self.ancestors: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def add(self, node: yaml.Node, loc: Loc, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.path, line, col, format_loc(loc), message))

    def walk(self, node: yaml.Node, loc: Loc, depth: int = 0) -> None:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _TooBig(f"the file expands to more than {MAX_YAML_NODES:,} values (YAML aliases?)", node)
        if self.track_aliases:
            if id(node) in self.ancestors:
                raise _TooBig("a YAML alias refers to a value that contains it (recursive alias)", node)
            if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
                self.aliases += 1
                if self.aliases > MAX_YAML_ALIASES:
                    raise _TooBig(f"more than {MAX_YAML_ALIASES} YAML alias uses (*name) in one file", node)
            self.seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            raise _TooBig(f"lists and mappings nested more than {MAX_YAML_DEPTH} levels deep", node)
        if isinstance(node, yaml.ScalarNode):
            self.characters(node, loc)
            return
        if self.track_aliases:
            self.ancestors.add(id(node))
        if isinstance(node, yaml.MappingNode):
            self.mapping(node, loc, depth)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, loc + (i,), depth + 1)
        self.ancestors.discard(id(node))

    def mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> None:
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, loc, "a key must be text, not a list or mapping")
                continue
            key = key_node.value
            self.characters(key_node, loc + (key,))
            if key in seen:
                # PyYAML keeps the last of two equal keys silently; a duplicate is an author's mistake.
                self.add(key_node, loc + (key,), f"duplicate key (first given on line {seen[key]})")
            else:
                seen[key] = key_node.start_mark.line + 1
            self.walk(value_node, loc + (key,), depth + 1)

    def characters(self, node: yaml.ScalarNode, loc: Loc) -> None:
        if not self.scan_characters:
            return
        found = bad_character(node.value) if isinstance(node.value, str) else None
        if found:
            self.add(node, loc, f"text contains the control character or noncharacter U+{ord(found.group()):04X} "
                                "(remove it)")


def parse_yaml(text: str, path: Path) -> tuple[Any, Positions]:
    """Parse one YAML document; raise ContentError naming the line on any syntax error."""
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions()
        try:
            _Inspector(path, problems, text).walk(node, ())
        except _TooBig as exc:
            line, col = _mark(exc.node)
            raise ContentError(problems=[Problem(path, line, col, "", str(exc))]) from None
        if problems:
            raise ContentError(problems=problems)
        pos = Positions(node)
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
    except yaml.reader.ReaderError as exc:
        # A raw control character: located from its position, without the library's own location line.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise ContentError(problems=[Problem(path, line, col, "", f"invalid YAML: the file contains the control "
                                             f"character #x{exc.character:04x} (remove it)")]) from None
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
        # Read at most one byte over the limit: a huge file, or a link to /dev/zero, never fills memory.
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ContentError(problems=[Problem(path, 1, 1, "", f"file is larger than the limit of "
                                                 f"{MAX_FILE_BYTES:,} bytes")])
        return data.decode("utf-8")
    except FileNotFoundError as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", "file not found")]) from exc
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(problems=[Problem(path, line, col, "", "not valid UTF-8 text: save the file as "
                                             "UTF-8")]) from exc
    except OSError as exc:
        raise ContentError(problems=[Problem(path, 1, 1, "", f"cannot read file: {exc}")]) from exc


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Read and parse a YAML file; a missing or unreadable file is a ContentError."""
    return parse_yaml(read_source(path), path)
