"""``Record``: the frozen value type of the model and the views, cheap to define.

A frozen dataclass costs about 1.3 ms to define and a ``typing.NamedTuple`` about 0.3 ms
(both compile generated code at import); the model's and the views' 18 types were a third of
the start-up above the import floor (bench/startup.py). A ``Record`` subclass lists its fields
in ``__slots__`` (in order), annotates them, and assigns them in a plain ``__init__`` through
``set_field``; this base gives equality, hashing and ``repr`` from those fields, refuses
assignment after construction (as a frozen dataclass does), and offers ``_replace`` and
``_asdict`` like a named tuple. tests/test_record.py holds every model type to that.
"""

from __future__ import annotations

from typing import Any

#: Assign a field in ``__init__`` (plain assignment is refused: records are frozen).
set_field = object.__setattr__


class FrozenRecordError(AttributeError):
    """An assignment to a field of a record after it was made."""


class Record:
    """Frozen value type over ``__slots__``: equality, hash and repr from the fields."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inner})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenRecordError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"cannot delete field {name!r} of a {type(self).__name__}")

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        values = self._asdict()
        values.update(changes)
        return type(self)(**values)

    def _asdict(self) -> dict[str, Any]:
        """The fields as a dict, in order."""
        return {name: getattr(self, name) for name in self.__slots__}
