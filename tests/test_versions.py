"""Tool version parsing for the MultiQC software-versions section."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ctc_profiler.report.versions import VersionError, collect_versions, parse_versions, write_versions


@pytest.mark.parametrize(
    "text, group, expected",
    [
        ("fastp 0.23.2\n", "fastp", {"fastp": "0.23.2"}),
        ("Version: 0.7.17-r1188\nsamtools 1.16.1\n", "bwa", {"bwa": "0.7.17-r1188", "samtools": "1.16.1"}),
        ("multiqc, version 1.35\n", "multiqc", {"multiqc": "1.35"}),
        ("mosdepth 0.3.3\n", "mosdepth", {"mosdepth": "0.3.3"}),
        ("Python 3.11.7\npandas 3.1.1\n", "python", {"python": "3.11.7", "pandas": "3.1.1"}),
    ],
)
def test_parse_versions(text: str, group: str, expected: dict[str, str]) -> None:
    assert parse_versions(text, group) == expected


def test_no_version_is_an_error() -> None:
    with pytest.raises(VersionError, match="fastp"):
        parse_versions("command not found\n", "fastp")


def test_collect_and_write(tmp_path: Path) -> None:
    (tmp_path / "fastp.txt").write_text("fastp 0.23.2\n")
    (tmp_path / "samtools.txt").write_text("samtools 1.16.1\nUsing htslib 1.16\n")
    versions = collect_versions([tmp_path / "samtools.txt", tmp_path / "fastp.txt"],
                                extra={"workflow": {"snakemake": "9.27.1"}})
    write_versions(versions, tmp_path / "v_mqc_versions.yml")
    assert yaml.safe_load((tmp_path / "v_mqc_versions.yml").read_text()) == {
        "fastp": {"fastp": "0.23.2"},
        "samtools": {"samtools": "1.16.1"},  # "Using htslib" is no tool line
        "workflow": {"snakemake": "9.27.1"},
    }
