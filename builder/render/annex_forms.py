"""The layouts of the PDF annexes a theme offers, and that site.yaml and department.yaml name one.

A department's annexes follow the official form its province prints: the Hebei
预算项目绩效目标表 (`hebei`), the 项目支出绩效目标申报表 (`shenbao`), or one of a theme's own.
Each is a template `print/forms/<form>.html` of the theme's chain that defines
`form(department, project, rows, single)`. Which layouts there are is the theme's to say and
the content check never loads a theme, so the names are checked here, by the stage that knows
both: site.yaml's `form` and each department's (check/departments.Checked.form), at their keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from builder.base.diagnostics import Pos, Report
from builder.base.messages import msg
from builder.content.schema import DEFAULT_FORM
from builder.content.validate import Record
from builder.render.themes import Theme

FORMS_FOLDER = "print/forms"


def form_template(form: str) -> str:
    """The template of the annex layout `form`."""
    return f"{FORMS_FOLDER}/{form}.html"


def forms_of(theme: Theme) -> list[str]:
    """The annex layouts of the theme's chain, by name, sorted."""
    return sorted({path.stem for folder in theme.chain
                   for path in (folder / "templates" / FORMS_FOLDER).glob("*.html") if path.is_file()})


def check_forms(theme: Theme | None, site: Record | None, departments: Iterable[tuple[str, Pos] | None],
                report: Report) -> None:
    """Every layout named is one of the theme's. `departments`: each department's own `form` and
    where it is named, or None where department.yaml names none (it takes the site's)."""
    if theme is None or site is None or site.values is None:
        return  # the theme's own check said why there is none
    available = forms_of(theme)
    hint = (msg("annex_forms.available", choices=", ".join(available), template=form_template("NAME")) if available
            else msg("annex_forms.none_available", template=form_template("NAME")))
    values = site.values
    default = DEFAULT_FORM
    if values.ok("form"):
        default = values.get("form")
        if default not in available:
            report.error(values.where("form"), msg("annex_forms.not_found", form=default, theme=theme.name,
                                                   template=form_template(default)), hint)
            default = ""  # said once, here, not again for each department that takes it
    for stated in departments:
        if stated is None:
            if default and default not in available:
                report.error(values.where("theme") if "theme" in values.data else values.at,
                             msg("annex_forms.default_not_found", theme=theme.name, template=form_template(default)),
                             msg("annex_forms.name_one", available=hint))
                default = ""
            continue
        form, pos = stated
        if form not in available:
            report.error(pos, msg("annex_forms.not_found", form=form, theme=theme.name, template=form_template(form)),
                         hint)
