"""`@immutable`: a frozen, slotted dataclass that pickles quickly.

The model is made of these, and it is pickled a great deal: every checked
department goes from a worker to the build and into the build cache, and a
rebuild reads every unchanged department back (a province: ten million
objects). For frozen slotted classes, `dataclasses` pickles each object's
values through `fields(self)`, which builds a new tuple of the class's fields
for every object: 40% of the time it took to read a department back. Here
the fields and their slots are looked up once per class; the state is the same
list of values in field order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


# dataclass_transform tells type checkers that a decorated class is a frozen dataclass: its
# fields make its __init__, and an assignment to one is an error.
@dataclass_transform(frozen_default=True)
def immutable(cls: type[T]) -> type[T]:
    # Any: the class is being made into a dataclass and given methods here, which no static type says.
    made: Any = dataclass(frozen=True, slots=True)(cls)
    names = tuple(f.name for f in fields(made))
    # The slots' own descriptors set a value without the frozen class's __setattr__, which refuses.
    setters = tuple(getattr(made, name).__set__ for name in names)

    def __getstate__(self: object) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: object, state: list[Any]) -> None:
        for set_value, value in zip(setters, state, strict=True):
            set_value(self, value)

    made.__getstate__, made.__setstate__ = __getstate__, __setstate__
    return made
