"""Outputs: what each output file depends on, as a key.

A key is a digest of everything that can change the file's bytes. When an
output's key equals the one in the last build's manifest, the file is taken
from the last output as it is, not rendered again. Keys are made from the
content files' digests, which cover the model built from them:

- every file depends on the *shell*: the builder, site.yaml, the
  frameworks, the years the site has (the year switcher), the options and
  the date the files carry;
- a rendered file on the templates it is made from (its template and all it
  extends, includes and imports: template_digests.TemplateDigests) and the UI strings;
  PDFs on print.css too;
- a project's annex on its targets file, its department's file (name,
  code, order, annex layout) and the layout's template (print/forms/, which
  the annex gets as a module, not by an import); its data files on those and
  its later stages' files (monitoring, self-evaluation: one model with the
  targets); its self-evaluation's and monitoring round's forms on the
  targets, the department's file and the stage's own file;
- a project's page on those, on the other years' department files (the year
  links) and its counterparts there (历年指标值), the downloads it links
  (sizes) and its 修订记录;
- a department's page on its files in every year, its downloads and 修订记录;
- a department's volume on the department's files and its self-evaluations
  (the volume's 自评 part) and its annex layout's template; its data on the
  department's files;
- every page on the publisher's own pages (content/pages/, notice.md), which
  its menu and footer list;
- site-wide files (home, indicators, data page, the publisher's pages,
  sitemap, feed, site data, search index) on everything.

Over-approximating is safe (a file is rendered when it did not need to be);
missing a dependency would publish a stale page, which the tests look for by
changing each kind of input.
"""

from __future__ import annotations

from builder.cache.digests import digest
from builder.content.model import Department, Project, Site
from builder.history.editions import counterpart, editions
from builder.history.revisions import History
from builder.render.annex_forms import form_template
from builder.render.indicator_groups import has_stages
from builder.render.template_digests import TemplateDigests


class Keys:
    def __init__(self, site: Site, files: dict[str, str], shell: str, templates: TemplateDigests,
                 print_css: str, history: History | None):
        """`files`: content-relative path -> SHA-256 of every content file; `print_css`: its digest."""
        self.site, self.files, self.shell, self.templates, self.history = site, files, shell, templates, history
        self.print_css = print_css
        self._lineage: dict[str, str] = {}
        self.everything = digest(shell, *sorted(files.items()), _history_digest(history))
        # The publisher's own pages: every page's menu and footer list them (content/pages.py).
        self.furniture = digest(*(f"{path}:{sha}" for path, sha in sorted(files.items())
                                  if path.startswith("pages/") or path == "notice.md"))
        self.with_status = has_stages(site)

    def project_files(self, project: Project) -> str:
        """A project's targets and its later stages' files (monitoring, self-evaluation): what its
        model is made of."""
        stages = [stage.source for stage in (project.monitoring, project.evaluation) if stage is not None]
        return digest(self.files[project.source], *(f"{path}:{self.files[path]}" for path in stages))

    def department_files(self, department: Department) -> str:
        own = [department.source] + ([department.evaluation.source] if department.evaluation else [])
        return digest(*(self.files[path] for path in own), *(self.project_files(p) for p in department.projects))

    def lineage(self, department: Department) -> str:
        """The department's files in every year it has."""
        if department.code not in self._lineage:
            self._lineage[department.code] = digest(*(self.department_files(d)
                                                      for d in editions(self.site, department)))
        return self._lineage[department.code]

    def annex(self, department: Department, project: Project) -> str:
        return digest("annex", self.shell, self.templates.of(["print/annex.html"]),
                      self.templates.of([form_template(department.form)]), self.print_css,
                      self.files[department.source], self.files[project.source])

    def stage_form(self, department: Department, project: Project, kind: str, source: str) -> str:
        """A project's self-evaluation or monitoring form (`kind`), made from the stage's file `source`
        and the targets it reports on."""
        return digest(kind, self.shell, self.templates.of([f"print/{kind}.html"]), self.print_css,
                      self.files[department.source], self.files[project.source], self.files[source])

    def volume(self, department: Department) -> str:
        # The targets and the self-evaluations (its third part); not the monitoring rounds, which a
        # volume does not print: a PDF is the dearest file to make again.
        printed = [department.source, *(s.source for s in [department.evaluation] if s is not None)]
        for project in department.projects:
            printed += [project.source, *(s.source for s in [project.evaluation] if s is not None)]
        return digest("volume", self.shell, self.templates.of(["print/volume.html"]),
                      self.templates.of([form_template(department.form)]), self.print_css,
                      *(f"{path}:{self.files[path]}" for path in printed))

    def project_data(self, department: Department, project: Project) -> str:
        return digest("project-data", self.shell, self.files[department.source], self.project_files(project))

    def department_data(self, department: Department) -> str:
        return digest("department-data", self.shell, self.department_files(department))

    def project_page(self, department: Department, project: Project, downloads: list) -> str:
        """Its file, its department's file, and from other years: their department files (the year
        links) and the project's counterpart there (历年指标值)."""
        others = []
        for edition in editions(self.site, department):
            if edition is not department:
                twin = counterpart(project, edition)
                others += [self.files[edition.source], self.project_files(twin) if twin else ""]
        revisions = self.history.of(*project.sources) if self.history else ()
        template = self.templates.of([f"project-{project.code}.html", "project.html"])
        return digest("project-page", self.shell, self.furniture, template, self.files[department.source],
                      self.project_files(project), *others, repr(downloads), repr(revisions))

    def department_page(self, department: Department, downloads: list) -> str:
        revisions = self.history.of(*department.sources) if self.history else ()
        template = self.templates.of([f"department-{department.code}.html", "department.html"])
        return digest("department-page", self.shell, self.furniture, template, self.lineage(department), repr(downloads),
                      repr(revisions))

    def indicator_rows(self, department: Department) -> str:
        """The department's rows of the all-indicators page: its files, the rows' template, and
        whether the page has a status column (any project of the site has a later stage)."""
        return digest("indicator-rows", self.shell, self.templates.of(["partials/indicator-rows.html"]),
                      self.department_files(department), repr(self.with_status))

    def static(self, path: str, data: bytes) -> str:
        return digest("static", path, data)

    def site_wide(self, name: str, downloads_digest: str = "") -> str:
        return digest("site", name, self.everything, self.templates.all_templates(), downloads_digest)


def _history_digest(history: History | None) -> str:
    if history is None:
        return ""
    return digest(history.complete, *(f"{path}{revisions!r}" for path, revisions in sorted(history.files.items())))
