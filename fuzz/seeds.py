#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/ (see README.md,
"Fuzzing"). Nothing here is committed as data: the seeds are the repository's own documents and
images, a few dozen CommonMark spec examples from the shared corpus when it is there
(../shared or $BINDERY_SHARED), and the small inputs below, images made byte by byte.

Existing corpus files are kept (the fuzzer's finds accumulate there); seeds are rewritten.
"""

import json
import os
import struct
import sys
import zlib
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
PIPELINE_MAX = 4096  # the pipeline target's input cap


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (folder / f"seed-{name}").write_bytes(data)


def chunks(text, limit):
    """`text` cut at headings into pieces of at most `limit` bytes."""
    pieces, current = [], ""
    for line in text.splitlines(keepends=True):
        if line.startswith("#") and len(current.encode()) + len(line.encode()) > limit // 2:
            pieces.append(current)
            current = ""
        current += line
        if len(current.encode()) > limit:
            pieces.append(current[: limit // 2])
            current = ""
    pieces.append(current)
    return [p for p in pieces if p.strip()]


# ---------------------------------------------------------------------------------------------
# Markdown

SNIPPETS = {
    "extensions": """---
title: Seeds
author: [A. Writer, B. Writer]
lang: en
---

# Heading {#custom .class key=value}

Text with *emphasis*, **strong**, ~~strike~~, `code`, H~2~O, x^2^, a [link](#custom),
an autolink <https://example.com>, and a footnote.[^1]

[^1]: The note, with $x^2 + y^2 = z^2$ inside.

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |
| `d`  | **e**  | 3.14  |

- [x] done
- [ ] to do
  1. nested
  2. list

Term
: Definition

> A quote
> > nested

$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$

```rust
fn main() { println!("hi"); }
```

<details><summary>More</summary>

Raw *HTML* block.

</details>

*[HTML]: Hyper Text Markup Language
""",
    "scripts": "# Ünïcödé\n\nمرحبا hello world — 日本語のテキスト — Ελληνικά — עברית\n\n`مرحبا hello`\n",
    "headings": "# A\n\n# A\n\n## A-1\n\n# A\n\n### \n\n#\n",
    "table-wide": "|" + "|".join(f"c{i}" for i in range(40)) + "|\n|" + "|".join("-" * 40) + "|\n",
    "long-word": "# W\n\n" + "x" * 600 + "\n",
    "cr-endings": "# One\rtext\r# Two\r\rmore\r\n",
    "control-chars": "# Title \x01 \x0b \ufffe end\n\nBody \x07.\n",
    "attributes": "# H {key=v key=w #id #id2 .a .a}\n\n[span]{.x lang=de}\n",
    "links": "[d](data:text/html,hi) [f](file:///etc/passwd) [j](javascript:alert(1)) ![i](x.png)\n",
    "nested": "> " * 30 + "deep\n\n" + "".join("  " * i + "- item\n" for i in range(20)),
    "notes": "".join(f"Ref[^{i}].\n\n[^{i}]: Note {i}.\n\n" for i in range(20)),
    "html": "<div><p>a<b>b<i>c</p></div>\n\n<table><tr><td>x</td></tr></table>\n\n<ruby>漢<rt>kan</rt></ruby>\n",
}


# Texts naming the images of the `load` target's folder, as the look-ahead finds them.
IMAGE_NAMES = {
    "named": "![a](chart.png) ![b](<chart.png>) ![c](diagram.svg) ![d](gradient.jpg)\n",
    "html-names": "<img src=\"chart.png\"> <img src='broken.png' alt=x> <img src=chart.png>\n",
    "missing": "![m](nothere.png) ![n](sub/../chart.png) ![o](chart.png \"title\")\n",
    "unclosed": "![a](chart.png <img src=\"broken.png ![é](ü.png",
    "reference": "![r][chart]\n\n[chart]: chart.png\n",
}


def markdown_seeds(shared):
    sources = []
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.glob("*.md")):
            sources.append((path.stem, path.read_text(encoding="utf-8")))
    sources.extend(SNIPPETS.items())
    for name, text in sources:
        put("parse", name, text)
        put("load", name, text)
        for i, piece in enumerate(chunks(text, PIPELINE_MAX)):
            put("pipeline", f"{name}-{i}", piece)

    spec = shared / "corpus" / "commonmark" / "spec.json" if shared else None
    if spec and spec.is_file():
        examples = json.loads(spec.read_text(encoding="utf-8"))
        # A few per section: the small ones, which cover each construct without bulk.
        by_section = {}
        for ex in examples:
            by_section.setdefault(ex["section"], []).append(ex)
        for section, exs in sorted(by_section.items()):
            exs = sorted(exs, key=lambda e: len(e["markdown"]))
            for ex in exs[:2] + exs[-1:]:
                name = f"cm{ex['example']:03}"
                put("parse", name, ex["markdown"])
                if len(ex["markdown"].encode()) <= PIPELINE_MAX:
                    put("pipeline", name, ex["markdown"])
    for name, text in IMAGE_NAMES.items():
        put("load", name, text)
    if not (spec and spec.is_file()):
        print("seeds: no shared CommonMark corpus; its examples are left out", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Images, byte by byte

def png(width, height, color_type, bit_depth, rows, interlace=0, extra=b""):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + extra
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def png_seeds():
    put("images", "png-rgb", png(2, 2, 2, 8, [b"\xff\x00\x00\x00\xff\x00", b"\x00\x00\xff\xff\xff\xff"]))
    put("images", "png-gray", png(3, 1, 0, 8, [b"\x00\x80\xff"]))
    put("images", "png-gray1", png(8, 2, 0, 1, [b"\xaa", b"\x55"]))
    put("images", "png-rgba16", png(1, 1, 6, 16, [b"\x12\x34\x56\x78\x9a\xbc\xde\xf0"]))
    plte = struct.pack(">I", 6) + b"PLTE" + b"\x00\x00\x00\xff\xff\xff"
    plte += struct.pack(">I", zlib.crc32(b"PLTE\x00\x00\x00\xff\xff\xff"))
    trns = struct.pack(">I", 1) + b"tRNS" + b"\x00" + struct.pack(">I", zlib.crc32(b"tRNS\x00"))
    put("images", "png-palette", png(2, 2, 3, 8, [b"\x00\x01", b"\x01\x00"], extra=plte + trns))
    # Adam7: a 9x9 gray picture, each pass's rows filtered separately.
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    rows = []
    for x0, y0, dx, dy in passes:
        cols = len(range(x0, 9, dx))
        for y in range(y0, 9, dy):
            if cols:
                rows.append(bytes((x * 28 + y * 3) & 0xFF for x in range(x0, 9, dx)))
    put("images", "png-interlaced", png(9, 9, 0, 8, rows, interlace=1))


def gif(width, height, version=b"GIF89a", extension=b""):
    # A two-colour global table; one frame, LZW with a 2-bit minimum code size.
    header = version + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    data = b"\x02\x02\x44\x01\x00"  # clear, index 0, end
    return header + extension + image + data + b"\x3b"


def gif_seeds():
    put("images", "gif87", gif(1, 1, b"GIF87a"))
    gce = b"\x21\xf9\x04\x01\x0a\x00\x01\x00"  # transparency, delay
    put("images", "gif89-transparent", gif(1, 1, extension=gce))
    put("images", "gif-zero-screen", gif(0, 1))


def svg_seeds():
    put("images", "svg-rect", '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="red"/></svg>')
    put("images", "svg-viewbox", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><circle cx="25" cy="25" r="20" stroke="#00f" fill="none"/><path d="M50 0 L100 50 Z"/></svg>')
    put("images", "svg-text", '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text x="0" y="15" font-family="serif">Times × 2</text></svg>')
    put("images", "svg-gradient", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/><stop offset="1" stop-color="#fff"/></linearGradient><rect id="r" width="10" height="10" fill="url(#g)"/></defs><use xlink:href="#r"/></svg>')
    put("images", "svg-nested", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">' + "<g>" * 30 + '<rect width="4" height="4"/>' + "</g>" * 30 + "</svg>")
    put("images", "svg-filter", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><filter id="f"><feGaussianBlur stdDeviation="2"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>')
    put("images", "svg-image", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/><script>alert(1)</script></svg>')


def image_seeds():
    png_seeds()
    gif_seeds()
    svg_seeds()
    for path in sorted((ROOT / "content" / "images").iterdir()) + sorted((ROOT / "tests" / "fixtures" / "images").iterdir()) + [ROOT / "tests" / "fixtures" / "tiny.jpg"]:
        if path.is_file() and path.stat().st_size <= 8192:
            put("images", f"file-{path.parent.name}-{path.name}", path.read_bytes())


# ---------------------------------------------------------------------------------------------
# Math and front matter

MATH = [
    r"x^2 + y^2 = z^2",
    r"\frac{a}{b} + \sqrt{2} - \sqrt[3]{x}",
    r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
    r"\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}",
    r"\left( \begin{matrix} a & b \\ c & d \end{matrix} \right)",
    r"\alpha\beta\gamma \leq \Omega \to \infty",
    r"\mathbf{v} \cdot \mathrm{d}\vec{s} \quad \text{for all } x",
    r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"a_{i_{j_k}}^{2^{3^4}}",
    r"\overline{AB} \hat{x} \tilde{y} \! \, \; \:",
    r"{{{{{{{{x}}}}}}}}",
    r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n",
]

YAML = [
    "title: A title\nauthor: Someone\nlang: de\ndate: 2024-01-02",
    "title: T\nauthors:\n  - A\n  - B\nkeywords: [x, y]\ndescription: >\n  folded\n  text",
    "title: T\npaper: a5\nmargins: 2cm\ntoc: true\ntoc-depth: 2\nlayout: booklet",
    "title: T\npaper: 6x9in\nmargins: 1in 0.5in 1in 0.5in\ntwo-sided: true",
    "title: \"\\x01 control \\uFFFE\"\nsubtitle: S\npublisher: P\nrights: CC\nidentifier: urn:isbn:0",
    "title: T\npdf-standard: [ua-1, a-2b]\ncover: cover.png",
    "title: &a T\nauthor: *a\nlang: pt-BR",
    "title: [not, a, string]\ndate: yesterday",
    "title: T\ntitle: duplicate",
]

TOML = [
    'title = "A title"\nauthor = "Someone"\nlang = "fr"\ndate = 2024-01-02',
    'title = "T"\nauthors = ["A", "B"]\nkeywords = ["x"]\npaper = "letter"\nmargins = "1in"',
    'title = "T"\ntoc = true\ntoc-depth = 3\nlayout = "plain"\n[extra]\nkey = 1',
    'title = 5',
]


def math_and_front_matter_seeds():
    for i, tex in enumerate(MATH):
        put("math", f"{i:02}", tex)
    for i, body in enumerate(YAML):
        put("frontmatter", f"yaml-{i:02}", body)
    for i, body in enumerate(TOML):
        put("frontmatter", f"toml-{i:02}", body)


def main():
    shared = os.environ.get("BINDERY_SHARED")
    shared = Path(shared) if shared else ROOT.parent / "shared"
    markdown_seeds(shared if shared.is_dir() else None)
    image_seeds()
    math_and_front_matter_seeds()
    total = sum(p.stat().st_size for p in CORPUS.rglob("seed-*"))
    count = sum(1 for _ in CORPUS.rglob("seed-*"))
    print(f"seeds: {count} files, {total // 1024} KB in {CORPUS}")


if __name__ == "__main__":
    main()
