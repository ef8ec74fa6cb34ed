"""What `serve` adds to what it serves: the script that reloads a page when the site is rebuilt, and
the page that shows the content's problems in place of the site until they are fixed."""

from __future__ import annotations

import html

from builder.base.diagnostics import Diagnostic, Report, Severity
from builder.base.messages import say

VERSION_PATH = "/__gongkai/version"


def reload_script(version: int) -> str:
    """Polls the server's version and reloads once it moves past the one this page was served at."""
    return (
        "<script>(function(){var served='%d';setInterval(function(){"
        "fetch('%s',{cache:'no-store'}).then(function(r){return r.text();})"
        ".then(function(v){if(v!==served){location.reload();}})"
        ".catch(function(){});},500);})();</script>" % (version, VERSION_PATH)
    )


def error_page(report: Report, version: int) -> str:
    """The errors first, each as the terminal says it; the warnings folded below them, since they
    did not stop the site and the publisher came to fix what did."""
    def items(findings: list[Diagnostic]) -> str:
        return "\n".join(f"<li><pre>{html.escape(d.format())}</pre></li>" for d in findings)

    findings = report.sorted()
    errors = [d for d in findings if d.severity is Severity.ERROR]
    warnings = [d for d in findings if d.severity is Severity.WARNING]
    folded = (f'<details><summary>{html.escape(say("report.warnings", count=len(warnings)))}</summary>'
              f'<ol class="warnings">{items(warnings)}</ol></details>' if warnings else "")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>内容有错误 - gongkai</title>'
            '<style>body{font-family:sans-serif;margin:2rem;color:#1f2328}pre{white-space:pre-wrap;margin:0}'
            'li{margin:.75rem 0;padding:.5rem;background:#fff5f5;border-left:4px solid #9f1c1c;list-style:none}'
            '.warnings li{background:#fffbea;border-left-color:#8a6100}summary{cursor:pointer;margin-top:1rem}'
            '</style></head><body><main><h1>内容有错误，网站未更新</h1>'
            f'<p>修改下列问题并保存，页面会自动刷新。</p><ol>{items(errors)}</ol>{folded}</main>'
            f'{reload_script(version)}</body></html>')
