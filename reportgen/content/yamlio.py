"""Read YAML keeping the line and column of every key, so errors can point at them."""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any, Iterator

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


    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The safe loader's tag for a value, without its general machinery (path resolvers, wildcard
        resolvers, list concatenation): the C parser calls this for every key and value of every file."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if not value:
                    return _NULL
                for tag, pattern in _IMPLICIT.get(value[0], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
if _Loader.yaml_path_resolvers or None in _Loader.yaml_implicit_resolvers:  # pragma: no cover
    raise RuntimeError("this PyYAML's safe loader resolves by path or wildcard; _Loader.resolve would be wrong")
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(pairs) for first, pairs in _Loader.yaml_implicit_resolvers.items() if first}
_NULL = "tag:yaml.org,2002:null"

# Control characters (but tab and line breaks), lone surrogates and Unicode noncharacters: Word
# cannot hold them, and no author types them on purpose.
@cache
def _bad_char() -> re.Pattern[str]:
    """The class, compiled for the first text above U+FFFF (most files have none: see bad_character)."""
    return re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(rf"\U{p:08x}\U{p + 1:08x}" for p in range(0x1FFFE, 0x110000, 0x10000)) + "]")


#: The same characters below U+10000: one small class, searched first (the full class above is slow).
_BAD_BMP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _astral(text: str) -> bool:
    """Whether `text` holds a character above U+FFFF: each takes two UTF-16 units, every other one (a lone
    surrogate too, passed through) one. Six times faster than searching for one with a regular expression."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def bad_character(text: str) -> re.Match[str] | None:
    """The first control character or noncharacter in `text`, or None."""
    found = _BAD_BMP.search(text)
    if found or text.isascii() or not _astral(text):
        return found
    return _bad_char().search(text)

Loc = tuple[str | int, ...]


class Positions:
    """Maps key paths such as ("recommendations", "items", 0) to 1-based (line, col).

    Found by walking the parsed node tree along the path when a message needs it: most files get a
    handful of messages, so a map of every key in the file is not worth building.
    """

    def __init__(self, root: yaml.Node | None = None) -> None:
        self._root = root
        self._lines: list[str] | None = None

    def _tree(self) -> yaml.Node | None:
        return self._root

    def _deepest(self, loc: Loc) -> tuple[tuple[int, int], bool]:
        """The position of loc's deepest part present in the file, and whether that is all of loc.

        A mapping entry is placed at its key (the first of two equal keys), a list item at the item."""
        node = self._tree()
        if node is None:
            return (1, 1), False
        mark = _mark(node)
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == part), None)
                if pair is None:
                    return mark, False
                mark, node = _mark(pair[0]), pair[1]
            elif isinstance(node, yaml.SequenceNode) and type(part) is int and 0 <= part < len(node.value):
                node = node.value[part]
                mark = _mark(node)
            else:
                return mark, False
        return mark, True

    def __contains__(self, loc: Loc) -> bool:
        return self._deepest(tuple(loc))[1]

    def problem(self, path: Path | str, loc: Loc, message: str) -> Problem:
        """A problem located at `loc` (or its nearest ancestor in the file), named by its key path."""
        line, col = self.find(loc)
        return Problem(path, line, col, format_loc(tuple(loc)), message)

    def find(self, loc: Loc) -> tuple[int, int]:
        """Position of loc, or of its nearest ancestor that exists in the file."""
        return self._deepest(tuple(loc))[0]

    def locate(self, loc: Loc, text: str, needle: str) -> tuple[int, int]:
        """Line and column of `needle` inside the scalar at loc (a block scalar spans many lines), else of loc."""
        node = self._tree()
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


def _may_have_anchor(text: str) -> bool:
    """True when some '&' could start an anchor: followed by a name, and not after a letter or digit (so
    "R&D" and "Fish & chips" are not). Over-matching costs only speed; a regex with a look-behind would
    try every position of the file, this looks only at each '&'."""
    i = text.find("&")
    while i >= 0:
        before = text[i - 1] if i else " "
        if not (before.isalnum() or before == "_") and i + 1 < len(text) and not text[i + 1].isspace():
            return True
        i = text.find("&", i + 1)
    return False


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
#: Scalars the walk builds itself through the loader (one call each, with its located errors).
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float", "timestamp"))


_TOO_DEEP = f"lists and mappings nested more than {MAX_YAML_DEPTH} levels deep"
_TOO_MANY = f"the file expands to more than {MAX_YAML_NODES:,} values (YAML aliases?)"


def _too_deep(text: str) -> tuple[int, int] | None:
    """The line and column of the first value in `text` nested more than MAX_YAML_DEPTH levels deep, or None.

    Asked once a file is refused as YAML, with the text before the place it was refused: libyaml
    (PyYAML 6.0.4 on) has its own nesting limit, 1,000 levels, and reaches it while scanning ahead,
    before the composer hands the walk below a single node. Counting the parser's events over the text
    before that place finds the value the walk's own limit would have named, at the C parser's speed."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.NodeEvent):
                if depth > MAX_YAML_DEPTH and event.start_mark:
                    return event.start_mark.line + 1, event.start_mark.column + 1
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
    except yaml.YAMLError:
        pass  # the text is cut at the place the parser refused: its end is expected to be broken
    return None


class _TooBig(Exception):
    """Stops the walk of a file that breaks a resource limit; the message says which, the node where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


class _Inspector:
    """One walk over the node tree before anything else reads it: every limit, duplicate key,
    non-text key and unusable character is found here, located, so no later stage can hang or crash."""

    def __init__(self, path: Path, problems: list[Problem], text: str, loader: Any) -> None:
        self.path, self.problems = path, problems
        # Such a character reaches a value only as itself or through a YAML escape (a backslash in a
        # double-quoted string); a file with neither, the usual case, needs no per-value search.
        self.scan_characters = "\\" in text or bad_character(text) is not None
        # Aliases need an anchor (&name): without one no node can be reached twice, so there is
        # nothing to count or to find recursive.
        self.track_aliases = _may_have_anchor(text)
        self.seen: set[int] = set()
        self.ancestors: set[int] = set()
        self.aliases = 0
        self.nodes = 0
        self.loader = loader
        # The walk also builds the plain data (mappings, lists, text) as it goes, so the document is not
        # walked a second time by PyYAML's constructor. Anything beyond that subset (aliases, merge keys,
        # explicit tags) sets `unusual`, and the caller constructs the document the standard way.
        self.unusual = self.track_aliases

    def add(self, node: yaml.Node, loc: Loc, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.path, line, col, format_loc(loc), message))

    def walk(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _TooBig(_TOO_MANY, node)
        if self.track_aliases:
            if id(node) in self.ancestors:
                raise _TooBig("a YAML alias refers to a value that contains it (recursive alias)", node)
            if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
                self.aliases += 1
                if self.aliases > MAX_YAML_ALIASES:
                    raise _TooBig(f"more than {MAX_YAML_ALIASES} YAML alias uses (*name) in one file", node)
            self.seen.add(id(node))
        if depth > MAX_YAML_DEPTH:
            raise _TooBig(_TOO_DEEP, node)
        if isinstance(node, yaml.ScalarNode):
            self.characters(node, loc)
            return self.scalar(node)
        if self.track_aliases:
            self.ancestors.add(id(node))
        value: Any = None
        if isinstance(node, yaml.MappingNode):
            value = self.mapping(node, loc, depth)
            self.unusual |= node.tag != _MAP
        elif isinstance(node, yaml.SequenceNode):
            value = [self.walk(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
            self.unusual |= node.tag != _SEQ
        if self.track_aliases:
            self.ancestors.discard(id(node))
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        if self.unusual or node.tag not in _PLAIN_SCALARS:
            self.unusual = True
            return None
        try:
            return self.loader.construct_object(node)
        except yaml.YAMLError:
            self.unusual = True  # the standard construction reports it, located
            return None

    def mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        out: dict[Any, Any] = {}
        # A text value of a file without aliases is walked here, not by a call of walk for each: most values
        # are such, and the walk is a good part of the time it takes to read a report.
        inline_text = not self.track_aliases and depth + 1 <= MAX_YAML_DEPTH
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, loc, "a key must be text, not a list or mapping")
                continue
            key = key_node.value
            sub = loc + (key,)
            if self.scan_characters:
                self.characters(key_node, sub)
            if key in seen:
                # PyYAML keeps the last of two equal keys silently; a duplicate is an author's mistake.
                self.add(key_node, sub, f"duplicate key (first given on line {seen[key]})")
            else:
                seen[key] = key_node.start_mark.line + 1
            if inline_text and value_node.tag == _STR and type(value_node) is yaml.ScalarNode:
                self.nodes += 1  # as walk counts it
                if self.nodes > MAX_YAML_NODES:
                    raise _TooBig(_TOO_MANY, value_node)
                if self.scan_characters:
                    self.characters(value_node, sub)
                value = value_node.value
            else:
                value = self.walk(value_node, sub, depth + 1)
            if not self.unusual:
                out[key if key_node.tag == _STR else self.scalar(key_node)] = value
        return out

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
        inspector = _Inspector(path, problems, text, loader)
        try:
            data = inspector.walk(node, ())
        except _TooBig as exc:
            line, col = _mark(exc.node)
            raise ContentError(problems=[Problem(path, line, col, "", str(exc))]) from None
        if problems:
            raise ContentError(problems=problems)
        pos = Positions(node)
        if inspector.unusual:
            loader.constructed_objects, loader.recursive_objects = {}, {}  # forget the walk's partial work
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        problem, context = exc.problem_mark, exc.context_mark
        # A file nested too deep for the parser is first too deep for reportgen: name reportgen's limit.
        deep = _too_deep(text[:problem.index]) if problem else None
        if deep:
            raise ContentError(problems=[Problem(path, *deep, "", _TOO_DEEP)]) from None
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


def scalars(value: Any) -> Iterator[Any]:
    """Every scalar of a YAML data tree (a mapping's values, a list's items), depth first, in order."""
    if isinstance(value, dict):
        for v in value.values():
            yield from scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from scalars(v)
    else:
        yield value
