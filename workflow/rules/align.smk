# Alignment per unit, then one duplicate-marked BAM per sample and library kind.


rule bwa_mem:
    input:
        reads=f"{RESULTS}/trimmed/{{sample}}.{{unit}}.fastq.gz",
        index=bwa_index(),
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
        read_group=read_group,
        extra=config["alignment"]["extra"],
    shell:
        # fixmate -m adds the mate scores markdup needs; sort writes to a
        # temporary name so no partial BAM is left under the final one
        # -K: reads per batch fixed, so the alignments do not depend on threads
        "(bwa mem -t {threads} -K 10000000 {params.interleaved} -R '{params.read_group}'"
        " {params.extra} '{params.prefix}' '{input.reads}'"
        " | samtools fixmate -m -u - -"
        " | samtools sort -@ {threads} -m 500M -T '{output}.sort' -o '{output}.part' -"
        " && mv '{output}.part' '{output}') 2> '{log}'"


rule merge_markdup:
    input:
        library_units,
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
    shell:
        "(samtools merge -@ {threads} -u -o - {input}"
        " | samtools markdup -@ {threads} -s -T '{output.bam}.markdup' - '{output.bam}.part'"
        " && samtools index '{output.bam}.part' '{output.bai}.part'"
        " && mv '{output.bai}.part' '{output.bai}'"
        " && mv '{output.bam}.part' '{output.bam}') 2> '{log}'"
