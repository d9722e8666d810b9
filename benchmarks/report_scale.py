"""A report of 1,000 cells, built from synthetic result tables (no reads), as
rule report_content and rule multiqc build it: its size, and the time headless
Chromium takes to load it beside a blank page's.

    .venv/bin/python benchmarks/report_scale.py --outdir /tmp/report_scale [--cells 1000 --patients 10]

The tables hold every column the workflow writes, with calls spread as in a
cohort (a few HER2-positive, equivocal and indeterminate cells, EGFR
amplified, failed and noisy cells, three EGFR hotspots per sample); every
profile is a real figure of the workflow's plot code at GRCh38's 6,000 bins
of 500 kb, and every heatmap one of 100 such rows (the same figure copied per
sample and patient: the report's size depends on the figures' bytes, not on
what they show). tests/test_report_scale.py builds the same report and holds
its size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from ctc_profiler.copy_number.plots import plot_heatmap, plot_profile  # noqa: E402
from ctc_profiler.report.content_files import ReportSettings, write_content_files  # noqa: E402
from ctc_profiler.status.discordance import build_discordance  # noqa: E402
from ctc_profiler.status.patients import build_patients  # noqa: E402
from ctc_profiler.status.samples import build_status  # noqa: E402

RESOURCES = ROOT / "workflow" / "resources"
# GRCh38 autosomes and X at 500 kb: about 6,000 bins, as a human cell's profile
CHROMOSOME_MB = {"chr1": 248, "chr2": 242, "chr3": 198, "chr4": 190, "chr5": 181, "chr6": 171, "chr7": 159,
                 "chr8": 145, "chr9": 138, "chr10": 134, "chr11": 135, "chr12": 133, "chr13": 114, "chr14": 107,
                 "chr15": 102, "chr16": 90, "chr17": 83, "chr18": 80, "chr19": 59, "chr20": 64, "chr21": 47,
                 "chr22": 51, "chrX": 156}
GENES = pd.DataFrame({"chrom": ["chr17", "chr17", "chr7"], "start": [39_687_913, 40_388_524, 55_019_016],
                      "end": [39_730_426, 40_417_896, 55_211_628], "name": ["ERBB2", "TOP2A", "EGFR"]})
REGIONS = pd.DataFrame({"chrom": ["chr17", "chr7"], "start": [27_000_000, 66_000_000],
                        "end": [33_000_000, 72_000_000], "name": ["chr17_ref", "chr7_ref"]})
HOTSPOTS = ("L858R", "T790M", "G719S")
QC = {"min_median_reads_per_bin": 60, "max_mapd": 0.7, "max_gini": 0.35}  # config/config.yaml's


def human_bins(rng: np.random.Generator) -> pd.DataFrame:
    """A noisy diploid cell at 500 kb with an ERBB2 amplicon of 2 bins at 12 copies."""
    rows = [(chrom, start, start + 500_000) for chrom, mb in CHROMOSOME_MB.items()
            for start in range(0, mb * 1_000_000, 500_000)]
    bins = pd.DataFrame(rows, columns=["chrom", "start", "end"])
    bins["use"] = True
    bins["cn"] = 2.0
    amplicon = (bins["chrom"] == "chr17") & bins["start"].between(39_500_000, 40_000_000)
    bins.loc[amplicon, "cn"] = 12.0
    bins["cn_bin"] = bins["cn"] * 2 ** rng.normal(0, 0.2, len(bins))
    return bins


def synthetic_tables(cells: int, patients: int, rng: np.random.Generator) -> tuple[pd.DataFrame, ...]:
    """Sample sheet, copy-number summary and hotspot genotypes of a cohort."""
    per_patient = cells // patients
    sheet, copy_number, hotspots = [], [], []
    for p in range(1, patients + 1):
        names = [(f"P{p}_primary", "primary")] + [
            (f"P{p}_WBC{i:02d}" if i <= 4 else f"P{p}_CTC{i - 4:03d}", "wbc" if i <= 4 else "ctc")
            for i in range(1, per_patient + 1)]
        for sample, kind in names:
            sheet.append({"patient": f"P{p}", "sample": sample, "type": kind,
                          "wga": "none" if kind == "primary" else "PicoPLEX"})
            draw = rng.random()
            her2 = ("positive" if draw < 0.05 else "equivocal" if draw < 0.08 else "indeterminate" if draw < 0.12
                    else "negative") if kind == "ctc" else "negative"
            failed = kind == "ctc" and rng.random() < 0.05
            noisy = not failed and kind == "ctc" and rng.random() < 0.05
            erbb2 = {"positive": 12.0, "equivocal": 6.0}.get(her2, 2.0)
            copy_number.append({
                "sample": sample, "reference": "self", "qc_pass": not (failed or noisy),
                "cn_qc": "fail" if failed else "noisy" if noisy else "pass",
                "qc_reason": "median reads per bin 21 < 60" if failed else "MAPD 0.74 > 0.7" if noisy else "",
                "reads": int(rng.integers(400_000, 2_000_000)), "median_reads_per_bin": 110.0,
                "mapd": round(float(rng.uniform(0.2, 0.6)), 4), "gini": 0.2, "ploidy": 2.0,
                "erbb2_cn": erbb2, "erbb2_source": "segment", "chr17_ref_cn": 2.0, "her2_ratio": erbb2 / 2,
                "her2_group": 1 if her2 == "positive" else 3 if her2 == "equivocal" else 5,
                "her2_status": "not_assessable" if failed else her2, "erbb2_z": 9.5 if her2 == "positive" else 0.3,
                "erbb2_detectable_cn": ">40" if her2 == "indeterminate" else "6",
                "egfr_cn": 2.0, "egfr_ratio": 1.0, "egfr_amplified": "not_assessable" if failed else
                str(rng.random() < 0.02).lower(), "egfr_z": 0.1, "egfr_detectable_cn": "5"})
            for protein in HOTSPOTS:
                mutant = kind == "ctc" and protein == "L858R" and rng.random() < 0.1
                hotspots.append({"sample": sample, "gene": "EGFR", "protein_change": protein,
                                 "state": "mutant" if mutant else "wildtype", "alt_reads": 9 if mutant else 0,
                                 "depth": 40, "quality": 60})
    return pd.DataFrame(sheet), pd.DataFrame(copy_number), pd.DataFrame(hotspots)


def build_scale_report(outdir: Path, cells: int = 1000, patients: int = 10, seed: int = 1) -> Path:
    """Write the results and the report of a synthetic cohort under `outdir`;
    return the report's path."""
    rng = np.random.default_rng(seed)
    results = outdir / "results"
    report_inputs = results / "qc" / "report"
    report_inputs.mkdir(parents=True, exist_ok=True)
    sheet, copy_number, hotspots = synthetic_tables(cells, patients, rng)
    status = build_status(sheet, copy_number, hotspots, pd.DataFrame(columns=["sample", "ado_rate"]))
    discordance = build_discordance(status, hotspots)
    patient_table = build_patients(status, discordance, 1)
    bins = human_bins(rng)
    figure = outdir / "profile.png"
    plot_profile(bins, GENES, "P1_CTC001 (ctc): ploidy 2.0, ERBB2 12 copies, HER2 positive", figure, REGIONS)
    heatmap = outdir / "heatmap.png"
    plot_heatmap([(f"cell {i}", bins) for i in range(cells // patients)], GENES, "Patient P1", heatmap)
    profiles, heatmaps = [], []
    for sample in status["sample"]:
        path = results / "copy_number" / sample / "profile.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.link(figure, path)
        profiles.append(str(path))
    for patient in status["patient"].unique():
        path = results / "copy_number" / f"{patient}.heatmap.png"
        if not path.exists():
            os.link(heatmap, path)
        heatmaps.append(str(path))
    names = ("verdict", "patients", "clones", "hotspot_depth", "run_time", "status", "discordance_matrix",
             "discordance", "cell_qc", "gene_copy_number", "heatmaps", "profiles", "summary")
    suffix = {name: "html" if name in ("heatmaps", "profiles") else "yaml" for name in names}
    out = SimpleNamespace(**{name: str(report_inputs / f"ctc_{name}_mqc.{suffix[name]}") for name in names})
    out.verdict = str(results / "qc" / "verdict.yaml")
    report_dir = results / "multiqc"
    write_content_files(status, patient_table, discordance, hotspots, heatmaps, profiles, out,
                        ReportSettings(1, {"copy_number": {"max_detectable_cn": 8, "qc": QC}}, str(ROOT), 24,
                                       report_dir, 5))
    file_list = outdir / "inputs.txt"
    file_list.write_text("\n".join(str(p) for p in sorted(report_inputs.iterdir())) + "\n")
    # the project's environment's own multiqc, as the rule's environment has it
    multiqc = shutil.which("multiqc", path=str(Path(sys.executable).parent)) or "multiqc"
    command = [multiqc, "--force", "--no-ai", "--config", str(RESOURCES / "multiqc_config.yaml"),
               "--config", out.verdict, "--custom-css-file", str(RESOURCES / "multiqc_report.css"),
               "--title", "ctc-profiler scale", "--outdir", str(report_dir), "--filename", "multiqc_report.html",
               "--file-list", str(file_list)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    if done.returncode:
        raise RuntimeError(f"multiqc failed: {done.stderr[-3000:]}")
    return report_dir / "multiqc_report.html"


def load_seconds(chromium: str, page: Path) -> float:
    """Wall time of headless Chromium loading a page and dumping its DOM."""
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                       capture_output=True, check=True, timeout=300)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outdir", type=Path, required=True)
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--patients", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    report = build_scale_report(args.outdir, args.cells, args.patients)
    print(f"built in {time.perf_counter() - started:.0f} s: {report}, {report.stat().st_size / 1e6:.1f} MB")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not installed: run `make browser`")
    blank = args.outdir / "blank.html"
    blank.write_text("<html><body></body></html>")
    for _ in range(args.repeats):
        print(f"Chromium load: report {load_seconds(chromium, report):.1f} s, blank page "
              f"{load_seconds(chromium, blank):.1f} s")


if __name__ == "__main__":
    main()
