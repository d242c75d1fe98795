"""The model's and the views' records (qdtrack.record.Record): frozen, compared and hashed by
value, shown with their fields, and every field set by ``__init__`` in ``_fields`` order."""

import datetime
import inspect

import pytest

from qdtrack import model, record, views

TYPES = [
    obj
    for module in (model, views)
    for obj in vars(module).values()
    if inspect.isclass(obj) and issubclass(obj, record.Record) and obj is not record.Record
]


def sample(cls, salt=0):
    """An instance with a distinct value in every field (in __new__'s order)."""
    params = list(inspect.signature(cls).parameters)
    assert params == list(cls._fields), cls  # __new__ takes the fields in order
    return cls(*[f"{name}-{salt}" for name in params])


def test_every_model_and_view_type_is_a_record():
    names = {t.__name__ for t in TYPES}
    assert {"Area", "Metric", "Milestone", "Task", "Entry", "PlanChange", "ReportRun", "Figure", "Note", "Facts",
            "MetricVerdict", "MilestoneVerdict", "TaskVerdict", "LagRow", "Scope", "StatusView", "LaggingView",
            "TaskView"} <= names  # fmt: skip


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_fields_are_kept_compared_and_frozen(cls):
    a, b, c = sample(cls), sample(cls), sample(cls, salt=1)
    for name in cls._fields:
        assert getattr(a, name) == f"{name}-0"
    assert a == b and hash(a) == hash(b) and a != c
    assert not hasattr(a, "__dict__") and type(a).__slots__ == ()
    with pytest.raises(AttributeError):
        setattr(a, cls._fields[0], "changed")
    with pytest.raises(AttributeError):
        delattr(a, cls._fields[0])
    assert getattr(a, cls._fields[0]) == f"{cls._fields[0]}-0"
    assert repr(a).startswith(f"{cls.__name__}({cls._fields[0]}=")
    first = cls._fields[0]
    changed = a._replace(**{first: "new"})
    assert getattr(changed, first) == "new" and changed._asdict() == {**a._asdict(), first: "new"}
    assert list(a._asdict()) == list(cls._fields)


def test_records_of_different_types_are_never_equal():
    assert model.Note(1, "x", "2025Q1", datetime.date(2025, 3, 31)) != (1, "x", "2025Q1", datetime.date(2025, 3, 31))
    assert model.Area(1, "x") != model.Area(1, "y")


def test_defaults_are_those_of_the_model():
    m = model.Metric(1, 2, 1, "n", 10.0, "条", "at_least", "cumulative", "10条以上")
    assert m.baseline is None
    t = model.Task(1, 2025, 5, "21", "a", None, 1, None, 21, None, "t", None, False)
    assert (t.metrics, t.parts, t.owners, t.milestones) == ((), (), (), ())


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_records_copy_and_pickle(cls):
    import copy
    import pickle

    a = sample(cls)
    for again in (copy.copy(a), copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert again == a and type(again) is cls
