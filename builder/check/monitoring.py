"""Check: a monitoring round (绩效目标执行监控表) as a finance reviewer reads it (../shared/CYCLE.md)."""

from __future__ import annotations

from builder.base.diagnostics import Report
from builder.check.evaluations import stated
from builder.content.fields import Values
from builder.content.model import Project
from builder.content.stage_model import Monitoring


def check_monitoring(values: Values, monitoring: Monitoring, project: Project, report: Report) -> None:
    """Every reviewer check of one monitoring round."""
    stated(monitoring.rate, values.get("money"), "rate", "执行率", report, unit="%")
