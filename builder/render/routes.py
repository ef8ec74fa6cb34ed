"""Routes: every model object -> its output path, in one place.

Paths are relative to the output folder and always name a file (never a bare
folder), so links work from file:// where no server adds index.html. Links
between pages are made relative (`relative_url`), so the site works under any
sub-path without knowing it. Only 404.html, which a server shows at any depth,
links through `site.base_path`.
"""

from __future__ import annotations

from builder.content.model import Department, Project


class Routes:
    """Output paths of every page; templates reach it as `routes`."""

    index = "index.html"
    indicators = "indicators.html"
    about = "about.html"
    not_found = "404.html"
    sitemap = "sitemap.xml"
    data = "data.html"
    verify = "verify.html"  # every download's size and SHA-256, and how to check them
    site_data_folder = "data/all"  # the data files of the whole site: every department's rows
    search = "search.html"
    feed = "feed.xml"

    @staticmethod
    def department_folder(department: Department) -> str:
        """The folder of a department's pages: its page and its projects' pages, nothing else."""
        return f"{department.year}/{department.code}"

    @staticmethod
    def department(department: Department) -> str:
        return f"{department.year}/{department.code}/index.html"

    @staticmethod
    def project(department: Department, project: Project) -> str:
        return f"{department.year}/{department.code}/projects/{project.code}.html"

    @staticmethod
    def project_pdf(department: Department, project: Project) -> str:
        return f"{department.year}/{department.code}/projects/{project.code}.pdf"

    @staticmethod
    def evaluation_pdf(department: Department, project: Project) -> str:
        """The project's 项目支出绩效自评表, beside its annex. A code has no dot (codes.CODE_PATTERN), so
        `CODE.evaluation.pdf` is never another project's `CODE.pdf`; a hyphen would be: `P1-evaluation`."""
        return f"{department.year}/{department.code}/projects/{project.code}.evaluation.pdf"

    @staticmethod
    def monitoring_pdf(department: Department, project: Project) -> str:
        """The project's 绩效目标执行监控表, beside its annex (named like evaluation_pdf)."""
        return f"{department.year}/{department.code}/projects/{project.code}.monitoring.pdf"

    @staticmethod
    def volume_pdf(department: Department) -> str:
        return f"{department.year}/{department.code}/{department.code}-{department.year}.pdf"

    @staticmethod
    def department_data(department: Department, name: str) -> str:
        return f"data/{department.year}-{department.code}/{name}"

    @staticmethod
    def project_data(department: Department, project: Project, name: str) -> str:
        return f"data/{department.year}-{department.code}/{project.code}/{name}"

    @staticmethod
    def site_data(name: str) -> str:
        return f"{Routes.site_data_folder}/{name}"

    @staticmethod
    def page(name: str) -> str:
        """One of the publisher's own pages (content/pages/NAME.md)."""
        return f"pages/{name}.html"

    @staticmethod
    def static(name: str) -> str:
        return f"static/{name}"


routes = Routes()


def relative_url(from_path: str, to_path: str) -> str:
    """The link from page `from_path` to `to_path`, both output-relative.

    posixpath.relpath would do, but it makes both paths absolute against the working directory
    first (a system call each): that was a fifth of rendering the all-indicators page. Output
    paths are already normal (write.py refuses `.`, `..` and empty segments)."""
    here = from_path.split("/")[:-1]
    there = to_path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])
