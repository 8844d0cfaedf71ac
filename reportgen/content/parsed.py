"""A content file's parsed data, remembered in a cache by the file's text ("parsed"), for publish.

Publishing a meeting loads every report it lists, and after one report changed the other 29 are parsed
again for nothing: parsing (pure Python, with the checks of content.yamlio) is most of loading. So the data
a text parsed to is kept under the digest of that text; the node tree that locates messages is not kept
(it is most of the parse) but parsed again, from the same text, only when a message needs a position.
Only a text that parsed without a problem is remembered: a broken file is parsed, and reported, each time.
"""
from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import yaml

from reportgen.cache import Cache, code_version, digest
from reportgen.content.yamlio import Positions, _Loader, parse_yaml

#: The only classes a remembered parse may hold besides plain values (YAML's dates and times).
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}


class _Unpickler(pickle.Unpickler):
    """Plain values and dates only: whatever else an entry names is refused (and the text parsed again)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not YAML data")
        return super().find_class(module, name)


class Reparsed(Positions):
    """The positions of a text whose data came from the cache: its node tree parsed when first asked for."""

    def __init__(self, text: str) -> None:
        super().__init__(None)
        self._text: str | None = text

    def _tree(self) -> yaml.Node | None:
        if self._text is not None:
            loader = _Loader(self._text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
            self._text = None
        return self._root


def parse_cached(text: str, path: Path, cache: Cache | None) -> tuple[Any, Positions]:
    """content.yamlio.parse_yaml, its data remembered in `cache` (None: just parse) by the text."""
    if cache is None:
        return parse_yaml(text, path)
    key = digest("parsed", text, code_version())
    raw = cache.get("parsed", key)
    if raw is not None:
        try:
            return _Unpickler(io.BytesIO(raw)).load(), Reparsed(text)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError):
            pass  # not what this code writes: parsed again, and written anew
    data, positions = parse_yaml(text, path)
    cache.put("parsed", key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data, positions
