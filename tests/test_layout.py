"""The house rules of lib/: data flows one way through its stages, with no import circles."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib"

# lowest first; a module may import its own stage or a lower one (entry points, __main__.py, may import anything)
STAGES = ("basics", "ingest", "ita", "store", "queries", "ui", "pack")
BASICS = {"lib.thai", "lib.errors", "lib.records", "lib.progress", "lib.auth", "lib.sheets"}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def stage_of(module: str) -> str | None:
    if module in BASICS or module == "lib":
        return "basics"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def lib_imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in LIB.rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            found |= {n for n in names if n in modules and n != name}
        edges[name] = found
    return edges


def find_circles(edges: dict[str, set[str]]) -> list[list[str]]:
    circles, done, stack = [], set(), []

    def visit(m: str) -> None:
        if m in stack:
            circles.append(stack[stack.index(m):] + [m])
            return
        if m in done:
            return
        stack.append(m)
        for n in sorted(edges[m]):
            visit(n)
        stack.pop()
        done.add(m)

    for m in sorted(edges):
        visit(m)
    return circles


def test_lib_has_no_import_circles():
    assert find_circles(lib_imports()) == []


def test_the_circle_finder_finds_a_circle():
    assert find_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_every_lib_module_belongs_to_a_stage():
    assert [m for m in lib_imports() if stage_of(m) is None] == []


def test_no_module_imports_a_higher_stage():
    wrong = []
    for module, targets in lib_imports().items():
        if module.endswith("__main__") or stage_of(module) is None:
            continue
        mine = STAGES.index(stage_of(module))
        wrong += [f"{module} -> {t}" for t in targets
                  if stage_of(t) is not None and STAGES.index(stage_of(t)) > mine and t != "lib"]
    assert wrong == []


def test_only_the_cache_imports_streamlit():
    users = [module_name(p) for p in LIB.rglob("*.py")
             if re.search(r"^\s*(import streamlit|from streamlit)", p.read_text(encoding="utf-8"), re.M)]
    assert users == ["lib.ui.cache"]


def test_cached_reads_name_the_function_not_a_string():
    sources = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *LIB.rglob("*.py")]
    assert [p.name for p in sources if 'cache.read("' in p.read_text(encoding="utf-8")] == []
