"""Copy-number figures: one sample's genome-wide profile with the genes of
interest marked, and a heatmap of all samples of a patient."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

MARKED_GENES = ("ERBB2", "EGFR")
MAX_CN_SHOWN = 10
# one colour per copy number, neutral at 2: losses blue, gains red
CN_COLOURS = ["#2166ac", "#92c5de", "#f7f7f7", "#fddbc7", "#f4a582", "#e7826a", "#d6604d",
              "#c43c39", "#b2182b", "#8e0d25", "#67001f"]


def genome_positions(bins: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """Bin midpoints on one genome-wide axis, and each chromosome's (name, start, end)."""
    offsets, spans, offset = {}, [], 0.0
    for chrom, group in bins.groupby("chrom", sort=False):
        length = float(group["end"].max())
        offsets[chrom] = offset
        spans.append((chrom, offset, offset + length))
        offset += length
    mids = (bins["start"] + bins["end"]) / 2 + bins["chrom"].map(offsets)
    return mids.to_numpy(), spans


def plot_profile(bins: pd.DataFrame, genes: pd.DataFrame, title: str, path: Path | str) -> None:
    x, spans = genome_positions(bins)
    offsets = {chrom: start for chrom, start, _ in spans}
    use = bins["use"].to_numpy(dtype=bool)
    estimate = bins["cn_bin"].to_numpy()
    fig, ax = plt.subplots(figsize=(12, 3.6), dpi=110)
    ax.scatter(x[use], np.clip(estimate[use], 0, MAX_CN_SHOWN), s=4, color="#8a8a8a", lw=0, label="bin")
    called = np.clip(bins["cn"].to_numpy()[use], 0, MAX_CN_SHOWN)
    ax.plot(x[use], called, ".", ms=2.5, color="#c0392b", label="copy number")
    for i, (chrom, start, end) in enumerate(spans):
        if i % 2:
            ax.axvspan(start, end, color="#f2f2f2", zorder=-1)
        ax.text((start + end) / 2, MAX_CN_SHOWN + 0.2, chrom.removeprefix("chr"), ha="center", fontsize=7)
    for gene in genes[genes["name"].isin(MARKED_GENES)].itertuples():
        if gene.chrom in offsets:
            ax.axvline(offsets[gene.chrom] + gene.start, color="#2e86c1", lw=0.8, ls="--")
            ax.text(offsets[gene.chrom] + gene.start, MAX_CN_SHOWN - 0.6, f" {gene.name}", color="#2e86c1", fontsize=8)
    ax.set_xlim(0, spans[-1][2])
    ax.set_ylim(-0.2, MAX_CN_SHOWN + 0.8)
    ax.set_ylabel("copy number")
    ax.set_xticks([])
    ax.set_title(title, fontsize=10, loc="left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_heatmap(profiles: list[tuple[str, pd.DataFrame]], genes: pd.DataFrame, title: str,
                 path: Path | str) -> None:
    """Rows are samples, columns bins, colour the integer copy number."""
    x, spans = genome_positions(profiles[0][1])
    matrix = np.vstack([np.where(b["use"], b["cn"], np.nan) for _, b in profiles])
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.35 * len(profiles)), dpi=110)
    cmap = matplotlib.colors.ListedColormap(CN_COLOURS)
    cmap.set_bad("#dddddd")
    image = ax.imshow(np.clip(matrix, 0, MAX_CN_SHOWN), aspect="auto", cmap=cmap, vmin=-0.5,
                      vmax=MAX_CN_SHOWN + 0.5, interpolation="nearest")
    ax.set_yticks(range(len(profiles)), [name for name, _ in profiles], fontsize=8)
    bounds = np.searchsorted(x, [start for _, start, _ in spans])
    for b in bounds[1:]:
        ax.axvline(b - 0.5, color="black", lw=0.4)
    ax.set_xticks([(lo + hi) / 2 for lo, hi in zip(bounds, list(bounds[1:]) + [len(x)])],
                  [c.removeprefix("chr") for c, _, _ in spans], fontsize=7)
    ax.set_title(title, fontsize=10, loc="left")
    fig.colorbar(image, ax=ax, label="copy number", ticks=range(0, MAX_CN_SHOWN + 1, 2), pad=0.01)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
