"""Verdicts of the run-time FASTQ check, and what a damaged unit does to its sample.

Rule `check_fastq` reads every unit to the end (`fastq_check.check_unit`).
A damaged file (truncated gzip, broken record, mates of different lengths) is
a fact about the data, not a failure of the workflow: the unit's verdict
records the problem, its sample is left out of everything made from reads
(trimming, alignment, copy number, variant calling, reference panels) and is
reported `not_assessable` with the check's own message. Errors of the check
itself (anything but `FastqError`) are not caught: they fail the job.

Every unit's verdict is gathered in one table (checkpoint `fastq_verdicts`),
which the workflow reads to know which samples to call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ctc_profiler.core.atomic import write_json
from ctc_profiler.core.tables import read_tsv, write_tsv
from ctc_profiler.inputs.fastq_check import FastqError, check_unit

VERDICT_COLUMNS = ["sample", "unit", "fq1", "fq2", "reads", "problem"]
# how a sample left out for a damaged unit is named in qc_reason and notes
FAILED = "FASTQ check failed"


def one_line(text: str) -> str:
    """The message on one line without tabs, so it fits a TSV cell (a broken
    record's quoted line can hold either)."""
    return re.sub(r"\s+", " ", text).strip()


def unit_verdict(sample: str, unit: str, fq1: str, fq2: str | None) -> dict[str, object]:
    """The unit's verdict: its read count, or the problem found in its files
    (`problem` is None for a sound unit)."""
    try:
        summary = check_unit(fq1, fq2)
    except FastqError as error:
        return {"sample": sample, "unit": unit, "fq1": str(fq1),
                "fq2": None if fq2 is None else str(fq2), "reads": None,
                "problem": one_line(str(error))}
    return {"sample": sample, "unit": unit, "fq1": summary.fq1, "fq2": summary.fq2,
            "reads": summary.reads, "problem": None}


def write_verdict(verdict: Mapping[str, object], path: Path | str) -> None:
    write_json(dict(verdict), path)


def verdict_table(paths: Iterable[Path | str]) -> pd.DataFrame:
    """The verdicts of several units (their JSON files) as one table."""
    rows = []
    for path in paths:
        with open(path) as handle:
            rows.append(json.load(handle))
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS).astype({"reads": "Int64"})


def write_verdict_table(table: pd.DataFrame, path: Path | str) -> None:
    write_tsv(table.reindex(columns=VERDICT_COLUMNS), path)


def failed_units(tables: Iterable[pd.DataFrame]) -> list[tuple[str, str, str]]:
    """(sample, unit, problem) of every damaged unit, in table order."""
    found = []
    for table in tables:
        if "problem" not in table.columns:
            continue
        for row in table[table["problem"].notna()].itertuples(index=False):
            found.append((str(row.sample), str(row.unit), str(row.problem)))
    return found


def failure_reasons(tables: Iterable[pd.DataFrame]) -> dict[str, str]:
    """Sample -> why it is not assessable: every damaged unit and its problem."""
    units: dict[str, list[str]] = {}
    for sample, unit, problem in failed_units(tables):
        units.setdefault(sample, []).append(f"unit {sample}.{unit}: {problem}")
    return {sample: f"{FAILED}: " + " | ".join(found) for sample, found in units.items()}


def read_failure_reasons(path: Path | str) -> dict[str, str]:
    """failure_reasons of a verdict table."""
    return failure_reasons([read_tsv(path)])


def failure_report(tables: Iterable[pd.DataFrame]) -> str | None:
    """The message that ends a run with damaged units (None without any):
    every unit and its problem, and where the reports of the rest are."""
    failed = failed_units(tables)
    if not failed:
        return None
    samples = sorted({sample for sample, _, _ in failed})
    lines = [f"Error: {len(failed)} unit(s) failed the FASTQ check; sample(s) "
             f"{', '.join(samples)} are not_assessable (status.tsv, discordance.tsv, "
             "patients.tsv and the MultiQC report name them; every other sample was called):"]
    lines += [f"  unit {sample}.{unit}: {problem}" for sample, unit, problem in failed]
    lines.append("Copy the damaged file(s) again (or drop the unit from units.tsv) and rerun: "
                 "only what depends on them runs again.")
    return "\n".join(lines)
