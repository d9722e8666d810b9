# Alignment metrics read by MultiQC's samtools and mosdepth modules.


rule samtools_stats:
    input:
        bam=f"{RESULTS}/bam/{{sample}}.{{library}}.bam",
        bai=f"{RESULTS}/bam/{{sample}}.{{library}}.bam.bai",
    output:
        f"{RESULTS}/qc/samtools_stats/{{sample}}.{{library}}.txt",
    log:
        f"{RESULTS}/logs/samtools_stats/{{sample}}.{{library}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/samtools_stats/{{sample}}.{{library}}.tsv"
    conda:
        "../../envs/samtools.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    shell:
        "(samtools stats '{input.bam}' > '{output}.part'"
        " && mv '{output}.part' '{output}') 2> '{log}'"


rule samtools_flagstat:
    input:
        bam=f"{RESULTS}/bam/{{sample}}.{{library}}.bam",
        bai=f"{RESULTS}/bam/{{sample}}.{{library}}.bam.bai",
    output:
        f"{RESULTS}/qc/samtools_flagstat/{{sample}}.{{library}}.txt",
    log:
        f"{RESULTS}/logs/samtools_flagstat/{{sample}}.{{library}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/samtools_flagstat/{{sample}}.{{library}}.tsv"
    conda:
        "../../envs/samtools.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    shell:
        "(samtools flagstat '{input.bam}' > '{output}.part'"
        " && mv '{output}.part' '{output}') 2> '{log}'"


rule mosdepth:
    input:
        bam=f"{RESULTS}/bam/{{sample}}.{{library}}.bam",
        bai=f"{RESULTS}/bam/{{sample}}.{{library}}.bam.bai",
    output:
        dist=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.mosdepth.global.dist.txt",
        summary=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.mosdepth.summary.txt",
        regions=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.regions.bed.gz",
    log:
        f"{RESULTS}/logs/mosdepth/{{sample}}.{{library}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/mosdepth/{{sample}}.{{library}}.tsv"
    conda:
        "../../envs/mosdepth.yaml"
    threads: 2
    resources:
        mem_mb=lambda wc, attempt: 2000 * attempt,
        runtime=60,
    params:
        prefix=lambda wc, output: output.summary.removesuffix(".mosdepth.summary.txt"),
        regions=lambda wc: mosdepth_regions(wc) or config["mosdepth"]["window"],
        min_mapq=config["mosdepth"]["min_mapq"],
    shell:
        # written under a .part prefix, then each file moved to its name
        "(mosdepth --threads {threads} --no-per-base --fast-mode"
        " --mapq {params.min_mapq} --by '{params.regions}'"
        " '{params.prefix}.part' '{input.bam}'"
        " && for f in '{params.prefix}'.part.*; do"
        " mv \"$f\" '{params.prefix}'\"${{f#'{params.prefix}'.part}}\"; done) 2> '{log}'"
