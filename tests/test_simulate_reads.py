"""Reads: sequence from the right haplotype and strand, indels, WGA errors,
adapters, qualities, sequencing errors and the FASTQ writer."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import numpy as np
import pytest

from ctc_simulator.cohort import CohortModel, build_model
from ctc_simulator.design import demo_spec
from ctc_simulator.fastq import FastqWriter
from ctc_simulator.genome import complement
from ctc_simulator.hotspots import Hotspot, reverse_complement
from ctc_simulator.reads import (
    ADAPTER_READ1,
    ADAPTER_READ2,
    ReadBuilder,
    base_qualities,
    sequencing_errors,
    splice_chimeras,
)
from ctc_simulator.sampling import Molecules
from ctc_simulator.spec import QualityModel, shrink
from ctc_simulator.variants import Variant, build_haplotypes
from ctc_simulator.wga import Amplification, kit

TINY = shrink(demo_spec(), ("chr7", "chr17"))
L = 100


@pytest.fixture(scope="module")
def model() -> CohortModel:
    return build_model(TINY, seed=1)


def no_amplification(model: CohortModel) -> Amplification:
    n = model.genome.bin_start.size
    empty = np.zeros(0)
    return Amplification(
        kit("none"),
        np.ones(n),
        np.zeros((2, n), dtype=bool),
        empty.astype(np.int64),
        empty.astype(np.int8),
        empty.astype(np.uint8),
        empty,
    )


def molecules(
    starts: list[int], lengths: list[int], reverse: list[bool], hap: int = 0
) -> Molecules:
    n = len(starts)
    return Molecules(
        np.zeros(n, dtype=np.int8),
        np.full(n, hap, dtype=np.int8),
        np.array(starts, dtype=np.int64),
        np.array(lengths, dtype=np.int64),
        np.array(reverse),
    )


def text(row: np.ndarray) -> str:
    return row.tobytes().decode()


def test_reads_come_from_the_right_strand_and_haplotype(model: CohortModel) -> None:
    genome = model.genome
    patient = model.patients[0]
    haplotypes = build_haplotypes(genome, patient.carried("normal"))
    builder = ReadBuilder([haplotypes], no_amplification(model), L, paired=True)
    rng = np.random.default_rng(0)
    starts = rng.integers(0, genome.length - 1000, 200).tolist()
    mol = molecules(starts, [300] * 200, [i % 2 == 1 for i in range(200)], hap=1)
    read1, read2 = builder.reads(mol, rng)
    assert read2 is not None
    hap_b = haplotypes[1].sequence
    for i, start in enumerate(starts):
        fragment = hap_b[start : start + 300].tobytes().decode()
        top, bottom = fragment[:L], reverse_complement(fragment)[:L]
        expected1, expected2 = (bottom, top) if i % 2 else (top, bottom)
        assert text(read1[i]) == expected1 and text(read2[i]) == expected2
    # Haplotype b carries its germline alleles.
    b_only = [v for v in patient.germline if v.on_haplotype == (False, True)]
    pos = genome.global_pos(b_only[0].chrom, b_only[0].pos - 1)
    assert (
        chr(hap_b[pos]) == b_only[0].alt
        and chr(haplotypes[0].sequence[pos]) == b_only[0].ref
    )


def test_short_inserts_read_into_the_adapter(model: CohortModel) -> None:
    genome = model.genome
    builder = ReadBuilder(
        [build_haplotypes(genome, [])], no_amplification(model), L, paired=True
    )
    mol = molecules([50_000, 60_000], [60, 150], [False, True])
    read1, read2 = builder.reads(mol, np.random.default_rng(0))
    assert read2 is not None
    insert = genome.sequence[50_000:50_060].tobytes().decode()
    assert text(read1[0]) == insert + ADAPTER_READ1[:40]
    assert text(read2[0]) == reverse_complement(insert) + ADAPTER_READ2[:40]
    assert "AGATCGGAAGAGC" not in text(read1[1]) + text(read2[1])


def test_deletion_and_insertion_are_spliced_into_reads(model: CohortModel) -> None:
    genome = model.genome
    spots = {h.key: h for h in model.hotspots}
    deletion, insertion = spots["EGFR:E746_A750del"], spots["EGFR:A767_V769dup"]

    def variant(spot: Hotspot) -> Variant:
        return Variant(
            spot.chrom, spot.pos, spot.ref, spot.alt, "somatic", (True, False)
        )

    haplotypes = build_haplotypes(genome, [variant(deletion), variant(insertion)])
    builder = ReadBuilder([haplotypes], no_amplification(model), L, paired=False)
    anchor_d = genome.global_pos("chr7", deletion.pos - 1)
    anchor_i = genome.global_pos("chr7", insertion.pos - 1)
    mol = Molecules.concat(
        [
            molecules([anchor_d - 40], [300], [False], hap=0),
            molecules([anchor_d - 40], [300], [False], hap=1),
            molecules([anchor_i - 40], [300], [False], hap=0),
        ]
    )
    read1, _ = builder.reads(mol, np.random.default_rng(0))
    ref = genome.sequence
    left = ref[anchor_d - 40 : anchor_d + 1].tobytes().decode()
    after = ref[anchor_d + 16 : anchor_d + 16 + 59].tobytes().decode()
    assert text(read1[0]) == left + after
    assert text(read1[1]) == ref[anchor_d - 40 : anchor_d + 60].tobytes().decode()
    left_i = ref[anchor_i - 40 : anchor_i + 1].tobytes().decode()
    assert text(read1[2]).startswith(
        left_i + "TGGCCAGCG" + ref[anchor_i + 1 : anchor_i + 11].tobytes().decode()
    )


def test_amplification_errors_reach_the_molecules_of_their_haplotype(
    model: CohortModel,
) -> None:
    genome = model.genome
    site = 200_000
    base = genome.sequence[site]
    alt = ord("T") if base != ord("T") else ord("A")
    amplification = dataclasses.replace(
        no_amplification(model),
        error_pos=np.array([site], dtype=np.int64),
        error_hap=np.array([0], dtype=np.int8),
        error_alt=np.array([alt], dtype=np.uint8),
        error_fraction=np.array([1.0]),
    )
    builder = ReadBuilder(
        [build_haplotypes(genome, [])], amplification, L, paired=False
    )
    mol = Molecules.concat(
        [
            molecules([site - 10], [200], [False], hap=0),
            molecules([site - 10], [200], [False], hap=1),
        ]
    )
    read1, _ = builder.reads(mol, np.random.default_rng(0))
    assert read1[0, 10] == alt and read1[1, 10] == base


def test_chimeric_single_end_reads_switch_locus() -> None:
    read1 = np.full((2, 10), ord("A"), dtype=np.uint8)
    partner = np.full((1, 10), ord("C"), dtype=np.uint8)
    splice_chimeras(read1, None, partner, None, np.array([1]), np.random.default_rng(0))
    assert text(read1[0]) == "A" * 10
    switched = text(read1[1])
    assert (
        switched.startswith("AA")
        and switched.endswith("CC")
        and set(switched) == {"A", "C"}
    )


def test_qualities_are_illumina_like() -> None:
    model = QualityModel()
    rng = np.random.default_rng(0)
    q1 = base_qualities(5_000, L, 1, model, rng)
    q2 = base_qualities(5_000, L, 2, model, rng)
    assert q1.shape == (5_000, L) and q1.dtype == np.uint8
    assert q1.min() >= model.min_q and q1.max() <= model.max_q
    assert q1[:, :10].mean() > q1[:, -10:].mean() + 3  # declines along the read
    assert q2.mean() < q1.mean()
    low_tail = (q1[:, -5:] <= model.tail_q_max).all(axis=1).mean()
    assert 0.01 < low_tail < 0.1


def test_sequencing_errors_follow_the_quality() -> None:
    rng = np.random.default_rng(0)
    reads = np.full((20_000, L), ord("A"), dtype=np.uint8)
    phred = np.full(reads.shape, 20, dtype=np.uint8)
    phred[:, -1] = 2
    sequencing_errors(reads, phred, QualityModel(), rng)
    changed = reads[:, :-1] != ord("A")
    assert changed.mean() == pytest.approx(0.01, rel=0.1)
    assert set(np.unique(reads[:, :-1])) == set(b"ACGT")
    assert (reads[:, -1] == ord("N")).all()


def test_complement_table() -> None:
    codes = np.frombuffer(b"ACGTN", dtype=np.uint8)
    assert complement(codes).tobytes() == b"TGCAN"


def test_fastq_writer_is_reproducible_and_atomic(tmp_path: Path) -> None:
    reads = np.frombuffer(b"ACGTN" * 4, dtype=np.uint8).reshape(2, 10)
    phred = np.full((2, 10), 30, dtype=np.uint8)
    outputs = []
    for name in ("a.fastq.gz", "b.fastq.gz"):
        path = tmp_path / name
        with FastqWriter(path) as writer:
            writer.write([b"s:lib:1", b"s:lib:2"], reads.copy(), phred)
            assert not path.exists()  # only the temporary file so far
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0][3] == 0 and outputs[0][4:8] == b"\0\0\0\0"  # no name, mtime 0
    lines = gzip.decompress(outputs[0]).decode().splitlines()
    assert lines == [
        "@s:lib:1",
        "ACGTNACGTN",
        "+",
        "?" * 10,
        "@s:lib:2",
        "ACGTNACGTN",
        "+",
        "?" * 10,
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.fastq.gz", "b.fastq.gz"]


def test_failed_fastq_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.fastq.gz"
    with pytest.raises(RuntimeError):
        with FastqWriter(path) as writer:
            writer.write(
                [b"r"],
                np.full((1, 4), ord("A"), dtype=np.uint8),
                np.full((1, 4), 30, dtype=np.uint8),
            )
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []
