"""PDF fonts: the theme's big CJK faces, cut once to the characters documents use, and the
folder each process's WeasyPrint copies its fonts into (font_folder).

WeasyPrint subsets every font it embeds, for every document, from the whole
face: a Noto CJK face is 65,000 glyphs in a 20-27 MB collection, so each
annex spends a third of its time reading and subsetting it, and embeds up to
150 kB per face because glyph ids are kept. Here each big face print.css
names is cut once (HarfBuzz, well under a second) to GB 2312 and the
punctuation, symbols and Latin text of budget documents, stored in a cache
keyed on the font file, and registered under its own family name placed
before the original in print.css's `font-family` lists (font_css.py). A
character outside the cut falls through to the next family, the whole face,
exactly as a missing glyph always does; nothing renders differently. Annexes take about
0.8x the time of plain WeasyPrint on the same HTML, which makes no PDF/A, and
are 2.4x smaller (bench/run.py measures both in every run).

Everything here is an optimisation: without HarfBuzz's subsetter, fontconfig
or a writable cache, PDFs are made from the whole faces as before.
"""

from __future__ import annotations

import hashlib
import multiprocessing.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from builder.base.files import write_atomic

# Change it and every subset (and, through the builder's source, every PDF) is made again.
CHARSET_VERSION = 1
# Only faces this big are worth cutting: a 4 MB Latin or GB 2312-only font is embedded quickly as it is.
MIN_FACE_BYTES = 8 * 1024 * 1024
SUFFIX = "GB2312"  # the cut's family is "<family> GB2312", as it appears in the PDF's font list

_BLOCKS = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: ×, ÷, °, §
    (0x2000, 0x206F),  # general punctuation: — … ‰ ‘ ’ “ ”
    (0x2100, 0x218F),  # letterlike symbols and number forms: ℃ № Ⅰ Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: ≥ ≤ ≦ ≧ ± ≠
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑴ ⒈
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ● ○ ▲
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、 。 〇 《 》 〔 〕
    (0xFF00, 0xFFEF),  # fullwidth forms: （ ） ， ： ％ ０-９
]


def charset() -> list[int]:
    """GB 2312 (6,763 hanzi and its symbols) and the blocks above, sorted."""
    chars = {c for start, end in _BLOCKS for c in range(start, end + 1)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(chars)


@dataclass(frozen=True)
class Face:
    family: str  # as print.css names it
    weight: int  # 400 or 700
    file: Path
    index: int  # the face within a .ttc collection


@dataclass(frozen=True)
class Cut:
    face: Face
    path: Path  # the subset font file

    @property
    def family(self) -> str:
        return f"{self.face.family} {SUFFIX}"

    def font_face_rule(self) -> str:
        return (f'@font-face {{ font-family: "{self.family}"; src: url("{self.path.as_uri()}"); '
                f"font-weight: {self.face.weight}; }}\n")


def font_folder(scratch: Path | None) -> Path:
    """The folder WeasyPrint copies print.css's fonts into for Fontconfig (17 MB with the theme's
    Chinese cuts), one per process.

    WeasyPrint makes it in the system's temporary folder and deletes it only when its
    FontConfiguration is collected, which never happens in a pool's worker (it ends by
    os._exit): every worker of every build with PDFs left 17 MB behind. So it is made in the
    build's scratch folder, which the build removes when its PDFs are made (and the next build,
    if this one was killed), and removed when this process exits normally (a Dask worker, or
    a build on one core); where this process cannot make it there (a Dask worker on another
    machine, or run by another user: the scratch folder is the build user's alone), in the
    temporary folder, removed at exit.
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix="fonts-", dir=scratch)) if scratch else None
    except OSError:
        folder = None
    folder = folder or Path(tempfile.mkdtemp(prefix="fonts-"))
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                                  exitpriority=0)
    return folder


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "gongkai" / "fonts"


def cut_fonts(families: list[str], cache: Path | None = None) -> list[Cut]:
    """The cuts for the big installed faces among `families`, made now if not cached; [] if they cannot be."""
    try:
        native = _Native()
    except OSError:
        return []
    chars = charset()
    cuts: list[Cut] = []
    for family in families:
        for weight in (400, 700):
            face = native.match(family, weight)
            if face is None or face.weight != weight or any(c.face == face for c in cuts):
                continue  # not installed, or no bold: Pango makes bold from the regular cut
            if face.file.stat().st_size < MIN_FACE_BYTES:
                continue
            path = _cut(native, face, chars, cache or default_cache_dir())
            if path is not None:
                cuts.append(Cut(face, path))
    return cuts


def _cut(native: "_Native", face: Face, chars: list[int], cache: Path) -> Path | None:
    st = face.file.stat()
    key = hashlib.sha256(f"{CHARSET_VERSION}\0{face.file}\0{face.index}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    path = cache / f"{key.hexdigest()[:24]}.otf"
    if path.is_file():
        return path
    data = native.subset(face, chars)
    if data is None:
        return None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        # Another worker may be cutting the same face: each writes its own file, the rename is atomic.
        write_atomic(path, data)
    except OSError:
        return None  # a read-only cache: the whole faces it is
    return path


class Fontconfig:
    """fontconfig, as WeasyPrint's Pango sees it, to find the file of an installed family."""

    CDEF = """
        typedef struct _FcConfig FcConfig; typedef struct _FcPattern FcPattern;
        typedef int FcBool; typedef int FcResult;
        FcConfig *FcInitLoadConfigAndFonts(void);
        FcPattern *FcNameParse(const unsigned char *name);
        FcBool FcConfigSubstitute(FcConfig *config, FcPattern *p, int kind);
        void FcDefaultSubstitute(FcPattern *pattern);
        FcPattern *FcFontMatch(FcConfig *config, FcPattern *p, FcResult *result);
        FcResult FcPatternGetString(const FcPattern *p, const char *object, int n, unsigned char **s);
        FcResult FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
        void FcPatternDestroy(FcPattern *p);
    """

    def __init__(self) -> None:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(self.CDEF)
        self.ffi = ffi
        # Any: the library's functions are the ones CDEF declares, which no static type knows.
        fc: Any = ffi.dlopen("libfontconfig.so.1")
        self.fc = fc
        self.config = fc.FcInitLoadConfigAndFonts()

    def match(self, family: str, weight: int) -> Face | None:
        """The installed face fontconfig gives `family` at `weight`, if it really is that family."""
        ffi, fc = self.ffi, self.fc
        # fontconfig's name syntax escapes -, :, and , with a backslash.
        name = "".join("\\" + c if c in "\\-:," else c for c in family)
        pattern = fc.FcNameParse(f"{name}:weight={'bold' if weight == 700 else 'regular'}".encode())
        fc.FcConfigSubstitute(self.config, pattern, 0)  # FcMatchPattern
        fc.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        found = fc.FcFontMatch(self.config, pattern, result)
        fc.FcPatternDestroy(pattern)
        if found == ffi.NULL:
            return None
        try:
            names, n, text = [], 0, ffi.new("unsigned char **")
            while fc.FcPatternGetString(found, b"family", n, text) == 0:
                # An unsigned char * reads back as bytes (a char * would too; a wchar_t * as str).
                names.append(cast(bytes, ffi.string(text[0])).decode("utf-8", "replace"))
                n += 1
            if family not in names:
                return None  # fontconfig substituted another family: leave it alone
            number = ffi.new("int *")
            fc.FcPatternGetString(found, b"file", 0, text)
            file = Path(os.fsdecode(ffi.string(text[0])))
            fc.FcPatternGetInteger(found, b"index", 0, number)
            index = number[0]
            fc.FcPatternGetInteger(found, b"weight", 0, number)
            return Face(family, 700 if number[0] >= 180 else 400, file, index)  # FC_WEIGHT_BOLD is 200
        finally:
            fc.FcPatternDestroy(found)

    def has_font(self) -> bool:
        """Is any font installed at all? (Pango crashes the process when fontconfig finds none.)"""
        pattern = self.fc.FcNameParse(b"")
        self.fc.FcConfigSubstitute(self.config, pattern, 0)
        self.fc.FcDefaultSubstitute(pattern)
        found = self.fc.FcFontMatch(self.config, pattern, self.ffi.new("FcResult *"))
        self.fc.FcPatternDestroy(pattern)
        if found == self.ffi.NULL:
            return False
        self.fc.FcPatternDestroy(found)
        return True


class _Native(Fontconfig):
    """fontconfig to find a family's file, HarfBuzz's subsetter to cut it (both libraries WeasyPrint loads)."""

    def __init__(self) -> None:
        super().__init__()
        self.ffi.cdef("""
            typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
            typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
            hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
            hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
            hb_blob_t *hb_face_reference_blob(hb_face_t *face);
            const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
            void hb_blob_destroy(hb_blob_t *blob);
            void hb_face_destroy(hb_face_t *face);
            void hb_set_add_range(hb_set_t *set, uint32_t first, uint32_t last);
            hb_subset_input_t *hb_subset_input_create_or_fail(void);
            hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
            void hb_subset_input_destroy(hb_subset_input_t *input);
            hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
        """)
        # Any: as Fontconfig.fc, the functions are the ones declared just above.
        self.hb: Any = self.ffi.dlopen("libharfbuzz.so.0")
        self.hb_subset: Any = self.ffi.dlopen("libharfbuzz-subset.so.0")

    def subset(self, face: Face, chars: list[int]) -> bytes | None:
        ffi, hb, hbs = self.ffi, self.hb, self.hb_subset
        blob = hb.hb_blob_create_from_file_or_fail(os.fsencode(face.file))
        if blob == ffi.NULL:
            return None
        source = hb.hb_face_create(blob, face.index)
        request = hbs.hb_subset_input_create_or_fail()
        try:
            wanted = hbs.hb_subset_input_unicode_set(request)
            for start, end in _ranges(chars):
                hb.hb_set_add_range(wanted, start, end)
            cut = hbs.hb_subset_or_fail(source, request)
            if cut == ffi.NULL:
                return None
            data = hb.hb_face_reference_blob(cut)
            length = ffi.new("unsigned int *")
            pointer = hb.hb_blob_get_data(data, length)
            # Unpacking a char * gives bytes.
            font = cast(bytes, ffi.unpack(pointer, length[0]))
            hb.hb_blob_destroy(data)
            hb.hb_face_destroy(cut)
            return font
        finally:
            hbs.hb_subset_input_destroy(request)
            hb.hb_face_destroy(source)
            hb.hb_blob_destroy(blob)


def _ranges(chars: list[int]) -> Iterator[tuple[int, int]]:
    start = previous = chars[0]
    for c in chars[1:]:
        if c != previous + 1:
            yield start, previous
            start = c
        previous = c
    yield start, previous
