"""Build bench/probe/probe.jsonl from the hand-written pages in bench/probe/pages/*.txt.

    python bench/probe/build.py [--set probe2|probe3|probe4|probe5]          # writes the set's probe.jsonl
    python bench/probe/build.py [--set probe2|probe3|probe4|probe5] --check  # exits 1 when probe.jsonl is not what the pages give

--set builds another set from its own folder (bench/probe2 ... bench/probe5: the same page format).

Page files: `#` lines are comments; `=== ID KIND EXTRACTOR GENRE LANG` starts a page; then one source
line per page line: `C|text` (clean), `R:family|text` (residue of that family), `A|text` (ambiguous,
counted nowhere), or an empty line (a blank line of the page). See bench/probe/README.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "probe.jsonl"
KINDS = ("noisy", "clean")


def parse_line(src: str, where: str) -> dict:
    """One page line from its source form."""
    if not src:
        return {"t": "", "l": "blank"}
    tag, sep, text = src.partition("|")
    if not sep or not text.strip():
        raise ValueError(f"{where}: expected 'C|', 'A|' or 'R:family|' and text: {src!r}")
    if tag == "C":
        return {"t": text, "l": "clean"}
    if tag == "A":
        return {"t": text, "l": "ambiguous"}
    if tag.startswith("R:") and tag[2:]:
        return {"t": text, "l": "residue", "f": tag[2:]}
    raise ValueError(f"{where}: unknown label {tag!r}")


def parse(path: Path) -> list[dict]:
    """The pages of one source file."""
    pages: list[dict] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("#"):
            continue
        if raw.startswith("=== "):
            pid, kind, extractor, genre, lang = raw[4:].split()
            if kind not in KINDS:
                raise ValueError(f"{path.name}:{n}: kind must be one of {KINDS}")
            pages.append({"id": pid, "kind": kind, "extractor": extractor, "genre": genre, "lang": lang, "lines": []})
        elif pages:
            pages[-1]["lines"].append(parse_line(raw, f"{path.name}:{n}"))
    for p in pages:  # blank lines between pages are separators, not content
        while p["lines"] and p["lines"][-1]["l"] == "blank":
            p["lines"].pop()
    return pages


def build(folder: Path = HERE) -> str:
    """probe.jsonl's text from a set's pages (`folder`/pages/*.txt; every set's folder uses this)."""
    pages = [p for path in sorted((folder / "pages").glob("*.txt")) for p in parse(path)]
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages)


def chosen_folder(argv: list[str]) -> Path:
    """The set's folder: this one, or bench/NAME after `--set NAME`."""
    if "--set" not in argv:
        return HERE
    i = argv.index("--set") + 1
    if i >= len(argv) or not (HERE.parent / argv[i] / "pages").is_dir():
        raise SystemExit("build.py: --set needs a probe set's folder name under bench/ (probe2 ... probe5)")
    return HERE.parent / argv[i]


def main(folder: Path | None = None) -> int:
    folder = folder or chosen_folder(sys.argv)
    text, out = build(folder), folder / OUT.name
    if "--check" in sys.argv:
        return 0 if out.exists() and out.read_text(encoding="utf-8") == text else 1
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {text.count(chr(10))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
