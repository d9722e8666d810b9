"""Copy-number figures: one sample's genome-wide profile with the genes of
interest marked and chr17 and chr7 drawn large beneath it, and a heatmap of
all samples of a patient."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

MARKED_GENES = ("ERBB2", "EGFR")
# the zoom panels: a chromosome, the genes marked on it and its reference region
ZOOMS = (("chr17", ("ERBB2", "TOP2A"), "chr17_ref"), ("chr7", ("EGFR",), "chr7_ref"))
MAX_CN_SHOWN = 10  # higher copy numbers are drawn at the top, marked as above the scale
NEUTRAL_CN = 2
# heatmap columns: about the pixels of the axes, so no bin is dropped in drawing
MAX_COLUMNS = 1000
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


def columns_by_deviation(matrix: np.ndarray, columns: int = MAX_COLUMNS,
                         neutral: float = NEUTRAL_CN) -> tuple[np.ndarray, np.ndarray]:
    """At most `columns` columns of a samples x bins matrix, each holding per
    sample the value of its bins farthest from `neutral`: a one-bin amplicon
    among 6,000 bins stays visible however the image is scaled (nearest
    neighbour drawing shows one bin in every few). Also the first bin of each
    column, to place chromosome boundaries."""
    bins = matrix.shape[1]
    if bins <= columns:
        return matrix, np.arange(bins)
    starts = np.linspace(0, bins, columns + 1).astype(int)[:-1]
    deviation = np.nan_to_num(np.abs(matrix - neutral), nan=-1.0)  # a masked bin is never the farthest
    out = np.full((matrix.shape[0], columns), np.nan)
    for column, (lo, hi) in enumerate(zip(starts, list(starts[1:]) + [bins])):
        block = deviation[:, lo:hi]
        farthest = block.argmax(axis=1)
        values = matrix[np.arange(matrix.shape[0]), lo + farthest]
        out[:, column] = np.where(block.max(axis=1) >= 0, values, np.nan)
    return out, starts


def draw_copy_number(ax: plt.Axes, x: np.ndarray, bins: pd.DataFrame, legend: bool = True) -> None:
    """Bins (grey) and their segments' copy number (red) at x; copy numbers
    above the scale drawn at its top as triangles; the legend once a figure."""
    use = bins["use"].to_numpy(dtype=bool)
    estimate = bins["cn_bin"].to_numpy()
    ax.scatter(x[use], np.clip(estimate[use], 0, MAX_CN_SHOWN), s=4, color="#8a8a8a", lw=0, label="bin")
    called = np.clip(bins["cn"].to_numpy()[use], 0, MAX_CN_SHOWN)
    ax.plot(x[use], called, ".", ms=2.5, color="#c0392b", label="copy number")
    above = use & (bins["cn"].to_numpy() > MAX_CN_SHOWN)
    if above.any():
        ax.plot(x[above], np.full(above.sum(), MAX_CN_SHOWN), "^", ms=5, color="#c0392b",
                label=f"copy number above {MAX_CN_SHOWN}")
    if legend:
        ax.legend(loc="upper right", fontsize=7, frameon=False)
    ax.set_ylim(-0.2, MAX_CN_SHOWN + 0.8)
    ax.set_ylabel("copy number")


def draw_zoom(ax: plt.Axes, bins: pd.DataFrame, genes: pd.DataFrame, regions: pd.DataFrame | None,
              chrom: str, marked: tuple[str, ...], reference: str) -> None:
    """One chromosome at its own scale (Mb), its genes of interest marked and
    its reference region shaded."""
    mine = bins[bins["chrom"] == chrom]
    draw_copy_number(ax, ((mine["start"] + mine["end"]) / 2e6).to_numpy(), mine, legend=False)
    if regions is not None:
        for region in regions[(regions["chrom"] == chrom) & (regions["name"] == reference)].itertuples():
            ax.axvspan(region.start / 1e6, region.end / 1e6, color="#d5e8d4", zorder=-1)
            ax.text(region.start / 1e6, MAX_CN_SHOWN + 0.2, f"{reference} (reference)", fontsize=7)
    for gene in genes[(genes["chrom"] == chrom) & genes["name"].isin(marked)].itertuples():
        ax.axvline(gene.start / 1e6, color="#2e86c1", lw=0.8, ls="--")
        ax.text(gene.start / 1e6, MAX_CN_SHOWN - 0.6 - 0.9 * marked.index(gene.name), f" {gene.name}",
                color="#2e86c1", fontsize=8)
    ax.set_xlim(0, mine["end"].max() / 1e6)
    ax.set_xlabel(f"{chrom} position (Mb)", fontsize=8)
    ax.tick_params(labelsize=7)


def bulk_then_wbcs(types: list[str]) -> list[int]:
    """The heatmap's first rows: bulk samples, then WBCs, each in sheet order."""
    return sorted((i for i, t in enumerate(types) if t != "ctc"), key=lambda i: types[i] == "wbc")


def row_order(types: list[str], profiles: list[pd.DataFrame]) -> list[int]:
    """Heatmap rows: bulk samples, then WBCs, then CTCs next to the CTCs
    whose copy numbers are most alike (average linkage on the mean absolute
    difference of usable bins, leaves in optimal order), so cells sharing an
    event form a block."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import pdist

    first, ctcs = bulk_then_wbcs(types), [i for i, t in enumerate(types) if t == "ctc"]
    if len(ctcs) < 3:
        return first + ctcs
    matrix = np.vstack([np.where(profiles[i]["use"], profiles[i]["cn"], np.nan) for i in ctcs]).astype(float)
    matrix = np.where(np.isfinite(matrix), matrix, NEUTRAL_CN)
    tree = linkage(pdist(matrix, "cityblock") / matrix.shape[1], "average", optimal_ordering=True)
    return first + [ctcs[i] for i in leaves_list(tree)]


def rows_by_clone(types: list[str], names: list[str], clone_order: list[str]) -> list[int]:
    """Heatmap rows: bulk samples, then WBCs, then the CTCs in the clone
    tree's leaf order (`copy_number.clones`: each clone's members together),
    then CTCs outside the clones (failed or noisy profiles) in sheet order."""
    rank = {name: k for k, name in enumerate(clone_order)}
    ctcs = [i for i, t in enumerate(types) if t == "ctc"]
    return bulk_then_wbcs(types) + sorted(ctcs, key=lambda i: (rank.get(names[i], len(rank)), i))


def plot_profile(bins: pd.DataFrame, genes: pd.DataFrame, title: str, path: Path | str,
                 regions: pd.DataFrame | None = None) -> None:
    """The genome-wide profile, and beneath it chr17 and chr7 (those the bins
    hold) with ERBB2, TOP2A and EGFR and the reference regions marked."""
    x, spans = genome_positions(bins)
    offsets = {chrom: start for chrom, start, _ in spans}
    zooms = [zoom for zoom in ZOOMS if zoom[0] in offsets]
    fig = plt.figure(figsize=(12, 6.4 if zooms else 3.6), dpi=110)
    grid = fig.add_gridspec(2 if zooms else 1, max(1, len(zooms)), height_ratios=[1, 1] if zooms else [1])
    ax = fig.add_subplot(grid[0, :])
    draw_copy_number(ax, x, bins)
    for i, (chrom, start, end) in enumerate(spans):
        if i % 2:
            ax.axvspan(start, end, color="#f2f2f2", zorder=-1)
        ax.text((start + end) / 2, MAX_CN_SHOWN + 0.2, chrom.removeprefix("chr"), ha="center", fontsize=7)
    for gene in genes[genes["name"].isin(MARKED_GENES)].itertuples():
        if gene.chrom in offsets:
            ax.axvline(offsets[gene.chrom] + gene.start, color="#2e86c1", lw=0.8, ls="--")
            ax.text(offsets[gene.chrom] + gene.start, MAX_CN_SHOWN - 0.6, f" {gene.name}", color="#2e86c1", fontsize=8)
    ax.set_xlim(0, spans[-1][2])
    ax.set_xticks([])
    ax.set_title(title, fontsize=10, loc="left")
    for column, zoom in enumerate(zooms):
        draw_zoom(fig.add_subplot(grid[1, column]), bins, genes, regions, *zoom)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_no_profile(title: str, reason: str, path: Path | str) -> None:
    """In place of a profile that could not be made: the title and why."""
    fig = plt.figure(figsize=(12, 1.6), dpi=110)
    fig.text(0.01, 0.7, title, fontsize=10)
    fig.text(0.01, 0.3, f"No profile: {reason}", fontsize=10, color="#c0392b")
    fig.savefig(path)
    plt.close(fig)


def tree_linkage(tree: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """A clone tree table (`copy_number.clones.tree_table`) as a scipy
    linkage matrix, and its leaves' names by leaf number."""
    merges = {name: k for k, name in enumerate(tree["merge"])}
    children = [name for pair in zip(tree["left"], tree["right"]) for name in pair]
    leaves = [name for name in children if name not in merges]
    number = {name: k for k, name in enumerate(leaves)}
    number.update({name: len(leaves) + k for name, k in merges.items()})
    matrix = np.array([[number[left], number[right], height, cells] for left, right, height, cells
                       in zip(tree["left"], tree["right"], tree["height"], tree["cells"])], dtype=float)
    return matrix, leaves


def draw_tree(ax: plt.Axes, tree: pd.DataFrame, rows: dict[str, int], cut: float | None) -> None:
    """The clone tree beside the heatmap: each leaf at its cell's row, the
    root to the right, and the cut that makes the clones dashed."""
    from scipy.cluster.hierarchy import dendrogram

    matrix, leaves = tree_linkage(tree)
    drawn = dendrogram(matrix, no_plot=True, labels=leaves)
    # the dendrogram puts leaf k at 5 + 10 k; the heatmap has it at its row
    leaf_rows = [rows[name] for name in drawn["ivl"]]
    places = 5 + 10 * np.arange(len(leaf_rows))
    for xs, ys in zip(drawn["icoord"], drawn["dcoord"]):
        ax.plot(ys, np.interp(xs, places, leaf_rows), color="#34495e", lw=0.9)
    top = max(float(tree["height"].max()), cut or 0) * 1.1 or 1.0
    if cut is not None:
        ax.axvline(cut, color="#c0392b", lw=0.8, ls="--")
        ax.text(cut, min(leaf_rows) - 0.6, " clone cut", color="#c0392b", fontsize=6, va="bottom")
    ax.set_xlim(0, top)
    # the clone distance (copy_number/clones.py): mean difference of relative copy-number levels
    ax.set_xlabel("mean level\ndifference", fontsize=7)
    ax.tick_params(labelsize=6, left=False, labelleft=False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def plot_heatmap(profiles: list[tuple[str, pd.DataFrame]], genes: pd.DataFrame, title: str,
                 path: Path | str, tree: pd.DataFrame | None = None, names: list[str] | None = None,
                 cut: float | None = None) -> None:
    """Rows are samples, columns bins, colour the integer copy number. With
    the CTCs' clone `tree` (and each row's sample `names`), the tree is drawn
    beside their rows, with the `cut` that made the clones."""
    x, spans = genome_positions(profiles[0][1])
    matrix, starts = columns_by_deviation(
        np.vstack([np.where(b["use"], b["cn"], np.nan) for _, b in profiles]).astype(float))
    with_tree = tree is not None and len(tree) > 0 and names is not None
    fig = plt.figure(figsize=(12, 1.2 + 0.35 * len(profiles)), dpi=110)
    grid = fig.add_gridspec(1, 3, width_ratios=[12, 1.4 if with_tree else 0.01, 0.25], wspace=0.02)
    ax = fig.add_subplot(grid[0, 0])
    cmap = matplotlib.colors.ListedColormap(CN_COLOURS).with_extremes(bad="#dddddd")
    image = ax.imshow(np.clip(matrix, 0, MAX_CN_SHOWN), aspect="auto", cmap=cmap, vmin=-0.5,
                      vmax=MAX_CN_SHOWN + 0.5, interpolation="nearest")
    ax.set_yticks(range(len(profiles)), [name for name, _ in profiles], fontsize=8)
    # chromosome boundaries, from bins to the drawn columns
    bounds = np.searchsorted(starts, np.searchsorted(x, [start for _, start, _ in spans]))
    for b in bounds[1:]:
        ax.axvline(b - 0.5, color="black", lw=0.4)
    ax.set_xticks([(lo + hi) / 2 for lo, hi in zip(bounds, list(bounds[1:]) + [matrix.shape[1]])],
                  [c.removeprefix("chr") for c, _, _ in spans], fontsize=7)
    ax.set_title(title, fontsize=10, loc="left")
    if with_tree:
        tree_ax = fig.add_subplot(grid[0, 1], sharey=ax)
        draw_tree(tree_ax, tree, {name: row for row, name in enumerate(names)}, cut)
    bar = fig.colorbar(image, cax=fig.add_subplot(grid[0, 2]), label="copy number",
                       ticks=range(0, MAX_CN_SHOWN + 1, 2))
    bar.ax.set_yticklabels([str(t) for t in range(0, MAX_CN_SHOWN, 2)] + [f"{MAX_CN_SHOWN}+"])
    # the row labels are long: the canvas grows to hold them
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
