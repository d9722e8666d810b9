"""Entry point of rule bin_counts, run as a plain command (no Snakemake
preamble): reads per bin and per gene window of one BAM, in one pass.

    python bin_counts.py [--threads N] BAM MIN_MAPQ BED OUT [BED OUT ...]
"""

import argparse

from ctc_profiler.copy_number.region_reads import count_region_reads, write_counts
from ctc_profiler.core.bed import read_intervals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads reading the BAM: decompression runs beside the counting")
    parser.add_argument("bam")
    parser.add_argument("min_mapq", type=int)
    parser.add_argument("pairs", nargs="+", metavar="BED OUT", help="regions and the table to write for them")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give BED and OUT in pairs")
    beds, outputs = args.pairs[0::2], args.pairs[1::2]
    region_sets = [read_intervals(bed) for bed in beds]
    counts = count_region_reads(args.bam, region_sets, args.min_mapq, args.threads)
    for regions, region_counts, output in zip(region_sets, counts, outputs):
        write_counts(output, regions, region_counts)


if __name__ == "__main__":
    main()
