"""Golden outputs: the seed's whole published site, its PDFs as text, a diff and a check, as files.

A change to any page, data file, PDF text or diagnostic shows up here as a
readable diff against `tests/golden/`. When the change is meant, rewrite the
copy with `pytest tests/test_golden.py --update-golden` and read the diff of
`tests/golden/` as a reader would before committing it.

The site is built from a copy of `content/` in a scratch git repository with
fixed commit dates, so that the golden copy does not move with this code
repository's own history: two commits, the second editing one target with a
修订说明, so that the history sections, the feed and `diff` have something to show.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT
from pypdf import PdfReader
from test_planted_seed import PLANTED, plant

GOLDEN = ROOT / "tests" / "golden"
PROJECT = "content/2022/304001/projects/13022922P00JXC411757B.yaml"
GIT_ENV = {"GIT_AUTHOR_NAME": "财政局", "GIT_AUTHOR_EMAIL": "czj@example.invalid", "GIT_COMMITTER_NAME": "财政局",
           "GIT_COMMITTER_EMAIL": "czj@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
# Planted problems that do not stop a file from being read: all of them come out in one run.
FATAL = {"syntax error", "explicit tag", "anchor", "alias", "code unsafe for paths", "missing key"}
# Shown in full when they differ; beyond that only the names of the files that differ.
SHOWN_DIFFS = 5


def git(root: Path, *args: str, date: str = "2022-03-01T10:00:00+08:00") -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("golden")
    shutil.copytree(CONTENT, root / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "2022年预算绩效目标（人大批准版）")
    git(root, "tag", "approved")
    project = root / PROJECT
    project.write_text(project.read_text(encoding="utf-8").replace("target: ≥4次", "target: ≥5次", 1),
                       encoding="utf-8")
    # The monitoring round forecasts the revised target, or check would say it misses it unexplained.
    monitoring = root / PROJECT.replace("/projects/", "/monitoring/")
    monitoring.write_text(monitoring.read_text(encoding="utf-8").replace("forecast: 4次", "forecast: 5次", 1),
                          encoding="utf-8")
    git(root, "commit", "-q", "-am", "招商活动次数调整为5次", "-m", "修订说明：根据县政府招商工作安排，招商推介活动由4次增加到5次。",
        date="2022-07-15T09:30:00+08:00")
    return root


def pdf_as_text(data: bytes) -> str:
    """What a PDF says and how it is filed: metadata, outline, attachments, fonts, then each page's text."""
    reader = PdfReader(io.BytesIO(data))
    lines = ["# metadata"]
    lines += [f"{key}: {value}" for key, value in sorted((reader.metadata or {}).items())]
    lines.append(f"pages: {len(reader.pages)}")
    lines.append(f"page size: {sorted({(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages})}")

    def outline(items, depth: int = 0) -> None:
        for item in items:
            if isinstance(item, list):
                outline(item, depth + 1)
            else:
                lines.append(f"{'  ' * depth}- {item.title} (page {reader.get_destination_page_number(item) + 1})")

    lines.append("# outline")
    outline(reader.outline)
    lines.append("# attachments")
    for name, contents in sorted(reader.attachments.items()):
        for content in contents:
            lines.append(f"{name}: {len(content)} bytes, sha256 {hashlib.sha256(content).hexdigest()}")
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get_object().get("/Font", {}) or {}).values():
            font = font.get_object()
            # The subset prefix (ABCDEF+) depends on which characters a subset holds; the face does not.
            fonts.add(str(font.get("/BaseFont", "")).split("+")[-1])
    lines.append("# fonts")
    lines += sorted(fonts)
    for number, page in enumerate(reader.pages, start=1):
        lines.append(f"# page {number}")
        lines += [line.rstrip() for line in (page.extract_text() or "").splitlines()]
    return "\n".join(lines) + "\n"


def xlsx_as_text(data: bytes) -> str:
    """An XLSX is a ZIP of XML: its members, each one's bytes digested, and the sheets' XML as text."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            member = archive.read(info)
            lines.append(f"# {info.filename} {info.date_time} sha256 {hashlib.sha256(member).hexdigest()}")
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                lines += member.decode("utf-8").replace("><", ">\n<").splitlines()
    return "\n".join(lines) + "\n"


def site_as_text(output: Path) -> dict[str, str]:
    """Every published file as text; binary kinds turned into text. Pagefind's index is left out.

    Pagefind writes its filter indexes in hash-map order (conftest.reproducible), so
    the index files and their lines in SHA256SUMS are not reproducible; the pages
    they index are all here.
    """
    files: dict[str, str] = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if not path.is_file() or relative.startswith("pagefind/"):
            continue
        data = path.read_bytes()
        if relative.endswith(".pdf"):
            files[relative + ".txt"] = pdf_as_text(data)
        elif relative.endswith(".xlsx"):
            files[relative + ".txt"] = xlsx_as_text(data)
        elif relative == "SHA256SUMS":
            files[relative] = "".join(line for line in data.decode("utf-8").splitlines(keepends=True)
                                      if " pagefind/" not in line)
        else:
            files[relative] = data.decode("utf-8")
    return files


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=repo,
                          capture_output=True, text=True,
                          # In the publisher's language, as they run it: the golden check.txt is what they read.
                          env={**os.environ, **GIT_ENV, "LANG": "C.UTF-8", "GONGKAI_LANG": "zh-CN"})


@pytest.fixture(scope="module")
def actual(repo, tmp_path_factory) -> dict[str, str]:
    output = tmp_path_factory.mktemp("out") / "output"
    built = run(repo, "build", "--output", str(output))
    assert built.returncode == 0, built.stderr
    files = {f"site/{name}": text for name, text in site_as_text(output).items()}
    changed = run(repo, "diff", "approved", "HEAD")
    files["diff.txt"] = f"exit {changed.returncode}\n# stdout\n{changed.stdout}# stderr\n{changed.stderr}"
    planted = tmp_path_factory.mktemp("planted")
    shutil.copytree(CONTENT, planted / "content")
    for name, (relative, old, new, anchor, _) in PLANTED.items():
        if name not in FATAL:
            plant(planted / "content", relative, old, new, anchor)
    checked = run(planted, "check")
    files["check.txt"] = f"exit {checked.returncode}\n# stdout\n{checked.stdout}# stderr\n{checked.stderr}"
    return files


def golden_files() -> dict[str, str]:
    return {path.relative_to(GOLDEN).as_posix(): path.read_bytes().decode("utf-8")
            for path in sorted(GOLDEN.rglob("*")) if path.is_file() and path.name != "README.md"}


def test_the_seed_site_pdfs_diff_and_check_match_the_golden_copy(actual, request):
    if request.config.getoption("--update-golden"):
        for path in GOLDEN.glob("*"):
            if path.name != "README.md":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        for name, text in actual.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        return
    golden = golden_files()
    missing = sorted(set(golden) - set(actual))
    extra = sorted(set(actual) - set(golden))
    changed = sorted(name for name in set(golden) & set(actual) if golden[name] != actual[name])
    if not (missing or extra or changed):
        return
    report = [f"the output differs from tests/golden/ ({len(changed)} changed, {len(missing)} no longer made, "
              f"{len(extra)} new); if this is meant, run `pytest tests/test_golden.py --update-golden` "
              "and read the diff of tests/golden/ before committing it"]
    report += [f"no longer made: {name}" for name in missing]
    report += [f"new: {name}" for name in extra]
    for name in changed[:SHOWN_DIFFS]:
        # Line ends are part of the bytes (CSV uses CRLF): a changed one is shown as \r.
        report += [line.rstrip("\n").replace("\r", "\\r") for line in
                   difflib.unified_diff(golden[name].splitlines(keepends=True),
                                        actual[name].splitlines(keepends=True),
                                        f"golden/{name}", f"built/{name}", n=2)]
    report += [f"changed (diff not shown): {name}" for name in changed[SHOWN_DIFFS:]]
    pytest.fail("\n".join(report), pytrace=False)
