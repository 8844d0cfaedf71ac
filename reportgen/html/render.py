"""The web edition's templates: one strict, autoescaping Jinja environment and the inlined stylesheet."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from reportgen.errors import RenderError, StyleError
from reportgen.style.profile import Profile

#: A house style's own web colours and fonts, beside its template.docx.
STYLE_CSS = "web.css"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    # Autoescape on everything and StrictUndefined: content is data, and a missing variable fails loudly.
    return jinja2.Environment(loader=jinja2.PackageLoader("reportgen.html", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=None)
def _package_text(name: str) -> str:
    return resources.files("reportgen.html").joinpath("static", name).read_text(encoding="utf-8")


def _trusted(text: str, source: str) -> Markup:
    """Stylesheet or script text for a <style>/<script> element, refused if it could end that element."""
    if "</" in text:
        raise StyleError(f"{source}: must not contain '</' (it would end the page's <style> or <script>)")
    return Markup(text)


@lru_cache(maxsize=16)
def _style_css(path: Path, mtime: float) -> str:
    del mtime  # part of the cache key only: an edited web.css is read again
    return path.read_text(encoding="utf-8")


def stylesheet(profile: Profile | None) -> Markup:
    """The page's CSS: shared layout and print rules, then the house style's web.css (or the default theme)."""
    theme = _package_text("theme.css")
    source = "the default theme"
    if profile is not None and (profile.folder / STYLE_CSS).is_file():
        path = profile.folder / STYLE_CSS
        theme, source = _style_css(path, path.stat().st_mtime), str(path)
    _trusted(theme, source)
    return _trusted(_package_text("base.css") + "\n" + theme, source)


def script(name: str) -> Markup:
    """A progressive-enhancement script shipped with reportgen, to inline."""
    return _trusted(_package_text(name), name)


def render_page(template: str, **values: Any) -> str:
    """Render one page template; a template error names the template."""
    try:
        return environment().get_template(template).render(**values)
    except jinja2.TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        where = f" (line {lineno})" if lineno else ""
        raise RenderError(f"reportgen/html/templates/{template}: template error{where}: {exc}") from exc
