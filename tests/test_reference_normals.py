"""Reference panels: each usable member's density, once per group, and each
sample's reference as the median of the other members."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import genome_bins
from ctc_profiler.copy_number.profile import profile_from_counts, reference_profile
from ctc_profiler.copy_number.qc import QcThresholds
from ctc_profiler.copy_number.reference_normals import (
    normals_densities,
    normals_name,
    normals_reference,
    read_normals,
    write_normals,
)

NO_WINDOWS = pd.DataFrame(columns=["chrom", "start", "end", "gc", "n_fraction", "window"])


def write_counts(path: Path, bins: pd.DataFrame, reads: np.ndarray) -> Path:
    bins[["chrom", "start", "end"]].assign(reads=reads).to_csv(path, sep="\t", header=False, index=False)
    return path


@pytest.fixture
def members(tmp_path: Path) -> tuple[pd.DataFrame, dict[str, tuple[Path, Path]]]:
    """Three WBC cells with their own GC bias and noise, and one with no reads."""
    rng = np.random.default_rng(11)
    bins = genome_bins({"chr1": 120, "chr7": 80, "chr17": 60, "chrX": 40}, rng)
    empty = tmp_path / "no_windows.tsv"
    empty.write_text("")
    cells = {}
    for i, slope in enumerate([1.0, 2.0, -1.0]):
        reads = rng.poisson(300 * np.exp(slope * (bins["gc"] - 0.45)) * rng.lognormal(0, 0.1, len(bins)))
        cells[f"WBC0{i + 1}"] = (write_counts(tmp_path / f"{i}.tsv", bins, reads), empty)
    cells["WBC_failed"] = (write_counts(tmp_path / "failed.tsv", bins, np.zeros(len(bins), int)), empty)
    return bins, cells


def test_members_failing_qc_are_left_out(members) -> None:
    bins, cells = members
    panel, left_out = normals_densities(bins, NO_WINDOWS, cells, QcThresholds())
    assert left_out == ["WBC_failed"]
    assert list(panel.columns) == ["chrom", "start", "end", "WBC01", "WBC02", "WBC03"]
    assert panel[["chrom", "start", "end"]].equals(bins[["chrom", "start", "end"]])
    # relative density: median 1 over the usable autosomal bins
    autosomal = panel["chrom"] != "chrX"
    assert np.median(panel.loc[autosomal, "WBC02"]) == pytest.approx(1.0)


def test_a_sample_gets_the_median_of_the_other_members_as_from_their_counts(members, tmp_path) -> None:
    bins, cells = members
    panel, _ = normals_densities(bins, NO_WINDOWS, cells, QcThresholds())
    write_normals(panel, tmp_path / "panel.tsv")
    stored = read_normals(tmp_path / "panel.tsv")
    profiles = {name: profile_from_counts(bins, NO_WINDOWS, *files, QcThresholds())[0]
                for name, files in cells.items()}

    reference, used = normals_reference(stored, profiles["WBC01"], "WBC01")
    assert used == ["WBC02", "WBC03"]
    # bit for bit what the members' own profiles give: the table keeps full precision
    assert np.array_equal(reference, reference_profile([profiles["WBC02"], profiles["WBC03"]]), equal_nan=True)

    reference, used = normals_reference(stored, profiles["WBC01"], "CTC01")
    assert used == ["WBC01", "WBC02", "WBC03"]
    assert np.array_equal(reference, reference_profile([profiles[n] for n in used]), equal_nan=True)


def test_a_sole_member_is_normalised_to_itself(members) -> None:
    bins, cells = members
    panel, _ = normals_densities(bins, NO_WINDOWS, {"WBC01": cells["WBC01"]}, QcThresholds())
    profile = profile_from_counts(bins, NO_WINDOWS, *cells["WBC01"], QcThresholds())[0]
    assert normals_reference(panel, profile, "WBC01") == (None, [])


def test_a_panel_on_other_bins_is_refused(members) -> None:
    bins, cells = members
    panel, _ = normals_densities(bins, NO_WINDOWS, cells, QcThresholds())
    profile = profile_from_counts(bins, NO_WINDOWS, *cells["WBC01"], QcThresholds())[0]
    with pytest.raises(ValueError, match="rerun rule reference_normals"):
        normals_reference(panel.iloc[1:], profile, "CTC01")
    shifted = panel.assign(start=panel["start"] + 1)
    with pytest.raises(ValueError, match="bins differ"):
        normals_reference(shifted, profile, "CTC01")


def test_a_panel_needs_members() -> None:
    with pytest.raises(ValueError, match="at least one member"):
        normals_densities(pd.DataFrame(), NO_WINDOWS, {}, QcThresholds())


def test_cells_share_a_panel_per_kit_and_library_bulk_per_library() -> None:
    assert normals_name("ctc", "MALBAC", "lowpass_wgs") == normals_name("wbc", "MALBAC", "lowpass_wgs")
    assert normals_name("ctc", "MALBAC", "lowpass_wgs") == "wbc.MALBAC.lowpass_wgs"
    assert normals_name("ctc", "MDA", "lowpass_wgs") != normals_name("ctc", "MALBAC", "lowpass_wgs")
    assert normals_name("ctc", "MALBAC", "panel") != normals_name("ctc", "MALBAC", "lowpass_wgs")
    assert normals_name("primary", "none", "wgs") == normals_name("normal", "none", "wgs") == "normal.wgs"
