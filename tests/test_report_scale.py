"""A report of 1,000 cells, built from synthetic result tables as the
workflow's rules build it, stays small enough to open: the first profiles
embedded, the rest linked to files that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, component_missing

sys.path.insert(0, str(ROOT / "benchmarks"))
import report_scale  # noqa: E402
from test_status_report import CHROMIUM  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_scale.build_scale_report(tmp_path_factory.mktemp("scale"), cells=1000, patients=10)


def test_a_thousand_cell_report_stays_under_25_mb(report: Path) -> None:
    assert report.stat().st_size < 25_000_000, report.stat().st_size


def test_the_first_profiles_are_embedded_and_the_rest_linked_to_their_files(report: Path) -> None:
    page = report.read_text()
    gallery = page[page.index('id="ctc_profiles"'):]
    links = re.findall(r'href=\\?"(\.\./copy_number/[^"\\]+/profile\.png)\\?"', gallery)
    assert len(links) == 1010 - 24  # 1,000 cells and 10 primaries, 24 shown
    for link in links:
        assert (report.parent / link).is_file(), link
    assert gallery.split("986 more, as files")[0].count("data:image/png;base64,") == 24


def test_the_report_renders_in_a_browser(report: Path) -> None:
    if CHROMIUM is None:
        component_missing("chromium not installed: run `make browser`")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=300)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="ctc-verdict"') == 10
    assert "HER2 and EGFR status per sample" in dom.stdout
