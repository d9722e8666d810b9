"""No shell command writes an output under its final name: each writes a
temporary name (`<output>.part`) and moves it, so a killed job never leaves a
partial file that looks finished."""

from __future__ import annotations

import re

from test_envs import rule_blocks

# a symlink is made in one step; bin_counts' script writes each table under
# <output>.part and renames it itself (region_reads.write_counts, tested in
# tests/test_region_reads.py); copy_number_sample_files loops over its
# outputs, linking (or copying) each to "$path.part" and moving it
EXEMPT = {"link_reference", "bin_counts", "copy_number_sample_files"}
OUTPUT = r"\{output(?:\.\w+)?(?::q)?\}"


def shell_text(body: str) -> str | None:
    match = re.search(r"^    shell:\n((?:        .*\n|\n)+)", body, re.MULTILINE)
    return match[1] if match else None


def bare_outputs(shell: str) -> list[str]:
    """Output names written as they are, other than as the target of an mv."""
    moved = re.sub(rf"mv '[^']+' '{OUTPUT}'", "", shell)
    moved = re.sub(rf"mv \S+ {OUTPUT}", "", moved)
    return re.findall(rf"'?{OUTPUT}'?(?!\.)", moved)


def test_shell_rules_found() -> None:
    shells = {rule: shell_text(body) for rule, body in rule_blocks().items()}
    assert {"fastp", "bwa_mem", "merge_markdup", "samtools_stats", "mosdepth"} <= {
        rule for rule, shell in shells.items() if shell}


def test_every_shell_output_is_written_under_a_temporary_name() -> None:
    offenders = {}
    for rule, body in rule_blocks().items():
        shell = shell_text(body)
        if shell is None or rule in EXEMPT:
            continue
        if bare := bare_outputs(shell):
            offenders[rule] = bare
    assert not offenders, f"outputs written under their final name: {offenders}"


def test_the_check_sees_a_direct_write() -> None:
    assert bare_outputs('"samtools stats x > \'{output}\' 2> \'{log}\'"') == ["'{output}'"]
    assert bare_outputs('"tool -o \'{output.bam}.part\' && mv \'{output.bam}.part\' \'{output.bam}\'"') == []
