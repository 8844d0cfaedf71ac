"""What preparing a house-style template makes, remembered in the user's cache across commands.

Before docxtpl renders a template it rewrites the template's XML so Jinja can read it (patch_xml: a
dozen regular expressions, compiled afresh by every process), and Jinja turns that text into Python code
(its lexer's regular expressions, parser, code generator and compile()). The results depend only on
the template's text and the two libraries, and every report of a style shares them, yet they cost a
fresh `build` about 25 ms of its 0.3 s. So each is kept: docxtpl's rewrite in a sealed cache entry
(reportgen.cache.Cache: atomic, self-verifying) under the digest of its input and docxtpl's version;
Jinja's code in Jinja's own bytecode cache (atomic, checked against Python's and Jinja's bytecode
version and the text), a folder per Jinja version and environment settings. An edited template or
another library gives another key, never a stale answer. A cache that cannot be written is done without.
"""
from __future__ import annotations

import re
import threading
from collections.abc import MutableMapping
from pathlib import Path
from types import CodeType
from typing import Any, Callable

import docxtpl
import jinja2
from docxtpl import DocxTemplate
from jinja2 import FileSystemBytecodeCache, nodes
from jinja2.sandbox import SandboxedEnvironment

from reportgen.cache import Cache, digest
from reportgen.fs import prune_user_cache, user_cache_dir


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
        prune_user_cache()  # another template or library: the moment to drop what no command uses any more
    except OSError:
        pass  # a cache folder that cannot be written: made again next time
    return made


class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl's template, its XML rewritten for Jinja once per template text and docxtpl version."""

    def patch_xml(self, src_xml: str) -> str:
        key = digest("docxtpl", docxtpl.__version__, _ESCAPES_AS_LITERALS, src_xml)
        made: bytes = _remembered("patched", key,
                                  lambda: _literal_escapes(str(super(Template, self).patch_xml(src_xml))).encode())
        return made.decode()

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        """docxtpl's render_xml_part without its last rewrite. docxtpl turns {_{ }_} {_% %_} (a template's way
        to print Jinja's delimiters) into {{ }} {% %} in the whole rendered part, the report's own text
        included, so a report that typed "{_{" printed "{{". The template's escapes are Jinja string literals
        instead (patch_xml), and the rendered text is left as Jinja made it."""
        src_xml = _PARAGRAPH_START.sub(r"\n<w:p\1", src_xml)  # as docxtpl: error lines are paragraphs
        self.current_rendering_part = part
        try:
            template = jinja_env.from_string(src_xml) if jinja_env else jinja2.Template(src_xml)
            dst_xml = template.render(context)
        except jinja2.TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                line = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
                exc.docx_context = [re.sub(r"<[^>]+>", "", x)  # type: ignore[attr-defined]
                                    for x in src_xml.splitlines()[line:line + 7]]
            raise
        return str(self.resolve_listing(_PARAGRAPH_NEWLINE.sub(r"<w:p\1", dst_xml)))

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's resolve_listing, given only the paragraphs it changes: it turns tab, bell, newline and
        form feed inside text into Word's tabs, paragraphs, breaks and page breaks (a Listing's lines), and
        leaves every other paragraph as it was, yet walks each of their runs and texts with regular
        expressions (2 ms a ten-page report). The same paragraphs, matched as docxtpl matches them, each
        resolved by docxtpl itself when it holds one of those characters."""
        resolve = super().resolve_listing

        def paragraph(found: re.Match[str]) -> str:
            text = found.group(0)
            return str(resolve(text)) if _LISTING_CHARACTERS.search(text) else text
        return _PARAGRAPH.sub(paragraph, xml)


#: docxtpl's escapes for Jinja's delimiters in a template's text, and the Jinja that prints each.
_ESCAPES = {"{_{": "{{ '{{' }}", "}_}": "{{ '}}' }}", "{_%": "{{ '{%' }}", "%_}": "{{ '%}' }}"}
_ESCAPES_AS_LITERALS = repr(sorted(_ESCAPES.items()))  # in the patched text's key: another rewrite, another key
_ESCAPE = re.compile("|".join(map(re.escape, _ESCAPES)))
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_PARAGRAPH_NEWLINE = re.compile(r"\n<w:p([ >])")


def _literal_escapes(patched: str) -> str:
    return _ESCAPE.sub(lambda found: _ESCAPES[found.group(0)], patched)


#: docxtpl's resolve_listing: the paragraphs it reads, and the characters it changes in them.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")


class Sandbox(SandboxedEnvironment):
    """The sandbox, each template text compiled once per process, its Python code kept across commands by
    Jinja's own bytecode cache (which checks Python's and Jinja's bytecode version and the text's
    checksum). One folder per Jinja version and environment settings: the cache's key is the text alone."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}
        self._lock = threading.Lock()
        self._code_cache: FileSystemBytecodeCache | None = None
        if not callable(self.autoescape):  # a function's repr names no behaviour: no key for it
            folder = cache_folder() / "jinja" / digest(jinja2.__version__, self._settings())[:16]
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._code_cache = FileSystemBytecodeCache(str(folder), "%s.code")
            except OSError:
                pass  # a cache folder that cannot be made: compiled in every process

    def _settings(self) -> str:
        # Everything of the environment that changes the code Jinja makes of a text.
        return repr((type(self).__qualname__, self.autoescape, self.optimized, self.block_start_string,
                     self.block_end_string, self.variable_start_string, self.variable_end_string,
                     self.comment_start_string, self.comment_end_string, self.line_statement_prefix,
                     self.line_comment_prefix, self.trim_blocks, self.lstrip_blocks, self.newline_sequence,
                     self.keep_trailing_newline, sorted(self.extensions), self.is_async))

    def from_string(self, source: str | nodes.Template, globals: MutableMapping[str, Any] | None = None,
                    template_class: type[jinja2.Template] | None = None) -> jinja2.Template:
        # docxtpl hands over the same XML parts of a style's template for every report it renders.
        if not isinstance(source, str) or globals or template_class:
            return super().from_string(source, globals, template_class)
        with self._lock:
            found = self._compiled.get(source)
        if found is None:
            found = self.template_class.from_code(self, self._code(source), self.make_globals(None), None)
            with self._lock:
                if len(self._compiled) >= 64:  # a few styles' parts; a long watch session sees templates change
                    self._compiled.clear()
                self._compiled[source] = found
        return found

    def _code(self, source: str) -> CodeType:
        cache = self._code_cache
        if cache is None:
            return self.compile(source)
        bucket = cache.get_bucket(self, digest(source), None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            try:
                cache.set_bucket(bucket)
            except OSError:
                pass  # made again next time
        return bucket.code
