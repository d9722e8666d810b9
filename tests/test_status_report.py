"""The demo cohort's status, discordance and patient tables against the
simulator's truth, and the MultiQC report as a browser shows it."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import component_missing, run

pytestmark = pytest.mark.workflow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def sheet(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def discordances(rows: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    return {(r["ctc"], r["feature"], r["call"]) for r in rows if r["call"] in ("gain", "loss")}


def test_discordance_table_holds_exactly_the_truths_discordances(demo_run: Path) -> None:
    called = sheet(demo_run / "results" / "discordance.tsv")
    truth = sheet(demo_run / "demo" / "truth" / "discordance.tsv")
    assert discordances(truth)  # the demo has some: HER2 gain and an EGFR mutation gain
    assert discordances(called) == discordances(truth)
    # every truth comparison is in the table, assessable or not
    assert {(r["ctc"], r["feature"]) for r in truth} <= {(r["ctc"], r["feature"]) for r in called}


def test_status_table_matches_the_truth_per_sample(demo_run: Path) -> None:
    status = {r["sample"]: r for r in sheet(demo_run / "results" / "status.tsv")}
    truth_samples = sheet(demo_run / "demo" / "truth" / "samples.tsv")
    assert set(status) == {r["sample"] for r in truth_samples}
    truth_her2 = {r["sample"]: r["her2_status"] for r in sheet(demo_run / "demo" / "truth" / "genes.tsv")}
    mutant = {(r["sample"], r["protein_change"]) for r in sheet(demo_run / "demo" / "truth" / "variants.tsv")
              if r["gene"] == "EGFR" and r["protein_change"] and r["dropped_out"] == "false"}
    for sample, row in status.items():
        assert row["her2_status"] == truth_her2[sample], sample
        seen = {m for m in row["egfr_mutations"].split(";") if m}
        assert seen == {p for s, p in mutant if s == sample}, sample


def test_patient_flags_match_the_truth(demo_run: Path) -> None:
    truth = sheet(demo_run / "demo" / "truth" / "discordance.tsv")
    her2_gain = sorted({r["ctc"] for r in truth if r["feature"] == "HER2" and r["call"] == "gain"})
    egfr_gain = sorted({r["feature"].split(":")[1] for r in truth
                        if r["feature"].startswith("EGFR:") and r["call"] == "gain"})
    (patient,) = sheet(demo_run / "results" / "patients.tsv")
    assert patient["her2_gain_in_ctcs"] == ("true" if her2_gain else "false")
    assert patient["her2_positive_ctc_names"] == ";".join(her2_gain)
    assert patient["egfr_mutations_gained"] == ";".join(egfr_gain)
    assert patient["ctcs_qc_pass"] == patient["ctcs"]


def test_multiqc_custom_content_has_no_warnings_under_strict(demo_run: Path, tmp_path: Path) -> None:
    report = demo_run / "results"
    inputs = sorted(str(p) for p in (report / "qc" / "report").iterdir())
    result = run(["multiqc", "--strict", "--no-ai", "--force", "--outdir", str(tmp_path),
                  "--config", str(Path(__file__).parents[1] / "workflow/resources/multiqc_config.yaml"),
                  *inputs], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (result.stdout + result.stderr).splitlines()
    # the strict-mode banner itself speaks of warnings; nothing else may
    complaints = [line for line in lines if any(word in line.lower() for word in ("warn", "error"))
                  and "strict mode specified" not in line.lower()]
    assert complaints == [], complaints
    assert "ctc_patients: Found 1 samples" in "\n".join(lines)


def test_report_in_a_browser_answers_the_her2_question(demo_run: Path, tmp_path: Path) -> None:
    if CHROMIUM is None:
        component_missing("chromium not installed: run `make browser`")
    report = demo_run / "results" / "multiqc" / "multiqc_report.html"
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--virtual-time-budget=20000", "--window-size=1400,2000"]
    dom = subprocess.run([*base, "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    for heading in ("Patient summary", "HER2 and EGFR status per sample",
                    "CTC versus primary discordance", "ERBB2 and EGFR copy number",
                    "Copy-number heatmaps per patient", "Workflow summary"):
        assert heading in page, heading
    (patient,) = sheet(demo_run / "results" / "patients.tsv")
    assert "HER2 gain in CTCs" in page
    assert f"patient {patient['patient']} ({patient['her2_positive_ctc_names']})" in page
    # the sections come in the reading order of the config: patients before QC
    assert page.index("Patient summary") < page.index("CTC versus primary discordance")
    assert page.index("CTC versus primary discordance") < page.index("Software Versions")
    shot = tmp_path / "summary.png"
    subprocess.run([*base, f"--screenshot={shot}", report.as_uri()], capture_output=True,
                   timeout=180, check=True)
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank one


# measures, once the page has settled, where each verdict line ends on the first screen
POSITION_PROBE = """<script>
window.addEventListener('load', () => setTimeout(() => {
  const bottoms = [...document.querySelectorAll('.ctc-verdict')].map(e => Math.ceil(e.getBoundingClientRect().bottom));
  document.body.setAttribute('data-verdict-bottoms', bottoms.join(','));
  document.body.setAttribute('data-viewport', `${window.innerWidth}x${window.innerHeight}`);
}, 2000));
</script>"""


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_every_patients_verdict_is_on_the_first_screen(demo_run: Path, tmp_path: Path, width: int,
                                                        height: int) -> None:
    if CHROMIUM is None:
        component_missing("chromium not installed: run `make browser`")
    report = (demo_run / "results" / "multiqc" / "multiqc_report.html").read_text()
    probed = tmp_path / "report.html"
    # the last </body>: the report's scripts hold the string too
    page, end = report.rsplit("</body>", 1)
    probed.write_text(page + POSITION_PROBE + "</body>" + end)
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--virtual-time-budget=20000", f"--window-size={width},{height}", "--dump-dom",
                          probed.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    # the page's own height: the window less what headless Chromium keeps of it
    viewport = dom.stdout.split('data-viewport="', 1)[1].split('"', 1)[0]
    shown_width, shown_height = (int(v) for v in viewport.split("x"))
    assert shown_width == width and shown_height <= height
    bottoms = [int(b) for b in dom.stdout.split('data-verdict-bottoms="', 1)[1].split('"', 1)[0].split(",")]
    patients = sheet(demo_run / "results" / "patients.tsv")
    assert len(bottoms) == len(patients)
    assert 0 < max(bottoms) <= shown_height, (bottoms, viewport)


def test_panel_coverage_in_the_report_is_over_its_targets(demo_run: Path) -> None:
    # mosdepth's region distribution over the capture targets, not over the genome (a median of 0X)
    stats = sheet(demo_run / "results" / "multiqc" / "multiqc_data" / "multiqc_general_stats.txt")
    # a sample's libraries sit under it as "<sample> <library kind>" (table_sample_merge)
    panels = [row for row in stats if row["Sample"].endswith(" panel")]
    assert panels
    for row in panels:
        assert float(row["mosdepth-median_coverage"]) >= 5, row["Sample"]
        assert float(row["mosdepth-1_x_pc"]) >= 90, row["Sample"]


def test_general_statistics_rows_are_samples_and_their_libraries(demo_run: Path) -> None:
    stats = sheet(demo_run / "results" / "multiqc" / "multiqc_data" / "multiqc_general_stats.txt")
    samples = {r["sample"] for r in sheet(demo_run / "results" / "status.tsv")}
    patients = {r["patient"] for r in sheet(demo_run / "results" / "patients.tsv")}
    rows = {r["Sample"] for r in stats}
    assert not rows & patients  # no row named after a patient (its bcftools stats are their own table)
    # one row per sample, its libraries merged under it as "<sample> <library kind>"
    assert {row.split(" ")[0] for row in rows} == samples
    assert {row.split(" ", 1)[1] for row in rows if " " in row} == {"low-pass", "panel"}


def test_evidence_text_keeps_its_commas_in_the_report(demo_run: Path) -> None:
    page = (demo_run / "results" / "multiqc" / "multiqc_report.html").read_text()
    evidence = [r["ctc_evidence"] for r in sheet(demo_run / "results" / "discordance.tsv")
                if r["feature"] == "HER2" and "," in r["ctc_evidence"]]
    assert evidence
    assert f'<span class="val">{evidence[0]}</span>' in page
