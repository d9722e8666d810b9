"""All Python of the project passes ruff under pyproject.toml's settings: one
line length, sorted imports, no unused names."""

from __future__ import annotations

from conftest import BIN, ROOT, run


def test_ruff_is_clean() -> None:
    result = run([str(BIN / "ruff"), "check", "--output-format", "concise", "."], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
