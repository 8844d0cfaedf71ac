"""A content file's parsed data, remembered in a cache by the file's text ("parsed"), for publish.

Publishing a meeting loads every report it lists, and after one report changed the other 29 are parsed
again for nothing: parsing (pure Python, with the checks of content.yamlio) is most of loading. So the data
a text parsed to is kept under the digest of that text; the node tree that locates messages is not kept
(it is most of the parse) but parsed again, from the same text, only when a message needs a position.
Only a text that parsed without a problem is remembered: a broken file is parsed, and reported, each time.
Used for reports and their sign-off records.
"""
from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any, Protocol

import yaml

from reportgen.cache import Cache, code_version, digest
from reportgen.content.yamlio import Loc, Positions, _Loader, _mark, parse_yaml

class Store(Protocol):
    """Where parses are remembered: a Cache, or Pending."""

    def get(self, kind: str, key: str) -> bytes | None: ...

    def put(self, kind: str, key: str, data: bytes) -> None: ...


class Pending:
    """A cache whose new entries wait for write(): publish loads the meeting before it knows its input is
    good, and input it refuses writes nothing, not even the publish's cache (issue 26: a located error,
    nothing half written)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.entries: list[tuple[str, str, bytes]] = []

    def get(self, kind: str, key: str) -> bytes | None:
        return self.cache.get(kind, key)

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.entries.append((kind, key, data))

    def write(self) -> None:
        for entry in self.entries:
            self.cache.put(*entry)
        self.entries.clear()


#: The only classes a remembered parse may hold besides plain values (YAML's dates and times).
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}


class _Unpickler(pickle.Unpickler):
    """Plain values and dates only: whatever else an entry names is refused (and the text parsed again)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not YAML data")
        return super().find_class(module, name)


#: Where a file's top-level entries are, kept with its data: (the document's own place, "map" or "seq", each
#: entry's place: a mapping's by key, first of equal keys; a list's in order), or None for an empty file.
Top = tuple[tuple[int, int], str, dict[str, tuple[int, int]] | list[tuple[int, int]]] | None


def _top(positions: Positions) -> Top:
    node = positions._tree()
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, tuple[int, int]] = {}
        for key, _ in node.value:
            if isinstance(key.value, str):
                keys.setdefault(key.value, _mark(key))
        return _mark(node), "map", keys
    if isinstance(node, yaml.SequenceNode):
        return _mark(node), "seq", [_mark(item) for item in node.value]
    return None


class Reparsed(Positions):
    """The positions of a text whose data came from the cache: a top-level entry's from what was kept with
    the data (a sign-off record's line is asked for every record), any other's from its node tree, parsed
    when first asked for."""

    def __init__(self, text: str, top: Top) -> None:
        super().__init__(None)
        self._text: str | None = text
        self._top = top

    def _deepest(self, loc: Loc) -> tuple[tuple[int, int], bool]:
        if self._top is None or len(loc) > 1:
            return super()._deepest(loc)
        root, kind, entries = self._top
        if not loc:
            return root, True
        part = loc[0]
        if isinstance(entries, dict) and isinstance(part, str) and part in entries:
            return entries[part], True
        if isinstance(entries, list) and type(part) is int and 0 <= part < len(entries):
            return entries[part], True
        return root, False

    def _tree(self) -> yaml.Node | None:
        if self._text is not None:
            loader = _Loader(self._text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
            self._text = None
        return self._root


def parse_cached(text: str, path: Path, cache: Store | None) -> tuple[Any, Positions]:
    """content.yamlio.parse_yaml, its data remembered in `cache` (None: just parse) by the text."""
    if cache is None:
        return parse_yaml(text, path)
    key = digest("parsed", text, code_version())
    raw = cache.get("parsed", key)
    if raw is not None:
        try:
            data, top = _Unpickler(io.BytesIO(raw)).load()
            return data, Reparsed(text, top)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError):
            pass  # not what this code writes: parsed again, and written anew
    data, positions = parse_yaml(text, path)
    cache.put("parsed", key, pickle.dumps((data, _top(positions)), protocol=pickle.HIGHEST_PROTOCOL))
    return data, positions
