# Alignment per unit, then one duplicate-marked BAM per sample and library kind.


rule bwa_mem:
    input:
        reads=f"{RESULTS}/trimmed/{{sample}}.{{unit}}.fastq.gz",
        index=get_bwa_index(),
    output:
        temp(f"{RESULTS}/bam/units/{{sample}}.{{unit}}.bam"),
    log:
        f"{RESULTS}/logs/bwa_mem/{{sample}}.{{unit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bwa_mem/{{sample}}.{{unit}}.tsv"
    conda:
        "../../envs/bwa.yaml"
    threads: 2
    resources:
        mem_mb=lambda wc, attempt: 8000 * attempt,
        runtime=120,
    params:
        prefix=lambda wc, input: input.index[0].removesuffix(".amb"),
        interleaved=lambda wc: "-p" if is_paired(wc) else "",
        # '\t' stays backslash-t in the quoted argument: bwa reads it as a tab
        read_group=get_read_group,
        extra=config["alignment"]["extra"],
        sort=lambda wc, output: f"{output}.sort",
        part=lambda wc, output: f"{output}.part",
    shell:
        # fixmate -m adds the mate scores markdup needs; sort writes to a
        # temporary name so no partial BAM is left under the final one
        # -K: reads per batch fixed, so the alignments do not depend on threads
        "(bwa mem -t {threads} -K 10000000 {params.interleaved} -R {params.read_group:q}"
        " {params.extra} {params.prefix:q} {input.reads:q}"
        " | samtools fixmate -m -u - -"
        " | samtools sort -@ {threads} -m 500M -T {params.sort:q} -o {params.part:q} -"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule merge_markdup:
    input:
        get_library_units,
    output:
        bam=f"{RESULTS}/bam/{{sample}}.{{library}}.bam",
        bai=f"{RESULTS}/bam/{{sample}}.{{library}}.bam.bai",
    log:
        f"{RESULTS}/logs/markdup/{{sample}}.{{library}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/markdup/{{sample}}.{{library}}.tsv"
    conda:
        "../../envs/samtools.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        markdup=lambda wc, output: f"{output.bam}.markdup",
        bam=lambda wc, output: f"{output.bam}.part",
        bai=lambda wc, output: f"{output.bai}.part",
    shell:
        "(samtools merge -@ {threads} -u -o - {input:q}"
        " | samtools markdup -@ {threads} -s -T {params.markdup:q} - {params.bam:q}"
        " && samtools index {params.bam:q} {params.bai:q}"
        " && mv {params.bai:q} {output.bai:q}"
        " && mv {params.bam:q} {output.bam:q}) 2> {log:q}"
