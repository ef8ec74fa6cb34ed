"""Check: the department-wide table's money (部门整体支出绩效目标表: 收入构成, 支出构成).

Each composition adds up: its rows to the 合计 it states, its 占比 to 100 %, each 占比 to its row's
share of the total; the income and the expenditure are the same money; and the department-wide
budget holds its projects' budgets. Rows labelled `其中…` break down the row above them and are left
out of the sums. Amounts are compared exactly; shares to the tolerances below.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from builder.base.diagnostics import Report
from builder.base.messages import msg
from builder.base.money import CENT, format_money
from builder.base.numbers import plain_number
from builder.check.wording import BLANK, NONE, joined
from builder.content.fields import Values
from builder.content.frameworks import squeeze
from builder.content.targets import in_unit

# Shares are printed to two decimals: their sum may miss 100 by rounding, never by more.
SHARES_TOLERANCE = Decimal("0.01")
# A share rounded to a whole percent (76.92 % written 77 %) is still right.
SHARE_TOLERANCE = Decimal("0.5")
# A composition row that breaks down the row above it rather than adding to the total.
BREAKDOWN_PREFIXES = ("其中",)
# The 支出构成 row that holds the projects' money.
PROJECT_ROWS = ("项目支出",)
TITLES = {"income": "收入构成", "expenditure": "支出构成"}


def check_compositions(department: Values, projects: list[Values | None], report: Report) -> None:
    """The rules of this module over department.yaml's `whole`; `projects` are its listed projects (None
    for one whose file could not be read)."""
    if not department.ok("whole") or not department.get("whole"):
        return
    whole = department.get("whole")
    unit = whole.get("money_unit") or department.get("money_unit") or "元"
    totals: dict[str, tuple[Decimal, Values] | None] = {}
    for key in ("income", "expenditure"):
        composition = whole.get(key) if whole.ok(key) else None
        totals[key] = check_composition(composition, TITLES[key], unit, report) if composition else None
    income, expenditure = totals["income"], totals["expenditure"]
    if income is not None and expenditure is not None and income[0] != expenditure[0]:
        where = expenditure[1].where("total") if expenditure[1].ok("total") else expenditure[1].where("rows")
        report.error(where, msg("compositions.income_expenditure", expenditure=_money(expenditure[0], unit),
                                income=_money(income[0], unit)))
    check_project_budgets(department, whole, income or expenditure, projects, report)


def parts(composition: Values) -> list[Values]:
    """The rows that add up to the total: valid ones, without the `其中…` breakdowns."""
    return [row for row in composition.get("rows") or [] if row and row.ok("name")
            and not squeeze(row.get("name")).startswith(BREAKDOWN_PREFIXES)]


def check_composition(composition: Values, title: str, unit: str, report: Report) -> tuple[Decimal, Values] | None:
    """One composition's rows, 合计 and shares; returns its total (as stated, else the rows' sum) and
    the composition, or None when its amounts cannot be added (blank, or failed validation)."""
    if not composition.ok("rows"):
        return None
    rows = parts(composition)
    if any(not row.ok("amount") for row in rows) or ("total" in composition.data and not composition.ok("total")):
        return None
    amounts = [row.get("amount") for row in rows]
    added = sum((a.or_zero() for a in amounts), Decimal(0))
    stated = composition.get("total")
    total = stated.value if stated is not None and not stated.is_blank else None
    if total is not None and amounts and not all(a.is_blank for a in amounts) and added != total:
        terms = joined(([f"{row.get('name')} ", _money(row.get("amount").value, unit) or BLANK] for row in rows), " + ")
        report.error(composition.where("total"), msg("compositions.rows_total", title=title, added=_money(added, unit),
                                                     total=_money(total, unit), terms=terms))
    check_shares(composition, rows, title, total if total is not None else added, unit, report)
    if total is None and all(a.is_blank for a in amounts):
        return None
    return (total if total is not None else added), composition


def check_shares(composition: Values, rows: list[Values], title: str, total: Decimal, unit: str,
                 report: Report) -> None:
    if composition.ok("total_share") and abs(composition.get("total_share") - 100) > SHARES_TOLERANCE:
        report.error(composition.where("total_share"), msg("compositions.total_share", title=title,
                                                           share=plain_number(composition.get("total_share"))))
    shared = [row for row in rows if "share" in row.data]
    if not shared or any(not row.ok("share") for row in shared):
        return
    added = sum((row.get("share") for row in shared), Decimal(0))
    if abs(added - 100) > SHARES_TOLERANCE:
        terms = joined(([f"{row.get('name')} {plain_number(row.get('share'))}%"] if "share" in row.data
                        else [f"{row.get('name')} ", NONE] for row in rows), " + ")
        report.error(shared[0].where("share"), msg("compositions.shares_total", title=title, added=plain_number(added),
                                                   terms=terms),
                     msg("compositions.shares_hint_unshared") if len(shared) < len(rows) else
                     msg("compositions.shares_hint"))
    if total <= 0:
        return
    for row in shared:
        amount = row.get("amount").value
        if amount is None:
            continue
        computed = amount * 100 / total
        if abs(row.get("share") - computed) > SHARE_TOLERANCE:
            report.warning(row.where("share"), msg("compositions.share_contradicts", name=row.get("name"),
                                                   share=plain_number(row.get("share")), amount=_money(amount, unit),
                                                   total=_money(total, unit),
                                                   computed=plain_number(computed.quantize(CENT, rounding=ROUND_HALF_UP))))


def check_project_budgets(department: Values, whole: Values, stated: tuple[Decimal, Values] | None,
                          projects: list[Values | None], report: Report) -> None:
    """The department-wide money against its projects' budgets, in the department's money unit: the
    支出构成's 项目支出 row equals their sum; without one, the total is at least their sum."""
    unit = department.get("money_unit") or "元"
    own_unit = whole.get("money_unit") or unit
    budgets = []
    for project in projects:
        budget = project.get("budget") if project is not None and project.ok("budget") else None
        if budget is None or not budget.ok("total") or budget.get("total").is_blank:
            return  # a sum without one of them would be wrong; the project's own check says why
        budgets.append(in_unit(budget.get("total").value, (project and project.get("money_unit")) or unit, unit))
    if not budgets:
        return
    projected = sum(budgets, Decimal(0))
    counted = msg("compositions.projects_add_up", count=len(budgets), projected=_money(projected, unit))
    row = project_row(whole)
    if row is not None:
        amount = in_unit(row.get("amount").value, own_unit, unit)
        if amount != projected:
            report.warning(row.where("amount"), msg("compositions.project_row", row=row.get("name"),
                                                    amount=_money(amount, unit), counted=counted))
    elif stated is not None:
        total = in_unit(stated[0], own_unit, unit)
        if total < projected:
            composition = stated[1]
            report.warning(composition.where("total") if composition.ok("total") else composition.where("rows"),
                           msg("compositions.projects_above_whole", total=_money(total, unit), counted=counted))


def project_row(whole: Values) -> Values | None:
    """The 支出构成 row named 项目支出 with an amount, if the table has one."""
    expenditure = whole.get("expenditure") if whole.ok("expenditure") else None
    if not expenditure or not expenditure.ok("rows"):
        return None
    for row in parts(expenditure):
        if _label(row.get("name")) in PROJECT_ROWS and row.ok("amount") and not row.get("amount").is_blank:
            return row
    return None


def _label(name: str) -> str:
    # `项目支出（万元）` and `项目 支出` are the row 项目支出.
    return re.sub(r"[（(][^（()）]*[)）]$", "", squeeze(name))


def _money(value: Decimal | None, unit: str) -> str:
    # Two decimals unless that would hide a difference (1.23456 万元 is not 1.23 万元).
    if value is not None and value != value.quantize(CENT):
        return f"{value.normalize():,f} {unit}"
    return format_money(value, unit)
