"""Reads for and against each hotspot in a sample's BAMs, whatever a caller
made of them: hotspots are genotyped even below calling thresholds.

A read counts once per hotspot (overlapping mates of one fragment once),
when it is mapped at `min_mq` or better and not a duplicate, secondary,
supplementary or QC-failed alignment. SNV: the read's base at the position,
if of `min_bq` or better. Indels: a read holding a matching deletion or
insertion is alt (exact allele, compared left-aligned, or any indel of the
right kind inside a `region`); a read spanning the hotspot with no indel
there is ref; other reads are not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pysam

from ctc_profiler.inputs.hotspot_table import Hotspot, IndelEvent, indel_event
from ctc_profiler.variants.states import AlleleCounts

SKIP_FLAGS = 0x4 | 0x100 | 0x200 | 0x400 | 0x800
Fetch = Callable[[str, int, int], str]


def left_align(event: IndelEvent, fetch: Fetch) -> IndelEvent:
    """Shift an indel left while the sequence allows (VCF normalisation)."""
    start, bases = event.start, event.bases
    while start > 1:
        before = fetch_base(fetch, start - 1)
        if not before or before != bases[-1]:
            break
        bases = before + bases[:-1]
        start -= 1
    end = start + len(bases) - 1 if event.kind == "deletion" else start - 1
    return IndelEvent(event.kind, start, end, bases)


def fetch_base(fetch: Fetch, pos: int) -> str:
    return fetch(pos - 1, pos).upper()


def read_indels(read: pysam.AlignedSegment) -> list[IndelEvent]:
    """Deletions and insertions of a read, in 1-based reference coordinates."""
    events, ref_pos, query_pos = [], read.reference_start + 1, 0
    sequence = read.query_sequence or ""
    for op, length in read.cigartuples or []:
        if op in (0, 7, 8):
            ref_pos += length
            query_pos += length
        elif op == 1:
            events.append(IndelEvent("insertion", ref_pos, ref_pos - 1, sequence[query_pos:query_pos + length].upper()))
            query_pos += length
        elif op in (2, 3):
            if op == 2:
                events.append(IndelEvent("deletion", ref_pos, ref_pos + length - 1, ""))
            ref_pos += length
        elif op == 4:
            query_pos += length
    return events


def _usable(read: pysam.AlignedSegment, min_mq: int) -> bool:
    return not (read.flag & SKIP_FLAGS) and read.mapping_quality >= min_mq


def _add(tally: dict[str, int], allele: str, reverse: bool) -> None:
    tally[allele] += 1
    tally[f"{allele}_{'rev' if reverse else 'fwd'}"] += 1


def _counts(tally: dict[str, int]) -> AlleleCounts:
    return AlleleCounts(**tally)


def _new_tally() -> dict[str, int]:
    return {k: 0 for k in ("ref", "alt", "ref_fwd", "ref_rev", "alt_fwd", "alt_rev")}


def snv_reads(bams: Iterable[pysam.AlignmentFile], chrom: str, pos: int, ref: str, alt: str,
              min_bq: int, min_mq: int) -> Iterator[tuple[str, bool, int]]:
    """("ref" or "alt", on the reverse strand, base quality) of each fragment
    counted at a 1-based SNV position."""
    seen: set[str] = set()
    for bam in bams:
        if chrom not in bam.references:
            continue
        for read in bam.fetch(chrom, pos - 1, pos):
            if not _usable(read, min_mq) or read.query_name in seen:
                continue
            for query_pos, ref_pos in read.get_aligned_pairs(matches_only=True):
                if ref_pos == pos - 1:
                    quality = read.query_qualities[query_pos] if read.query_qualities is not None else 40
                    base = read.query_sequence[query_pos].upper()
                    if quality >= min_bq and base in (ref, alt):
                        seen.add(read.query_name)
                        yield ("ref" if base == ref else "alt"), read.is_reverse, quality
                    break


def count_snv(bams: Iterable[pysam.AlignmentFile], hotspot: Hotspot, min_bq: int, min_mq: int) -> AlleleCounts:
    tally = _new_tally()
    for allele, reverse, _ in snv_reads(bams, hotspot.chrom, hotspot.pos, hotspot.ref, hotspot.alt,
                                        min_bq, min_mq):
        _add(tally, allele, reverse)
    return _counts(tally)


def count_indel(bams: Iterable[pysam.AlignmentFile], hotspot: Hotspot, min_mq: int, fetch: Fetch) -> AlleleCounts:
    """Reads with the hotspot's indel (exact or by region) and reads spanning it without one."""
    wanted = None
    if hotspot.kind != "region":
        exact = indel_event(hotspot.pos, hotspot.ref, hotspot.alt)
        wanted = left_align(exact, fetch) if exact else None
    first, last = hotspot.pos, hotspot.end
    tally, seen = _new_tally(), set()
    for bam in bams:
        if hotspot.chrom not in bam.references:
            continue
        for read in bam.fetch(hotspot.chrom, max(0, first - 1), last + 1):
            if not _usable(read, min_mq) or read.query_name in seen:
                continue
            events = [e for e in read_indels(read) if e.kind == hotspot.event and e.overlaps(first, last + 1)]
            if wanted is not None:
                matched = any(_same(e, wanted, fetch) for e in events)
            else:
                matched = any(e.overlaps(first, last) for e in events)
            spans = read.reference_start + 1 <= first and read.reference_end >= last + 1
            if matched:
                seen.add(read.query_name)
                _add(tally, "alt", read.is_reverse)
            elif spans and not events:
                seen.add(read.query_name)
                _add(tally, "ref", read.is_reverse)
    return _counts(tally)


def _same(event: IndelEvent, wanted: IndelEvent, fetch: Fetch) -> bool:
    if event.kind != wanted.kind:
        return False
    if event.kind == "deletion":
        length = event.end - event.start + 1
        if length != len(wanted.bases):
            return False
        event = IndelEvent("deletion", event.start, event.end, fetch(event.start - 1, event.end).upper())
    elif len(event.bases) != len(wanted.bases):
        return False
    return left_align(event, fetch) == wanted


def count_hotspot(
    bams: list[pysam.AlignmentFile],
    hotspot: Hotspot,
    *,
    min_bq: int,
    min_mq: int,
    fetch: Callable[[str, int, int], str],
) -> AlleleCounts:
    """Counts for one hotspot over all BAMs of a sample; `fetch(chrom, start, end)`
    reads the reference (0-based, half-open)."""
    if hotspot.kind == "snv":
        return count_snv(bams, hotspot, min_bq, min_mq)
    return count_indel(bams, hotspot, min_mq, lambda start, end: fetch(hotspot.chrom, start, end))
