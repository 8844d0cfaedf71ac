"""Turn pydantic validation errors into located, plain-English problems."""
from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from reportgen.errors import ContentError, Problem, ReportgenError
from reportgen.content.yamlio import Loc, Positions


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return type(value).__name__


_EXPECTED = {
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number",
    "date_type": "a date as YYYY-MM-DD", "date_parsing": "a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD", "date_from_datetime_inexact": "a date as YYYY-MM-DD",
    "list_type": "a list", "dict_type": "a mapping of keys", "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _model_at(model: Any, loc: Loc) -> type[BaseModel] | None:
    """Follow a key path through the schema's type annotations to the model it lands in."""
    current: Any = model
    for part in loc:
        current = _unwrap(current, want_model=isinstance(part, str))
        if current is None:
            return None
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        elif _dict_value(current) is not None:
            current = _dict_value(current)
        else:
            return None
    found = _unwrap(current, want_model=True)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _dict_value(tp: Any) -> Any:
    return typing.get_args(tp)[1] if typing.get_origin(tp) is dict else None


def _unwrap(tp: Any, want_model: bool) -> Any:
    """Strip Optional, Annotated and (for list indexes) list wrappers; prefer a model in a union."""
    for _ in range(8):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in options if isinstance(_unwrap(a, True), type)
                      and issubclass(_unwrap(a, True), BaseModel)]
            tp = (models or options)[0]
        elif origin is list and not want_model:
            tp = typing.get_args(tp)[0]
        else:
            return tp
    return tp


def _is_tag(part: str) -> bool:
    return part in {"str", "int", "float", "bool", "list", "dict"} or "[" in part or part.startswith("function-")


def _clean_loc(loc: tuple[Any, ...], pos: Positions) -> Loc:
    """Drop pydantic's union tags ('str', 'list[str]', 'function-before[...]') from a location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, int) or (tuple(out) + (part,)) in pos or not _is_tag(part):
            out.append(part)
    return tuple(out)


def _message(err: ErrorDetails, model: Any, loc: Loc) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        names = list(parent.model_fields) if parent else []
        import difflib  # here: only a misspelt name needs it, and every command imports this module
        guess = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        hint = f" (did you mean `{guess[0]}`?)" if guess else ""
        return f"unknown key{hint}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_describe(value)}"
    if kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"expected one of {allowed}, got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"expected a name of letters, digits, '-', '_' or '.', got {_describe(value)}"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{err['msg'].replace('Input should be', 'must be')}, got {_describe(value)}"
    return f"{err['msg']}, got {_describe(value)}"


def problems_from_validation(exc: ValidationError, path: Path, pos: Positions, model: Any) -> list[Problem]:
    """One problem per location; alternatives of a union are merged into one message."""
    merged: dict[Loc, list[str]] = {}
    for err in exc.errors(include_url=False):
        loc = _clean_loc(tuple(err["loc"]), pos)
        msg = _message(err, model, loc)
        bucket = merged.setdefault(loc, [])
        if msg not in bucket:
            bucket.append(msg)
    problems = []
    for loc, messages in merged.items():
        if len(messages) > 1 and all(m.startswith("expected ") for m in messages):
            wanted = [m.split(", got ")[0].removeprefix("expected ") for m in messages]
            got = messages[0].split(", got ")[-1]
            message = f"expected {' or '.join(dict.fromkeys(wanted))}, got {got}"
        else:
            message = "; ".join(messages)
        problems.append(pos.problem(path, loc, message))
    problems.sort(key=lambda p: (p.line, p.col))
    return problems


M = TypeVar("M", bound=BaseModel)


def validate_mapping(model: type[M], data: Any, pos: Positions, path: Path, what: str,
                     error: type[ReportgenError] = ContentError, example: str = "") -> M:
    """Validate a parsed YAML file against `model`; every problem of the file raised at once."""
    if not isinstance(data, dict):
        raise error(problems=[Problem(path, 1, 1, "", f"{what} must be a mapping of keys{example}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(problems=problems_from_validation(exc, path, pos, model)) from exc
