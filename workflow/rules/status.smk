# Per-sample HER2/EGFR status, CTC-vs-primary discordance, patient flags, and
# the MultiQC custom content that shows them.


rule cohort_status:
    input:
        copy_number=f"{RESULTS}/copy_number/summary.tsv",
        hotspots=get_checked_variant_files("hotspots.tsv"),
        cell_metrics=get_checked_variant_files("cell_metrics.tsv"),
        verdicts=FASTQ_VERDICTS,
        identity=get_identity_table(),
    output:
        status=f"{RESULTS}/status.tsv",
        discordance=f"{RESULTS}/discordance.tsv",
        patients=f"{RESULTS}/patients.tsv",
    log:
        f"{RESULTS}/logs/status/cohort_status.log",
    benchmark:
        f"{RESULTS}/benchmarks/status/cohort_status.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        samples=samples[["patient", "sample", "type", "wga", "purity"]].to_dict(
            "records"
        ),
        min_positive_ctcs=config["discordance"]["min_positive_ctcs"],
        # how sure a loss of the primary's mutation must be (status/loss.py)
        loss={
            "min_loss_posterior": config["discordance"]["min_loss_posterior"],
            **{
                key: config["variants"][key]
                for key in ("sequencing_error", "default_purity", "ado_prior")
            },
        },
    script:
        "../scripts/cohort_status.py"


rule report_content:
    input:
        status=f"{RESULTS}/status.tsv",
        discordance=f"{RESULTS}/discordance.tsv",
        patients=f"{RESULTS}/patients.tsv",
        hotspots=get_checked_variant_files("hotspots.tsv"),
        heatmaps=get_checked_heatmaps,
        clones=get_checked_clone_summaries,
        identity_warnings=get_identity_table("warnings.txt"),
        profiles=get_checked_copy_number_files("profile.png"),
    output:
        patients=f"{RESULTS}/qc/report/ctc_patients_mqc.yaml",
        clones=f"{RESULTS}/qc/report/ctc_clones_mqc.yaml",
        status=f"{RESULTS}/qc/report/ctc_status_mqc.yaml",
        discordance_matrix=f"{RESULTS}/qc/report/ctc_discordance_matrix_mqc.yaml",
        discordance=f"{RESULTS}/qc/report/ctc_discordance_mqc.yaml",
        cell_qc=f"{RESULTS}/qc/report/ctc_cell_qc_mqc.yaml",
        gene_copy_number=f"{RESULTS}/qc/report/ctc_gene_copy_number_mqc.yaml",
        hotspot_depth=f"{RESULTS}/qc/report/ctc_hotspot_depth_mqc.yaml",
        run_time=f"{RESULTS}/qc/report/ctc_run_time_mqc.yaml",
        heatmaps=f"{RESULTS}/qc/report/ctc_heatmaps_mqc.html",
        profiles=f"{RESULTS}/qc/report/ctc_profiles_mqc.html",
        summary=f"{RESULTS}/qc/report/ctc_workflow_summary_mqc.yaml",
        verdict=REPORT_VERDICT,
    log:
        f"{RESULTS}/logs/status/report_content.log",
    benchmark:
        f"{RESULTS}/benchmarks/status/report_content.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        min_positive_ctcs=config["discordance"]["min_positive_ctcs"],
        settings=get_calling_settings(),
        workflow_dir=workflow.basedir,
        inline_profiles=config["multiqc"]["inline_profiles"],
        report_dir=f"{RESULTS}/multiqc",
        min_depth=config["variants"]["min_depth"],
        # read, not declared: the jobs upstream of this one have written theirs
        benchmarks_dir=f"{RESULTS}/benchmarks",
    script:
        "../scripts/report_content.py"
