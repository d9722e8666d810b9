"""Every copy-number call of one patient in one process, as rule
call_copy_number makes them: each sample's files in a folder of its own,
as one call per sample would write them. One process pays the interpreter
and the imports (pandas, ruptures, statsmodels: about 1 CPU s) once per
patient instead of once per sample, and reads each bin set, reference
normals table and region file once.

A sample whose call raises is not fatal to its patient: its folder gets a
status row saying the call failed (HER2 and EGFR `not_assessable`) and
empty tables, and the error goes to the log."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ctc_profiler.copy_number.bins import read_bed
from ctc_profiler.copy_number.profile import read_sample_counts
from ctc_profiler.copy_number.reference_normals import read_normals
from ctc_profiler.copy_number.sample_call import SampleCall, SampleCallSettings, sample_call
from ctc_profiler.copy_number.sample_summary import STATUS_COLUMNS
from ctc_profiler.core.atomic import write_json
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.core.words import CN_QC_FAIL, NOT_ASSESSABLE

# a sample's files, as each call writes them into the sample's folder
SAMPLE_FILES = ("profile.tsv", "qc.json", "bins.tsv", "segments.tsv", "genes.tsv", "status.tsv")


@dataclass(frozen=True)
class SampleInputs:
    """What one sample's call reads: its sample-sheet row, its bin set, its
    `bin_counts` files and the reference normals table it is normalised by
    (None: normalised to itself)."""

    row: Mapping[str, Any]
    bins: str
    counts: str
    window_counts: str
    normals: str | None = None

    @property
    def name(self) -> str:
        return str(self.row["sample"])


def call_patient(inputs: Iterable[SampleInputs], windows_path: str, region_paths: Iterable[str],
                 settings: SampleCallSettings, outdir: Path | str, log: TextIO | None = None) -> list[str]:
    """Call each sample into outdir/<sample>/ (SAMPLE_FILES); returns the
    samples whose call failed (their folder says so). What each call chose
    and any error go to `log` (default: standard error)."""
    log = log or sys.stderr
    windows = pd.read_csv(windows_path, sep="\t", dtype={"chrom": str})
    regions = pd.concat([read_bed(path) for path in region_paths])
    bin_sets = functools.cache(lambda path: pd.read_csv(path, sep="\t", dtype={"chrom": str}))
    normals_tables = functools.cache(read_normals)
    failed = []
    for sample in inputs:
        folder = Path(outdir) / sample.name
        folder.mkdir(parents=True, exist_ok=True)
        try:
            counts, window_counts = read_sample_counts(windows, sample.counts, sample.window_counts)
            normals = normals_tables(sample.normals) if sample.normals else None
            result = sample_call(sample.row, bin_sets(sample.bins), counts, windows, window_counts, regions,
                                 settings, normals)
        except Exception:  # noqa: BLE001 - one sample's error must not lose its patient's other calls
            print(f"{sample.name}: the copy-number call failed:\n{traceback.format_exc()}", file=log)
            write_failed_call(sample.row, folder, traceback.format_exc(limit=0).strip())
            failed.append(sample.name)
            continue
        normalisation = result.normalisation
        print(f"{sample.name}: normalised to {result.reference} (noise of the ratio to the reference"
              f" {normalisation.reference_noise:.4f}, to itself {normalisation.self_noise:.4f})", file=log)
        write_sample_call(result, folder)
    return failed


def write_sample_call(result: SampleCall, folder: Path) -> None:
    write_tsv(result.profile, folder / "profile.tsv", float_format="%.5g")
    write_json(asdict(result.qc), folder / "qc.json")
    write_tsv(result.bins, folder / "bins.tsv", float_format="%.4g")
    write_tsv(result.segments, folder / "segments.tsv", float_format="%.4g")
    write_tsv(result.genes, folder / "genes.tsv", float_format="%.4g")
    write_status(result.status, folder)


def write_failed_call(row: Mapping[str, Any], folder: Path, error: str) -> None:
    """A failed call's folder: the status says so; the tables are empty."""
    status = {column: row.get(column, "") for column in STATUS_COLUMNS}
    status.update(qc_pass=False, cn_qc=CN_QC_FAIL, qc_reason=f"the copy-number call failed ({error}; see its log)",
                  her2_status=NOT_ASSESSABLE, egfr_amplified=NOT_ASSESSABLE)
    for name in ("profile.tsv", "bins.tsv", "segments.tsv", "genes.tsv"):
        write_tsv(pd.DataFrame(), folder / name)
    write_json({}, folder / "qc.json")
    write_status(status, folder)


def write_status(status: Mapping[str, Any], folder: Path) -> None:
    write_tsv(pd.DataFrame([status], columns=STATUS_COLUMNS), folder / "status.tsv")
