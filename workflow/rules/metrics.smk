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
    params:
        part=lambda wc, output: f"{output}.part",
    shell:
        "(samtools stats {input.bam:q} > {params.part:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


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
    params:
        part=lambda wc, output: f"{output}.part",
    shell:
        "(samtools flagstat {input.bam:q} > {params.part:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule mosdepth:
    input:
        bam=f"{RESULTS}/bam/{{sample}}.{{library}}.bam",
        bai=f"{RESULTS}/bam/{{sample}}.{{library}}.bam.bai",
    output:
        dist=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.mosdepth.global.dist.txt",
        summary=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.mosdepth.summary.txt",
        # coverage over the capture targets (panel, exome) or the windows:
        # what MultiQC reports for a library when it has it
        region_dist=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.mosdepth.region.dist.txt",
        regions=f"{RESULTS}/qc/mosdepth/{{sample}}.{{library}}.regions.bed.gz",
    log:
        f"{RESULTS}/logs/mosdepth/{{sample}}.{{library}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/mosdepth/{{sample}}.{{library}}.tsv"
    conda:
        "../../envs/mosdepth.yaml"
    threads: 2
    resources:
        # 2,054 MB on a 1 M-read cell over GRCh38's lengths (its per-chromosome
        # arrays; benchmarks/human_size.py, docs/hpc.md)
        mem_mb=lambda wc, attempt: 3000 * attempt,
        runtime=60,
    params:
        prefix=lambda wc, output: output.summary.removesuffix(".mosdepth.summary.txt"),
        part=lambda wc, output: (
            output.summary.removesuffix(".mosdepth.summary.txt") + ".part"
        ),
        # what follows these characters in a written file's name is its suffix
        part_length=lambda wc, output: len(
            output.summary.removesuffix(".mosdepth.summary.txt") + ".part"
        ),
        regions=lambda wc: get_mosdepth_regions(wc) or config["mosdepth"]["window"],
        min_mapq=config["mosdepth"]["min_mapq"],
    shell:
        # written under a .part prefix, then each file moved to its name
        "(mosdepth --threads {threads} --no-per-base --fast-mode"
        " --mapq {params.min_mapq} --by {params.regions:q}"
        " {params.part:q} {input.bam:q}"
        " && for f in {params.part:q}.*; do"
        ' mv "$f" {params.prefix:q}"${{f:{params.part_length}}}"; done) 2> {log:q}'
