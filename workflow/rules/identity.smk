# Identity: whether each sample is from its patient. Each patient's germline
# SNVs are called genome-wide from its normals (WBC cells, bulk normal; its
# bulk tumour where it has none), the sites of all patients pooled, every
# sample's reads counted at them, and each sample's reads weighed against
# every patient's genotypes with its dropout allowed
# (ctc_profiler.variants.identity).


rule germline_snvs:
    input:
        bams=get_patient_germline_bams,
        bais=lambda wc: [f"{bam}.bai" for bam in get_patient_germline_bams(wc)],
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
    output:
        temp(f"{RESULTS}/identity/{{patient}}.germline.bcf"),
    log:
        f"{RESULTS}/logs/identity/{{patient}}.germline.log",
    benchmark:
        f"{RESULTS}/benchmarks/identity/{{patient}}.germline.tsv"
    conda:
        "../../envs/bcftools.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=240,
    params:
        min_bq=config["variants"]["min_bq"],
        min_mq=config["variants"]["min_mq"],
        # the lower bar: identity_sites keeps a site under min_qual only
        # where resources.germline holds its allele
        min_qual=min(
            config["identity"]["min_qual"], config["identity"]["min_qual_known"]
        ),
        part=lambda wc, output: f"{output}.part",
    shell:
        # the normals pooled as one sample (--ignore-RG): their cells' dropout
        # and depth add up; biallelic SNVs only
        "(bcftools mpileup --threads {threads} -f {input.fasta:q} --ignore-RG -a FORMAT/AD"
        " --min-BQ {params.min_bq} --min-MQ {params.min_mq} -Ou {input.bams:q}"
        " | bcftools call -mv -V indels -Ou"
        " | bcftools view -m2 -M2 -v snps -i 'QUAL>={params.min_qual}' -Ob -o {params.part:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule identity_sites:
    input:
        germline_snvs=get_identity_germline_files,
        # population allele frequencies, when given: known SNPs become sites
        # from a lower QUAL, and carry their frequency to rule identity
        population=get_germline_resource_files(),
    output:
        sites=f"{RESULTS}/identity/sites.tsv",
        positions=f"{RESULTS}/identity/sites.pos.tsv",
    log:
        f"{RESULTS}/logs/identity/sites.log",
    benchmark:
        f"{RESULTS}/benchmarks/identity/sites.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        max_sites=config["identity"]["max_sites"],
        min_qual=config["identity"]["min_qual"],
        min_qual_known=config["identity"]["min_qual_known"],
    script:
        "../scripts/identity_sites.py"


rule identity_reads:
    input:
        bams=get_patient_bams,
        bais=lambda wc: [f"{bam}.bai" for bam in get_patient_bams(wc)],
        positions=f"{RESULTS}/identity/sites.pos.tsv",
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
    output:
        temp(f"{RESULTS}/identity/{{patient}}.reads.bcf"),
    log:
        f"{RESULTS}/logs/identity/{{patient}}.reads.log",
    benchmark:
        f"{RESULTS}/benchmarks/identity/{{patient}}.reads.tsv"
    conda:
        "../../envs/bcftools.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        min_bq=config["variants"]["min_bq"],
        min_mq=config["variants"]["min_mq"],
        part=lambda wc, output: f"{output}.part",
    shell:
        # read groups carry SM=<sample>: one column per sample; -T streams the
        # reads past the sites rather than seeking each
        "(bcftools mpileup --threads {threads} -f {input.fasta:q} -T {input.positions:q} -a FORMAT/AD"
        " --min-BQ {params.min_bq} --min-MQ {params.min_mq} -Ob -o {params.part:q} {input.bams:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule identity:
    input:
        sites=f"{RESULTS}/identity/sites.tsv",
        reads=get_identity_read_files,
    output:
        table=f"{RESULTS}/identity/identity.tsv",
        # one line per pair of patients sharing a germline (the same person twice?)
        warnings=f"{RESULTS}/identity/warnings.txt",
    log:
        f"{RESULTS}/logs/identity/identity.log",
    benchmark:
        f"{RESULTS}/benchmarks/identity/identity.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        samples=samples[["patient", "sample", "type"]].to_dict("records"),
        checked=lambda wc: sorted(checked_cohort()),
        settings=config["identity"],
    script:
        "../scripts/identity.py"
