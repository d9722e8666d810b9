"""One sample's copy-number call, as rule call_copy_number makes it: the
GC-corrected profile and its QC, the ratio to the reference normals (or to
itself), segments and integer copy number, each gene's copy number (bin
segment or its own tiles), the status row and what a negative cell could
have missed (`detection_limit`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ctc_profiler.copy_number.assessability import Assessment, assessed_egfr, assessed_her2
from ctc_profiler.copy_number.detection_limit import (
    DetectionLimit,
    egfr_status_limit,
    limit_text,
    region_of,
    status_limit,
)
from ctc_profiler.copy_number.gain_evidence import egfr_z, erbb2_z
from ctc_profiler.copy_number.gene_tiles import called_genes, split_windows
from ctc_profiler.copy_number.profile import CallSettings, Normalisation, call_profile, corrected_profile
from ctc_profiler.copy_number.qc import ProfileQc, QcThresholds
from ctc_profiler.copy_number.reference_normals import normals_reference
from ctc_profiler.copy_number.sample_summary import status_row
from ctc_profiler.core.settings import FromConfig
from ctc_profiler.core.words import CN_QC_NOISY


@dataclass(frozen=True)
class Segmentation(FromConfig):
    """Config `copy_number.segmentation`."""

    min_bins: int = 3
    penalty: float = 3.0


@dataclass(frozen=True)
class GeneWindow(FromConfig):
    """Config `copy_number.gene_window`: the tiles a gene's tile segment needs
    (min_bp and flank_bp shape the windows, in rule gene_windows)."""

    min_tiles: int = 5


@dataclass(frozen=True)
class SampleCallSettings(FromConfig):
    """Config `copy_number.*` keys of the same names."""

    segmentation: Segmentation = Segmentation()
    gene_window: GeneWindow = GeneWindow()
    detection_limit: DetectionLimit = DetectionLimit()
    qc: QcThresholds = QcThresholds()
    egfr_min_fold: float = 1.6
    max_detectable_cn: float = 8.0
    noisy_cell_min_z: float = 4.0

    @property
    def call(self) -> CallSettings:
        """What `call_profile` takes."""
        return CallSettings(self.segmentation.min_bins, self.segmentation.penalty, self.qc)


@dataclass(frozen=True)
class SampleCall:
    profile: pd.DataFrame  # GC-corrected depth: the bins, then the gene windows
    qc: ProfileQc
    bins: pd.DataFrame  # called bins: ratio, log2, segment and copy number
    windows: pd.DataFrame  # called gene windows (the tiles)
    segments: pd.DataFrame
    genes: pd.DataFrame  # one row per gene and reference region, the sample's name first
    status: dict[str, Any]  # the row of copy_number.sample_summary.STATUS_COLUMNS
    ploidy: float
    normalisation: Normalisation
    reference: str  # the normals the ratio is to, comma-separated, or `self`


def sample_call(sample: Mapping[str, Any], bins: pd.DataFrame, counts: pd.DataFrame,
                windows: pd.DataFrame | None, window_counts: pd.DataFrame | None, regions: pd.DataFrame,
                settings: SampleCallSettings, normals: pd.DataFrame | None = None,
                limits: bool = True) -> SampleCall:
    """The call of one sample.

    sample: its sample-sheet row (patient, sample, type, wga, purity).
    bins, windows: the bin set and the gene windows (None: none); counts,
    window_counts: the sample's reads in them (`profile.read_sample_counts`). regions: genes
    and reference regions (chrom, start, end, name). normals: the reference
    normals table (`reference_normals.read_normals`), whose members other than
    the sample make its reference; None: normalised to itself. limits: False
    leaves the detection limits blank (each tries gains up to 40 copies,
    re-segmenting each time), and with them the `indeterminate` calls of
    passing cells whose limit is above `max_detectable_cn` (`assessability`);
    a noisy cell's negatives are then all `indeterminate`."""
    call = settings.call
    min_tiles = settings.gene_window.min_tiles
    profile, qc = corrected_profile(bins, counts, settings.qc, windows, window_counts)
    reference, used = (normals_reference(normals, profile, sample["sample"]) if normals is not None
                       else (None, []))
    called, segments, ploidy, normalisation = call_profile(profile, reference, sample.get("purity"), call)
    reference_name = ",".join(used) if normalisation.to_reference else "self"
    called_bins, called_windows = split_windows(called)
    genes = called_genes(called_bins, called_windows, regions, ploidy, min_tiles, call.penalty)
    row = status_row(dict(sample), reference_name, qc, ploidy, genes, settings.egfr_min_fold, normalisation)
    amplicon_bp = settings.detection_limit.amplicon_bp
    row["erbb2_z"] = round(erbb2_z(called_bins, region_of(regions, "ERBB2"), region_of(regions, "chr17_ref"),
                                   amplicon_bp), 2)
    row["egfr_z"] = round(egfr_z(called_bins, region_of(regions, "EGFR"), amplicon_bp), 2)
    if limits:
        row["erbb2_detectable_cn"] = limit_text(status_limit(
            row, called_bins, regions, settings.detection_limit, call.min_segment_bins, call.penalty, called_windows,
            min_tiles))
        row["egfr_detectable_cn"] = limit_text(egfr_status_limit(
            row, called_bins, regions, settings.egfr_min_fold, settings.detection_limit, call.min_segment_bins,
            call.penalty, called_windows, min_tiles))
    assessment = Assessment(settings.max_detectable_cn, row["cn_qc"] == CN_QC_NOISY, settings.noisy_cell_min_z)
    row["her2_status"] = assessed_her2(row["her2_status"], row["erbb2_detectable_cn"], row["erbb2_z"], assessment)
    row["egfr_amplified"] = assessed_egfr(row["egfr_amplified"], row["egfr_detectable_cn"], row["egfr_z"],
                                          assessment)
    genes.insert(0, "sample", sample["sample"])
    return SampleCall(profile, qc, called_bins, called_windows, segments, genes, row, ploidy, normalisation,
                      reference_name)
