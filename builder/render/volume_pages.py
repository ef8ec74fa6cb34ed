"""A department's volume takes its projects' forms from their annexes, laid out once.

The volume's template leaves a form's pages empty where it is handed the form's page count
(`slots` in `print/volume.html`): a section with the form's id holding one empty block per page,
each carrying `data-slot="CODE N"`. The volume is laid out with those empty pages (its contents
then number them, its margin boxes number them as a bound book's and carry its running head);
then on each, the section's box gives way to the annex's page N's box of the same id (the form's
section), moved to where the section stood (the volume's left-hand pages have their binding margin
on the right). So the annex's laid-out form (text, tables, the （续） cells, anchors, bookmarks) sits
inside the volume's own boxes (its tagged structure: the part, the volume), under the volume's
margin boxes, and the annex's running head stays out.

This holds because a form begins at the top of a page in both and both type areas are the same
size; a volume whose slot pages are not the annexes' pages (another size, another count) is
refused, and the caller lays the volume out with its forms instead.
"""

from __future__ import annotations

from typing import Any


class Mismatch(Exception):
    """The volume's empty pages are not where the annexes' pages can go."""


def slot_of(page: Any) -> tuple[str, int] | None:
    """The form and the page of it that an empty volume page stands for, if it is one."""
    found = _slot(page._page_box, [])
    return None if found is None else found[0]


def _slot(box: Any, path: list) -> tuple[tuple[str, int], list] | None:
    """The slot on the page under `box`, and the boxes from the page down to its slot's parent."""
    # The laid-out boxes (Page._page_box): the one way to see what a page holds (WeasyPrint is pinned).
    for child in getattr(box, "children", ()):
        element = child.element
        if element is not None and (slot := element.get("data-slot")):
            code, _, number = slot.rpartition(" ")
            return (code, int(number)), [*path, box]
        if (found := _slot(child, [*path, box])) is not None:
            return found
    return None


def _with_id(box: Any, name: str | None) -> Any:
    """The first box under `box` (itself included) made of the element whose id is `name`."""
    if box.element is not None and box.element.get("id") == name:
        return box
    for child in getattr(box, "children", ()):
        if (found := _with_id(child, name)) is not None:
            return found
    return None


def assemble(volume: Any, forms: dict[str, Any]) -> Any:
    """`volume` (a weasyprint Document) with each slot's box replaced by its annex's box of the same
    id (the form's section) from the annex documents in `forms`, by project code; Mismatch if they do
    not fit. The annexes' boxes are moved, not copied: write each annex's own PDF first."""
    from weasyprint.document import Page

    pages, used = [], set()
    for page in volume.pages:
        found = _slot(page._page_box, [])
        if found is None:
            pages.append(page)
            continue
        (code, number), path = found
        annex = forms.get(code)
        if annex is None or number >= len(annex.pages):
            raise Mismatch(f"{code}: no page {number + 1} in its annex")
        target, source = page._page_box, annex.pages[number]._page_box
        if (round(target.width, 3), round(target.height, 3)) != (round(source.width, 3), round(source.height, 3)):
            raise Mismatch(f"{code}: the volume's type area is not the annex's")
        slot, holder = path[-1], path[-2]
        form = _with_id(source, slot.element.get("id"))
        if form is None:
            raise Mismatch(f"{code}: page {number + 1} of its annex has no #{slot.element.get('id')}")
        used.add((code, number))
        form.translate(slot.position_x - form.position_x, slot.position_y - form.position_y)
        holder.children = [form if child is slot else child for child in holder.children]
        pages.append(Page(target))
    # A form the template lays out itself (the first, under its part's title) has no slot pages.
    if used != {(code, n) for code in {code for code, _ in used} for n in range(len(forms[code].pages))}:
        raise Mismatch("the volume's empty pages are not its annexes' pages")
    return volume.copy(pages)
