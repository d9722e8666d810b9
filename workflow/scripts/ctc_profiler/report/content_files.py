"""Every custom-content file of the report, written from the cohort's tables
and figures: what rule report_content makes, callable without Snakemake (the
report's scale test builds a 1,000-cell report with it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from ctc_profiler.core.atomic import write_text
from ctc_profiler.report import multiqc_content as rc
from ctc_profiler.report.run_time import COLUMNS as RUN_TIME_COLUMNS
from ctc_profiler.report.run_time import benchmark_table
from ctc_profiler.report.verdict import verdict_comment


class ContentPaths(Protocol):
    """Where each file goes (rule report_content's outputs, by name)."""

    verdict: str
    patients: str
    clones: str
    hotspot_depth: str
    run_time: str
    status: str
    discordance_matrix: str
    discordance: str
    cell_qc: str
    gene_copy_number: str
    heatmaps: str
    profiles: str
    summary: str


@dataclass(frozen=True)
class ReportSettings:
    min_positive_ctcs: int
    settings: dict[str, Any]  # the configuration values that change calls
    workflow_dir: str
    inline_profiles: int
    report_dir: Path  # where the report is written: profiles are linked from there
    min_depth: int  # variants.min_depth
    benchmarks_dir: Path | None = None  # the jobs' benchmark files; None: no run-time table


def write_content_files(status: pd.DataFrame, patients: pd.DataFrame, discordance: pd.DataFrame,
                        hotspots: pd.DataFrame, heatmaps: list[str], profiles: list[str], out: ContentPaths,
                        settings: ReportSettings, clones: pd.DataFrame | None = None,
                        warnings: list[str] | None = None) -> None:
    """hotspots: every sample's hotspot genotypes (sample, gene, protein_change, depth, ...);
    clones: every patient's clone summary (`copy_number.clones.SUMMARY_COLUMNS`), None: none;
    warnings: the identity check's (patients sharing a germline), shown above the verdicts."""
    clones = clones if clones is not None else pd.DataFrame(columns=rc.CLONE_SHOWN)
    rc.write_yaml({"report_comment": verdict_comment(patients, status, discordance, clones, warnings)}, out.verdict)
    rc.write_yaml(rc.patients_section(patients, settings.min_positive_ctcs), out.patients)
    rc.write_yaml(rc.clones_section(clones), out.clones)
    rc.write_yaml(rc.status_section(status), out.status)
    rc.write_yaml(rc.discordance_matrix_section(discordance), out.discordance_matrix)
    rc.write_yaml(rc.discordance_section(discordance), out.discordance)
    rc.write_yaml(rc.cell_qc_generalstats(status, settings.settings["copy_number"]["qc"]), out.cell_qc)
    rc.write_yaml(rc.gene_copy_number_section(status), out.gene_copy_number)
    rc.write_yaml(rc.hotspot_depth_section(hotspots, settings.min_depth), out.hotspot_depth)
    steps = (benchmark_table(settings.benchmarks_dir, status["sample"], status["patient"].unique())
             if settings.benchmarks_dir is not None else pd.DataFrame(columns=RUN_TIME_COLUMNS))
    rc.write_yaml(rc.run_time_section(steps), out.run_time)
    # Date and version are read when the report is made, not passed as params, so
    # a new day or commit alone never reruns the cohort.
    run_date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    version = rc.workflow_version(settings.workflow_dir)
    rc.write_yaml(rc.workflow_summary(settings.settings, version, run_date), out.summary)
    named_heatmaps = [(Path(p).name.split(".")[0], p) for p in heatmaps]
    write_text(rc.image_gallery("ctc_heatmaps", "Copy-number heatmaps per patient",
                                "Integer copy number of every sample of a patient along the genome; rows: "
                                "the bulk samples, the WBCs, then the CTCs by clone (the clone tree's "
                                "order, each label naming its clone), so cells sharing an event form a "
                                "block.", named_heatmaps), out.heatmaps)
    by_sample = {Path(p).parent.name: p for p in profiles}
    ordered = [(sample, by_sample[sample]) for sample in rc.profile_order(status, list(by_sample))]
    write_text(rc.image_gallery("ctc_profiles", "Copy-number profiles per sample",
                                "Copy number of every bin (dots) and segment (lines) with ERBB2 and EGFR marked; "
                                "cells with a gain called first, then indeterminate ones.",
                                ordered, settings.inline_profiles, settings.report_dir), out.profiles)
