"""Where a run's time went: benchmark files summed per step, IDs replaced."""

from __future__ import annotations

from pathlib import Path

from ctc_profiler.report.multiqc_content import run_time_section
from ctc_profiler.report.run_time import benchmark_table, step_name

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def benchmark(root: Path, name: str, seconds: float, cpu: float, rss: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{seconds}\t0:00:01\t{rss}\t1\t1\t1\t0\t0\t50\t{cpu}\n")


def test_steps_name_rules_without_their_samples_and_patients(tmp_path: Path) -> None:
    samples, patients = ["P1_CTC01", "P1_CTC1", "P1"], ["P1"]
    assert step_name(tmp_path / "bwa_mem/P1_CTC01.lowpass_wgs.tsv", tmp_path, samples, patients) == \
        "bwa_mem/{sample}.lowpass_wgs"
    # a sample named like its patient is replaced whole; the patient's name inside a sample's is not
    assert step_name(tmp_path / "variants/P1.call.0.tsv", tmp_path, ["P1_CTC01"], patients) == \
        "variants/{patient}.call.0"
    assert step_name(tmp_path / "copy_number/P1_CTC1.call.tsv", tmp_path, samples, patients) == \
        "copy_number/{sample}.call"


def test_jobs_of_a_step_are_summed_and_the_slowest_step_comes_first(tmp_path: Path) -> None:
    benchmark(tmp_path, "bwa_mem/P1_CTC01.panel.tsv", 3.0, 2.5, "100.5")
    benchmark(tmp_path, "bwa_mem/P1_CTC02.panel.tsv", 5.0, 4.0, "120")
    benchmark(tmp_path, "reference/bwa_index.tsv", 6.0, 5.9, "-")
    table = benchmark_table(tmp_path, ["P1_CTC01", "P1_CTC02"], ["P1"])
    assert list(table["step"]) == ["bwa_mem/{sample}.panel", "reference/bwa_index"]
    first = table.iloc[0]
    assert (first["jobs"], first["wall_s"], first["max_wall_s"], first["cpu_s"], first["max_rss_mb"]) == \
        (2, 8.0, 5.0, 6.5, 120.0)
    assert table.iloc[1]["max_rss_mb"] == 0.0  # Snakemake's "-" for a job too short to sample
    section = run_time_section(table)
    assert section["data"]["reference/bwa_index"]["wall_s"] == 6.0
    assert "14 s of job wall time" in section["description"] and "3 jobs" in section["description"]
    nothing = benchmark_table(tmp_path / "none")
    assert nothing.empty and run_time_section(nothing)["data"] == {}
