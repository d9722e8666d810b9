"""Checks of the optional population germline resource (`resources.germline`)
before any job runs: a VCF that htslib cannot fetch from, one without allele
frequencies, or one made for another build would otherwise fail the genotyping
jobs late or, worse, give frequencies of other positions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pysam

from ctc_profiler.inputs.fastq_check import GZIP_MAGIC
from ctc_profiler.inputs.reference_check import missing_file_problems, renamed_contig

KEY = "resources.germline"
# contigs named in a message; more would only lengthen it
SHOWN_CONTIGS = 3


def _is_bgzf(start: bytes) -> bool:
    """A BGZF block: gzip with the FEXTRA flag and a 'BC' subfield (SAM spec, 4.1)."""
    return start.startswith(GZIP_MAGIC) and len(start) >= 14 and start[3] & 4 != 0 and start[12:14] == b"BC"


def compression_problems(path: Path | str) -> list[str]:
    """A VCF that is plain text or plain gzip: tabix indexes BGZF alone."""
    with Path(path).open("rb") as handle:
        start = handle.read(18)
    if _is_bgzf(start):
        return []
    then = f" > germline_af.vcf.gz && tabix -p vcf germline_af.vcf.gz, then set {KEY} to germline_af.vcf.gz"
    if start.startswith(GZIP_MAGIC):
        return [
            f"{KEY} '{path}' is gzip- but not bgzip-compressed, so it cannot be indexed; "
            f"recompress it: gunzip -c '{path}' | bgzip -c{then}"
        ]
    return [f"{KEY} '{path}' is not bgzip-compressed; compress and index it: bgzip -c '{path}'{then}"]


def index_problems(path: Path | str) -> list[str]:
    """No .tbi/.csi beside the VCF, or one older than it (its offsets would
    point into the file it was made for)."""
    indexes = [Path(f"{path}.{suffix}") for suffix in ("tbi", "csi")]
    present = [index for index in indexes if index.is_file()]
    if not present:
        return [
            f"{KEY} '{path}' has no index beside it ('{path}.tbi' or '{path}.csi'); "
            f"index it: tabix -p vcf '{path}'"
        ]
    modified = Path(path).stat().st_mtime
    if all(index.stat().st_mtime < modified for index in present):
        return [f"{KEY} '{path}' is newer than its index '{present[0]}'; re-index it: tabix -f -p vcf '{path}'"]
    return []


def _listed(names: Mapping[str, object]) -> str:
    shown = list(names)[:SHOWN_CONTIGS]
    return ", ".join(shown) + (" ..." if len(names) > SHOWN_CONTIGS else "")


def contig_problems(
    vcf_contigs: Mapping[str, int | None], reference_lengths: Mapping[str, int], path: Path | str, fasta: Path | str
) -> list[str]:
    """A VCF of another build: no contig name in common with the reference, or
    contigs of the same name but another length."""
    shared = [name for name in vcf_contigs if name in reference_lengths]
    if not shared:
        prefixed = all(renamed_contig(name, set(reference_lengths)) for name in list(vcf_contigs)[:SHOWN_CONTIGS])
        cause = "the 'chr' prefix differs; " if prefixed else ""
        return [
            f"{KEY} '{path}' shares no contig name with reference.fasta '{fasta}' (it names "
            f"{_listed(vcf_contigs)}; the reference {_listed(reference_lengths)}): {cause}rename its contigs "
            "to the reference's (bcftools annotate --rename-chrs old_to_new.txt -Oz -o renamed.vcf.gz, then "
            "tabix -p vcf renamed.vcf.gz) or use a file made for this reference"
        ]
    differing = [
        (name, length, reference_lengths[name])
        for name in shared
        if (length := vcf_contigs[name]) is not None and length != reference_lengths[name]
    ]
    if not differing:
        return []
    shown = "; ".join(
        f"{name} {ours} in the VCF, {theirs} in the reference" for name, ours, theirs in differing[:SHOWN_CONTIGS]
    )
    more = f"; and {len(differing) - SHOWN_CONTIGS} more" if len(differing) > SHOWN_CONTIGS else ""
    return [
        f"{KEY} '{path}' is for another build than reference.fasta '{fasta}': contig lengths differ "
        f"({shown}{more}); use population frequencies of the reference's build (gnomAD v4 is GRCh38, "
        "gnomAD v2 GRCh37) or lift the file over to it"
    ]


def germline_resource_problems(
    path: Path | str, reference_lengths: Mapping[str, int], fasta: Path | str
) -> list[str]:
    """Every reason the germline VCF cannot be used with this reference, each
    naming the key, the file and the fix; [] for a usable file. Checks stop at
    the first problem that hides the rest (a missing or unreadable file)."""
    if missing := missing_file_problems(path, KEY):
        return missing
    if problems := compression_problems(path):
        return problems
    problems = index_problems(path)
    try:
        with pysam.VariantFile(str(path)) as vcf:
            header = vcf.header
            has_af = "AF" in header.info
            # contigs of ##contig lines, with their lengths; htslib adds the
            # index's contig names (without lengths) when there are none
            vcf_contigs = {name: contig.length for name, contig in header.contigs.items()}
    except (OSError, ValueError) as error:
        return problems + [f"{KEY} '{path}' cannot be read as a VCF ({error}); point it at a bgzipped VCF"]
    if not has_af:
        problems.append(
            f"{KEY} '{path}' declares no INFO/AF in its header, the population allele frequency the "
            "workflow reads; use an extract that keeps gnomAD's AF field (bcftools annotate -x '^INFO/AF' "
            "keeps it alone)"
        )
    if vcf_contigs:
        problems += contig_problems(vcf_contigs, reference_lengths, path, fasta)
    return problems
