# Adapter and quality trimming of every unit. Paired units are written
# interleaved so one alignment rule serves single- and paired-end units.


rule fastp:
    input:
        unpack(fastp_input),
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
            f"-I '{input.fq2}' --detect_adapter_for_pe"
            if "fq2" in input.keys()
            else ""
        ),
        min_length=config["fastp"]["min_length"],
        extra=config["fastp"]["extra"],
    shell:
        # one worker thread: with more, fastp writes the reads in an order that
        # varies from run to run, and so would the BAMs made from them; the
        # second core compresses (gzip) while fastp reads and trims
        "fastp -i '{input.fq1}' {params.read2} --stdout"
        " --length_required {params.min_length} --thread 1"
        " --json '{output.json}.part' --html '{output.html}.part' {params.extra}"
        " 2> '{log}' | gzip -1 > '{output.reads}.part'"
        " && mv '{output.json}.part' '{output.json}'"
        " && mv '{output.html}.part' '{output.html}'"
        " && mv '{output.reads}.part' '{output.reads}'"


# Every FASTQ is read to the end before trimming: fastp drops a truncated or
# broken tail without failing, which would silently lose reads.
rule check_fastq:
    input:
        unpack(unit_fastqs),
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
