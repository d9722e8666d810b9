"""The workflow config of a simulated cohort, written beside its data.

A scaled genome is small and its genes, hotspots and reference regions sit
at its own coordinates, so its config names the cohort's own tables and sizes
suited to it. A genome at real GRCh38 positions (the grch38 preset) gets only
the keys a user must set, as README.md's "Running your own cohort" asks: the
shipped GRCh38 tables and every human default apply.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import yaml

from .atomic import write_text

HEADER = """\
# ctc-profiler config of a simulated cohort, written by simulate_cohort.py.
# Paths start at the directory the simulator ran in; run from there:
#   snakemake --profile profiles/default --configfile {config}
# Keys not set here take config/config.yaml's defaults.
"""


def workflow_config(
    outdir: str, title: str, grch38: bool = False, germline: str | None = None
) -> dict[str, object]:
    """Config keys of a cohort simulated into `outdir` (kept verbatim, as in
    the sheets' FASTQ paths); `grch38`: its genome is at real GRCh38 positions;
    `germline`: its population VCF, relative to `outdir` (cohorts with shared
    germline SNPs only)."""

    def path(*parts: str) -> str:
        return posixpath.join(outdir, *parts)

    if grch38:
        config: dict[str, object] = {
            "samples": path("samples.tsv"),
            "units": path("units.tsv"),
            "results": "results",
            "reference": {"fasta": path("reference", "genome.fa"), "build": "GRCh38"},
            "targets": {"panel": path("reference", "panel_targets.bed")},
            "multiqc": {"title": title},
        }
        if germline:
            config["resources"] = {"germline": path(germline)}
        return config
    resources = {
        "genes": path("reference", "genes.bed"),
        "hotspots": path("reference", "hotspots.tsv"),
        "reference_regions": path("reference", "reference_regions.bed"),
    }
    if germline:
        resources["germline"] = path(germline)
    return {
        "samples": path("samples.tsv"),
        "units": path("units.tsv"),
        "results": "results",
        "reference": {"fasta": path("reference", "genome.fa"), "build": "demo"},
        "targets": {"panel": path("reference", "panel_targets.bed"), "wes": None},
        "resources": resources,
        "copy_number": {
            # the simulated genome is ~120 Mb: 100 kb bins give it ~1,200 bins,
            # and gene tiles a tenth of a bin with flanks of 3 bins
            "bin_size": 100_000,
            "gene_window": {"min_bp": 10_000, "flank_bp": 300_000},
        },
        "multiqc": {"title": title},
    }


def write_workflow_config(
    outdir: str,
    title: str = "ctc-profiler demo cohort",
    grch38: bool = False,
    germline: str | None = None,
) -> Path:
    config = Path(outdir) / "config.yaml"
    text = HEADER.format(config=posixpath.join(outdir, "config.yaml"))
    text += yaml.safe_dump(workflow_config(outdir, title, grch38, germline), sort_keys=False)
    return write_text(config, text)
