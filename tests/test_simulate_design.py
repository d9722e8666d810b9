"""User-defined cohorts: options and cohort files become the requested
samples, clones, failed cells and read counts; the command line and a cohort
file give the same bytes; the demo preset is unchanged."""

from __future__ import annotations

import csv
import dataclasses
import gzip
from pathlib import Path

import numpy as np
import pytest
import yaml
from simulate_cohort import main, parse_args

from ctc_simulator import simulate_cohort
from ctc_simulator.cohort import build_model
from ctc_simulator.design import (
    CohortDesign,
    DesignError,
    build_spec,
    demo_spec,
    design_from_mapping,
    parse_count,
    read_design_file,
)
from ctc_simulator.reads import ADAPTER_READ1
from ctc_simulator.spec import shrink
from ctc_simulator.truth import gene_status

ROOT = Path(__file__).resolve().parents[1]
SMALL_CHROMOSOMES = ("chr7", "chr17")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def fastq_sequences(path: Path) -> list[str]:
    with gzip.open(path, "rt") as handle:
        return handle.read().splitlines()[1::4]


def all_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------ the design
def test_options_give_the_requested_cells_and_clones() -> None:
    design = design_from_mapping(
        {
            "patients": 2,
            "ctcs": 8,
            "amplified-ctcs": 3,
            "egfr_l858r_ctcs": 2,
            "wbcs": 3,
            "failed-cells": 2,
            "kit": "MALBAC",
        }
    )
    spec = build_spec(design)
    assert [p.patient for p in spec.patients] == ["P1", "P2"]
    for patient in spec.patients:
        by_type: dict[str, list[str]] = {}
        for sample in patient.samples:
            by_type.setdefault(sample.type, []).append(sample.sample)
        assert len(by_type["primary"]) == 1 and len(by_type["wbc"]) == 3
        ctcs = [s for s in patient.samples if s.type == "ctc"]
        assert [s.sample for s in ctcs] == [
            f"{patient.patient}_CTC{i:02d}" for i in range(1, 9)
        ]
        assert [s.clone for s in ctcs].count("her2_amplified") == 3
        assert [s.clone for s in ctcs].count("egfr_l858r") == 2
        assert [s.failure is not None for s in ctcs] == [False] * 6 + [True] * 2
        cells = [s for s in patient.samples if s.is_cell]
        assert {s.wga for s in cells} == {"MALBAC"}
        assert patient.samples[0].clone == "primary"  # HER2-negative primary


def test_demo_preset_is_the_default_design() -> None:
    assert build_spec(CohortDesign(), "demo") == demo_spec()
    spec = demo_spec()
    assert [s.sample for s in spec.patients[0].samples] == [
        "P1_primary",
        "P1_WBC01",
        "P1_WBC02",
        "P1_CTC01",
        "P1_CTC02",
        "P1_CTC03",
        "P1_CTC04",
    ]


def test_amplicon_copy_number_and_length_reach_the_truth_model() -> None:
    design = design_from_mapping(
        {"erbb2-cn": 7, "amplicon-kb": 300, "primary-her2": "positive"}
    )
    spec = shrink(build_spec(design), SMALL_CHROMOSOMES)
    model = build_model(spec, seed=3)
    genome = model.genome
    profiles = model.patients[0].profiles
    erbb2 = genome.gene("ERBB2")
    mid = (erbb2.start + erbb2.end) // 2
    assert sum(profiles["her2_amplified"].at(genome, "chr17", mid)) == 7
    amplified = profiles["her2_amplified"].total() != profiles["primary"].total()
    assert amplified.sum() * genome.spec.grid_bp == 300_000
    assert model.patients[0].spec.samples[0].clone == "her2_amplified"


def test_several_amplification_levels_go_to_the_amplified_cells_in_turn() -> None:
    design = design_from_mapping({"erbb2-cn": "6,10", "ctcs": 5, "amplified-ctcs": 3})
    assert design == design_from_mapping({"erbb2_cn": [6, 10], "ctcs": 5,
                                          "amplified_ctcs": 3})  # fmt: skip
    spec = shrink(build_spec(design), SMALL_CHROMOSOMES)
    ctcs = [s for s in spec.patients[0].samples if s.type == "ctc"]
    assert [s.clone for s in ctcs[:3]] == [
        "her2_amplified_cn6", "her2_amplified_cn10", "her2_amplified_cn6",
    ]  # fmt: skip
    model = build_model(spec, seed=2)
    genome, profiles = model.genome, model.patients[0].profiles
    erbb2 = genome.gene("ERBB2")
    mid = (erbb2.start + erbb2.end) // 2
    assert sum(profiles["her2_amplified_cn6"].at(genome, "chr17", mid)) == 6
    assert sum(profiles["her2_amplified_cn10"].at(genome, "chr17", mid)) == 10


def test_egfr_amplicons_go_to_their_cells_in_turn_and_reach_the_truth() -> None:
    design = design_from_mapping({"ctcs": 6, "amplified-ctcs": 1, "egfr-l858r-ctcs": 1,
                                  "egfr-amplified-ctcs": 3, "egfr-amplicon-cn": "3,12",
                                  "egfr-amplicon-kb": 500})  # fmt: skip
    spec = shrink(build_spec(design), SMALL_CHROMOSOMES)
    ctcs = [s.clone for s in spec.patients[0].samples if s.type == "ctc"]
    assert ctcs == ["her2_amplified", "egfr_l858r", "egfr_amplified_cn3", "egfr_amplified_cn12",
                    "egfr_amplified_cn3", "primary"]  # fmt: skip
    model = build_model(spec, seed=2)
    genome, profiles = model.genome, model.patients[0].profiles
    egfr = genome.gene("EGFR")
    mid = (egfr.start + egfr.end) // 2
    assert sum(profiles["egfr_amplified_cn12"].at(genome, "chr7", mid)) == 12
    changed = profiles["egfr_amplified_cn12"].total() != profiles["primary"].total()
    assert changed.sum() * genome.spec.grid_bp == 500_000
    # the truth's own rule (1.6 x the ploidy): 12 copies amplified, 3 not
    assert gene_status(genome, profiles["egfr_amplified_cn12"]).egfr_amplified is True
    assert gene_status(genome, profiles["egfr_amplified_cn3"]).egfr_amplified is False


@pytest.mark.parametrize(("gain", "reference_cn", "status_at_4"), [(True, 3.0, "equivocal"), (False, 2.0, "positive")])
def test_chr17q_gain_sets_the_chr17_reference_and_so_the_her2_truth(
    gain: bool, reference_cn: float, status_at_4: str
) -> None:
    design = design_from_mapping({"erbb2-cn": "4,6", "ctcs": 2, "amplified-ctcs": 2,
                                  "egfr-l858r-ctcs": 0, "chr17q-gain": "yes" if gain else "no"})  # fmt: skip
    assert design.chr17q_gain is gain
    model = build_model(shrink(build_spec(design), SMALL_CHROMOSOMES), seed=2)
    genome, profiles = model.genome, model.patients[0].profiles
    trunk, cn4, cn6 = (gene_status(genome, profiles[clone])
                       for clone in ("primary", "her2_amplified_cn4", "her2_amplified_cn6"))  # fmt: skip
    assert trunk.chr17_ref_cn == cn4.chr17_ref_cn == reference_cn
    assert trunk.her2_status == "negative"
    assert cn4.her2_status == status_at_4
    assert cn6.her2_ratio == pytest.approx(6 / reference_cn, abs=1e-3)
    assert cn6.her2_status == "positive"


def test_ado_override_sets_every_cell_s_dropout() -> None:
    design = design_from_mapping(
        {"ado": 0.4, "ctcs": 1, "amplified_ctcs": 0, "egfr_l858r_ctcs": 0, "wbcs": 1}
    )
    model = build_model(shrink(build_spec(design), SMALL_CHROMOSOMES), seed=1)
    for sample in model.patients[0].spec.samples:
        amplification = model.patients[0].amplifications[sample.sample]
        if sample.is_cell:
            assert amplification.kit.ado_rate == 0.4
            assert 0.3 < amplification.dropout_fraction() < 0.5
        else:
            assert amplification.dropout_fraction() == 0.0


@pytest.mark.parametrize(
    "values, message",
    [
        ({"ctcs": 2, "amplified-ctcs": 2, "egfr-l858r-ctcs": 1}, "exceed ctcs"),
        ({"failed-cells": 5}, "failed-cells"),
        ({"kit": "LIANTI"}, "kit must be one of"),
        ({"reads-per-cell": "many"}, "reads-per-cell"),
        ({"ado": 1.5}, "ado"),
        ({"amplicon-kb": 10}, "amplicon-kb"),
        ({"egfr-amplicon-kb": 100}, "egfr-amplicon-kb"),
        ({"egfr-amplicon-cn": "4,4"}, "egfr-amplicon-cn"),
        ({"ctcs": 3, "amplified-ctcs": 2, "egfr-amplified-ctcs": 1}, "egfr-amplified-ctcs"),
        ({"scale-divisor": 200}, "does not fit"),
        ({"colour": "blue"}, "unknown cohort key"),
    ],
)
def test_bad_designs_are_refused_with_the_key_named(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(DesignError, match=message):
        design_from_mapping(values)


def test_read_counts_accept_the_usual_spellings() -> None:
    assert parse_count("1M") == parse_count("1e6") == parse_count("1_000_000") == 10**6
    assert parse_count("250k") == parse_count(250_000.0) == 250_000
    with pytest.raises(DesignError):
        parse_count("1.5")


# --------------------------------------------------- command line and file
def test_cli_options_and_cohort_file_give_the_same_design(tmp_path: Path) -> None:
    cohort = tmp_path / "lab.yaml"
    cohort.write_text(
        "ctcs: 8\namplified-ctcs: 3\nkit: MALBAC\nreads_per_cell: 1_000_000\n"
        "panel: false\nprimary-her2: negative\nado: 0.2\n"
    )
    _, from_file = parse_args(["--outdir", "x", "--cohort", str(cohort)])
    _, from_cli = parse_args(
        [
            "--outdir",
            "x",
            "--ctcs",
            "8",
            "--amplified-ctcs",
            "3",
            "--kit",
            "MALBAC",
            "--reads-per-cell",
            "1M",
            "--no-panel",
            "--primary-her2",
            "negative",
            "--ado",
            "0.2",
        ]
    )
    assert from_file == from_cli == read_design_file(cohort)
    assert from_cli.reads_per_cell == 10**6 and not from_cli.panel
    # the command line wins over the file
    _, mixed = parse_args(["--outdir", "x", "--cohort", str(cohort), "--ctcs", "9"])
    assert mixed.ctcs == 9 and mixed.amplified_ctcs == 3


def test_cli_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--outdir", "x", "--ctcs", "1", "--amplified-ctcs", "2"])
    assert exit_info.value.code == 2
    assert "exceed ctcs" in capsys.readouterr().err


TINY_OPTIONS = [
    "--ctcs", "5", "--amplified-ctcs", "2", "--egfr-l858r-ctcs", "1", "--wbcs", "1",
    "--failed-cells", "2", "--failure-mode", "mixed", "--failed-reads", "137",
    "--junk-fraction", "0.9", "--reads-per-cell", "3000", "--primary-reads", "4000",
    "--panel-reads", "300", "--erbb2-cn", "8", "--scale-divisor", "50",
]  # fmt: skip
TINY_YAML = """\
ctcs: 5
amplified-ctcs: 2
egfr-l858r-ctcs: 1
wbcs: 1
failed-cells: 2
failure-mode: mixed
failed-reads: 137
junk-fraction: 0.9
reads-per-cell: 3000
primary-reads: 4000
panel-reads: 300
erbb2-cn: 8
scale-divisor: 50
"""


@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small cohort written from options (twice) and from a file."""
    base = tmp_path_factory.mktemp("designs")
    (base / "tiny.yaml").write_text(TINY_YAML)
    runs = {"cli": base / "cli", "again": base / "again", "yaml": base / "yaml"}
    assert main(["--outdir", str(runs["cli"]), "--seed", "5", *TINY_OPTIONS]) == 0
    assert main(["--outdir", str(runs["again"]), "--seed", "5", "--jobs", "1",
                 *TINY_OPTIONS]) == 0  # fmt: skip
    assert main(["--outdir", str(runs["yaml"]), "--seed", "5", "--cohort",
                 str(base / "tiny.yaml")]) == 0  # fmt: skip
    return runs


def _same_bytes(a: Path, b: Path) -> None:
    files_a, files_b = all_files(a), all_files(b)
    assert files_a.keys() == files_b.keys()
    for name in files_a:
        if name in ("units.tsv", "config.yaml"):  # they hold the output directory itself
            assert files_a[name].replace(str(a).encode(), b"X") == files_b[
                name
            ].replace(str(b).encode(), b"X")
        else:
            assert files_a[name] == files_b[name], name


def test_cli_and_cohort_file_write_identical_bytes(tiny_runs: dict[str, Path]) -> None:
    _same_bytes(tiny_runs["cli"], tiny_runs["yaml"])


def test_generation_is_deterministic(tiny_runs: dict[str, Path]) -> None:
    _same_bytes(tiny_runs["cli"], tiny_runs["again"])


def test_truth_records_cells_status_and_failures(tiny_runs: dict[str, Path]) -> None:
    root = tiny_runs["cli"]
    samples = read_tsv(root / "truth" / "samples.tsv")
    assert [s["sample"] for s in samples] == [
        s["sample"] for s in read_tsv(root / "samples.tsv")
    ]
    ctcs = [s for s in samples if s["type"] == "ctc"]
    assert len(ctcs) == 5 and sum(s["type"] == "wbc" for s in samples) == 1
    assert [s["failed"] for s in ctcs] == ["false"] * 3 + ["true"] * 2
    assert [s["failure"] for s in ctcs[3:]] == ["low_yield", "adapter_dimers"]
    assert ctcs[3]["reads_lowpass_wgs"] == ctcs[3]["reads_panel"] == "137"
    assert ctcs[4]["reads_lowpass_wgs"] == "3000"
    her2 = {
        g["sample"]: g
        for g in read_tsv(root / "truth" / "genes.tsv")
        if g["gene"] == "ERBB2"
    }
    assert [her2[s["sample"]]["her2_status"] for s in ctcs] == [
        "positive", "positive", "negative", "negative", "negative",
    ]  # fmt: skip
    assert her2["P1_CTC01"]["cn"] == "8"
    assert her2["P1_primary"]["her2_status"] == "negative"
    readme = (root / "truth" / "README.md").read_text()
    assert "## samples.tsv" in readme and "adapter_dimers" in readme


def test_failed_cells_have_the_requested_reads(tiny_runs: dict[str, Path]) -> None:
    reads = tiny_runs["cli"] / "reads"
    for name in ("P1_CTC04.lowpass_wgs.R1", "P1_CTC04.panel.R1", "P1_CTC04.panel.R2"):
        assert len(fastq_sequences(reads / f"{name}.fastq.gz")) == 137
    dimers = fastq_sequences(reads / "P1_CTC05.lowpass_wgs.R1.fastq.gz")
    assert len(dimers) == 3000
    adapter = ADAPTER_READ1[:20]
    # 90% junk, 70% of that dimers; sequencing errors spare most 20-mers
    share = np.mean([s.startswith(adapter) for s in dimers])
    assert 0.5 < share < 0.7
    healthy = fastq_sequences(reads / "P1_CTC03.lowpass_wgs.R1.fastq.gz")
    assert np.mean([s.startswith(adapter) for s in healthy]) < 0.01


def test_a_simulated_cohort_config_names_its_own_files(tmp_path: Path) -> None:
    spec = dataclasses.replace(
        demo_spec(), libraries=tuple(
            dataclasses.replace(lib, reads={t: 10 for t in lib.reads})
            for lib in demo_spec().libraries
        )
    )  # fmt: skip
    outdir = tmp_path / "demo"
    simulate_cohort(shrink(spec, SMALL_CHROMOSOMES), str(outdir), 1)
    config = yaml.safe_load((outdir / "config.yaml").read_text())
    assert config["reference"]["build"] == "demo"
    paths = [config["samples"], config["units"], config["reference"]["fasta"],
             config["targets"]["panel"], *config["resources"].values()]  # fmt: skip
    for path in paths:
        assert Path(path).parent.is_relative_to(outdir) and Path(path).is_file(), path
    # the small genome gets small bins; every other key keeps the template's
    assert config["copy_number"]["bin_size"] == 100_000


def test_subclone_events_give_the_amplified_clone_broad_events_of_its_own() -> None:
    plain = {c.name: c for c in build_spec(design_from_mapping({})).patients[0].clones}
    spec = build_spec(design_from_mapping({"subclone_events": True}))
    clones = {c.name: c for c in spec.patients[0].clones}
    amplified = [name for name in clones if name.startswith("her2")]
    assert amplified
    for name in amplified:
        added = set(clones[name].cn_events) - set(plain[name].cn_events)
        assert {(e.chrom, e.arm) for e in added} == {("chr11", None), ("chr8", "q")}
    for name in set(clones) - set(amplified):
        assert clones[name] == plain[name]


def test_swapped_ctcs_trade_the_last_passing_ctcs_of_each_pair_of_patients() -> None:
    spec = build_spec(design_from_mapping({"patients": 3, "swapped_ctcs": 1, "failed_cells": 1}))
    assert spec.swaps == (("P1_CTC03", "P2_CTC03"),)  # P3 has no partner; CTC04 failed
    assert spec.filed_as("P1_CTC03") == "P2_CTC03" and spec.filed_as("P2_CTC03") == "P1_CTC03"
    assert spec.filed_as("P1_CTC01") == "P1_CTC01"
    with pytest.raises(DesignError, match="swapped-ctcs needs at least 2 patients"):
        build_spec(design_from_mapping({"swapped_ctcs": 1}))
