"""The GB 2312 cuts of big CJK faces: which faces are cut, and how print.css is pointed at them."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.render import font_css, fonts
from builder.render.fonts import Cut, Face


def test_the_charset_holds_gb2312_and_the_symbols_of_budget_documents():
    chars = set(fonts.charset())
    assert len([c for c in chars if 0x4E00 <= c <= 0x9FFF]) == 6763  # GB 2312's hanzi, all of them
    for text in "玉田县商务和投资促进局≥≤≦％（）、。《》〔〕—…℃①Ⅰ×·0-9AZaz":
        assert ord(text) in chars, text
    assert ord("堃") not in chars  # outside GB 2312: the whole face supplies it


def cut(family: str, weight: int) -> Cut:
    return Cut(Face(family, weight, Path("/fonts/x.ttc"), 2), Path(f"/cache/{weight}.otf"))


def test_each_cut_family_is_named_before_its_original_everywhere():
    css = """@page { @top-center { font-family: "黑体", 'Noto Sans CJK SC'; } }
html { font-family: "仿宋", Noto Serif CJK SC, serif; color: #000 }
h1 { font-family: "Noto Sans CJK SC"; font-weight: bold }
.x { content: "Noto Serif CJK SC" }
"""
    out = font_css.with_cuts(css, [cut("Noto Sans CJK SC", 400), cut("Noto Sans CJK SC", 700),
                                cut("Noto Serif CJK SC", 400)])
    assert out.count("@font-face") == 3
    assert '@font-face { font-family: "Noto Sans CJK SC GB2312"; src: url("file:///cache/700.otf"); ' \
           'font-weight: 700; }' in out
    assert 'font-family: "黑体", "Noto Sans CJK SC GB2312", "Noto Sans CJK SC";' in out
    assert 'font-family: "仿宋", "Noto Serif CJK SC GB2312", Noto Serif CJK SC, serif;' in out
    assert 'h1 { font-family: "Noto Sans CJK SC GB2312", "Noto Sans CJK SC";' in out
    assert '.x { content: "Noto Serif CJK SC" ;}' in out  # only font-family is touched
    assert font_css.with_cuts(css, []) == css


def test_font_families_lists_each_name_once():
    css = 'a { font-family: "A", B C, serif } @page { @top-center { font-family: "A", D } }'
    assert font_css.font_families(css) == ["A", "B C", "D"]


def test_only_big_installed_faces_are_cut(tmp_path):
    cuts = fonts.cut_fonts(["Noto Serif CJK SC", "No Such Family 无此字体"], cache=tmp_path)
    if not cuts:
        pytest.skip("no Noto Serif CJK SC or no HarfBuzz subsetter on this machine")
    assert {c.face.family for c in cuts} == {"Noto Serif CJK SC"}
    assert all(c.path.parent == tmp_path and c.path.stat().st_size < c.face.file.stat().st_size / 3 for c in cuts)
    again = fonts.cut_fonts(["Noto Serif CJK SC"], cache=tmp_path)
    assert [c.path for c in again] == [c.path for c in cuts]  # cached: the same files, not made again


def test_the_font_folder_falls_back_to_the_temporary_folder_where_the_scratch_folder_cannot_hold_it(tmp_path):
    """A Dask worker on another machine has no such folder; one run by another user may not write
    into the build user's (0700): its WeasyPrint fonts go to its own temporary folder instead."""
    import tempfile

    made = fonts.font_folder(tmp_path / "scratch")
    assert made.is_dir() and made.parent == Path(tempfile.gettempdir()) and made.name.startswith("fonts-")
    scratch = tmp_path / "here"
    scratch.mkdir()
    assert fonts.font_folder(scratch).parent == scratch
    (tmp_path / "a-file").write_text("x")
    assert fonts.font_folder(tmp_path / "a-file").parent == Path(tempfile.gettempdir())


def test_a_worker_run_by_another_user_makes_its_font_folder_in_its_own_temporary_folder(tmp_path):
    """The scratch folder is the build user's alone (0700): a Dask worker run by a service account
    on the same machine sees it but may not write into it, and must still make its PDFs."""
    import os
    import subprocess
    import sys
    import tempfile

    from conftest import ROOT, SYSTEM_TEMPORARY

    if os.geteuid() != 0:
        pytest.skip("needs root, to drop to the user nobody")
    scratch = Path(tempfile.mkdtemp(prefix="gongkai-scratch-", dir=SYSTEM_TEMPORARY))  # 0700, root's
    try:
        done = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
             "import sys; from pathlib import Path; from builder.render.fonts import font_folder; "
             "print(font_folder(Path(sys.argv[1])).parent)", str(scratch)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "TMPDIR": str(SYSTEM_TEMPORARY), "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(SYSTEM_TEMPORARY)
    finally:
        os.rmdir(scratch)
