"""JSON-ready dicts to and from the domain dataclasses, for the wire and the sandbox's rows.

One generic converter driven by the dataclasses' type hints: ``Decimal`` travels
as a string (never a float), ``datetime`` as ISO 8601 with its offset, enums as
their values, tuples as lists, nested dataclasses as objects. Unknown keys are
refused rather than dropped, so a protocol mismatch is loud.

Hand-written rather than a library (pydantic, cattrs, dacite) because the
model is a dozen plain frozen dataclasses and none of those is installed; this
is ~80 lines with exact control over the Decimal/str rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A payload does not fit the dataclass it should become."""


def to_data(obj: Any) -> Any:
    """A dataclass (or value) as JSON-compatible data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any, where: str = "") -> T:
    """Rebuild ``cls`` (a dataclass) from :func:`to_data` output; raises CodecError."""
    return typing.cast(T, _convert(cls, data, where or cls.__name__))


def _convert(typ: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(typ)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(typ)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, where)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise CodecError(f"{where}: expected a list")
        (item, *_rest) = typing.get_args(typ)
        return tuple(_convert(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(typ, type) and dataclasses.is_dataclass(typ):
        if not isinstance(value, dict):
            raise CodecError(f"{where}: expected an object")
        fields = {f.name: f for f in dataclasses.fields(typ) if f.init}
        unknown = set(value) - set(fields)
        if unknown:
            raise CodecError(f"{where}: unknown keys {sorted(unknown)}")
        hints = _hints(typ)
        kwargs = {k: _convert(hints[k], v, f"{where}.{k}") for k, v in value.items()}
        try:
            return typ(**kwargs)
        except TypeError as err:
            raise CodecError(f"{where}: {err}") from None
    if typ is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise CodecError(f"{where}: expected a decimal string")
        try:
            return Decimal(value)
        except InvalidOperation:
            raise CodecError(f"{where}: not a decimal: {value!r}") from None
    if typ is dt.datetime:
        try:
            return dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise CodecError(f"{where}: not an ISO date-time: {value!r}") from None
    if isinstance(typ, type) and issubclass(typ, Enum):
        try:
            return typ(value)
        except ValueError:
            raise CodecError(f"{where}: not one of {[e.value for e in typ]}: {value!r}") from None
    if typ in (str, int, float, bool):
        ok = isinstance(value, typ) and not (typ in (int, float) and isinstance(value, bool))
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            raise CodecError(f"{where}: expected {typ.__name__}, got {type(value).__name__}")
        return value
    return value
