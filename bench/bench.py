#!/usr/bin/env python3
"""`make bench`: how fast and how lean bindery is, next to Typst on the same book.

Measures, with the release binary:
  * the whole Rust book (../shared/corpus/rust-book/book.md) to PDF + EPUB, and to PDF alone;
  * the one-page handout (../shared/corpus/handout/handout.md) to PDF + EPUB;
  * time per page for generated documents of about 10, 100 and 1,000 pages (flatness);
  * Typst (PyPI `typst`) compiling the same book, converted once to Typst markup by pandoc
    (PyPI `pypandoc-binary`) outside the timing, and the bindery/Typst ratio;
  * how loose the justified lines of each PDF are (`loose_lines`, from `pdftotext -bbox-layout`).
Wall time is the median of several runs after one warm-up run, each in a fresh process (Typst
memoises within a process); peak memory is the child's own
maximum resident set size (from wait4, so no /usr/bin/time is needed), each command started
by a small process forked at the start (`Launcher`), so that it is not counted with the bench's. Nothing here asserts:
the targets are printed next to the figures.
"""
import argparse
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("BINDERY_SHARED", os.path.join(ROOT, "..", "shared"))
BOOK = os.path.join(SHARED, "corpus", "rust-book", "book.md")
BOOK_TREE = os.path.join(SHARED, "corpus", "rust-book")
HANDOUT = os.path.join(SHARED, "corpus", "handout", "handout.md")

TARGET_RATIO = 0.15
TARGET_BOOK_MB = 300
TARGET_HANDOUT_S = 0.050
TARGET_FLAT = 0.20
TARGET_TREE = 0.10  # the book from its mdBook tree, against the same book as one file
TARGET_CJK = 1.5  # a Japanese book's time per page, against the Rust book's

# Pieces of Japanese technical prose (written for this benchmark) that `cjk_book` strings
# together: subjects, then predicates, joined into sentences of varied length.
JA_SUBJECTS = [
    "この章では", "変数は", "コンパイラは", "関数に値を渡すと", "参照を使えば", "文字列スライスは",
    "構造体を定義すると", "列挙型は", "パターンマッチングによって", "エラー処理には", "テストを書くことで",
    "並行処理では", "トレイトは", "ジェネリクスを使うと", "ライフタイム注釈は", "所有権の規則は",
    "ベクタに要素を追加すると", "ハッシュマップは", "イテレータを使えば", "クロージャは",
    "スマートポインタは", "モジュールの仕組みは", "クレートを公開するときは", "`Cargo`は",
    "標準ライブラリの`String`型は", "借用チェッカーは", "所有者がスコープを抜けると", "マクロは",
]
JA_PREDICATES = [
    "具体的な例を使って順番に説明します。", "スコープを抜けると自動的に解放されます。",
    "借用の規則を確認し、誤りがあればエラーを報告します。", "所有権が新しい変数に移動します。",
    "値をコピーせずにデータを読むことができます。", "文字列の一部への参照を表します。",
    "関連するデータをひとまとめにして名前を付けられます。", "いくつかの値のうちの一つを表します。",
    "すべての場合を漏れなく扱えるようにします。", "`Result<T, E>`型を返すのが一般的です。",
    "プログラムの正しさを何度でも確かめられます。", "スレッド間でデータを安全に共有する必要があります。",
    "型が持つべき振る舞いを定義します。", "重複したコードを大幅に減らせます。",
    "参照が有効な期間をコンパイラに伝えます。", "実行時の費用をかけずに安全性を保証します。",
    "必要に応じて容量が自動的に増えます。", "キーと値の組を効率よく保存します。",
    "要素を一つずつ処理する方法を抽象化します。", "周囲の環境にある値を捕捉できます。",
    "ヒープ上のデータを指し、追加の機能を備えています。", "コードを整理し、公開する範囲を決めます。",
    "ドキュメントとバージョン番号を確認してください。", "依存関係の解決とビルドを一度に行います。",
    "（詳しくは次の節で扱います）", "「安全性」と「速度」を両立させるための工夫です。",
    "コードの意図を読み手に伝える手段でもあります。", "メモリの安全性をコンパイル時に保証します。",
]
JA_TOPICS = ["所有権", "借用", "構造体", "列挙型", "モジュール", "コレクション", "エラー処理", "ジェネリクス",
             "トレイト", "ライフタイム", "テスト", "クロージャ", "イテレータ", "スマートポインタ", "並行性", "マクロ"]
JA_ASPECTS = ["基本", "使い方", "規則", "落とし穴", "応用", "設計", "実例", "まとめ"]
JA_CONNECTORS = ["例えば、", "つまり、", "しかし、", "そのため、", "一方で、", "なお、", "さらに、", ""]


def run_child(cmd, cwd):
    """Runs cmd once: (wall seconds, peak RSS in MB, exit status, the end of its stderr)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    return wall, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status), tail


class Launcher:
    """A process forked when the bench starts, which starts every measured command.

    A child's peak RSS (`ru_maxrss`) counts the memory of the process it was forked from:
    Linux carries the parent's high-water mark into the child through fork and exec. Measured
    straight from this script, once it holds the book's text and pdftotext's output (about
    160 MB), the one-page handout read 167 MB instead of its own 20 MB. The launcher is forked
    before any of that, so what it passes on is a bare interpreter's few megabytes."""

    def __init__(self):
        to_child, self.requests = os.pipe()
        self.replies, to_parent = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.requests)
            os.close(self.replies)
            with os.fdopen(to_child, "r") as inp, os.fdopen(to_parent, "w") as out:
                for line in inp:
                    cmd, cwd = json.loads(line)
                    out.write(json.dumps(run_child(cmd, cwd)) + "\n")
                    out.flush()
            os._exit(0)
        os.close(to_child)
        os.close(to_parent)
        self.send = os.fdopen(self.requests, "w")
        self.receive = os.fdopen(self.replies, "r")

    def run(self, cmd, cwd):
        self.send.write(json.dumps([cmd, cwd]) + "\n")
        self.send.flush()
        return json.loads(self.receive.readline())


LAUNCHER = None


def measure(cmd, cwd=None):
    """Runs cmd once; returns (wall seconds, peak RSS in MB). Exits on failure."""
    wall, peak, status, tail = LAUNCHER.run(cmd, cwd) if LAUNCHER else run_child(cmd, cwd)
    if status != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {status}:\n{tail}")
    return wall, peak


def repeat(cmd, runs, cwd=None):
    """One warm-up run, then `runs` timed ones: (median wall, max peak MB, all walls)."""
    measure(cmd, cwd)
    walls, peaks = [], []
    for _ in range(runs):
        w, m = measure(cmd, cwd)
        walls.append(w)
        peaks.append(m)
    return statistics.median(walls), max(peaks), walls


def pdf_pages(path):
    if not shutil.which("pdfinfo"):
        return None
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


LOOSE_GAP = 0.5  # a word gap over this share of the words' height makes a line loose
TARGET_LOOSE = 0.05

LINE = re.compile(r'<line xMin="([\d.-]+)" yMin="[\d.-]+" xMax="([\d.-]+)" yMax="[\d.-]+">(.*?)</line>', re.S)
WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def monospaced(words):
    """Whether a line's words are set in a monospaced face (a code listing): every word of two
    characters or more is as wide per character as the others, within 1%."""
    per_char = [(x1 - x0) / len(t) for x0, _, x1, _, t in words if len(t) >= 2]
    return len(per_char) >= 2 and max(per_char) <= 1.01 * min(per_char)


def loose_lines(pdf):
    """(share of justified lines that are loose, the same share among lines not in a monospaced
    face, lines counted) for a PDF, or None without pdftotext.

    The definition is the one of `bindery-check spacing` (../shared/tools), written out here so
    that the bench runs without that folder and can add the second figure: pdftotext's blocks
    of three lines or more; every line but a block's last with five words or more that reaches
    the block's right edge (within 1 pt) is a justified line; it is loose when its widest gap
    between two words exceeds half the median height of its words. That height is the font's
    ascent plus descent, so the threshold is about half an em in DejaVu Serif and 0.69 em in
    Source Serif 4. Code listings count too: the longest line of a listing reaches the
    block's edge and its spaces are a monospaced 0.6 em, so every listing of three lines or
    more adds a "loose" line that no line breaking can mend; the second figure leaves out the
    lines whose words all have one width per character."""
    if not shutil.which("pdftotext"):
        return None
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True).stdout
    lines = loose = prose = prose_loose = 0
    for block in re.findall(r"<block [^>]*>(.*?)</block>", out, re.S):
        rows = LINE.findall(block)
        if len(rows) < 3:
            continue
        right = max(float(x1) for _, x1, _ in rows)
        for _, x1, body in rows[:-1]:  # a paragraph's last line is ragged by design
            words = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in WORD.findall(body)]
            if len(words) < 5 or right - float(x1) > 1.0:
                continue
            height = sorted(y1 - y0 for _, y0, _, y1, _ in words)[len(words) // 2]
            widest = max(max(0.0, words[i + 1][0] - words[i][2]) for i in range(len(words) - 1))
            is_loose = widest > LOOSE_GAP * height
            lines += 1
            loose += is_loose
            if not monospaced(words):
                prose += 1
                prose_loose += is_loose
    if not lines:
        return None
    return loose / lines, prose_loose / max(prose, 1), lines


def loose_text(pdf, shares=None):
    """`loose_lines` (of `pdf`, unless given) as table text: `12.5% (prose 5.7%)`, or `-`."""
    shares = shares or loose_lines(pdf)
    return f"{shares[0]:.1%} (prose {shares[1]:.1%})" if shares else "-"


def ensure_typst():
    """Imports typst and pypandoc, installing them from PyPI when missing; None if impossible."""
    try:
        import pypandoc  # noqa: F401
        import typst  # noqa: F401
    except ImportError:
        print("bench: installing typst and pypandoc-binary from PyPI ...", flush=True)
        r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                            "typst", "pypandoc-binary"], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"bench: cannot install typst: {r.stderr.strip()[-500:]}")
            return None
    import pypandoc
    import typst
    return typst, pypandoc


def find_closing(s, i):
    """Index just past the `]` matching the `[` at s[i] (Typst content brackets nest)."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def unlink_labels(src, missing):
    """Turns `#link(<label>)[text]` into `text` for each label in `missing`."""
    out, pos = [], 0
    pat = re.compile(r"#link\(<([^>]+)>\)\[")
    while True:
        m = pat.search(src, pos)
        if not m:
            break
        if m.group(1) not in missing:
            out.append(src[pos:m.end()])
            pos = m.end()
            continue
        end = find_closing(src, m.end() - 1)
        if end < 0:
            break
        out.append(src[pos:m.start()])
        out.append(src[m.end():end - 1])
        pos = end
    out.append(src[pos:])
    return "".join(out)


IMG_TAG = re.compile(r"<img\b([^>]*?)/?>", re.S)


def img_attr(attrs, name):
    m = re.search(r"\b" + name + r'\s*=\s*"([^"]*)"', attrs, re.S)
    return m.group(1) if m else None


def typst_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def book_images(md):
    """The book's pictures are raw HTML `<img>` tags, which pandoc drops on its way to Typst, so
    Typst would typeset the book without its twenty-eight pictures (the four large PNG
    screenshots among them) while bindery draws them all. Each tag becomes a placeholder word
    here, and `book_to_typst` puts an `#image` of the same file in its place: both programs then
    draw the same pictures. Returns the Markdown and, per placeholder, the Typst markup."""
    images = []

    def replace(m):
        attrs = m.group(1)
        src = img_attr(attrs, "src")
        if not src:
            return m.group(0)
        alt = " ".join((img_attr(attrs, "alt") or "").split())
        width = re.search(r"width:\s*([\d.]+%)", img_attr(attrs, "style") or "")
        line_start = md.rfind("\n", 0, m.start()) + 1
        if md[line_start:m.start()].lstrip().startswith("|"):
            # In a table cell (the Ferris legend): a picture of about a line's height.
            markup = f"#box(image({typst_string(src)}, height: 2em, alt: {typst_string(alt)}))"
        else:
            size = width.group(1) if width else "100%"
            markup = f"#align(center, image({typst_string(src)}, width: {size}, alt: {typst_string(alt)}))"
        images.append(markup)
        return f"BINDERYIMAGE{len(images) - 1}X"

    return IMG_TAG.sub(replace, md), images


def book_to_typst(pypandoc, typst, work):
    """Converts the book with pandoc (its pictures as `book_images` says) and repairs links to
    labels pandoc never defined."""
    typ = os.path.join(work, "book.typ")
    md, images = book_images(open(BOOK, encoding="utf-8").read())
    md_path = os.path.join(work, "book-for-typst.md")
    open(md_path, "w", encoding="utf-8").write(md)
    # The pictures' paths are relative to the book; Typst reads files under its root only.
    shutil.copytree(os.path.join(os.path.dirname(BOOK), "src", "img"), os.path.join(work, "src", "img"),
                    dirs_exist_ok=True)
    pandoc = pypandoc.get_pandoc_path()
    r = subprocess.run([pandoc, "-f", "gfm", "-t", "typst", "-s", md_path, "-o", typ], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: pandoc failed: {r.stderr[-1000:]}")
    src = open(typ, encoding="utf-8").read()
    for i, markup in reversed(list(enumerate(images))):
        placeholder = f"BINDERYIMAGE{i}X"
        if placeholder not in src:
            sys.exit(f"bench: pandoc lost the placeholder of picture {i}")
        src = src.replace(placeholder, markup)
    defined = set(re.findall(r"(?m)^<([^>\s]+)>\s*$", src)) | set(re.findall(r'label\("([^"]+)"\)', src))
    linked = set(re.findall(r"#link\(<([^>]+)>\)\[", src))
    src = unlink_labels(src, linked - defined)
    pdf = os.path.join(work, "typst.pdf")
    for _ in range(20):  # anything the first pass missed, as Typst reports it
        open(typ, "w", encoding="utf-8").write(src)
        try:
            typst.compile(typ, output=pdf, root=work)
            return typ, pdf, len(images)
        except Exception as e:  # typst.TypstError
            m = re.search(r"label `<([^>]+)>` does not exist", str(e))
            if not m:
                sys.exit(f"bench: typst cannot compile the converted book: {str(e)[:1000]}")
            src = unlink_labels(src, {m.group(1)})
    sys.exit("bench: typst still fails after repairing links")


def handout_pages(copies, work):
    """The handout body repeated `copies` times (about one page each), notes kept unique."""
    body = open(HANDOUT, encoding="utf-8").read()
    parts = []
    for i in range(copies):
        part = body.replace("[^epub]", f"[^epub{i}]")
        if i:
            part = part.replace("# Field Notes on Lightweight Publishing", f"## Field notes, part {i + 1}", 1)
        parts.append(part)
    path = os.path.join(work, f"flat-{copies}.md")
    open(path, "w", encoding="utf-8").write("\n\n".join(parts))
    return path


def wrap_ja(text, width=40):
    """Source lines of about `width` characters, broken between any two characters as editors
    wrap Japanese, but never inside inline code."""
    lines, line, code = [], "", False
    for c in text:
        line += c
        if c == "`":
            code = not code
        if len(line) >= width and not code:
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return "\n".join(lines)


def cjk_book(work, chapters=120):
    """A Japanese technical book of about 330 pages (A4), generated from the phrases above with a
    fixed seed: chapters of sections, paragraphs whose source lines break between Japanese
    characters (as editors wrap them), lists, code blocks and inline code."""
    import random
    rng = random.Random(11)
    out = ["---\ntitle: 日本語の技術書\nlang: ja\n---\n"]
    for ch in range(1, chapters + 1):
        out.append(f"# 第{ch}章 {rng.choice(JA_TOPICS)}について\n")
        for sec in range(1, 6):
            out.append(f"## {ch}.{sec} {rng.choice(JA_TOPICS)}の{rng.choice(JA_ASPECTS)}\n")
            for _ in range(rng.randint(4, 7)):
                sentences = [rng.choice(JA_CONNECTORS) + rng.choice(JA_SUBJECTS) + rng.choice(JA_PREDICATES)
                             for _ in range(rng.randint(3, 8))]
                text = "".join(sentences)
                out.append(wrap_ja(text) + "\n")
            if sec % 2 == 0:
                out.append("\n".join(f"- {rng.choice(JA_SUBJECTS)}{rng.choice(JA_PREDICATES)}" for _ in range(4)) + "\n")
            if sec % 3 == 0:
                out.append("```rust\nfn main() {\n    let s = String::from(\"こんにちは\");\n"
                           f"    println!(\"{{s}} {ch}.{sec}\");\n}}\n```\n")
    path = os.path.join(work, "ja-book.md")
    open(path, "w", encoding="utf-8").write("\n".join(out))
    return path


def have_cjk_font():
    """Whether fontconfig knows a CJK face (the Japanese book needs one: none is bundled)."""
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


def row(cells, widths):
    return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def verdict(ok):
    return "ok" if ok else "MISS"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "bindery"))
    ap.add_argument("--runs", type=int, default=5, help="timed runs per bindery case (after a warm-up)")
    ap.add_argument("--typst-runs", type=int, default=3)
    ap.add_argument("--no-typst", action="store_true", help="skip the Typst comparison")
    args = ap.parse_args()
    global LAUNCHER
    LAUNCHER = Launcher()
    exe = os.path.abspath(args.bin)
    if not os.access(exe, os.X_OK):
        sys.exit(f"bench: no binary at {exe}; run `make bench` (it builds the release binary)")
    for f in (BOOK, HANDOUT):
        if not os.path.exists(f):
            sys.exit(f"bench: {f} not found (the shared corpus must sit beside the repository as ../shared)")

    work = tempfile.mkdtemp(prefix="bindery-bench-")
    try:
        results = []  # (case, runs, median s, pages, peak MB, target text)
        loose = {}  # case -> its PDF's loose lines, as text
        out = os.path.join(work, "out")
        print(f"bench: {exe} on {os.cpu_count()} cores; median of {args.runs} runs after a warm-up", flush=True)

        book_all, book_mb, _ = repeat([exe, "build", BOOK, "-o", out, "-f", "pdf,epub", "-q"], args.runs)
        book_pages = pdf_pages(os.path.join(out, "book.pdf"))
        book_loose = loose_lines(os.path.join(out, "book.pdf"))
        loose["rust book -> pdf+epub"] = loose_text(None, book_loose)
        book_pdf, book_pdf_mb, _ = repeat([exe, "build", BOOK, "-o", out, "-f", "pdf", "-q"], args.runs)
        tree, tree_mb, _ = repeat([exe, "build", BOOK_TREE, "-o", out, "-f", "pdf,epub", "-q"], args.runs)
        tree_pages = pdf_pages(os.path.join(out, "rust-book.pdf"))
        loose["rust book tree -> both"] = loose_text(os.path.join(out, "rust-book.pdf"))
        hand, hand_mb, _ = repeat([exe, "build", HANDOUT, "-o", out, "-f", "pdf,epub", "-q"], max(args.runs, 10))
        hand_pages = pdf_pages(os.path.join(out, "handout.pdf"))
        loose["handout -> pdf+epub"] = loose_text(os.path.join(out, "handout.pdf"))
        results.append(("rust book -> pdf+epub", args.runs, book_all, book_pages, book_mb,
                        f"<= {TARGET_RATIO}x typst, < {TARGET_BOOK_MB} MB: {verdict(book_mb < TARGET_BOOK_MB)} (memory)"))
        results.append(("rust book -> pdf", args.runs, book_pdf, book_pages, book_pdf_mb, ""))
        tree_ratio = tree / book_all
        results.append(("rust book tree -> both", args.runs, tree, tree_pages, tree_mb,
                        f"within {TARGET_TREE:.0%} of the one-file book: {tree_ratio - 1:+.1%} "
                        f"{verdict(tree_ratio <= 1 + TARGET_TREE)}"))
        results.append(("handout -> pdf+epub", max(args.runs, 10), hand, hand_pages, hand_mb,
                        f"< {TARGET_HANDOUT_S * 1000:.0f} ms: {verdict(hand < TARGET_HANDOUT_S)}"))

        if have_cjk_font():
            ja = cjk_book(work)
            cjk, cjk_mb, _ = repeat([exe, "build", ja, "-o", out, "-f", "pdf,epub", "-q"], args.runs)
            cjk_pages = pdf_pages(os.path.join(out, "ja-book.pdf"))
            if cjk_pages and book_pages:
                per_page = (cjk / cjk_pages) / (book_all / book_pages)
                target = (f"ms/page within {TARGET_CJK}x the rust book's: {per_page:.2f}x "
                          f"{verdict(per_page <= TARGET_CJK and cjk_pages >= 300)}")
            else:
                target = "pages unknown (pdfinfo missing)"
            results.append(("japanese book -> both", args.runs, cjk, cjk_pages, cjk_mb, target))
        else:
            print("bench: no CJK font installed (Debian fonts-noto-cjk); the Japanese book is skipped")

        typst_time = None
        if args.no_typst:
            print("bench: Typst comparison skipped (--no-typst)")
        else:
            mods = ensure_typst()
            if mods:
                typst, pypandoc = mods
                print("bench: converting the book to Typst with pandoc (not timed) ...", flush=True)
                typ, tpdf, pictures = book_to_typst(pypandoc, typst, work)
                # Each compile in a fresh process: within one process Typst memoises, and a
                # second compile of the same source is an incremental one (about 10x faster).
                # The interpreter's start and `import typst` are measured apart and subtracted.
                py = sys.executable
                compile_cmd = [py, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3])",
                               typ, tpdf, work]
                raw, typst_mb, _ = repeat(compile_cmd, args.typst_runs)
                startup, _, _ = repeat([py, "-c", "import typst"], 5)
                typst_time = raw - startup
                loose["typst: rust book -> pdf"] = loose_text(tpdf)
                results.append(("typst: rust book -> pdf", args.typst_runs, typst_time, pdf_pages(tpdf), typst_mb,
                                f"(fresh process; {startup:.3f} s of python start and import subtracted; "
                                f"the book's {pictures} pictures, raw HTML that pandoc drops, put back as #image)"))

        widths = (24, 5, 9, 6, 8, 8, 21)
        print()
        print(row(("case", "runs", "median s", "pages", "pages/s", "peak MB", "loose lines"), widths) + "  target")
        for case, runs, med, pages, mb, target in results:
            pps = f"{pages / med:.0f}" if pages else "?"
            mb_s = f"{mb:.0f}" if mb is not None else "-"
            cells = (case, runs, f"{med:.3f}", pages if pages else "?", pps, mb_s, loose.get(case, ""))
            print(row(cells, widths) + f"  {target}")
        if book_loose:
            print(f"\nloose lines: justified lines with a word gap over {LOOSE_GAP} of the line's height "
                  f"(as `bindery-check spacing`), and among lines not set in a monospaced face (prose); "
                  f"book: {book_loose[0]:.1%} of {book_loose[2]} lines, prose {book_loose[1]:.1%}   "
                  f"target < {TARGET_LOOSE:.0%}: {verdict(book_loose[0] < TARGET_LOOSE)} "
                  f"(prose {verdict(book_loose[1] < TARGET_LOOSE)})")
        else:
            print("\nloose lines: pdftotext not installed (poppler-utils), not measured")
        if typst_time:
            ratio = book_all / typst_time
            print(f"\nratio bindery (pdf+epub) / typst (pdf): {ratio:.3f}   target <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)}")
            print(f"ratio bindery (pdf only) / typst (pdf): {book_pdf / typst_time:.3f}")

        print("\ntime per page (the handout body repeated; pdf only)")
        # One copy is one page: its time is what any run costs before the first page (process
        # start, fonts, the code grammar, the file), so `net` is the cost of every further page.
        fw = (8, 7, 9, 8, 12)
        print(row(("copies", "pages", "median s", "ms/page", "net ms/page"), fw))
        raw, net, points = [], [], []
        base = None
        for copies in (1, 10, 100, 1000):
            src = handout_pages(copies, work)
            runs = 10 if copies < 100 else (3 if copies < 1000 else 2)
            med, _, _ = repeat([exe, "build", src, "-o", out, "-f", "pdf", "-q"], runs)
            pages = pdf_pages(os.path.join(out, f"flat-{copies}.pdf"))
            if not pages:
                print(row((copies, "?", f"{med:.3f}", "?", "?"), fw))
                continue
            if copies == 1:
                base = (pages, med)
            ms = med * 1000 / pages
            net_ms = (med - base[1]) * 1000 / (pages - base[0]) if base and pages > base[0] else None
            if copies > 1:
                raw.append(ms)
                points.append((pages, med))
                if net_ms is not None:
                    net.append(net_ms)
            print(row((copies, pages, f"{med:.3f}", f"{ms:.2f}", f"{net_ms:.2f}" if net_ms else "-"), fw))
        if len(raw) >= 2:
            spread = max(raw) / min(raw) - 1
            print(f"spread of ms/page, 10 to 1,000 pages: {spread * 100:.0f}%   target within "
                  f"{TARGET_FLAT * 100:.0f}%: {verdict(spread <= TARGET_FLAT)} (includes the fixed cost of a run)")
        if len(net) >= 2:
            spread = max(net) / min(net) - 1
            print(f"spread of net ms/page (beyond the first page), 10 to 1,000 pages: {spread * 100:.0f}%   "
                  f"target within {TARGET_FLAT * 100:.0f}%: {verdict(spread <= TARGET_FLAT)}")
        if base:
            print(f"fixed cost of a run (the one-page document): {base[1] * 1000:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
