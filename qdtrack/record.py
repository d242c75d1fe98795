"""``Record``: the frozen value type of the model and the views, cheap to define and to make.

A frozen dataclass costs about 1.3 ms to define and a ``typing.NamedTuple`` about 0.3 ms (both
compile generated code at import); the model's and the views' 18 types were a third of the
start-up above the import floor (bench/startup.py). A slotted class assigning each field through
``object.__setattr__`` is cheap to define but costs 1.9 µs per instance, and ``status`` makes
about 700. A ``Record`` is a tuple, as a named tuple is, without the generated code:

* a subclass lists its fields in ``_fields`` (in order), annotates them for mypy, sets
  ``__slots__ = ()`` and writes ``__new__`` taking the fields in that order and returning
  ``tuple.__new__(cls, (field, ...))`` (0.4 µs per instance);
* this base gives each field a read-only property (``operator.itemgetter``), equality only
  between records of the same type (a ``Note`` never equals a bare tuple, nor an ``Area`` with the
  same values), the tuple's hash, ``repr`` with the field names, and ``_replace`` and
  ``_asdict`` like a named tuple's.

Assigning or deleting a field raises ``AttributeError``, as for a frozen dataclass.
tests/test_record.py holds every model and view type to that.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any


class Record(tuple):  # each subclass declares its fields and their types
    """Frozen value type over a tuple: fields by name, equality within one type."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for i, name in enumerate(cls._fields):
            setattr(cls, name, property(itemgetter(i), doc=f"field {i}: {name}"))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = tuple.__hash__

    def __getnewargs__(self) -> tuple[Any, ...]:
        """``copy``, ``deepcopy`` and ``pickle`` make a record again from its fields, in order."""
        return tuple(self)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
        return f"{type(self).__name__}({inner})"

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        values = self._asdict()
        values.update(changes)
        return type(self)(**values)

    def _asdict(self) -> dict[str, Any]:
        """The fields as a dict, in order."""
        return dict(zip(self._fields, self, strict=True))
