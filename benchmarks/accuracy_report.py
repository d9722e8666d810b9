"""The benchmark's outputs: results.tsv (one row per grid point), a printed
table and a PNG of the figures against reads per cell."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from accuracy_score import Fraction  # noqa: E402

TABLE_COLUMNS = (
    ("reads/cell (human-eq.)", "reads_human"),
    ("sim. reads", "reads_simulated"),
    ("kit", "kit"),
    ("ERBB2 CN", "erbb2_cn"),
    ("QC pass", "qc_pass"),
    ("HER2 sens.", "sensitivity"),
    ("HER2 spec.", "specificity"),
    ("CN ±1", "erbb2_cn_within_1"),
    ("failed rejected", "failed_cells_rejected"),
    ("EGFR hotspot", "egfr_hotspot_detection"),
    ("discordance", "discordance_flags"),
)
PLOTTED = (
    ("qc_pass", "cells passing QC"),
    ("sensitivity", "HER2-positive sensitivity"),
    ("specificity", "HER2 specificity"),
    ("amplified_cn_within_1", "amplified cells: ERBB2 CN within ±1"),
    ("sensitivity_ignoring_qc", "sensitivity, QC ignored"),
    ("cn_within_1_ignoring_qc", "ERBB2 CN within ±1, QC ignored"),
)
JITTER = 0.03  # relative x offset between series, so equal values stay visible


def flatten(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Each fraction as value, hits and total columns."""
    flat = []
    for row in rows:
        out: dict[str, object] = {}
        for key, value in row.items():
            if isinstance(value, Fraction):
                out[key] = round(value.value, 4) if value.total else float("nan")
                out[f"{key}_n"] = f"{value.hits}/{value.total}"
            else:
                out[key] = value
        flat.append(out)
    return pd.DataFrame(flat)


def write_results(rows: list[dict[str, object]], path: Path) -> pd.DataFrame:
    table = flatten(rows)
    table.to_csv(path, sep="\t", index=False, float_format="%.4g")
    return table


def _cell(value: object) -> str:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int) and value >= 100_000:
        return f"{value / 1e6:g}M"
    return str(value)


def format_table(rows: list[dict[str, object]], markdown: bool = False) -> str:
    header = [name for name, _ in TABLE_COLUMNS]
    body = [[_cell(row[key]) for _, key in TABLE_COLUMNS] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def plot(table: pd.DataFrame, path: Path, title: str) -> None:
    figure, axes = plt.subplots(2, 3, figsize=(14, 7.5), sharex=True)
    groups = list(table.groupby(["kit", "erbb2_cn"], sort=False))
    for axis, (column, label) in zip(axes.ravel(), PLOTTED):
        for index, ((kit, level), group) in enumerate(groups):
            group = group.sort_values("reads_human")
            shift = 1 + JITTER * (index - (len(groups) - 1) / 2)
            axis.plot(
                group["reads_human"] / 1e6 * shift,
                group[column],
                marker="o" if kit == table["kit"].iloc[0] else "s",
                linestyle="-" if level == table["erbb2_cn"].min() else "--",
                label=f"{kit}, ERBB2 CN {level}",
            )
        axis.set_title(label)
        axis.set_ylim(-0.05, 1.05)
        axis.set_xscale("log")
        axis.grid(alpha=0.3)
    for axis in axes[1]:
        axis.set_xlabel("reads per cell, human-genome equivalent (millions)")
    ticks = sorted(table["reads_human"].unique() / 1e6)
    for axis in axes.ravel():
        axis.set_xticks(ticks)
        axis.set_xticklabels([f"{t:g}" for t in ticks])
        axis.minorticks_off()
    axes[0, 0].legend(fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
