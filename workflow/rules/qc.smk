import shlex

# Adapter and quality trimming of every unit. Paired units are written
# interleaved so one alignment rule serves single- and paired-end units.


rule fastp:
    input:
        unpack(get_fastp_input),
    output:
        reads=temp(f"{RESULTS}/trimmed/{{sample}}.{{unit}}.fastq.gz"),
        json=f"{RESULTS}/qc/fastp/{{sample}}.{{unit}}.fastp.json",
        html=f"{RESULTS}/qc/fastp/{{sample}}.{{unit}}.fastp.html",
    log:
        f"{RESULTS}/logs/fastp/{{sample}}.{{unit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/fastp/{{sample}}.{{unit}}.tsv"
    conda:
        "../../envs/fastp.yaml"
    threads: 2
    resources:
        mem_mb=lambda wc, attempt: 2000 * attempt,
        runtime=30,
    params:
        read2=lambda wc, input: (
            f"-I {shlex.quote(input.fq2)} --detect_adapter_for_pe"
            if "fq2" in input.keys()
            else ""
        ),
        min_length=config["fastp"]["min_length"],
        extra=config["fastp"]["extra"],
        json=lambda wc, output: f"{output.json}.part",
        html=lambda wc, output: f"{output.html}.part",
        reads=lambda wc, output: f"{output.reads}.part",
    shell:
        # a damaged unit is never planned, unless asked for by name: then it
        # stops here. One worker thread: with more, fastp writes the reads in
        # an order that varies from run to run, and so would the BAMs made
        # from them; the second core compresses (gzip) while fastp reads and trims
        "if ! grep -q '\"problem\": null' {input.check:q}; then"
        " echo 'unit {wildcards.sample}.{wildcards.unit} failed its FASTQ check:' >&2;"
        " cat {input.check:q} >&2; exit 1; fi;"
        " fastp -i {input.fq1:q} {params.read2} --stdout"
        " --length_required {params.min_length} --thread 1"
        " --json {params.json:q} --html {params.html:q} {params.extra}"
        " 2> {log:q} | gzip -1 > {params.reads:q}"
        " && mv {params.json:q} {output.json:q}"
        " && mv {params.html:q} {output.html:q}"
        " && mv {params.reads:q} {output.reads:q}"


# Every FASTQ is read to the end before trimming: fastp drops a truncated or
# broken tail without failing, which would silently lose reads. A damaged
# unit is a verdict in the JSON, not a failed job: its sample is then left
# out and reported not_assessable (common.smk, "FASTQ verdicts").
rule check_fastq:
    input:
        unpack(get_unit_fastqs),
    output:
        f"{RESULTS}/qc/fastq_check/{{sample}}.{{unit}}.json",
    log:
        f"{RESULTS}/logs/check_fastq/{{sample}}.{{unit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/check_fastq/{{sample}}.{{unit}}.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=60,
    script:
        "../scripts/check_fastq.py"


# Every unit's verdict in one table: the jobs after the checks are planned
# from it. Local: it only gathers small JSON files.
localrules:
    fastq_verdicts,


checkpoint fastq_verdicts:
    input:
        get_unit_checks(),
    output:
        FASTQ_VERDICTS,
    log:
        f"{RESULTS}/logs/check_fastq/verdicts.log",
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/fastq_verdicts.py"
