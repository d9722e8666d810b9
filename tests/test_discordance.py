"""Status, discordance and patient flags on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from ctc_profiler.status.discordance import build_discordance, mutation_call
from ctc_profiler.status.loss import LossEvidence, carrier_prior
from ctc_profiler.status.patients import build_patients, her2_gain_flag
from ctc_profiler.status.samples import build_status, egfr_status


def sheet(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"patient": p, "sample": s, "type": t, "wga": "none" if t == "primary" else "PicoPLEX"}
         for p, s, t in rows]
    )


def cn_row(sample: str, her2: str, qc_pass: bool = True, egfr_amplified: str = "false",
           reason: str = "", cn_qc: str | None = None) -> dict:
    erbb2 = {"positive": 10, "negative": 2, "equivocal": 6}.get(her2, float("nan"))
    cn_qc = cn_qc or ("pass" if qc_pass else "fail")
    return {"sample": sample, "qc_pass": qc_pass, "cn_qc": cn_qc, "qc_reason": reason, "reads": 50000,
            "median_reads_per_bin": 100, "mapd": 0.2, "gini": 0.1, "ploidy": 2.0,
            "erbb2_cn": erbb2, "chr17_ref_cn": 2, "her2_ratio": erbb2 / 2,
            "her2_group": 1 if her2 == "positive" else 5, "her2_status": her2,
            "egfr_cn": 2, "egfr_ratio": 1.0, "egfr_amplified": egfr_amplified}


def hotspot(sample: str, protein: str, state: str, alt: int = 0, depth: int = 20,
            gene: str = "EGFR") -> dict:
    return {"sample": sample, "gene": gene, "protein_change": protein, "state": state,
            "alt_reads": alt, "depth": depth}


HOTSPOT_COLUMNS = ["sample", "gene", "protein_change", "state", "alt_reads", "depth", "quality"]
NO_METRICS = pd.DataFrame(columns=["sample", "ado_rate"])


def tables(samples: pd.DataFrame, cn: list[dict], spots: list[dict], min_positive: int = 1):
    status = build_status(samples, pd.DataFrame(cn), pd.DataFrame(spots, columns=HOTSPOT_COLUMNS),
                          NO_METRICS)
    spots_frame = pd.DataFrame(spots, columns=HOTSPOT_COLUMNS)
    discordance = build_discordance(status, spots_frame)
    return status, discordance, build_patients(status, discordance, min_positive)


def call(discordance: pd.DataFrame, ctc: str, feature: str) -> str:
    row = discordance[(discordance["ctc"] == ctc) & (discordance["feature"] == feature)]
    assert len(row) == 1, (ctc, feature, discordance)
    return row["call"].iloc[0]


def test_status_says_what_each_sample_was_normalised_to() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [{**cn_row("prim", "negative"), "reference": "self"},
          {**cn_row("c1", "positive"), "reference": "w1,w2"}]
    status, _, _ = tables(samples, cn, [])
    reference = status.set_index("sample")["reference"]
    assert (reference["prim"], reference["c1"]) == ("self", "w1,w2")
    assert pd.isna(reference["c2"])  # no copy-number row (no genome-wide library): nothing to name


def test_her2_negative_primary_with_two_positive_ctcs_is_flagged() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"),
                    ("P1", "c3", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "positive"), cn_row("c2", "positive"),
          cn_row("c3", "negative")]
    _, discordance, patients = tables(samples, cn, [])
    assert call(discordance, "c1", "HER2") == "gain"
    assert call(discordance, "c3", "HER2") == "concordant"
    evidence = discordance.set_index(["ctc", "feature"]).loc[("c1", "HER2"), "ctc_evidence"]
    assert evidence == "ERBB2 10 copies, ratio 5.0, ASCO/CAP group 1"
    row = patients.iloc[0]
    assert row["her2_gain_in_ctcs"] == "true"
    assert row["her2_positive_ctcs"] == 2
    assert row["her2_positive_ctc_names"] == "c1;c2"
    assert row["ctcs"] == 3 and row["ctcs_qc_pass"] == 3


def test_her2_evidence_says_what_a_negative_cell_rules_out() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"), ("P1", "c3", "ctc"))
    cn = [cn_row("prim", "negative"), {**cn_row("c1", "negative"), "erbb2_detectable_cn": "7"},
          {**cn_row("c2", "negative"), "erbb2_detectable_cn": ">40"}, cn_row("c3", "positive")]
    evidence = tables(samples, cn, [])[1].set_index(["ctc", "feature"])["ctc_evidence"]
    assert evidence[("c1", "HER2")] == (
        "ERBB2 2 copies, ratio 1.0, ASCO/CAP group 5; an ERBB2 gain would show from 7 copies")
    assert evidence[("c2", "HER2")].endswith("; no ERBB2 gain up to 40 copies would show")
    assert evidence[("c3", "HER2")] == "ERBB2 10 copies, ratio 5.0, ASCO/CAP group 1"


def test_egfr_evidence_says_what_a_not_amplified_cell_rules_out() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"), ("P1", "c3", "ctc"))
    cn = [cn_row("prim", "negative"), {**cn_row("c1", "negative"), "egfr_detectable_cn": "5"},
          {**cn_row("c2", "negative"), "egfr_detectable_cn": ">40"}, cn_row("c3", "negative")]
    status, discordance, _ = tables(samples, cn, [])
    assert status.set_index("sample").loc["c1", "egfr_detectable_cn"] == "5"
    evidence = discordance.set_index(["ctc", "feature"])["ctc_evidence"]
    assert evidence[("c1", "EGFR_amplification")] == "EGFR 2 copies; an EGFR gain would show from 5 copies"
    assert evidence[("c2", "EGFR_amplification")] == "EGFR 2 copies; no EGFR gain up to 40 copies would show"
    assert evidence[("c3", "EGFR_amplification")] == "EGFR 2 copies"


def test_n_sets_how_many_positive_ctcs_make_the_flag() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "positive"), cn_row("c2", "negative")]
    assert tables(samples, cn, [], min_positive=2)[2].iloc[0]["her2_gain_in_ctcs"] == "false"
    assert tables(samples, cn, [], min_positive=1)[2].iloc[0]["her2_gain_in_ctcs"] == "true"


def test_a_ctc_failing_qc_never_counts() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "positive", qc_pass=False, reason="MAPD 0.9 > 0.7"),
          cn_row("c2", "negative")]
    spots = [hotspot("prim", "L858R", "wildtype"), hotspot("c1", "L858R", "mutant", alt=5),
             hotspot("c2", "L858R", "wildtype")]
    status, discordance, patients = tables(samples, cn, spots)
    assert call(discordance, "c1", "HER2") == "not_assessable"
    assert call(discordance, "c1", "EGFR:L858R") == "not_assessable"
    assert "MAPD 0.9 > 0.7" in discordance[discordance["ctc"] == "c1"]["note"].iloc[0]
    row = patients.iloc[0]
    assert row["her2_gain_in_ctcs"] == "false"
    assert row["her2_positive_ctcs"] == 0 and row["ctcs_qc_pass"] == 1
    assert row["egfr_mutation_gained"] == "false"
    assert status.set_index("sample").loc["c1", "qc_pass"] == "false"


def test_dropout_possible_never_becomes_loss() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "negative"), cn_row("c2", "negative")]
    spots = [hotspot("prim", "L858R", "mutant", alt=20, depth=60),
             hotspot("c1", "L858R", "dropout_possible", depth=6),
             hotspot("c2", "L858R", "wildtype", depth=40)]
    _, discordance, patients = tables(samples, cn, spots)
    assert call(discordance, "c1", "EGFR:L858R") == "not_assessable"
    # a truncal mutation not seen in 40 reads: dropout at the kit's rate explains it
    assert call(discordance, "c2", "EGFR:L858R") == "not_assessable"
    row = patients.iloc[0]
    assert row["egfr_mutation_lost"] != "true" and row["egfr_mutations_lost"] == ""
    assert row["primary_egfr_mutations"] == "L858R"


def test_a_locus_dropout_in_a_cell_of_low_measured_ado_is_no_loss() -> None:
    """0 alt reads of 70 at the primary's L858R in a cell whose genome-wide
    ADO measured 1%: the locus can still have dropped out at the kit's rate."""
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"))
    samples["purity"] = [0.6, None]
    cn = [cn_row("prim", "negative"), cn_row("c1", "negative")]
    spots = pd.DataFrame([hotspot("prim", "L858R", "mutant", alt=25, depth=100),
                          hotspot("c1", "L858R", "wildtype", alt=0, depth=70)], columns=HOTSPOT_COLUMNS)
    metrics = pd.DataFrame([{"sample": "c1", "ado_rate": 0.01}])
    status = build_status(samples, pd.DataFrame(cn), spots, metrics)
    discordance = build_discordance(status, spots)
    row = discordance[discordance["feature"] == "EGFR:L858R"].iloc[0]
    assert row["call"] == "not_assessable"
    assert "dropout cannot be excluded: P(not carried) 0.500" in row["note"]
    assert "locus dropout 0.20" in row["note"]  # PicoPLEX at the default prior, not the cell's 0.01
    assert build_patients(status, discordance, 1).iloc[0]["egfr_mutation_lost"] != "true"


def test_loss_of_a_rare_subclonal_mutation_with_deep_reads_is_called() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"))
    samples["purity"] = [0.9, None]
    cn = [cn_row("prim", "negative"), cn_row("c1", "negative")]
    # 1% of the primary's reads: about 2% of its tumour cells carry it
    spots = [hotspot("prim", "L858R", "mutant", alt=10, depth=1000),
             hotspot("c1", "L858R", "wildtype", alt=0, depth=200)]
    status = build_status(samples, pd.DataFrame(cn), pd.DataFrame(spots, columns=HOTSPOT_COLUMNS), NO_METRICS)
    discordance = build_discordance(status, pd.DataFrame(spots, columns=HOTSPOT_COLUMNS))
    row = discordance[discordance["feature"] == "EGFR:L858R"].iloc[0]
    assert row["call"] == "loss" and row["note"].startswith("P(not carried) 0.995")
    patients = build_patients(status, discordance, 1)
    assert patients.iloc[0]["egfr_mutation_lost"] == "true"


def test_mutation_gained_in_a_ctc() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "negative")]
    spots = [hotspot("prim", "L858R", "wildtype", depth=80), hotspot("c1", "L858R", "mutant", alt=4),
             hotspot("prim", "T790M", "wildtype"), hotspot("c1", "T790M", "dropout_possible")]
    status, discordance, patients = tables(samples, cn, spots)
    assert call(discordance, "c1", "EGFR:L858R") == "gain"
    assert call(discordance, "c1", "EGFR:T790M") == "concordant"
    assert patients.iloc[0]["egfr_mutations_gained"] == "L858R"
    assert status.set_index("sample").loc["c1", "egfr_status"] == "mutant"
    assert status.set_index("sample").loc["prim", "egfr_status"] == "wildtype"


def test_patient_without_primary_is_ctc_only() -> None:
    samples = sheet(("P2", "c1", "ctc"), ("P2", "w1", "wbc"))
    cn = [cn_row("c1", "positive"), cn_row("w1", "negative")]
    status, discordance, patients = tables(samples, cn, [hotspot("c1", "L858R", "mutant", alt=3)])
    assert set(discordance["call"]) == {"not_assessable"}
    row = patients.iloc[0]
    assert row["primary"] == ""
    assert row["her2_gain_in_ctcs"] == "not_assessable"
    assert row["egfr_mutation_gained"] == "not_assessable"
    assert row["her2_positive_ctcs"] == 1
    assert "no primary" in row["note"]
    assert status.set_index("sample").loc["c1", "her2_status"] == "positive"


def test_sample_without_copy_number_library_is_listed_not_assessable() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"))
    status, _, _ = tables(samples, [cn_row("prim", "negative")], [])
    row = status.set_index("sample").loc["c1"]
    assert row["her2_status"] == "not_assessable" and row["qc_pass"] == "false"
    assert "no genome-wide or capture library" in row["qc_reason"]


def test_equivocal_against_negative_is_not_called_a_gain() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"))
    _, discordance, patients = tables(samples, [cn_row("prim", "negative"), cn_row("c1", "equivocal")], [])
    assert call(discordance, "c1", "HER2") == "not_assessable"
    assert patients.iloc[0]["her2_gain_in_ctcs"] == "false"


@pytest.mark.parametrize(
    ("primary", "ctc", "expected"),
    [("mutant", "mutant", "concordant"), ("wildtype", "mutant", "gain"),
     ("mutant", "wildtype", "not_assessable"), ("mutant", "dropout_possible", "not_assessable"),
     ("wildtype", "no_coverage", "not_assessable"), ("no_coverage", "mutant", "not_assessable"),
     ("wildtype", "wildtype", "concordant")],
)
def test_mutation_call_table(primary: str, ctc: str, expected: str) -> None:
    assert mutation_call(primary, ctc)[0] == expected


def test_a_wildtype_cell_is_a_loss_only_past_the_posterior() -> None:
    sure, unsure = LossEvidence(0.995, 0.02, 0.2), LossEvidence(0.5, 0.5, 0.2)
    assert mutation_call("mutant", "wildtype", sure) == ("loss", sure.describe())
    call_, note = mutation_call("mutant", "wildtype", unsure)
    assert call_ == "not_assessable" and "dropout cannot be excluded" in note
    assert mutation_call("mutant", "wildtype", sure, min_loss_posterior=0.999)[0] == "not_assessable"


@pytest.mark.parametrize(
    ("amplified", "mutations", "unresolved", "genotyped", "expected"),
    [("true", ["L858R"], [], True, "mutant_amplified"), ("false", ["L858R"], [], True, "mutant"),
     ("true", [], ["T790M"], True, "amplified"), ("false", [], [], True, "wildtype"),
     ("false", [], ["T790M"], True, "not_detected"),
     ("not_assessable", [], [], False, "not_assessable"),
     ("not_assessable", [], [], True, "not_detected")],
)
def test_egfr_status(amplified: str, mutations: list[str], unresolved: list[str],
                     genotyped: bool, expected: str) -> None:
    assert egfr_status(amplified, mutations, unresolved, genotyped) == expected


def test_her2_gain_flag_needs_a_known_primary() -> None:
    assert her2_gain_flag("equivocal", 3, 3, 1) == "not_assessable"
    assert her2_gain_flag("positive", 3, 3, 1) == "false"
    assert her2_gain_flag("negative", 0, 0, 1) == "not_assessable"


def test_a_her2_gain_over_a_primary_without_purity_says_the_primary_may_read_low() -> None:
    cn = [cn_row("prim", "negative"), cn_row("c1", "positive"), cn_row("c2", "negative")]
    unknown = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    status, discordance, patients = tables(unknown.assign(purity=float("nan")), cn, [])
    her2 = discordance[discordance["feature"] == "HER2"].set_index("ctc")
    assert "purity not in the sample sheet" in her2.loc["c1", "note"]
    assert "purity not in the sample sheet" in patients.iloc[0]["note"]  # beside the patient's HER2 gain flag
    assert her2.loc["c2", "note"] == ""  # concordant: nothing to qualify
    assert her2.loc["c1", "primary_evidence"].endswith("ASCO/CAP group 5, purity not given")
    known = unknown.assign(purity=[0.4, None, None])
    status, discordance, patients = tables(known, cn, [])
    her2 = discordance[discordance["feature"] == "HER2"].set_index("ctc")
    assert her2.loc["c1", "call"] == "gain" and her2.loc["c1", "note"] == ""
    assert patients.iloc[0]["her2_gain_in_ctcs"] == "true" and "purity" not in patients.iloc[0]["note"]
    assert her2.loc["c1", "primary_evidence"].endswith("purity 0.4")
    assert status.set_index("sample").loc["prim", "purity"] == 0.4


def test_the_primary_copy_number_raises_the_carrier_prior() -> None:
    # 20% of the reads at purity 0.5: 0.8 of the tumour cells when diploid;
    # on one of 4 copies of a gained gene every tumour cell (capped at 0.99)
    assert carrier_prior(20, 100, 0.5, 0.5) == pytest.approx(0.8)
    assert carrier_prior(20, 100, 0.5, 0.5, copy_number=4) == pytest.approx(0.99)
    assert carrier_prior(10, 100, 0.5, 0.5, copy_number=1) == pytest.approx(0.3)
    assert carrier_prior(20, 100, 0.5, 0.5, copy_number=None) == carrier_prior(20, 100, 0.5, 0.5)


def test_an_indeterminate_cell_is_never_a_concordant_negative() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [cn_row("prim", "negative"), {**cn_row("c1", "indeterminate"), "erbb2_detectable_cn": ">40"},
          {**cn_row("c2", "negative"), "egfr_amplified": "indeterminate", "egfr_detectable_cn": "12"}]
    status, discordance, patients = tables(samples, cn, [])
    assert call(discordance, "c1", "HER2") == "not_assessable"
    assert call(discordance, "c2", "HER2") == "concordant"
    assert call(discordance, "c2", "EGFR_amplification") == "not_assessable"
    assert status.set_index("sample").loc["c2", "egfr_status"] == "not_detected"
    row = patients.iloc[0]
    assert row["her2_indeterminate_ctcs"] == 1 and row["her2_gain_in_ctcs"] == "false"
    assert "HER2 indeterminate in 1 CTC(s) (c1: no ERBB2 gain up to 40 copies would show)" in row["note"]
    # with every passing CTC indeterminate there is no HER2 answer for the patient
    _, _, alone = tables(sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc")), cn[:2], [])
    assert alone.iloc[0]["her2_gain_in_ctcs"] == "not_assessable"


def test_a_noisy_cells_gain_counts_and_its_failed_profile_is_said() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"), ("P1", "c3", "ctc"))
    cn = [cn_row("prim", "negative"),
          cn_row("c1", "positive", qc_pass=False, cn_qc="noisy", reason="MAPD 0.82 > 0.7"),
          {**cn_row("c2", "indeterminate", qc_pass=False, cn_qc="noisy", reason="Gini 0.4 > 0.35"),
           "her2_group": 1, "erbb2_z": 2.5},
          cn_row("c3", "not_assessable", qc_pass=False, reason="median reads per bin 20 < 60")]
    status, discordance, patients = tables(samples, cn, [])
    assert list(status["cn_qc"]) == ["pass", "noisy", "noisy", "fail"]
    assert call(discordance, "c1", "HER2") == "gain"
    assert call(discordance, "c2", "HER2") == "not_assessable"
    assert "failed QC" not in discordance.set_index("ctc").loc["c2"].iloc[0]["note"]
    assert call(discordance, "c3", "HER2") == "not_assessable"
    row = patients.iloc[0]
    assert (row["ctcs_qc_pass"], row["ctcs_noisy"], row["her2_positive_ctcs"]) == (0, 2, 1)
    assert row["her2_gain_in_ctcs"] == "true"
    assert "c2: ERBB2 gain at z 2.5, within what the cell's noise makes" in row["note"]


def test_a_mutation_call_says_how_sure_it_is() -> None:
    samples = sheet(("P1", "prim", "primary"), ("P1", "c1", "ctc"), ("P1", "c2", "ctc"))
    cn = [cn_row("prim", "negative"), cn_row("c1", "negative"), cn_row("c2", "negative")]
    spots = [{**hotspot("prim", "L858R", "wildtype", 0, 80), "quality": 99},
             {**hotspot("c1", "L858R", "mutant", 9, 20), "quality": 23},
             {**hotspot("c2", "L858R", "dropout_possible", 0, 12), "quality": 0}]
    _, discordance, _ = tables(samples, cn, spots)
    rows = discordance[discordance["feature"] == "EGFR:L858R"].set_index("ctc")
    assert rows.loc["c1", "ctc_evidence"] == "mutant alt 9/20 reads, posterior 0.995"
    assert rows.loc["c1", "primary_evidence"] == "wildtype alt 0/80 reads, posterior >0.9999"
    assert rows.loc["c2", "ctc_evidence"] == "dropout_possible alt 0/12 reads"
