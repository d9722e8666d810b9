# Copy number: bins (fixed windows for genome-wide libraries, the targets for
# capture libraries) -> read counts -> per patient, one table of reference
# normals per group (WBC cells of a kit, bulk normals) -> one job per patient
# calling each sample: GC-corrected profile, ratio to its reference,
# segments, integer copy number, gene copy number, HER2/EGFR status.


rule copy_number_bins:
    input:
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
        targets=get_bin_targets,
    output:
        bins=f"{RESULTS}/copy_number/bins/{{bin_set}}.tsv",
        bed=f"{RESULTS}/copy_number/bins/{{bin_set}}.bed",
    log:
        f"{RESULTS}/logs/copy_number/bins.{{bin_set}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/bins.{{bin_set}}.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        size=config["copy_number"]["bin_size"],
        contigs=config["copy_number"]["contigs"],
        blacklist=config["copy_number"]["blacklist"],
        mask=config["copy_number"]["mask"],
    script:
        "../scripts/copy_number_bins.py"


rule gene_windows:
    input:
        fasta=get_reference_fasta(),
        fai=get_fasta_index(),
        genes=get_placed_resource("genes"),
    output:
        tsv=f"{RESULTS}/copy_number/bins/gene_windows.tsv",
        bed=f"{RESULTS}/copy_number/bins/gene_windows.bed",
    log:
        f"{RESULTS}/logs/copy_number/gene_windows.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/gene_windows.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        window=config["copy_number"]["gene_window"],
        mask=config["copy_number"]["mask"],
        blacklist=config["copy_number"]["blacklist"],
    script:
        "../scripts/gene_windows.py"


rule bin_counts:
    input:
        unpack(get_copy_number_bam),
        bed=lambda wc: get_sample_bins(wc, "bed"),
        windows=f"{RESULTS}/copy_number/bins/gene_windows.bed",
    output:
        counts=f"{RESULTS}/copy_number/{{sample}}/counts.tsv",
        windows=f"{RESULTS}/copy_number/{{sample}}/window_counts.tsv",
    log:
        f"{RESULTS}/logs/copy_number/{{sample}}.counts.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/{{sample}}.counts.tsv"
    conda:
        "../../envs/python.yaml"
    # one thread: a cohort's cells count side by side; a second thread
    # (--threads 2) decompressing the BAM made one cell faster but kept a
    # 2-core run to one cell at a time (docs/copy_number.md, "Counting reads")
    threads: 1
    resources:
        mem_mb=500,
        runtime=60,
    params:
        min_mapq=config["copy_number"]["min_mapq"],
        script=WORKFLOW_DIR / "scripts" / "bin_counts.py",
    shell:
        # reads overlapping each bin and gene window, as `samtools bedcov -c`
        # counts them, from one pass over the reads instead of bedcov's pileup
        # (docs/copy_number.md, "Counting reads"); a plain command, not
        # script:, to spare the job Snakemake's preamble
        "python {params.script:q} --threads {threads} {input.bam:q} {params.min_mapq}"
        " {input.bed:q} {output.counts:q} {input.windows:q} {output.windows:q} 2> {log:q}"


rule reference_normals:
    input:
        bins=get_normals_bins,
        windows=f"{RESULTS}/copy_number/bins/gene_windows.tsv",
        counts=lambda wc: get_normals_files(wc, "counts.tsv"),
        window_counts=lambda wc: get_normals_files(wc, "window_counts.tsv"),
    output:
        f"{RESULTS}/copy_number/references/{{patient}}/{{normals}}.tsv",
    log:
        f"{RESULTS}/logs/copy_number/references/{{patient}}.{{normals}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/references/{{patient}}.{{normals}}.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        members=lambda wc: get_normals_members(wc.patient, wc.normals),
        qc=config["copy_number"]["qc"],
    script:
        "../scripts/reference_normals.py"


rule call_copy_number:
    input:
        unpack(get_patient_call_inputs),
        windows=f"{RESULTS}/copy_number/bins/gene_windows.tsv",
        genes=get_placed_resource("genes"),
        reference_regions=get_placed_resource("reference_regions"),
    output:
        # one folder per sample inside; rule copy_number_sample_files links
        # them to each sample's own folder
        temp(directory(f"{RESULTS}/copy_number/calls/{{patient}}")),
    log:
        f"{RESULTS}/logs/copy_number/{{patient}}.call.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/{{patient}}.call.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=lambda wc, input: 10 + len(input.counts),
    params:
        samples=lambda wc: get_patient_call_samples(wc.patient),
        settings=config["copy_number"],
    script:
        "../scripts/call_copy_number.py"


# a sample's call, where every later rule and the user look for it: hard
# links to the patient's call, so no data is copied
rule copy_number_sample_files:
    input:
        lambda wc: f"{RESULTS}/copy_number/calls/{SAMPLE_ROWS[wc.sample]['patient']}",
    output:
        **{
            name.split(".")[0]: f"{RESULTS}/copy_number/{{sample}}/{name}"
            for name in SAMPLE_FILES
        },
    log:
        f"{RESULTS}/logs/copy_number/{{sample}}.links.log",
    localrule: True
    # coreutils' ln and cp: any environment has them
    conda:
        "../../envs/samtools.yaml"
    resources:
        mem_mb=100,
        runtime=5,
    shell:
        # a copy where the file system has no hard links
        ": > {log:q}; for path in {output:q}; do"
        ' source={input:q}/{wildcards.sample}/$(basename "$path");'
        ' ln -f "$source" "$path.part" 2> /dev/null || cp "$source" "$path.part" 2>> {log:q};'
        ' mv "$path.part" "$path";'
        " done"


rule plot_copy_number:
    input:
        bins=f"{RESULTS}/copy_number/{{sample}}/bins.tsv",
        status=f"{RESULTS}/copy_number/{{sample}}/status.tsv",
        genes=get_placed_resource("genes"),
        regions=get_placed_resource("reference_regions"),
    output:
        f"{RESULTS}/copy_number/{{sample}}/profile.png",
    log:
        f"{RESULTS}/logs/copy_number/{{sample}}.plot.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/{{sample}}.plot.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plot_copy_number.py"


rule copy_number_clones:
    input:
        bins=lambda wc: [
            f"{RESULTS}/copy_number/{s}/bins.tsv"
            for s in get_patient_copy_number_samples(wc.patient)
        ],
        status=lambda wc: [
            f"{RESULTS}/copy_number/{s}/status.tsv"
            for s in get_patient_copy_number_samples(wc.patient)
        ],
    output:
        clones=f"{RESULTS}/copy_number/{{patient}}.clones.tsv",
        profiles=f"{RESULTS}/copy_number/{{patient}}.clone_profiles.tsv",
        summary=f"{RESULTS}/copy_number/{{patient}}.clone_summary.tsv",
        tree=f"{RESULTS}/copy_number/{{patient}}.clone_tree.tsv",
    log:
        f"{RESULTS}/logs/copy_number/{{patient}}.clones.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/{{patient}}.clones.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        settings=config["copy_number"]["clones"],
    script:
        "../scripts/copy_number_clones.py"


rule copy_number_heatmap:
    input:
        bins=lambda wc: [
            f"{RESULTS}/copy_number/{s}/bins.tsv"
            for s in get_patient_copy_number_samples(wc.patient)
        ],
        status=lambda wc: [
            f"{RESULTS}/copy_number/{s}/status.tsv"
            for s in get_patient_copy_number_samples(wc.patient)
        ],
        clones=f"{RESULTS}/copy_number/{{patient}}.clones.tsv",
        tree=f"{RESULTS}/copy_number/{{patient}}.clone_tree.tsv",
        genes=get_placed_resource("genes"),
    output:
        f"{RESULTS}/copy_number/{{patient}}.heatmap.png",
    log:
        f"{RESULTS}/logs/copy_number/{{patient}}.heatmap.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/{{patient}}.heatmap.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/copy_number_heatmap.py"


rule copy_number_summary:
    input:
        get_checked_copy_number_files("status.tsv"),
    output:
        f"{RESULTS}/copy_number/summary.tsv",
    log:
        f"{RESULTS}/logs/copy_number/summary.log",
    benchmark:
        f"{RESULTS}/benchmarks/copy_number/summary.tsv"
    conda:
        "../../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/copy_number_summary.py"
