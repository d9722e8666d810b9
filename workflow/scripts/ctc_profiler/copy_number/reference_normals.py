"""A reference panel: the relative read density per bin of each usable
member of a group of normals (a patient's WBC cells of one WGA kit, or its
bulk normals), made once per group. Each sample normalised to the group
takes the median of the members other than itself, so a patient's cells
do not each redo the members' GC correction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ctc_profiler.copy_number.profile import median_reference, profile_from_counts, relative_density
from ctc_profiler.copy_number.qc import QcThresholds
from ctc_profiler.core.tables import write_tsv
from ctc_profiler.core.words import CELL_TYPES

POSITION = ["chrom", "start", "end"]


def normals_name(sample_type: str, wga: str, library: str) -> str:
    """The group of normals a sample belongs to or is normalised by: WBC
    cells of one WGA kit (their noise is a cell's noise) or bulk normals, of
    one library kind (a panel profile cannot be normalised by low-pass WGS)."""
    if sample_type in CELL_TYPES:
        return f"wbc.{wga}.{library}"
    return f"normal.{library}"


def normals_densities(bins: pd.DataFrame, windows: pd.DataFrame,
                    members: dict[str, tuple[Path | str, Path | str]],
                    thresholds: QcThresholds) -> tuple[pd.DataFrame, list[str]]:
    """Bin positions (bins, then gene tiles, as in a profile) and one density
    column per member that passes QC; and the members left out (a failed
    cell would add its own noise to every cell normalised by it)."""
    if not members:
        raise ValueError("a reference panel needs at least one member")
    panel = None
    left_out = []
    for name, (counts, window_counts) in members.items():
        profile, qc = profile_from_counts(bins, windows, counts, window_counts, thresholds)
        if panel is None:
            panel = profile[POSITION].copy()
        if qc.qc_pass:
            panel[name] = relative_density(profile)
        else:
            left_out.append(name)
    return panel, left_out


def write_normals(panel: pd.DataFrame, path: Path | str) -> None:
    # full precision: a sample's reference is the same as from its members' counts
    write_tsv(panel, path)


def read_normals(path: Path | str) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={"chrom": str}, float_precision="round_trip")


def normals_reference(panel: pd.DataFrame, profile: pd.DataFrame,
                    sample: str) -> tuple[np.ndarray | None, list[str]]:
    """Median density per bin of the panel's members other than `sample`
    (None when there are none), and those members."""
    same = len(panel) == len(profile) and all(
        (panel[c].to_numpy() == profile[c].to_numpy()).all() for c in POSITION)
    if not same:
        raise ValueError("the reference panel's bins differ from the sample's; "
                         "rerun rule reference_normals with the current bins")
    names = [c for c in panel.columns[len(POSITION):] if c != sample]
    if not names:
        return None, []
    return median_reference([panel[n].to_numpy(dtype=float) for n in names]), names
