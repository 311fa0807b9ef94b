#!/usr/bin/env python3
"""A structural check of the package source: where concerns live, read from the code alone.

    python tools/architecture.py            # prints every violation, one a line; exit 1 if any
    python tools/architecture.py --counts   # one line a rule with its count

Rules (the architecture the README describes):
- codes:    no check code (`RES001`, `MT009`, ...) written as a string outside audit/checks and audit/corpus:
            everything else reads a check's facts from the registry;
- cycles:   no import cycle between modules of the package (imports inside functions count too);
- private:  no `_name` imported from another module of the package;
- layers:   no per-document check (audit/checks) importing the corpus pass (audit/corpus), and the MT model
            importing neither the registry nor the checks;
- length:   no function over 60 lines.

tests/test_architecture.py runs it; it reads files as text and imports nothing from the package.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "audit"
CODE_RE = re.compile(r"^(?:RES|BIO|INT|MT|NAME|PRV)\d{3}$")
CODE_HOMES = ("audit/checks/", "audit/corpus/")
MAX_LINES = 60


def modules(root: Path | None = None) -> dict[str, Path]:
    """Module name -> file, for every .py file of the package."""
    root = ROOT if root is None else root
    out = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(mod: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, str, int]]:
    """(imported module, imported name or '', line) for each import of the package's own modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }  # `if TYPE_CHECKING:` imports are for annotations, not a dependency at run time
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == PACKAGE:
                    yield a.name, "", node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(mod, is_pkg, node)
            if target.split(".")[0] != PACKAGE:
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                yield (sub, "", node.lineno) if sub in known else (target, a.name, node.lineno)


def check_codes(known: dict[str, Path]) -> Iterator[str]:
    for path in known.values():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(CODE_HOMES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_RE.match(node.value):
                yield f"codes: {rel}:{node.lineno}: check code {node.value!r} outside the checks"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_aliases(mod: str, path: Path, known: dict[str, Path]) -> dict[str, str]:
    """Local name -> package module, for `import audit.x as y` and `from audit import x`."""
    out = {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in known and a.asname:
                    out[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(mod, path.name == "__init__.py", node)
            for a in node.names:
                if f"{target}.{a.name}" in known:
                    out[a.asname or a.name] = f"{target}.{a.name}"
    return out


def check_private(known: dict[str, Path]) -> Iterator[str]:
    for mod, path in known.items():
        rel = path.relative_to(ROOT)
        for target, name, line in imports(mod, path, known):
            if _private(name) and target != mod:
                yield f"private: {rel}:{line}: imports {target}.{name}"
        aliases = _module_aliases(mod, path, known)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
                target = aliases.get(node.value.id)
                if target and target != mod:
                    yield f"private: {rel}:{node.lineno}: uses {target}.{node.attr}"


def check_layers(known: dict[str, Path]) -> Iterator[str]:
    for mod, path in known.items():
        for target, _name, line in imports(mod, path, known):
            rel = path.relative_to(ROOT)
            if mod.startswith("audit.checks") and target.startswith("audit.corpus"):
                yield f"layers: {rel}:{line}: a per-document check imports the corpus pass ({target})"
            if mod == "audit.mtmodel" and target.startswith(("audit.registry", "audit.catalog", "audit.checks")):
                yield f"layers: {rel}:{line}: the MT model imports {target}"


def _graph(known: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in known}
    for mod, path in known.items():
        for target, _name, _line in imports(mod, path, known):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != mod and not mod.startswith(target + "."):
                graph[mod].add(target)
    return graph


def check_cycles(known: dict[str, Path]) -> Iterator[str]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    graph = _graph(known)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    for comp in found:
        yield f"cycles: {' <-> '.join(comp)}"


def check_length(known: dict[str, Path]) -> Iterator[str]:
    for _mod, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_LINES:
                    yield f"length: {path.relative_to(ROOT)}:{node.lineno}: {node.name} has {n} lines"


RULES = {
    "codes": check_codes,
    "cycles": check_cycles,
    "private": check_private,
    "layers": check_layers,
    "length": check_length,
}


def violations(rules=RULES) -> dict[str, list[str]]:
    known = modules()
    return {name: list(fn(known)) for name, fn in rules.items()}


def main(argv: list[str]) -> int:
    found = violations()
    for name, rows in found.items():
        if "--counts" in argv:
            print(f"{name:8} {len(rows)}")
        else:
            for row in rows:
                print(row)
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
