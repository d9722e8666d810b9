"""The package's layers depend one way: core <- inputs, copy_number, variants
<- status <- report; the simulator beside it (simulator/) takes from the
product only its core, so the truth it writes never comes from the code it
tests."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "workflow" / "scripts" / "ctc_profiler"
SIMULATOR = ROOT / "simulator"
# what each subpackage may import from the package besides itself
ALLOWED = {
    "core": set(),
    "inputs": {"core"},
    "copy_number": {"core"},
    "variants": {"core", "inputs"},
    "status": {"core"},
    "report": {"core", "status"},
}


def imported_subpackages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "ctc_profiler" and len(parts) > 1:
                found.add(parts[1])
            elif node.module == "ctc_profiler":  # from ctc_profiler import status
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "ctc_profiler" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_every_module_sits_in_a_subpackage() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(ALLOWED)


def test_dependencies_run_one_way() -> None:
    wrong = []
    for subpackage, allowed in ALLOWED.items():
        for module in (PACKAGE / subpackage).rglob("*.py"):
            for other in imported_subpackages(module) - allowed - {subpackage}:
                wrong.append(f"{module.relative_to(PACKAGE)} imports ctc_profiler.{other}")
    assert wrong == []


def test_the_simulator_takes_only_core_from_the_product() -> None:
    modules = sorted(SIMULATOR.rglob("*.py"))
    assert SIMULATOR / "ctc_simulator" / "truth_rules.py" in modules
    wrong = [f"{module.relative_to(ROOT)} imports ctc_profiler.{other}"
             for module in modules for other in imported_subpackages(module) - {"core"}]
    assert wrong == []


def test_the_check_sees_an_import_against_the_layers(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from ctc_profiler.status.samples import x\nimport ctc_profiler.report.versions\n"
                      "from ctc_profiler import variants\n")
    assert imported_subpackages(module) == {"status", "report", "variants"}
