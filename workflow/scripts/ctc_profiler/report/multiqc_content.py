"""MultiQC custom content of the cohort's results: patient flags, status and
discordance tables, single-cell QC in General Statistics, ERBB2/EGFR copy
number, copy-number plots and a workflow summary.

Every section is one `<id>_mqc.yaml` (or `_mqc.html`) file; its id is what
workflow/resources/multiqc_config.yaml orders the report by.
"""

from __future__ import annotations

import base64
import html
import math
import os
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ctc_profiler.core.atomic import write_text
from ctc_profiler.core.words import NOT_ASSESSABLE

# the tables' words as the report shows them: MultiQC draws true/false as
# green/red badges, which would paint normal states red
SHOWN_WORDS = {"true": "yes", "false": "no", NOT_ASSESSABLE: "not assessable"}
# calls coloured by meaning: a finding red, an unsure call amber, no answer
# grey; normal states stay plain
FINDING, UNSURE, NO_ANSWER = "#f4cccc", "#fff2cc", "#e6e6e6"
MEANING_COLOURS = {
    "positive": FINDING, "gain": FINDING, "loss": FINDING, "present": FINDING, "yes": FINDING,
    "mutant": FINDING, "amplified": FINDING, "mutant_amplified": FINDING,
    "equivocal": UNSURE, "indeterminate": UNSURE, "not_seen": UNSURE, "not_detected": UNSURE, "noisy": UNSURE,
    "fail": NO_ANSWER,
    "not assessable": NO_ANSWER,
}
# columns holding words or categories: coloured by meaning, never drawn as bars
CATEGORICAL = {
    "cn_qc", "her2_status", "her2_group", "egfr_status", "egfr_amplified", "call", "primary_value", "ctc_value",
    "primary_her2_status", "her2_gain_in_ctcs", "egfr_mutation_gained", "egfr_mutation_lost",
}
# human headers, with units
TITLES = {
    "qc_pass": "QC pass", "cn_qc": "copy-number QC", "qc_reason": "QC failed because",
    "erbb2_z": "ERBB2 gain z", "egfr_z": "EGFR gain z", "ctcs_noisy": "noisy CTCs",
    "her2_status": "HER2", "her2_group": "ASCO/CAP group",
    "erbb2_cn": "ERBB2 copies", "chr17_ref_cn": "chr17 reference copies", "her2_ratio": "HER2/chr17 ratio",
    "erbb2_detectable_cn": "ERBB2 detection limit (copies)", "egfr_status": "EGFR", "egfr_mutations": "EGFR mutations",
    "egfr_cn": "EGFR copies", "egfr_amplified": "EGFR amplified", "egfr_detectable_cn": "EGFR detection limit (copies)",
    "egfr_unresolved_hotspots": "EGFR hotspots open", "ploidy": "ploidy", "reads": "reads in bins",
    "mapd": "MAPD", "ado_rate": "ADO rate", "ctcs_qc_pass": "CTCs passing QC",
    "her2_gain_in_ctcs": "HER2 gain in CTCs", "her2_positive_ctcs": "HER2-positive CTCs",
    "her2_positive_ctc_names": "HER2-positive CTC names", "her2_indeterminate_ctcs": "HER2 indeterminate CTCs",
    "primary_her2_status": "primary HER2", "primary_egfr_mutations": "primary EGFR mutations",
    "egfr_mutation_gained": "EGFR mutation gained", "egfr_mutations_gained": "EGFR mutations gained",
    "egfr_mutation_lost": "EGFR mutation lost", "egfr_mutations_lost": "EGFR mutations lost",
    "wbc_controls": "WBC/normal controls", "primary_value": "primary", "ctc_value": "CTC",
    "primary_evidence": "primary evidence", "ctc_evidence": "CTC evidence",
}


def _plain(value: Any) -> Any:
    """YAML-safe scalars: numpy types to Python, NaN to empty."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return ""
    return value


def _shown(value: Any) -> Any:
    value = _plain(value)
    return SHOWN_WORDS.get(value, value) if isinstance(value, str) else value


def _rows(table: pd.DataFrame, key: str, columns: list[str]) -> dict[str, dict]:
    return {
        str(k): {c: _shown(v) for c, v in zip(columns, values)}
        for k, values in zip(table[key], table[columns].itertuples(index=False))
    }


def _headers(columns: list[str], titles: dict[str, str] | None = None,
             descriptions: dict[str, str] | None = None, categorical: set[str] | None = None) -> dict[str, dict]:
    titles, descriptions = {**TITLES, **(titles or {})}, descriptions or {}
    categorical = CATEGORICAL | (categorical or set())
    return {
        c: {"title": titles.get(c, c.replace("_", " ")),
            **({"description": descriptions[c]} if c in descriptions else {}),
            **({"scale": False, "bgcols": MEANING_COLOURS} if c in categorical else {})}
        for c in columns
    }


def table_section(section_id: str, name: str, description: str, table: pd.DataFrame,
                  key: str, columns: list[str],
                  descriptions: dict[str, str] | None = None,
                  titles: dict[str, str] | None = None, categorical: set[str] | None = None) -> dict[str, Any]:
    return {
        "id": section_id,
        "section_name": name,
        "description": description,
        "plot_type": "table",
        "pconfig": {"id": f"{section_id}_table", "title": name, "col1_header": key,
                    "sort_rows": False},
        "headers": _headers(columns, titles, descriptions, categorical),
        "data": _rows(table, key, columns),
    }


PATIENT_DESCRIPTIONS = {
    "her2_gain_in_ctcs": "HER2-negative primary and at least the configured number of "
    "HER2-positive CTCs (passing QC, or noisy with a gain beyond their noise)",
    "ctcs_qc_pass": "CTCs whose copy-number profile passed QC",
    "ctcs_noisy": "CTCs whose profile failed on MAPD or Gini alone: their ERBB2/EGFR calls count where they "
    "beat the cell's own noise (gains) or detection limit (negatives)",
    "egfr_mutation_gained": "an EGFR hotspot mutation seen in a CTC (not failed) and absent from the primary",
    "egfr_mutation_lost": "an EGFR hotspot mutation of the primary absent (not dropout) in a CTC (not failed)",
    "her2_indeterminate_ctcs": "CTCs without a HER2 call: their own detection limit is above "
    "copy_number.max_detectable_cn, so a gain could be missed, or (noisy cells) their gain is within what "
    "their noise makes; counted like not assessable",
}


def patients_section(patients: pd.DataFrame, min_positive: int) -> dict[str, Any]:
    columns = [c for c in patients.columns if c != "patient"]
    gains = patients[patients["her2_gain_in_ctcs"] == "true"]
    if len(gains):
        lines = ["<strong>HER2 gain in CTCs</strong> of a HER2-negative primary: "
                 + "; ".join(f"patient {html.escape(str(r.patient))} "
                             f"({html.escape(str(r.her2_positive_ctc_names))})"
                             for r in gains.itertuples()) + "."]
    else:
        lines = ["No patient shows HER2 gain in CTCs of a HER2-negative primary."]
    lines.append(f"A flag needs at least {min_positive} HER2-positive CTC(s), passing QC or noisy with a gain "
                 "beyond their noise. "
                 "The evidence of every call is in the discordance and status tables below.")
    return table_section("ctc_patients", "Patient summary", " ".join(lines), patients,
                         "patient", columns, PATIENT_DESCRIPTIONS)


STATUS_SHOWN = [
    "patient", "type", "identity", "purity", "cn_qc", "qc_reason", "her2_status", "her2_group", "erbb2_cn",
    "chr17_ref_cn", "her2_ratio", "erbb2_z", "erbb2_detectable_cn", "egfr_status", "egfr_mutations", "egfr_cn",
    "egfr_amplified", "egfr_z", "egfr_detectable_cn", "egfr_unresolved_hotspots", "ploidy", "reads", "mapd", "ado_rate",
    "reference",
]


CLONE_SHOWN = ["patient", "clone", "cells", "members", "her2_status", "her2_counts", "egfr_amplified", "relation",
               "shared_events", "private_events", "lost_events", "note"]


def clones_section(clones: pd.DataFrame) -> dict[str, Any]:
    """Every patient's copy-number clones of its QC-passing CTCs."""
    shown = clones.reindex(columns=CLONE_SHOWN)
    return table_section(
        "ctc_clones", "CTC clones",
        "Each patient's QC-passing CTCs clustered by their copy-number profiles (average linkage, cut where "
        "cells differ on 5% of the genome; opposed HER2 or EGFR amplification calls set cells further apart): "
        "per clone its cells, its HER2 and EGFR calls, and its events against the primary's "
        "(<code>shared</code>, the clone's <code>private</code> ones, and the primary's <code>lost</code> in it).",
        shown.assign(row=shown["patient"].astype(str) + " · " + shown["clone"].astype(str)), "row", CLONE_SHOWN,
        {"relation": "like the primary (differs on under 5% of the genome), a subclone of the primary (carries "
         "most of its events and adds its own), unrelated to it, or no primary",
         "her2_counts": "the members' own HER2 calls"},
    )


def status_section(status: pd.DataFrame) -> dict[str, Any]:
    return table_section(
        "ctc_status", "HER2 and EGFR status per sample",
        "HER2 status from copy number as a dual-probe ISH test reads it (ASCO/CAP 2018 "
        "groups; groups 3 and 4 are reported equivocal). A cell is <code>negative</code> only when "
        "its own detection limit (erbb2_detectable_cn) is at most copy_number.max_detectable_cn "
        "copies; above it <code>indeterminate</code>, and the same for EGFR amplification. EGFR: "
        "hotspot mutations and amplification; <code>not_detected</code> means nothing was seen but "
        "allelic dropout, missing coverage or an indeterminate amplification call leaves it open.",
        status, "sample", [c for c in STATUS_SHOWN if c in status.columns],
        {"purity": "tumour purity of a bulk sample from the sample sheet; where it is empty the copy "
         "number is read at purity 1, and a low-purity HER2-positive primary can read negative",
         "her2_group": "ASCO/CAP 2018 dual-probe ISH group", "chr17_ref_cn":
         "copy number of the chr17 reference region (CEP17-like)",
         "identity": "whether the sample's reads at the run's germline SNPs are its patient's "
         "(match), another patient's or nobody's in the run (mismatch: left out of the patient's flags), "
         "or cannot tell (not_assessable, with the reason)",
         "erbb2_detectable_cn": "cells not called HER2-positive: the smallest HER2-positive ERBB2 "
         "copy number over an amplicon of copy_number.detection_limit.amplicon_bp (default 1 Mb) "
         "that this cell's profile would have called positive at the gene and at 20 other places of "
         "chr17 (the largest of them); a negative call rules out only gains this large",
         "egfr_detectable_cn": "cells not called EGFR-amplified: the smallest EGFR copy number "
         "over an amplicon of the same length that this cell's profile would have called amplified "
         "(copy_number.egfr_min_fold times the ploidy, default 1.6)",
         "egfr_unresolved_hotspots": "EGFR hotspots with dropout possible or no coverage",
         "cn_qc": "pass; noisy: the profile failed on MAPD or Gini alone, with enough reads, so only its "
         "ERBB2/EGFR calls that beat its own noise or detection limit stand; fail",
         "erbb2_z": "how far the bins around ERBB2 stand above the chr17 reference, in units of the spread "
         "of same-length runs of bins in this cell; a noisy cell keeps a gain only at "
         "copy_number.noisy_cell_min_z (default 4) or more",
         "egfr_z": "how far the bins around EGFR stand above the genome's median level, in the same units",
         "reference": "the samples the copy-number ratio is to (the patient's WBCs or bulk "
         "normals), or self where that ratio was the less noisy or there was none"},
    )


def _quiet(discordance: pd.DataFrame) -> pd.Series:
    """Hotspot comparisons with no mutation on either side: they say nothing."""
    mutation = ~discordance["feature"].isin(["HER2", "EGFR_amplification"])
    return mutation & (discordance["call"] == "concordant") & (discordance["ctc_value"] != "present")


def discordance_section(discordance: pd.DataFrame) -> dict[str, Any]:
    """Every HER2 and EGFR amplification comparison, and the mutation
    comparisons where something was seen or could not be assessed."""
    quiet = _quiet(discordance)
    shown = discordance[~quiet]
    columns = ["patient", "ctc", "feature", "call", "primary_value", "ctc_value",
               "primary_evidence", "ctc_evidence", "note"]
    return table_section(
        "ctc_discordance", "CTC versus primary discordance",
        f"One row per CTC and feature; {int(quiet.sum())} hotspot comparisons with no "
        "mutation on either side are left out here (all are in results/discordance.tsv). "
        "A mutation of the primary not seen in a cell where allelic dropout is possible is "
        "<code>not_assessable</code>, never <code>loss</code>.",
        shown.assign(row=shown["ctc"] + " · " + shown["feature"]), "row", columns,
    )


def discordance_matrix_section(discordance: pd.DataFrame) -> dict[str, Any]:
    """One row per CTC, one column per feature, the call in each cell: HER2,
    EGFR amplification, and every hotspot that any CTC shows or that differs
    anywhere (a hotspot concordant-absent in every CTC adds nothing)."""
    shown = set(discordance.loc[~_quiet(discordance), "feature"]) | {"HER2", "EGFR_amplification"}
    features = [f for f in dict.fromkeys(discordance["feature"]) if f in shown]
    matrix = (discordance.assign(CTC=discordance["patient"] + " · " + discordance["ctc"])
              .pivot_table(index="CTC", columns="feature", values="call", aggfunc="first", sort=False)
              .reindex(columns=features).reset_index())
    return table_section(
        "ctc_discordance_matrix", "Discordance at a glance",
        "Each CTC against its primary, feature by feature: <code>gain</code> (in the CTC, not the primary), "
        "<code>loss</code>, <code>concordant</code> or not assessable (failed QC, no primary call, "
        "dropout that cannot be excluded, an indeterminate cell). The evidence of every cell is in the "
        "discordance table below.",
        matrix, "CTC", features, titles={f: f.replace("_", " ") for f in features},
        categorical=set(features))


def _limit_colours(limit: float, fails_above: bool) -> dict[str, list[dict[str, Any]]]:
    """MultiQC's colour rules for a QC value against its limit: red past it, green within."""
    over, within = [{"gt": limit}], [{"lt": limit}, {"eq": limit}]
    if fails_above:
        return {"fail": over, "pass": within}
    return {"fail": [{"lt": limit}], "pass": [{"gt": limit}, {"eq": limit}]}


def cell_qc_generalstats(status: pd.DataFrame, qc: dict[str, float]) -> dict[str, Any]:
    """Per-sample QC columns added to General Statistics, coloured by the
    configured thresholds (`copy_number.qc`: pass green, fail red)."""
    data = {}
    for row in status.itertuples(index=False):
        data[row.sample] = {
            "cn_reads": _plain(row.reads), "median_reads_per_bin": _plain(row.median_reads_per_bin),
            "mapd": _plain(row.mapd), "gini": _plain(row.gini),
            "ado_rate": _plain(row.ado_rate), "cn_qc": _plain(row.cn_qc),
            "her2_status": row.her2_status,
        }
    minimum, max_mapd, max_gini = qc["min_median_reads_per_bin"], qc["max_mapd"], qc["max_gini"]
    return {
        "id": "ctc_cell_qc",
        "plot_type": "generalstats",
        "pconfig": [
            {"cn_reads": {"title": "CN reads", "description": "reads counted in copy-number bins",
                          "format": "{:,.0f}", "scale": "Blues"}},
            {"median_reads_per_bin": {"title": "reads/bin", "description": "median reads per usable "
                                      f"copy-number bin; below {minimum:g} the profile fails",
                                      "format": "{:,.0f}", "scale": False,
                                      "cond_formatting_rules": _limit_colours(minimum, fails_above=False)}},
            {"mapd": {"title": "MAPD", "description": "median absolute pairwise difference "
                      f"of log2 ratios of neighbouring bins; above {max_mapd:g} the profile fails "
                      "(a cell is then noisy: only its gene calls that beat its noise count)",
                      "scale": False, "format": "{:.3f}",
                      "cond_formatting_rules": _limit_colours(max_mapd, fails_above=True)}},
            {"gini": {"title": "Gini", "description": f"Gini coefficient of bin counts; above {max_gini:g} "
                      "the profile fails", "scale": False, "format": "{:.3f}",
                      "cond_formatting_rules": _limit_colours(max_gini, fails_above=True)}},
            {"ado_rate": {"title": "ADO", "description": "allelic dropout rate at the "
                          "WBC-heterozygous germline sites", "max": 1, "min": 0,
                          "scale": "RdYlGn-rev", "format": "{:.2f}"}},
            {"cn_qc": {"title": "CN QC", "description": "copy-number QC: pass, noisy (MAPD or Gini "
                       "alone failed), fail", "scale": False,
                       "cond_formatting_rules": {"pass": [{"s_eq": "pass"}], "warn": [{"s_eq": "noisy"}],
                                                 "fail": [{"s_eq": "fail"}]}}},
            {"her2_status": {"title": "HER2"}},
        ],
        "data": data,
    }


def hotspot_depth_section(hotspots: pd.DataFrame, min_depth: int) -> dict[str, Any]:
    """What each hotspot's call stands on: reads over it per sample (rows)
    and hotspot (columns, GENE:protein), red below `variants.min_depth`."""
    data: dict[str, dict[str, Any]] = {}
    headers: dict[str, dict[str, Any]] = {}
    for row in hotspots.itertuples(index=False):
        key = f"{row.gene}:{row.protein_change}"
        headers.setdefault(key, {"title": key, "format": "{:,.0f}", "scale": False,
                                 "description": f"reads over {key} (alt reads: the discordance evidence); "
                                 f"below {min_depth} no call stands on them",
                                 "cond_formatting_rules": _limit_colours(min_depth, fails_above=False)})
        data.setdefault(str(row.sample), {})[key] = _plain(pd.to_numeric(row.depth, errors="coerce"))
    return {
        "id": "ctc_hotspot_depth",
        "section_name": "Reads at each hotspot",
        "description": "The reads each hotspot's genotype in each sample stands on, from the BAMs "
        f"(variants.min_depth: {min_depth}). A CTC's wildtype or dropout call at few reads excludes little.",
        "plot_type": "table",
        "pconfig": {"id": "ctc_hotspot_depth_table", "title": "Reads at each hotspot", "col1_header": "sample",
                    "sort_rows": False},
        "headers": headers,
        "data": data,
    }


def run_time_section(table: pd.DataFrame) -> dict[str, Any]:
    """Wall, CPU and memory per step, from the jobs' benchmark files (`run_time`)."""
    total = float(table["wall_s"].sum()) if len(table) else 0.0
    jobs = int(table["jobs"].sum()) if len(table) else 0
    return {
        "id": "ctc_run_time",
        "section_name": "Run time",
        "description": f"Where the run's time went: {len(table)} steps, {jobs} "
        f"jobs finished before this report was written, {total:,.0f} s of job wall time in all (on several "
        "cores at once, the run's own wall time is less; time outside any job is not here). From "
        "results/benchmarks/; a step is a rule's file name with the sample or patient in it replaced.",
        "plot_type": "table",
        "pconfig": {"id": "ctc_run_time_table", "title": "Run time", "col1_header": "step", "sort_rows": False},
        "headers": {
            "jobs": {"title": "jobs", "format": "{:,.0f}", "scale": False},
            "wall_s": {"title": "wall s", "description": "summed wall seconds of the step's jobs",
                       "format": "{:,.1f}", "scale": "Oranges"},
            "max_wall_s": {"title": "longest job s", "format": "{:,.1f}", "scale": False},
            "cpu_s": {"title": "CPU s", "description": "summed CPU seconds", "format": "{:,.1f}", "scale": False},
            "max_rss_mb": {"title": "max memory MB", "description": "largest resident memory of one job "
                           "(the rule's mem_mb should exceed it)", "format": "{:,.0f}", "scale": False},
        },
        "data": {row.step: {c: _plain(getattr(row, c)) for c in ("jobs", "wall_s", "max_wall_s", "cpu_s", "max_rss_mb")}
                 for row in table.itertuples(index=False)},
    }


def gene_copy_number_section(status: pd.DataFrame) -> dict[str, Any]:
    data = {
        row.sample: {"ERBB2": _plain(row.erbb2_cn), "EGFR": _plain(row.egfr_cn)}
        for row in status.itertuples(index=False)
        if isinstance(row.erbb2_cn, (int, float)) and not math.isnan(row.erbb2_cn)
    }
    return {
        "id": "ctc_gene_copy_number",
        "section_name": "ERBB2 and EGFR copy number",
        "description": "Absolute copy number per sample (integer in single cells, purity-"
        "corrected estimate in bulk). ASCO/CAP 2018: 4 or more ERBB2 copies at a HER2/chr17 ratio of 2 "
        "or more are HER2-positive; 6 or more at a lower ratio are equivocal (group 3).",
        "plot_type": "bargraph",
        "pconfig": {"id": "ctc_gene_copy_number_plot", "title": "ERBB2 and EGFR copy number",
                    "ylab": "copy number", "stacking": "group", "cpswitch": False,
                    "tt_decimals": 1},
        "categories": {"ERBB2": {"name": "ERBB2", "color": "#d62728"},
                       "EGFR": {"name": "EGFR", "color": "#1f77b4"}},
        "data": data,
    }


def profile_order(status: pd.DataFrame, samples: list[str]) -> list[str]:
    """Samples whose profile a reader wants first: a gain called (HER2
    positive or equivocal, EGFR amplified), then an indeterminate call, then
    the rest, each in sheet order."""
    rows = status.set_index("sample") if len(status) else pd.DataFrame()

    def rank(sample: str) -> int:
        if sample not in rows.index:
            return 2
        row = rows.loc[sample]
        if row.get("her2_status") in ("positive", "equivocal") or str(row.get("egfr_amplified")) == "true":
            return 0
        if "indeterminate" in (row.get("her2_status"), str(row.get("egfr_amplified"))):
            return 1
        return 2

    return sorted(samples, key=rank)  # stable: sheet order within a rank


def image_gallery(section_id: str, name: str, description: str,
                  images: list[tuple[str, Path]], inline: int | None = None,
                  report_dir: Path | None = None) -> str:
    """An HTML section of PNGs: the first `inline` (all when None) embedded
    in the report, the rest linked by their path from `report_dir`, so a
    report of a thousand cells stays small enough to open."""
    inline = len(images) if inline is None else inline
    figures = []
    for caption, path in images[:inline]:
        encoded = base64.b64encode(Path(path).read_bytes()).decode()
        figures.append(
            f'<figure style="margin:0 0 1.5em 0"><figcaption><strong>{html.escape(caption)}'
            f'</strong></figcaption><img style="max-width:100%" alt="{html.escape(caption)}" '
            f'src="data:image/png;base64,{encoded}"/></figure>'
        )
    linked = images[inline:]
    if linked:
        links = ", ".join(
            f'<a href="{html.escape(os.path.relpath(path, report_dir or Path(path).parent))}">'
            f"{html.escape(caption)}</a>" for caption, path in linked)
        figures.append(f"<p>{len(linked)} more, as files beside the report (copy the results folder "
                       f"with the report to keep them): {links}</p>")
        description += f" The first {inline} are shown here."
    header = yaml.safe_dump({"id": section_id, "section_name": name,
                             "description": description}, sort_keys=False)
    # MultiQC reads the section's settings from a YAML header in an HTML comment.
    return f"<!--\n{header}-->\n" + "\n".join(figures) + "\n"


def workflow_summary(settings: dict[str, Any], version: str, date: str) -> dict[str, Any]:
    """Version, date and every configuration value that changes a call."""
    flat = {"workflow version": version, "run date": date}
    for key, value in _flatten(settings).items():
        flat[key] = value if not isinstance(value, (list, dict)) else str(value)
    return {
        "id": "ctc_workflow_summary",
        "section_name": "Workflow summary",
        "description": "What produced this report: the workflow version and the "
        "configuration values that change calls.",
        "plot_type": "table",
        "pconfig": {"id": "ctc_workflow_summary_table", "col1_header": "setting",
                    "sort_rows": False},
        "headers": {"value": {"title": "value"}},
        "data": {k: {"value": _plain(v) if v is not None else "none"} for k, v in flat.items()},
    }


def workflow_version(directory: str | Path) -> str:
    """The checkout's commit (-dirty with local changes), else 'unknown'."""
    try:
        return subprocess.run(
            ["git", "-C", str(directory), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _flatten(settings: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def write_yaml(section: dict[str, Any], path: Path | str) -> None:
    write_text(yaml.safe_dump(section, sort_keys=False, allow_unicode=True), path)
