# Index files are built under results/ only when the configured FASTA has none.


rule link_reference:
    input:
        REFERENCE,
    output:
        f"{RESULTS}/reference/genome.fa",
    log:
        f"{RESULTS}/logs/reference/link_reference.log",
    benchmark:
        f"{RESULTS}/benchmarks/reference/link_reference.tsv"
    conda:
        "../../envs/samtools.yaml"
    resources:
        mem_mb=200,
        runtime=5,
    shell:
        'ln -sf "$(realpath {input:q})" {output:q} 2> {log:q}'


rule faidx:
    input:
        f"{RESULTS}/reference/genome.fa",
    output:
        f"{RESULTS}/reference/genome.fa.fai",
    log:
        f"{RESULTS}/logs/reference/faidx.log",
    benchmark:
        f"{RESULTS}/benchmarks/reference/faidx.tsv"
    conda:
        "../../envs/samtools.yaml"
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        part=lambda wc, output: f"{output}.part",
    shell:
        "(samtools faidx --fai-idx {params.part:q} {input:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule bwa_index:
    input:
        f"{RESULTS}/reference/genome.fa",
    output:
        multiext(
            f"{RESULTS}/reference/genome.fa", ".amb", ".ann", ".bwt", ".pac", ".sa"
        ),
    log:
        f"{RESULTS}/logs/reference/bwa_index.log",
    benchmark:
        f"{RESULTS}/benchmarks/reference/bwa_index.tsv"
    conda:
        "../../envs/bwa.yaml"
    resources:
        mem_mb=lambda wc, attempt: 8000 * attempt,
        runtime=180,
    params:
        part=lambda wc, input: f"{input}.part",
    shell:
        # indexed under a .part prefix, each file then moved to its name
        "(bwa index -p {params.part:q} {input:q}"
        " && for ext in amb ann bwt pac sa; do"
        " mv {params.part:q}.$ext {input:q}.$ext; done) 2> {log:q}"


# The gene, hotspot and reference-region tables without their rows on contigs
# the reference lacks (start-up warns of them), so every job can read them whole.
rule place_resource:
    input:
        table=lambda wc: get_resource(wc.table),
        fai=get_fasta_index(),
    output:
        f"{RESULTS}/resources/{{table}}.{{format}}",
    log:
        f"{RESULTS}/logs/reference/place_resource.{{table}}.{{format}}.log",
    wildcard_constraints:
        table="|".join(RESOURCE_FORMATS),
        format="bed|tsv",
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/place_resource.py"
