"""Allele frequencies of the population germline resource, looked up per allele."""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

from ctc_profiler.variants import population
from ctc_profiler.variants.population import PopulationFrequencies, minimal_allele, open_population

HEADER = (
    "##fileformat=VCFv4.2\n##contig=<ID=chr7,length=300000>\n##contig=<ID=chr17,length=1000>\n"
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency">\n'
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
)
RECORDS = [
    "chr7\t100\t.\tA\tG,T\t.\t.\tAF=0.25,0.001",  # multi-allelic SNV
    "chr7\t200\t.\tATT\tA,AT\t.\t.\tAF=0.1,0.3",  # deletions sharing a padded REF
    "chr7\t300\t.\tC\tCA\t.\t.\tAF=.",  # no frequency given
    "chr7\t99999\t.\tACG\tATG\t.\t.\tAF=0.4",  # an SNV written long, across a window edge
    "chr7\t250000\t.\tG\tC\t.\t.\tAF=0.05",
]


@pytest.fixture
def resource(tmp_path: Path) -> Path:
    plain = tmp_path / "germline.vcf"
    plain.write_text(HEADER + "\n".join(RECORDS) + "\n")
    pysam.tabix_compress(str(plain), f"{plain}.gz")
    pysam.tabix_index(f"{plain}.gz", preset="vcf")
    return Path(f"{plain}.gz")


def test_each_alt_of_a_multi_allelic_record_gets_its_own_frequency(resource: Path) -> None:
    with PopulationFrequencies(resource) as frequencies:
        assert frequencies.af("chr7", 100, "A", "G") == pytest.approx(0.25)
        assert frequencies.af("chr7", 100, "A", "T") == pytest.approx(0.001)
        assert frequencies.af("chr7", 100, "A", "C") is None
        assert frequencies.af("chr7", 100, "C", "G") is None  # another REF: not this allele


def test_alleles_match_in_their_minimal_form(resource: Path) -> None:
    with open_population(resource) as frequencies:
        assert frequencies.af("chr7", 200, "ATT", "A") == pytest.approx(0.1)
        assert frequencies.af("chr7", 200, "AT", "A") == pytest.approx(0.3)  # ATT>AT written short
        assert frequencies.af("chr7", 200, "ATT", "AT") == pytest.approx(0.3)
        assert frequencies.af("chr7", 100000, "C", "T") == pytest.approx(0.4)
        assert frequencies.af("chr7", 201, "TT", "T") is None  # placed otherwise: no match


def test_absent_sites_contigs_and_values_give_none(resource: Path) -> None:
    with open_population(resource) as frequencies:
        assert frequencies.af("chr7", 150, "A", "G") is None
        assert frequencies.af("chr7", 300, "C", "CA") is None
        assert frequencies.af("chr17", 10, "A", "G") is None  # declared, no records
        assert frequencies.af("chr9", 10, "A", "G") is None  # not in the resource
        assert frequencies.af("chr7", 250000, "G", "C") == pytest.approx(0.05)


def test_no_resource_gives_none_everywhere() -> None:
    for frequencies in (open_population(None), open_population(""), PopulationFrequencies(None)):
        with frequencies:
            assert frequencies.af("chr7", 100, "A", "G") is None


class CountingVcf:
    """A VariantFile's fetch, counted."""

    def __init__(self, vcf: pysam.VariantFile) -> None:
        self.vcf, self.fetches = vcf, 0

    def fetch(self, *region: object) -> object:
        self.fetches += 1
        return self.vcf.fetch(*region)

    def close(self) -> None:
        self.vcf.close()


def test_windows_are_cached_and_bounded(resource: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(population, "CACHED_WINDOWS", 1)
    with open_population(resource) as frequencies:
        counting = CountingVcf(frequencies._vcf)
        frequencies._vcf = counting
        for _ in range(3):
            assert frequencies.af("chr7", 100, "A", "G") == pytest.approx(0.25)
        assert counting.fetches == 1
        frequencies.af("chr7", 250000, "G", "C")
        frequencies.af("chr7", 100, "A", "G")
        assert counting.fetches == 3  # the first window was dropped


def test_minimal_allele() -> None:
    assert minimal_allele(10, "ACG", "ATG") == (11, "C", "T")
    assert minimal_allele(10, "att", "a") == (10, "ATT", "A")
    assert minimal_allele(10, "ATT", "AT") == (10, "AT", "A")
    assert minimal_allele(10, "A", "AT") == (10, "A", "AT")
