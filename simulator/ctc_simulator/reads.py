"""From molecules to reads: haplotype sequence (with indels and WGA errors),
strand, adapter read-through, chimeras, the junk of failed amplifications,
base qualities and sequencing errors.

Everything is computed on (n_reads, read_length) byte matrices; only the few
molecules that cross an indel or carry an amplification error are rebuilt one
by one.
"""

from __future__ import annotations

import numpy as np

from .genome import complement
from .sampling import Molecules
from .spec import QualityModel
from .variants import Haplotype
from .wga import Amplification

# TruSeq adapters as read after the insert: adapter, index, flow-cell oligo,
# then a run of A where the cluster ends.
ADAPTER_READ1 = (
    "AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC" + "ATCACG" + "ATCTCGTATGCCGTCTTCTGCTTG"
)
ADAPTER_READ2 = "AGATCGGAAGAGCGTCGTGTAGGGAAAGAGTGT" + "AGATCTCGGTGGTCGCCGTATCATT"
ACGT = np.frombuffer(b"ACGT", dtype=np.uint8)
ERROR_PROBABILITY = (10.0 ** (-np.arange(94) / 10.0)).astype(np.float32)
INDEL_REACH_BP = 200  # indels anchored this far upstream may still reach a molecule


def adapter_codes(adapter: str, read_length: int) -> np.ndarray:
    padded = adapter + "A" * max(0, read_length - len(adapter))
    return np.frombuffer(padded.encode(), dtype=np.uint8)


def _pairs_in_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (row, index) with lo[row] <= index < hi[row]."""
    counts = hi - lo
    rows = np.repeat(np.arange(lo.size), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return rows, lo[rows] + np.arange(rows.size) - first


def haplotype_segment(
    haplotype: Haplotype, start: int, length: int, edits: list[tuple[int, int]]
) -> np.ndarray:
    """`length` bases of a haplotype starting at reference position `start`,
    with point edits (global position, ASCII base) and the haplotype's indels."""
    lo = int(np.searchsorted(haplotype.indel_anchors, start - INDEL_REACH_BP))
    hi = int(np.searchsorted(haplotype.indel_anchors, start + length))
    indels = haplotype.indels[lo:hi]
    deleted = sum(max(0, len(ref) - len(alt)) for _, ref, alt in indels)
    window_end = min(start + length + deleted, haplotype.sequence.size)
    window = bytearray(haplotype.sequence[start:window_end].tobytes())
    for pos, base in edits:
        window[pos - start] = base
    out = bytearray()
    cursor = start
    for anchor, ref, alt in indels:
        gap_start, gap_end = anchor + 1, anchor + len(ref)
        if gap_start < cursor:  # begins before the molecule
            cursor = max(cursor, gap_end)
            continue
        if gap_start >= window_end:
            break
        out += window[cursor - start : gap_start - start]
        out += alt[1:].encode()
        cursor = gap_end
    if cursor < window_end:
        out += window[cursor - start :]
    out = out[:length]
    if len(out) < length:  # only at a chromosome end
        out += b"N" * (length - len(out))
    return np.frombuffer(bytes(out), dtype=np.uint8)


class ReadBuilder:
    def __init__(
        self,
        haplotypes: list[tuple[Haplotype, Haplotype]],
        amplification: Amplification,
        read_length: int,
        paired: bool,
    ) -> None:
        self.haplotypes = haplotypes
        self.amplification = amplification
        self.read_length = read_length
        self.paired = paired
        self.adapter1 = adapter_codes(ADAPTER_READ1, read_length)
        self.adapter2 = adapter_codes(ADAPTER_READ2, read_length)

    def _error_edits(
        self, mol: Molecules, rng: np.random.Generator
    ) -> dict[int, list[tuple[int, int]]]:
        """Amplification errors each molecule inherited: a site is carried by a
        molecule of the erroneous haplotype with the site's fraction."""
        amp = self.amplification
        edits: dict[int, list[tuple[int, int]]] = {}
        if amp.error_pos.size == 0:
            return edits
        lo = np.searchsorted(amp.error_pos, mol.start)
        hi = np.searchsorted(amp.error_pos, mol.start + mol.length)
        rows, sites = _pairs_in_ranges(lo, hi)
        carried = (amp.error_hap[sites] == mol.hap[rows]) & (
            rng.random(rows.size) < amp.error_fraction[sites]
        )
        for row, site in zip(rows[carried].tolist(), sites[carried].tolist()):
            edits.setdefault(row, []).append(
                (int(amp.error_pos[site]), int(amp.error_alt[site]))
            )
        return edits

    def _indel_rows(self, mol: Molecules) -> set[int]:
        rows: set[int] = set()
        for s, pair in enumerate(self.haplotypes):
            for h in (0, 1):
                anchors = pair[h].indel_anchors
                if anchors.size == 0:
                    continue
                lo = np.searchsorted(anchors, mol.start - INDEL_REACH_BP)
                hi = np.searchsorted(anchors, mol.start + mol.length)
                hit = (hi > lo) & (mol.source == s) & (mol.hap == h)
                rows.update(np.flatnonzero(hit).tolist())
        return rows

    def strands(
        self, mol: Molecules, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """First read_length bases of each strand (top: 5'->3' from the start;
        bottom: reverse complement from the end). Bases past a short insert
        are placeholders, overwritten by the adapter later."""
        n, length = len(mol), self.read_length
        within = np.minimum(np.arange(length)[None, :], mol.length[:, None] - 1)
        top_index = mol.start[:, None] + within
        bottom_index = (mol.start + mol.length - 1)[:, None] - within
        top = np.empty((n, length), dtype=np.uint8)
        bottom = np.empty((n, length), dtype=np.uint8)
        for s, pair in enumerate(self.haplotypes):
            for h in (0, 1):
                rows = np.flatnonzero((mol.source == s) & (mol.hap == h))
                if rows.size:
                    top[rows] = pair[h].sequence[top_index[rows]]
                    bottom[rows] = pair[h].sequence[bottom_index[rows]]
        edits = self._error_edits(mol, rng)
        for row in sorted(set(edits) | self._indel_rows(mol)):
            hap = self.haplotypes[int(mol.source[row])][int(mol.hap[row])]
            size = int(mol.length[row])
            segment = haplotype_segment(
                hap, int(mol.start[row]), size, edits.get(row, [])
            )
            top[row] = segment[within[row]]
            bottom[row] = segment[size - 1 - within[row]]
        return top, complement(bottom)

    def reads(
        self, mol: Molecules, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Read 1 (and read 2) of each molecule, adapters included."""
        top, bottom = self.strands(mol, rng)
        flip = mol.reverse[:, None]
        read1 = np.where(flip, bottom, top)
        add_adapters(read1, mol.length, self.adapter1)
        if not self.paired:
            return read1, None
        read2 = np.where(flip, top, bottom)
        add_adapters(read2, mol.length, self.adapter2)
        return read1, read2


def add_adapters(reads: np.ndarray, insert: np.ndarray, adapter: np.ndarray) -> None:
    """Where the insert is shorter than the read, the read runs into the adapter."""
    short = np.flatnonzero(insert < reads.shape[1])
    if short.size == 0:
        return
    past = np.arange(reads.shape[1])[None, :] - insert[short, None]
    rows = reads[short]
    rows[past >= 0] = adapter[past[past >= 0]]
    reads[short] = rows


def splice_chimeras(
    read1: np.ndarray,
    read2: np.ndarray | None,
    partner1: np.ndarray,
    partner2: np.ndarray | None,
    rows: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Chimeric molecules join two loci: a single-end read switches to the
    partner locus part-way; a pair's read 2 comes from the partner."""
    if rows.size == 0:
        return
    length = read1.shape[1]
    if read2 is None or partner2 is None:
        junction = rng.integers(length // 4, 3 * length // 4, rows.size)
        for row, cut, partner in zip(rows, junction, partner1):
            read1[row, cut:] = partner[: length - cut]
    else:
        read2[rows] = partner2


DIMER_SHARE = 0.7  # of a failed cell's junk reads; the rest are unmappable artefacts


def replace_with_junk(
    reads: list[np.ndarray], rows: np.ndarray, rng: np.random.Generator
) -> None:
    """Turn `rows` of read 1 (and read 2) into what a failed amplification
    yields: adapter dimers (adapters ligated with no insert between them, so
    each read is the adapter from its first base) or artefacts that map
    nowhere (primer concatemers, contamination: random sequence here)."""
    if rows.size == 0:
        return
    length = reads[0].shape[1]
    dimer = rng.random(rows.size) < DIMER_SHARE
    artefact = rows[~dimer]
    adapters = (
        adapter_codes(ADAPTER_READ1, length),
        adapter_codes(ADAPTER_READ2, length),
    )
    for read, adapter in zip(reads, adapters):
        read[rows[dimer]] = adapter
        read[artefact] = ACGT[rng.integers(0, 4, (artefact.size, length))]


def base_qualities(
    n: int, length: int, read_number: int, model: QualityModel, rng: np.random.Generator
) -> np.ndarray:
    """Phred scores, (n, length) uint8."""
    cycle = np.arange(length) / max(1, length - 1)
    mean = model.start_q + (model.end_q - model.start_q) * cycle**2
    if read_number == 2:
        mean = mean + model.read2_offset
    q = mean[None, :] + rng.normal(0.0, model.read_sd, (n, 1))
    q = q + rng.standard_normal((n, length), dtype=np.float32) * model.base_sd
    tails = np.flatnonzero(rng.random(n) < model.tail_rate)
    if tails.size:
        tail_start = rng.integers(int(0.6 * length), length, tails.size)
        in_tail = np.arange(length)[None, :] >= tail_start[:, None]
        low = rng.integers(model.min_q, model.tail_q_max + 1, (tails.size, length))
        q[tails] = np.where(in_tail, low, q[tails])
    return np.clip(np.rint(q), model.min_q, model.max_q).astype(np.uint8)


def sequencing_errors(
    reads: np.ndarray, phred: np.ndarray, model: QualityModel, rng: np.random.Generator
) -> None:
    """Substitute bases with the error probability their quality states; the
    lowest-quality calls become N."""
    hit = rng.random(reads.shape, dtype=np.float32) < ERROR_PROBABILITY[phred]
    rows, cols = np.nonzero(hit)
    current = np.searchsorted(ACGT, reads[rows, cols])
    reads[rows, cols] = ACGT[(current + rng.integers(1, 4, rows.size)) % 4]
    reads[phred <= model.min_q] = ord("N")
