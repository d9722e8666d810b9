# Software versions and the MultiQC report over every QC output.


rule tool_version:
    output:
        temp(f"{RESULTS}/versions/{{env}}.txt"),
    log:
        f"{RESULTS}/logs/versions/{{env}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/versions/{{env}}.tsv"
    conda:
        "../../envs/{env}.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        command=lambda wc: VERSION_COMMANDS[wc.env],
        part=lambda wc, output: f"{output}.part",
    shell:
        "(({params.command}) > {params.part:q} && mv {params.part:q} {output:q}) 2> {log:q}"


rule software_versions:
    input:
        expand(f"{RESULTS}/versions/{{env}}.txt", env=sorted(VERSION_COMMANDS)),
    output:
        f"{RESULTS}/qc/software_versions_mqc_versions.yml",
    log:
        f"{RESULTS}/logs/versions/software_versions.log",
    benchmark:
        f"{RESULTS}/benchmarks/versions/software_versions.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        snakemake=SNAKEMAKE_VERSION,
    script:
        "../scripts/software_versions.py"


rule multiqc:
    input:
        reports=get_checked_qc_reports,
        versions=f"{RESULTS}/qc/software_versions_mqc_versions.yml",
        content=get_report_content_files(),
        config=WORKFLOW_DIR / "resources" / "multiqc_config.yaml",
        verdict=REPORT_VERDICT,
        css=WORKFLOW_DIR / "resources" / "multiqc_report.css",
    output:
        report=f"{RESULTS}/multiqc/multiqc_report.html",
        data=directory(f"{RESULTS}/multiqc/multiqc_data"),
    log:
        f"{RESULTS}/logs/multiqc/multiqc.log",
    benchmark:
        f"{RESULTS}/benchmarks/multiqc/multiqc.tsv"
    conda:
        "../../envs/multiqc.yaml"
    resources:
        mem_mb=lambda wc, attempt: 4000 * attempt,
        runtime=60,
    params:
        outdir=lambda wc, output: Path(output.report).parent,
        file_list=f"{RESULTS}/logs/multiqc/inputs.txt",
        title=config["multiqc"]["title"],
    shell:
        "(printf '%s\\n' {input.reports:q} {input.versions:q} {input.content:q} > {params.file_list:q}"
        " && multiqc --force --no-ai --config {input.config:q} --config {input.verdict:q}"
        " --custom-css-file {input.css:q}"
        " --title {params.title:q} --outdir {params.outdir:q} --filename multiqc_report.html"
        " --file-list {params.file_list:q}) > {log:q} 2>&1"


# The run's last job: with a damaged unit it fails, naming every such unit
# and its problem, once the tables and the report (which report the unit's
# sample not_assessable) were made; it writes nothing then, so its failure
# removes nothing and a rerun gives the same outcome.
rule fastq_failures:
    input:
        verdicts=FASTQ_VERDICTS,
        report=f"{RESULTS}/multiqc/multiqc_report.html",
        tables=get_status_outputs(),
    output:
        FASTQ_VERDICT,
    log:
        f"{RESULTS}/logs/check_fastq/fastq_failures.log",
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/fastq_failures.py"
