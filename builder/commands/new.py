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
from builder.pipeline import PROJECT_ROOT

STAGES = ("monitoring", "evaluation", "department-evaluation")


def run(args: Namespace) -> int:
    from builder.content.scaffold import scaffold

    folder = args.department or args.path
    if folder is None or (args.department and args.path and args.department != args.path):
        print(f"error: name the department folder once, e.g. `new {args.kind} content/2022/304001`"
              + (" --code CODE" if args.kind != "department-evaluation" else ""), file=sys.stderr)
        return 2
    if args.code is None and args.kind != "department-evaluation":
        print(f"error: `new {args.kind}` needs --code (the {'unit' if args.kind == 'department' else 'project'} "
              "code)", file=sys.stderr)
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
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {display_path(str(path))}; fill it in, then run `python build.py check`")
    if args.kind == "project":
        _list(Path(folder) / "department.yaml", args.code)
    return 0


def _list(department: Path, code: str) -> None:
    """The new project in its department's `projects:` list, or the line to add to it."""
    from builder.content.scaffold import list_project

    if list_project(department, code):
        print(f"listed {code} in `projects:` of {display_path(str(department))}")
    else:
        print(f"add this line to `projects:` in {display_path(str(department))} (where it stands in 第二部分):\n"
              f"  - {code}")


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
        raise ValueError(f"{display_path(str(folder))} has no department.yaml; name the department's folder")
    root = next((p for p in folder.parents if (p / "site.yaml").is_file()), None)
    if root is None:
        raise ValueError(f"no site.yaml in a folder above {display_path(str(folder))}; the department must be in "
                         "a content folder")
    path = stage_path(kind, folder, code)
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{display_path(str(path))} exists; gongkai never overwrites a content file")
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
        _refuse(report, [folder / "department.yaml"], "the department's file has errors")
        return None
    profile = rules.scoring.choose(department.values, None, report) if kind != "monitoring" else None
    unit = department.values.get("money_unit") or "元"
    if code is None:
        return scaffold_stage(kind, folder, None, profile, unit, PROJECT_ROOT / "schemas")
    targets = next((p for p in plan.projects if p.values is not None and p.values.get("code") == code), None)
    if targets is None:
        listed = ", ".join(p.values.get("code") for p in plan.projects if p.values is not None and p.values.ok("code"))
        raise ValueError(f"project `{code}` is not one of this department's projects (department.yaml lists "
                         f"{listed or 'none'})")
    approved = approved_project(plan, targets, department.values, root, report)
    if approved is None:
        _refuse(report, [targets.path], "the project's targets have errors")
        return None
    project = approved.project
    return scaffold_stage(kind, folder, project, profile, project.money_unit, PROJECT_ROOT / "schemas")


def _refuse(report: Report, paths: list[Path], why: str) -> None:
    """Say why no stage file was written: the errors of the files it is made from."""
    for diagnostic in report.sorted():
        if diagnostic in report.errors and any(Path(diagnostic.pos.path) == p for p in paths):
            print(diagnostic.format(), file=sys.stderr)
    print(f"error: {why}; nothing was written: correct them (`python build.py check`), then run `new` again",
          file=sys.stderr)
