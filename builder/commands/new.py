"""`build.py new`: a department, project or later-stage file to fill in, every field explained.

A monitoring round or a self-evaluation lists the project's approved indicators, so `new monitoring`
and `new evaluation` first read the department and that project as `check` does (the other files of
the site need not be finished: another stage file still holding 待填写 does not stop this one).
"""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from builder.base.diagnostics import Report, display_path
from builder.base.messages import Message, msg, say
from builder.pipeline import PROJECT_ROOT

STAGES = ("monitoring", "evaluation", "department-evaluation")


def run(args: Namespace) -> int:
    from builder.content.scaffold import scaffold

    folder = args.department or args.path
    if folder is None or (args.department and args.path and args.department != args.path):
        code = " --code CODE" if args.kind != "department-evaluation" else ""
        print(say("report.error_line", text=msg("new.name_the_folder", kind=args.kind, code=code)), file=sys.stderr)
        return 2
    if args.code is None and args.kind != "department-evaluation":
        which = msg("new.unit_code") if args.kind == "department" else msg("new.project_code")
        print(say("report.error_line", text=msg("new.needs_code", kind=args.kind, which=which)), file=sys.stderr)
        return 2
    try:
        if args.kind in STAGES:
            made = _stage(args.kind, folder, args.code)
            if made is None:
                return 1
            path = made
        else:
            path = scaffold(args.kind, folder, args.code, PROJECT_ROOT / "schemas")
    except (FileExistsError, ValueError) as exc:
        print(say("report.error_line", text=exc), file=sys.stderr)
        return 1
    print(say("new.wrote", path=display_path(str(path))))
    if args.kind == "project":
        _list(Path(folder) / "department.yaml", args.code)
    return 0


def _list(department: Path, code: str) -> None:
    """The new project in its department's `projects:` list, or the line to add to it."""
    from builder.content.scaffold import list_project

    if list_project(department, code):
        print(say("new.listed", code=code, department=display_path(str(department))))
    else:
        print(say("new.add_line", code=code, department=display_path(str(department))))


def _stage(kind: str, folder: Path, code: str | None) -> Path | None:
    """Write a stage file for the project `code` of the department in `folder` (the department's own
    self-evaluation: code None); None after printing why it cannot be written."""
    from builder.check.departments import folders_of
    from builder.check.rules import check_department, check_site_files
    from builder.check.stages import approved_project
    from builder.content.stage_scaffold import scaffold_stage, stage_path
    from builder.content.tree import ContentFiles
    from builder.content.validate import Records, builtin_frameworks, read_files

    folder = folder.absolute()
    if not (folder / "department.yaml").is_file():
        raise ValueError(say("new.no_department", folder=display_path(str(folder))))
    root = next((p for p in folder.parents if (p / "site.yaml").is_file()), None)
    if root is None:
        raise ValueError(say("new.no_site", folder=display_path(str(folder))))
    path = stage_path(kind, folder, code)
    if path.exists() or path.is_symlink():
        raise FileExistsError(say("new.exists", path=display_path(str(path))))
    report = Report()
    site_wide, folders = folders_of(list(ContentFiles.walk(root).documents))
    records = Records(root=root, frameworks=builtin_frameworks(report))
    for record in read_files(site_wide, report):
        if record.kind == "site":
            records.site = record
        else:
            records.frameworks.append(record)
    rules = check_site_files(records, report)
    mine = next((f for f in folders if f.path == folder), None)
    files = read_files([f for f in (mine.files if mine else ()) if f[1] in ("department", "project")], report)
    department = files[0] if files and files[0].kind == "department" else None
    plan = check_department(department, files[1:], rules, report, [], root)[0] if department else None
    if department is None or department.values is None or plan is None:
        _refuse(report, [folder / "department.yaml"], msg("new.department_has_errors"))
        return None
    profile = rules.scoring.choose(department.values, None, report) if kind != "monitoring" else None
    unit = department.values.get("money_unit") or "元"
    if code is None:
        return scaffold_stage(kind, folder, None, profile, unit, PROJECT_ROOT / "schemas")
    targets = next((p for p in plan.projects if p.values is not None and p.values.get("code") == code), None)
    if targets is None:
        listed = ", ".join(p.values.get("code") for p in plan.projects if p.values is not None and p.values.ok("code"))
        raise ValueError(say("new.not_a_project", code=code, listed=listed or msg("new.none")))
    approved = approved_project(plan, targets, department.values, root, report)
    if approved is None:
        _refuse(report, [targets.path], msg("new.project_has_errors"))
        return None
    project = approved.project
    return scaffold_stage(kind, folder, project, profile, project.money_unit, PROJECT_ROOT / "schemas")


def _refuse(report: Report, paths: list[Path], why: Message) -> None:
    """Say why no stage file was written: the errors of the files it is made from."""
    for diagnostic in report.sorted():
        if diagnostic in report.errors and any(Path(diagnostic.pos.path) == p for p in paths):
            print(diagnostic.format(), file=sys.stderr)
    print(say("report.error_line", text=msg("new.refused", why=why)), file=sys.stderr)
