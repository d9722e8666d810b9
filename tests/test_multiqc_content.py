"""MultiQC custom content built from the status tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from ctc_profiler.report import multiqc_content as rc


def patients(flag: str) -> pd.DataFrame:
    return pd.DataFrame([{"patient": "P1", "primary": "P1_primary", "her2_gain_in_ctcs": flag,
                          "her2_positive_ctc_names": "P1_CTC01;P1_CTC02"}])


def test_patient_summary_names_the_her2_gain_patient_and_cells() -> None:
    section = rc.patients_section(patients("true"), min_positive=1)
    assert "HER2 gain in CTCs" in section["description"]
    assert "patient P1 (P1_CTC01;P1_CTC02)" in section["description"]
    assert section["data"]["P1"]["her2_gain_in_ctcs"] == "yes"  # not a red/green true/false badge
    assert section["headers"]["her2_gain_in_ctcs"]["scale"] is False
    quiet = rc.patients_section(patients("false"), min_positive=2)
    assert "No patient shows HER2 gain" in quiet["description"]
    assert "at least 2" in quiet["description"]


def test_discordance_section_keeps_what_matters() -> None:
    table = pd.DataFrame([
        {"patient": "P1", "ctc": "c1", "feature": "HER2", "call": "concordant", "ctc_value": "negative"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR:T790M", "call": "concordant", "ctc_value": "absent"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR:L858R", "call": "gain", "ctc_value": "present"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR:G719S", "call": "not_assessable", "ctc_value": "not_seen"},
    ]).assign(primary_value="", primary_evidence="", ctc_evidence="", note="")
    section = rc.discordance_section(table)
    assert set(section["data"]) == {"c1 · HER2", "c1 · EGFR:L858R", "c1 · EGFR:G719S"}
    assert "1 hotspot comparisons" in section["description"]


def test_gene_copy_number_bar_graph_skips_samples_without_a_call() -> None:
    status = pd.DataFrame({"sample": ["a", "b"], "erbb2_cn": [10.0, float("nan")],
                           "egfr_cn": [2.0, float("nan")]})
    section = rc.gene_copy_number_section(status)
    assert section["data"] == {"a": {"ERBB2": 10.0, "EGFR": 2.0}}
    assert section["pconfig"]["stacking"] == "group"


def test_workflow_summary_flattens_settings_and_written_yaml_reads_back(tmp_path: Path) -> None:
    section = rc.workflow_summary({"copy_number": {"bin_size": 500000, "qc": {"max_mapd": 0.7}},
                                   "discordance": {"min_positive_ctcs": 1}}, "abc123", "2026-01-01")
    path = tmp_path / "summary_mqc.yaml"
    rc.write_yaml(section, path)
    data = yaml.safe_load(path.read_text())["data"]
    assert data["workflow version"]["value"] == "abc123"
    assert data["copy_number.qc.max_mapd"]["value"] == 0.7
    assert data["discordance.min_positive_ctcs"]["value"] == 1


def test_image_gallery_embeds_pngs_under_a_multiqc_header(tmp_path: Path) -> None:
    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    text = rc.image_gallery("ctc_profiles", "Profiles", "desc", [("P1_CTC01", png)])
    header = yaml.safe_load(text.split("<!--\n", 1)[1].split("-->", 1)[0])
    assert header == {"id": "ctc_profiles", "section_name": "Profiles", "description": "desc"}
    assert "data:image/png;base64,iVBORw0KGg" in text and "P1_CTC01" in text


def test_profiles_beyond_the_first_page_are_linked_not_embedded(tmp_path: Path) -> None:
    results = tmp_path / "results"
    images = []
    for i in range(5):
        png = results / "copy_number" / f"C{i}" / "profile.png"
        png.parent.mkdir(parents=True)
        png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1000))
        images.append((f"C{i}", png))
    text = rc.image_gallery("ctc_profiles", "Profiles", "desc", images, inline=2, report_dir=results / "multiqc")
    assert text.count("data:image/png;base64,") == 2
    assert '<a href="../copy_number/C4/profile.png">C4</a>' in text and "3 more" in text
    assert '"../copy_number/C0/profile.png"' not in text  # embedded, not linked
    header = yaml.safe_load(text.split("<!--\n", 1)[1].split("-->", 1)[0])
    assert header["description"] == "desc The first 2 are shown here."


def test_profiles_with_a_gain_come_first_then_indeterminate_then_sheet_order() -> None:
    status = pd.DataFrame([
        {"sample": "w1", "her2_status": "negative", "egfr_amplified": "false"},
        {"sample": "c1", "her2_status": "negative", "egfr_amplified": "false"},
        {"sample": "c2", "her2_status": "indeterminate", "egfr_amplified": "false"},
        {"sample": "c3", "her2_status": "negative", "egfr_amplified": "true"},
        {"sample": "c4", "her2_status": "positive", "egfr_amplified": "false"},
    ])
    assert rc.profile_order(status, ["w1", "c1", "c2", "c3", "c4", "x"]) == ["c3", "c4", "c2", "w1", "c1", "x"]


def test_workflow_version_is_the_commit_or_unknown(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    version = rc.workflow_version(root)
    assert version != ""
    assert rc.workflow_version(tmp_path) == "unknown"  # not a git checkout


def test_discordance_matrix_has_a_row_per_ctc_and_a_column_per_telling_feature() -> None:
    table = pd.DataFrame([
        {"patient": "P1", "ctc": "c1", "feature": "HER2", "call": "gain", "ctc_value": "positive"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR_amplification", "call": "concordant", "ctc_value": "false"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR:T790M", "call": "concordant", "ctc_value": "absent"},
        {"patient": "P1", "ctc": "c1", "feature": "EGFR:L858R", "call": "not_assessable", "ctc_value": "not_seen"},
        {"patient": "P1", "ctc": "c2", "feature": "HER2", "call": "concordant", "ctc_value": "negative"},
        {"patient": "P1", "ctc": "c2", "feature": "EGFR_amplification", "call": "concordant", "ctc_value": "false"},
        {"patient": "P1", "ctc": "c2", "feature": "EGFR:T790M", "call": "concordant", "ctc_value": "absent"},
        {"patient": "P1", "ctc": "c2", "feature": "EGFR:L858R", "call": "gain", "ctc_value": "present"},
    ])
    section = rc.discordance_matrix_section(table)
    assert list(section["headers"]) == ["HER2", "EGFR_amplification", "EGFR:L858R"]  # T790M says nothing
    assert section["data"]["P1 · c1"] == {"HER2": "gain", "EGFR_amplification": "concordant",
                                          "EGFR:L858R": "not assessable"}
    assert section["data"]["P1 · c2"]["EGFR:L858R"] == "gain"
    assert section["headers"]["HER2"]["bgcols"]["gain"] == rc.FINDING


def test_general_statistics_colours_follow_the_configured_thresholds() -> None:
    status = pd.DataFrame([{"sample": "c1", "reads": 500_000, "median_reads_per_bin": 80.0, "mapd": 0.72,
                            "gini": 0.2, "ado_rate": 0.1, "cn_qc": "noisy", "her2_status": "positive"}])
    section = rc.cell_qc_generalstats(status, {"min_median_reads_per_bin": 60, "max_mapd": 0.7, "max_gini": 0.35})
    headers = {k: v for column in section["pconfig"] for k, v in column.items()}
    assert headers["mapd"]["cond_formatting_rules"] == {"fail": [{"gt": 0.7}], "pass": [{"lt": 0.7}, {"eq": 0.7}]}
    assert headers["median_reads_per_bin"]["cond_formatting_rules"]["fail"] == [{"lt": 60}]
    assert headers["gini"]["cond_formatting_rules"]["fail"] == [{"gt": 0.35}]
    assert headers["cn_qc"]["cond_formatting_rules"]["warn"] == [{"s_eq": "noisy"}]
    assert "above 0.7 the profile fails" in headers["mapd"]["description"]
    assert section["data"]["c1"]["cn_qc"] == "noisy"


def test_hotspot_depth_table_is_samples_by_hotspots_red_below_the_minimum() -> None:
    hotspots = pd.DataFrame([
        {"sample": "c1", "gene": "EGFR", "protein_change": "L858R", "depth": "40"},
        {"sample": "c1", "gene": "EGFR", "protein_change": "T790M", "depth": "3"},
        {"sample": "w1", "gene": "EGFR", "protein_change": "L858R", "depth": "0"},
    ])
    section = rc.hotspot_depth_section(hotspots, 5)
    assert section["data"] == {"c1": {"EGFR:L858R": 40, "EGFR:T790M": 3}, "w1": {"EGFR:L858R": 0}}
    assert list(section["headers"]) == ["EGFR:L858R", "EGFR:T790M"]
    assert section["headers"]["EGFR:T790M"]["cond_formatting_rules"]["fail"] == [{"lt": 5}]
    assert rc.hotspot_depth_section(pd.DataFrame(), 5)["data"] == {}
