"""Reading and writing the workflow's TSV tables the same way everywhere:
text kept as text (no NA guessing), written under a temporary name first."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ctc_profiler.core.atomic import atomic_output

# columns of numbers and words ('>40') that pandas would turn into floats
# when every row holds a number: 4 would be written back as 4.0
TEXT_COLUMNS = ("erbb2_detectable_cn", "egfr_detectable_cn")


def read_tsv(path: Path | str) -> pd.DataFrame:
    """A TSV with empty cells as NaN; 'NA'-like words stay text, and true/false
    columns stay the words 'true'/'false' (the tables' own vocabulary, which
    can also hold 'not_assessable')."""
    try:
        table = pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""],
                            dtype={column: str for column in TEXT_COLUMNS})
    except pd.errors.EmptyDataError:  # a failed call's tables (copy_number.patient_calls)
        return pd.DataFrame()
    for column in table.columns[table.dtypes.map(pd.api.types.is_bool_dtype)]:
        table[column] = table[column].map({True: "true", False: "false"})
    return table


def read_positions(path: Path | str) -> pd.DataFrame:
    """A table of genome positions (bins, segments) with chrom as text; an
    empty frame for the empty file of a sample whose call failed
    (`copy_number.patient_calls`)."""
    try:
        return pd.read_csv(path, sep="\t", dtype={"chrom": str})
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def read_tsvs(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Several TSVs of the same columns as one table (empty when there are none)."""
    frames = [read_tsv(p) for p in paths]
    frames = [f for f in frames if len(f.columns)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def write_tsv(table: pd.DataFrame, path: Path | str, float_format: str | None = None) -> None:
    """Write to <path>.part and rename, so a killed job leaves no partial table."""
    with atomic_output(path) as part:
        table.to_csv(part, sep="\t", index=False, float_format=float_format)


def write_bed(table: pd.DataFrame, path: Path | str) -> None:
    """The chrom, start and end columns as a BED file (no header), atomically."""
    with atomic_output(path) as part:
        table[["chrom", "start", "end"]].to_csv(part, sep="\t", index=False, header=False)


def with_columns(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """The table with at least these columns (missing ones empty): an empty
    input (no variants, no metrics) reads like one without rows."""
    missing = [c for c in columns if c not in table.columns]
    return table.reindex(columns=[*table.columns, *missing])
