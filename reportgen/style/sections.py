"""A report's own sections typed by the kind its house style declares (prose, statement, risks, table, people, options)."""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from reportgen.content.load import LoadedReport
from reportgen.content.model import SECTION_KINDS, Date
from reportgen.content.validation import problems_from_validation
from reportgen.errors import ContentError, Problem
from reportgen.style.profile import Profile


@lru_cache(maxsize=64)
def _model(kinds: tuple[tuple[str, str], ...]) -> type[BaseModel]:
    """A model with one field per section key (aliased, so a key such as `copy` cannot shadow pydantic)."""
    fields: dict[str, Any] = {f"s_{key}": (SECTION_KINDS[kind], Field(alias=key)) for key, kind in kinds}
    inner = create_model("StyleSections", __config__=ConfigDict(extra="forbid"), **fields)
    outer: type[BaseModel] = create_model("StyleReport", __config__=ConfigDict(extra="forbid"), sections=(inner, ...))
    return outer


def bind_sections(loaded: LoadedReport, profile: Profile) -> LoadedReport:
    """The report with its `sections:` validated against the style: every key declared, every value of
    its kind's shape; all problems are raised together, located in report.yaml."""
    raw = loaded.report.sections
    if not raw:
        return loaded
    declared = profile.custom_sections
    problems: list[Problem] = []
    for key in raw:
        if key not in declared:
            import difflib  # here: only a misspelt name needs it, and every command imports this module
            guess = difflib.get_close_matches(key, list(declared), n=1)
            hint = f" (did you mean `{guess[0]}`?)" if guess else ""
            problems.append(loaded.problem(("sections", key), f"unknown section{hint}; the house style "
                                           f"'{loaded.report.style}' declares: {', '.join(declared) or 'none'}"))
    known = {key: value for key, value in raw.items() if key in declared}
    return _bound(loaded, "sections", "s_", _model(tuple((key, str(declared[key].kind)) for key in known)), known,
                  problems)


def _bound(loaded: LoadedReport, name: str, prefix: str, model: type[BaseModel], known: dict[str, Any],
           problems: list[Problem]) -> LoadedReport:
    """The report with its mapping `name` typed by `model` (fields `prefix` + key); every problem, the
    caller's and the model's, raised together, in the order they stand in report.yaml."""
    typed: dict[str, Any] = {}
    try:
        bound = getattr(model.model_validate({name: known}), name)
        typed = {key: getattr(bound, f"{prefix}{key}") for key in known}
    except ValidationError as exc:
        problems = problems + problems_from_validation(exc, loaded.file, loaded.positions, model)
    if problems:
        raise ContentError(problems=sorted(problems, key=lambda p: (p.line, p.col)))
    return dataclasses.replace(loaded, report=loaded.report.model_copy(update={name: typed}))


#: The content type of each type of front-page field a style may declare.
FRONT_TYPES: dict[str, Any] = {"text": str, "date": Date, "list": list[str]}


@lru_cache(maxsize=64)
def _front_model(fields: tuple[tuple[str, str, bool], ...]) -> type[BaseModel]:
    own: dict[str, Any] = {f"f_{key}": (FRONT_TYPES[kind] if required else FRONT_TYPES[kind] | None,
                                        Field(alias=key) if required else Field(None, alias=key))
                           for key, kind, required in fields}
    inner = create_model("StyleFront", __config__=ConfigDict(extra="forbid"), **own)
    outer: type[BaseModel] = create_model("StyleFrontReport", __config__=ConfigDict(extra="forbid"),
                                          front=(inner, ...))
    return outer


def bind_front(loaded: LoadedReport, profile: Profile) -> LoadedReport:
    """The report's `front:` validated against the style's own front-page fields: unknown keys (with a
    did-you-mean), missing required ones and wrong types, all located in report.yaml."""
    fields = profile.front_page.fields if profile.front_page else []
    raw = loaded.report.front
    if not fields and not raw:
        return loaded
    declared = [f.key for f in fields]
    problems: list[Problem] = []
    for key in raw:
        if key not in declared:
            import difflib
            guess = difflib.get_close_matches(key, declared, n=1)
            hint = f" (did you mean `{guess[0]}`?)" if guess else ""
            problems.append(loaded.problem(("front", key), f"unknown front-page field{hint}; the house style "
                                           f"'{loaded.report.style}' declares: {', '.join(declared) or 'none'}"))
    missing = [f for f in fields if f.required and f.key not in raw]
    for field in missing:
        problems.append(loaded.problem(("front",) if raw else (), f"front.{field.key}: required front-page "
                                       f"field '{field.label.rstrip(': ')}' is missing"))
    known = {key: value for key, value in raw.items() if key in declared}
    model = _front_model(tuple((f.key, f.type, f.required and f.key in raw) for f in fields))
    return _bound(loaded, "front", "f_", model, known, problems)
