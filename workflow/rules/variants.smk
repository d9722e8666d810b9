# Variants: joint calling of all a patient's BAMs over the panel targets, the
# genes of interest and the hotspot windows (bcftools; scattered over
# `variants.scatter` chunks of the regions, then concatenated), then
# single-cell-aware states per site and sample, hotspot genotypes and per-cell
# allelic dropout.
import shlex

SCATTER = range(config["variants"]["scatter"])


rule variant_regions:
    input:
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
        targets=[bed for bed in config["targets"].values() if bed],
        genes=get_placed_resource("genes"),
        hotspots=get_hotspot_table(),
    output:
        regions=f"{RESULTS}/variants/regions.bed",
        chunks=expand(f"{RESULTS}/variants/regions/{{chunk}}.bed", chunk=SCATTER),
    log:
        f"{RESULTS}/logs/variants/regions.log",
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=10,
    params:
        flank=config["variants"]["hotspot_flank"],
        whole_genome=config["variants"]["whole_genome"],
    script:
        "../scripts/variant_regions.py"


rule hotspot_annotation:
    input:
        hotspots=get_hotspot_table(),
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
    output:
        table=f"{RESULTS}/variants/hotspot_alleles.tsv.gz",
        index=f"{RESULTS}/variants/hotspot_alleles.tsv.gz.tbi",
        header=f"{RESULTS}/variants/hotspot_alleles.hdr",
    log:
        f"{RESULTS}/logs/variants/hotspot_annotation.log",
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=10,
    params:
        source=lambda wc: get_resource("hotspots"),  # named in messages
    script:
        "../scripts/hotspot_annotation.py"


rule joint_call:
    input:
        bams=get_patient_bams,
        bais=lambda wc: [f"{bam}.bai" for bam in get_patient_bams(wc)],
        regions=f"{RESULTS}/variants/regions/{{chunk}}.bed",
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
        annotation=get_hotspot_annotation_files(),
    output:
        temp(f"{RESULTS}/variants/chunks/{{patient}}.{{chunk}}.bcf"),
    log:
        f"{RESULTS}/logs/variants/{{patient}}.call.{{chunk}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/variants/{{patient}}.call.{{chunk}}.tsv"
    wildcard_constraints:
        chunk=r"\d+",
    conda:
        "../../envs/bcftools.yaml"
    threads: 2
    resources:
        mem_mb=2000,
        runtime=240,
    params:
        min_bq=config["variants"]["min_bq"],
        min_mq=config["variants"]["min_mq"],
        max_depth=config["variants"]["max_depth"],
        # hotspot alleles named in INFO/HOTSPOT (gene:protein change)
        annotate=lambda wc, input: (
            f"| bcftools annotate -a {shlex.quote(input.annotation[0])}"
            f" -h {shlex.quote(input.annotation[2])} -c CHROM,POS,REF,ALT,INFO/HOTSPOT -Ou"
            if input.annotation
            else ""
        ),
        part=lambda wc, output: f"{output}.part",
    shell:
        # read groups carry SM=<sample>, so a sample's panel and low-pass BAMs
        # are one VCF sample; -A keeps every alt allele with support, the
        # filter drops reference-only records
        "(bcftools mpileup --threads {threads} -f {input.fasta:q} -R {input.regions:q}"
        " -a FORMAT/AD,FORMAT/ADF,FORMAT/ADR,FORMAT/DP --min-BQ {params.min_bq}"
        " --min-MQ {params.min_mq} --max-depth {params.max_depth} -Ou {input.bams:q}"
        " | bcftools call -m -A -Ou"
        " | bcftools norm -m -any -f {input.fasta:q} -Ou {params.annotate}"
        ' | bcftools view -i \'ALT!="." && ALT!="<*>" && SUM(FMT/AD[*:1])>0\''
        " -Ob -o {params.part:q}"
        " && mv {params.part:q} {output:q}) 2> {log:q}"


rule concat_calls:
    input:
        expand(
            f"{RESULTS}/variants/chunks/{{{{patient}}}}.{{chunk}}.bcf", chunk=SCATTER
        ),
    output:
        vcf=f"{RESULTS}/variants/{{patient}}.vcf.gz",
        tbi=f"{RESULTS}/variants/{{patient}}.vcf.gz.tbi",
    log:
        f"{RESULTS}/logs/variants/{{patient}}.concat.log",
    benchmark:
        f"{RESULTS}/benchmarks/variants/{{patient}}.concat.tsv"
    conda:
        "../../envs/bcftools.yaml"
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        vcf=lambda wc, output: f"{output.vcf}.part",
        tbi=lambda wc, output: f"{output.vcf}.part.tbi",
    shell:
        # chunks are in reference order; sorting puts back the rare indel that
        # left-alignment moved across a chunk boundary
        "(bcftools concat -Ou {input:q} | bcftools sort -Oz -o {params.vcf:q}"
        " && tabix -f -p vcf {params.vcf:q}"
        " && mv {params.vcf:q} {output.vcf:q}"
        " && mv {params.tbi:q} {output.tbi:q}) 2> {log:q}"


rule bcftools_stats:
    input:
        f"{RESULTS}/variants/{{patient}}.vcf.gz",
    output:
        f"{RESULTS}/qc/bcftools_stats/{{patient}}.txt",
    log:
        f"{RESULTS}/logs/variants/{{patient}}.stats.log",
    conda:
        "../../envs/bcftools.yaml"
    resources:
        mem_mb=500,
        runtime=10,
    params:
        part=lambda wc, output: f"{output}.part",
    shell:
        "(bcftools stats -s - {input:q} > {params.part:q} && mv {params.part:q} {output:q}) 2> {log:q}"


rule normal_panel:
    input:
        vcfs=get_panel_vcfs,
    output:
        f"{RESULTS}/variants/normal_panel.tsv",
    log:
        f"{RESULTS}/logs/variants/normal_panel.log",
    benchmark:
        f"{RESULTS}/benchmarks/variants/normal_panel.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        patients=get_panel_patients,
        types={s: row["type"] for s, row in SAMPLE_ROWS.items()},
        min_alt_reads=config["variants"]["min_alt_reads"],
    script:
        "../scripts/normal_panel.py"


rule genotype_variants:
    input:
        unpack(get_patient_variant_inputs),
        germline=get_germline_resource_files(),
        hotspots=get_hotspot_table(),
        genes=get_placed_resource("genes"),
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
    output:
        mutations=f"{RESULTS}/variants/{{patient}}.mutations.tsv",
        hotspots=f"{RESULTS}/variants/{{patient}}.hotspots.tsv",
        metrics=f"{RESULTS}/variants/{{patient}}.cell_metrics.tsv",
    log:
        f"{RESULTS}/logs/variants/{{patient}}.genotype.log",
    benchmark:
        f"{RESULTS}/benchmarks/variants/{{patient}}.genotype.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        samples=lambda wc: get_patient_samples(wc.patient),
        bams=lambda wc: get_patient_sample_bams(wc.patient),
        segments=lambda wc: get_bulk_tumour_segments(wc.patient),
        settings=config["variants"],
    script:
        "../scripts/genotype_variants.py"
