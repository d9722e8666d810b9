"""The workflow's Python code under the versions its rules get from conda.

Rules run in envs/python.yaml's pinned environment (`--sdm conda`), whose
pandas, numpy and statsmodels are older than requirements.txt's. `make test`
installs those pins from PyPI into .venv-rule; the module tests, which need
neither Snakemake nor the tools, run there too."""

from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT

RULE_PYTHON = ROOT / ".venv-rule" / "bin" / "python"

# tests of the workflow's modules and scripts, run under the rule pins
MODULE_TESTS = [
    "test_dropout.py", "test_assessability.py", "test_bins.py", "test_profile.py", "test_detection_limit.py",
    "test_discordance.py",
    "test_envs.py", "test_fastq_check.py", "test_layers.py", "test_fastq_verdicts.py", "test_her2_egfr_rules.py",
    "test_patient_variants.py", "test_plots.py", "test_private.py", "test_real_amplicon.py", "test_normal_panel.py",
    "test_real_cells.py",
    "test_reference_normals.py", "test_resource_placement.py",
    "test_region_reads.py", "test_multiqc_content.py", "test_resources.py", "test_simulate_cohort.py",
    "test_simulate_design.py", "test_simulate_genome.py", "test_simulate_grch38.py", "test_simulate_model.py",
    "test_simulate_private.py", "test_simulate_reads.py", "test_simulator_wga_chemistry.py", "test_tables.py",
    "test_origin.py", "test_regions.py", "test_states.py", "test_germline_resource.py", "test_population.py",
    "test_versions.py", "test_gene_tiles.py", "test_words.py", "test_verdict.py", "test_gain_evidence.py",
    "test_run_time.py", "test_identity.py", "test_identity_sites.py", "test_clones.py", "test_patient_calls.py",
]
# tests that start Snakemake, a cluster or a browser: the project's .venv only
WORKFLOW_TESTS = [
    "test_atomic_outputs.py", "test_config_checks.py", "test_failed_cells.py", "test_hotspot_table.py", "test_lint.py",
    "test_input_validation.py",
    "test_reference_check.py", "test_report_scale.py", "test_robustness.py", "test_rule_env.py", "test_sheets.py",
    "test_slurm.py", "test_status_report.py", "test_user_cohort.py", "test_workflow.py",
    "test_workflow_variants.py", "test_identity_workflow.py",
]


def test_every_test_module_is_placed() -> None:
    found = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    assert sorted(MODULE_TESTS + WORKFLOW_TESTS) == found


@pytest.mark.skipif(not RULE_PYTHON.exists(), reason="no .venv-rule: `make test` builds it from envs/python.yaml")
def test_module_tests_pass_under_the_rule_pins() -> None:
    versions = subprocess.run(
        [str(RULE_PYTHON), "-c", "import pandas, numpy; print(pandas.__version__, numpy.__version__)"],
        capture_output=True, text=True, check=True).stdout.split()
    pins = (ROOT / ".venv-rule" / "requirements.txt").read_text().split()
    assert f"pandas=={versions[0]}" in pins and f"numpy=={versions[1]}" in pins
    done = subprocess.run(
        [str(RULE_PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", *MODULE_TESTS],
        cwd=ROOT / "tests", capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
