"""Population allele frequencies of the optional germline resource
(`resources.germline`, a bgzipped and indexed VCF with INFO/AF): the AF of
exactly one allele, looked up by position. Alleles are compared in their
minimal form (shared leading and trailing bases trimmed), so an allele of a
multi-allelic record, whose REF is padded for its longest deletion, matches
the same allele written on its own; alleles placed differently (not
left-aligned in one of the files) do not match."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from types import TracebackType

import pysam

# records are read a window at a time: calls cluster in targets and genes,
# and one fetch per window is far cheaper than one per lookup
WINDOW_BP = 100_000
# windows kept; calls come sorted, so older windows are rarely asked again
CACHED_WINDOWS = 64

Allele = tuple[int, str, str]  # 1-based position, REF, ALT in minimal form


def minimal_allele(pos: int, ref: str, alt: str) -> Allele:
    """The allele with shared trailing, then leading, bases trimmed (one base
    kept on each side), the position moved past the trimmed leading bases."""
    ref, alt = ref.upper(), alt.upper()
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return pos, ref, alt


def _record_frequencies(record: pysam.VariantRecord) -> dict[Allele, float]:
    """AF of each ALT of a record by its minimal allele; missing values and
    a single AF given for several ALTs (which one is it?) are left out."""
    alts = record.alts or ()
    values = record.info.get("AF")
    if values is None:
        return {}
    if not isinstance(values, tuple):
        values = (values,) if len(alts) == 1 else ()
    found = {}
    for alt, value in zip(alts, values):
        if value is not None:
            found[minimal_allele(record.pos, record.ref, alt)] = float(value)
    return found


class PopulationFrequencies:
    """AF lookups in a germline VCF; with no VCF (`path` None) every lookup
    gives None, so callers need no branch for a run without the resource."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = path
        self._vcf = pysam.VariantFile(str(path)) if path is not None else None
        self._windows: OrderedDict[tuple[str, int], dict[Allele, float]] = OrderedDict()

    def af(self, chrom: str, pos: int, ref: str, alt: str) -> float | None:
        """The population frequency of ALT at a 1-based VCF position, or None
        when the resource does not hold that allele."""
        if self._vcf is None:
            return None
        allele = minimal_allele(pos, ref, alt)
        return self._window(self._vcf, chrom, (allele[0] - 1) // WINDOW_BP).get(allele)

    def _window(self, vcf: pysam.VariantFile, chrom: str, index: int) -> dict[Allele, float]:
        key = (chrom, index)
        if key in self._windows:
            self._windows.move_to_end(key)
            return self._windows[key]
        found: dict[Allele, float] = {}
        try:
            # every record overlapping the window: a minimal allele lies
            # within its record's REF, so none that could match is missed
            records = vcf.fetch(chrom, index * WINDOW_BP, (index + 1) * WINDOW_BP)
        except ValueError:  # a contig the resource does not hold
            records = iter(())
        for record in records:
            found.update(_record_frequencies(record))
        self._windows[key] = found
        if len(self._windows) > CACHED_WINDOWS:
            self._windows.popitem(last=False)
        return found

    def close(self) -> None:
        if self._vcf is not None:
            self._vcf.close()

    def __enter__(self) -> PopulationFrequencies:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def open_population(path: Path | str | None) -> PopulationFrequencies:
    """The resource of `resources.germline`, or an empty one when it is not set
    (empty string or None, as a Snakemake input list gives it)."""
    return PopulationFrequencies(path or None)
