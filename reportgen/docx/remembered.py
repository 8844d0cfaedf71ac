"""What preparing a house-style template makes, remembered in the user's cache across commands.

Before docxtpl renders a template it rewrites the template's XML so Jinja can read it (patch_xml: a
dozen regular expressions, compiled afresh by every process), and Jinja turns that text into Python code
(its lexer's regular expressions, parser, code generator and compile()). The results depend only on
the template's text and the two libraries, and every report of a style shares them, yet they cost a
fresh `build` about 25 ms of its 0.3 s. So each is kept in a sealed cache entry (reportgen.cache.Cache:
atomic, self-verifying) under the digest of its input and of what else decides it (the library's
version; for Jinja, the environment's settings and Python's bytecode version): an edited template or
another library gives another key, never a stale answer. A cache that cannot be written is done without.
"""
from __future__ import annotations

import marshal
from collections.abc import MutableMapping
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any, Callable

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from reportgen.cache import Cache, digest
from reportgen.fs import user_cache_dir


def cache_folder() -> Path:
    return user_cache_dir() / "templates"


def _remembered(kind: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes made for `key`, from the cache when there, else made and stored."""
    cache = Cache(cache_folder())
    found = cache.get(kind, key)
    if found is not None:
        return found
    made = make()
    try:
        cache.put(kind, key, made)
    except OSError:
        pass  # a cache folder that cannot be written: made again next time
    return made


class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl's template, its XML rewritten for Jinja once per template text and docxtpl version."""

    def patch_xml(self, src_xml: str) -> str:
        key = digest("docxtpl", docxtpl.__version__, src_xml)
        made: bytes = _remembered("patched", key, lambda: str(super(Template, self).patch_xml(src_xml)).encode())
        return made.decode()


class Sandbox(SandboxedEnvironment):
    """The sandbox, its templates' Python code made once per template text, Jinja and Python version."""

    def _settings(self) -> str:
        # Everything of the environment that changes the code Jinja makes of a text.
        return repr((type(self).__qualname__, self.autoescape, self.optimized, self.block_start_string,
                     self.block_end_string, self.variable_start_string, self.variable_end_string,
                     self.comment_start_string, self.comment_end_string, self.line_statement_prefix,
                     self.line_comment_prefix, self.trim_blocks, self.lstrip_blocks, self.newline_sequence,
                     self.keep_trailing_newline, sorted(self.extensions), self.is_async))

    def from_string(self, source: str | nodes.Template, globals: MutableMapping[str, Any] | None = None,
                    template_class: type[jinja2.Template] | None = None) -> jinja2.Template:
        if not isinstance(source, str) or callable(self.autoescape):  # a function's repr names no behaviour
            return super().from_string(source, globals, template_class)
        key = digest("jinja", jinja2.__version__, MAGIC_NUMBER, self._settings(), source)
        data = _remembered("jinja", key, lambda: marshal.dumps(self.compile(source)))
        try:
            code = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            code = None
        if not isinstance(code, CodeType):  # not code after all: made here
            code = self.compile(source)
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals), None)
