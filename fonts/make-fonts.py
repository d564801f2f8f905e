#!/usr/bin/env python3
"""Rebuilds the bundled font files in this folder from their published releases.

Usage: fonts/make-fonts.py SOURCE_SERIF_DIR SOURCE_CODE_DIR DEJAVU_DIR

  SOURCE_SERIF_DIR  the unpacked npm package source-serif@4.5.1 (`npm pack source-serif@4.5.1`,
                    then `tar xzf`: the folder named `package`)
  SOURCE_CODE_DIR   the unpacked npm package source-code-pro@2.42.0, likewise
  DEJAVU_DIR        DejaVu 2.37's TrueType files, e.g. /usr/share/fonts/truetype/dejavu
                    (Debian's fonts-dejavu-core)

Every input is checked against the SHA-256 recorded below, so the output is the same bytes on
every machine (fontTools' subsetter keeps the files' own timestamps). Needs fontTools.

The Source Serif 4 and Source Code Pro files are copied unchanged: their licence reserves the
font name "Source", and a subset is a Modified Version under the OFL, which could not keep the
name. DejaVu's licence only reserves "Bitstream" and "Vera", so its files are subset to what
the book faces lack (see `fallback`).
"""

import hashlib
import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent

# (input file relative to its package, bundled name, sha256 of the input)
SOURCE_SERIF = [
    ("OTF/SourceSerif4SmText-Regular.otf", "760327b0f9ef55310f11ed5c955693f4841f9b859407e98570d3654422a34d70"),
    ("OTF/SourceSerif4SmText-It.otf", "220a0bf6d2a0c3fde644db2b2b602e725170ac1a90b0ce79994b7598c12980d1"),
    ("OTF/SourceSerif4SmText-Bold.otf", "05f4aa92fb137675226b318335d7c44d2da86b7650bbf9b8fdf428a74139d3b5"),
    ("OTF/SourceSerif4SmText-BoldIt.otf", "86679db08387aca6a7342c5f68f58e930c7d00d71a8ab1f07eb2b72fbc56b4c1"),
]
SOURCE_CODE = [
    ("OTF/SourceCodePro-Regular.otf", "9f9664e2edf6f045c11e774f9bd0be6993971f2544a39061a5ce478b96b051f8"),
    ("OTF/SourceCodePro-Bold.otf", "6f5a4a46a99ad1b92a8675e98f148272c8d2476fc0eb067247dd5eea6a3ad84c"),
]
# (DejaVu file, sha256, the book face whose gaps it fills)
DEJAVU = [
    ("DejaVuSerif.ttf", "13e61509f5c81d7c3132810f4f903e3523df89c802bf6e0674621e8f659cdfe1", "SourceSerif4SmText-Regular.otf"),
    ("DejaVuSerif-Italic.ttf", "889a2b9daff9f091f7cf1ff6c88e5c1a5b55b3afb221571393ccb71ec9301ec9", "SourceSerif4SmText-It.otf"),
    ("DejaVuSerif-Bold.ttf", "e2fd85eba2de65ac270d1cdb1685e252eb827f600850cf62af2d20c41b22e945", "SourceSerif4SmText-Bold.otf"),
    ("DejaVuSerif-BoldItalic.ttf", "c84b722b8da77cb96873a801c9ad1bc3b75d0c847c718696898878f33186c657", "SourceSerif4SmText-BoldIt.otf"),
    ("DejaVuSansMono.ttf", "0f5db4f1749979d961019838b160bec74abdf7f9eca69553fe1aa856bbff49a4", "SourceCodePro-Regular.otf"),
    ("DejaVuSansMono-Bold.ttf", "2964f6dac8e6e9d71613928340f17bf868e9ea51692cca333c79e74962f02233", "SourceCodePro-Bold.otf"),
]

# OpenType features the fallback subsets keep: those shaping applies by default for the
# scripts left in them (Armenian, polytonic Greek, the rest of Latin), and the ones the text
# might ask for.
FEATURES = "kern,liga,clig,calt,rlig,ccmp,mark,mkmk,locl,case,smcp,c2sc,onum,lnum,pnum,tnum,frac,sups,subs"


def checked(path: Path, digest: str) -> Path:
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != digest:
        sys.exit(f"{path}: sha256 {actual}, expected {digest} (another release?)")
    return path


def cmap(path: Path) -> set:
    return set(TTFont(path)["cmap"].getBestCmap())


def is_mark(cp: int) -> bool:
    import unicodedata

    return unicodedata.category(chr(cp)).startswith("M")


def fallback(dejavu: Path, book: Path, out: Path) -> None:
    """DejaVu reduced to the characters `book` lacks, plus the combining marks DejaVu has (a
    base it draws takes its marks from the same face), the spaces (a fallback run does not
    break at a space) and its white square (drawn for characters no face has). Arabic and
    Hebrew are left out: the bundled Noto faces set them. So is the private use area."""
    have = cmap(dejavu)
    keep = {
        cp
        for cp in have - cmap(book)
        if not (0x0590 <= cp <= 0x08FF or 0xFB1D <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF)
        and not (0xE000 <= cp <= 0xF8FF)
    }
    keep |= {cp for cp in have if is_mark(cp)}
    keep |= {cp for cp in (0x20, 0xA0, 0x25A1) if cp in have}
    options = subset.Options()
    options.layout_features = FEATURES.split(",")
    options.hinting = False  # PDF viewers and e-readers rasterise unhinted
    options.drop_tables += ["FFTM", "MATH", "kern"]  # GPOS holds the kerning
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(dejavu), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep))
    subsetter.subset(font)
    subset.save_font(font, str(out), options)
    print(f"{out.name}: {len(keep)} characters, {out.stat().st_size} bytes")


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    serif, code, dejavu = (Path(a) for a in sys.argv[1:])
    for package, files in ((serif, SOURCE_SERIF), (code, SOURCE_CODE)):
        for name, digest in files:
            src = checked(package / name, digest)
            shutil.copyfile(src, HERE / src.name)
            print(f"{src.name}: copied, {src.stat().st_size} bytes")
    shutil.copyfile(serif / "LICENSE.md", HERE / "LICENSE-SourceSerif4.txt")
    shutil.copyfile(code / "LICENSE.md", HERE / "LICENSE-SourceCodePro.txt")
    for name, digest, book in DEJAVU:
        fallback(checked(dejavu / name, digest), HERE / book, HERE / name)


if __name__ == "__main__":
    main()
