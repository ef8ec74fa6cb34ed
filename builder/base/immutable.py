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


def immutable(cls):
    cls = dataclass(frozen=True, slots=True)(cls)
    names = tuple(f.name for f in fields(cls))
    # The slots' own descriptors set a value without the frozen class's __setattr__, which refuses.
    setters = tuple(getattr(cls, name).__set__ for name in names)

    def __getstate__(self):
        return [getattr(self, name) for name in names]

    def __setstate__(self, state):
        for set_value, value in zip(setters, state, strict=True):
            set_value(self, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls
