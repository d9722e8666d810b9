"""FASTQ integrity: the start-up look at the first record and the full pass
before trimming name the file, the line and the fix."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from ctc_profiler.inputs.fastq_check import FastqError, check_unit, first_read, head_problems, records


def fastq_text(names: list[str], length: int = 12) -> str:
    return "".join(f"@{name}\n{'ACGT' * (length // 4)}\n+\n{'I' * length}\n" for name in names)


def write(path: Path, text: str, compress: bool = True) -> Path:
    if compress:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def test_plain_and_gzip_fastq_are_read_with_mate_suffixes_removed(tmp_path: Path) -> None:
    plain = write(tmp_path / "r.fastq", fastq_text(["a/1", "b/1"]), compress=False)
    packed = write(tmp_path / "r.fastq.gz", fastq_text(["a 1:N:0:1", "b 1:N:0:1"]))
    assert list(records(plain)) == ["a", "b"]
    assert list(records(packed)) == ["a", "b"]
    assert first_read(plain) == "a"
    assert check_unit(plain, packed).reads == 2


def test_empty_fastq_is_allowed(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.fastq.gz", "")
    assert first_read(empty) is None
    assert check_unit(empty).reads == 0


@pytest.mark.parametrize(("content", "expected"), [
    (b"BZh91AY&SY", "is a bzip2 file, not FASTQ"),
    (b"\x28\xb5\x2f\xfd\x00", "is a zstd file"),
    (b">chr1\nACGT\n", "is a FASTA file"),
    (b"sample\tunit\n", "does not start with a FASTQ header (line 1 is 'sample\tunit'"),
    (b"\x1f\x8b\x08\x00garbage", "is not a readable gzip file"),
])
def test_other_formats_are_named(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "reads.fastq.gz"
    path.write_bytes(content)
    problems = head_problems(str(path), None)
    assert len(problems) == 1
    assert f"fq1 '{path}'" in problems[0] and expected in problems[0]
    assert "give gzip-compressed or plain FASTQ" in problems[0]


def test_bam_given_as_fastq_is_named(tmp_path: Path) -> None:
    path = tmp_path / "reads.fastq.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b"BAM\x01" + b"\x00" * 20)
    assert "is a BAM file, not FASTQ; convert it (samtools fastq)" in head_problems(str(path), None)[0]


@pytest.mark.parametrize("content", [fastq_text(["a"]).encode(), b""])
def test_a_plain_file_named_gz_is_named(tmp_path: Path, content: bytes) -> None:
    # fastp stops on it halfway through the run ('invalid gzip header')
    (tmp_path / "r.fastq.gz").write_bytes(content)
    (problem,) = head_problems("r.fastq.gz", None, tmp_path)
    assert problem == ("fq1 'r.fastq.gz' ends in .gz but is not gzip-compressed; compress it "
                       "(gzip) or drop the .gz from its name")


@pytest.mark.parametrize("name", ["r.fastq", "r.fastq.GZ"])
def test_a_gzip_file_not_named_gz_is_named(tmp_path: Path, name: str) -> None:
    # fastp reads it as text, finds no reads and exits 0: the reads would be lost silently
    write(tmp_path / name, fastq_text(["a"]))
    (problem,) = head_problems(name, None, tmp_path)
    assert problem == (f"fq1 '{name}' is gzip-compressed but its name does not end in .gz, so "
                       "fastp would read it as text and find no reads; add .gz to its name")


def test_mates_with_different_first_reads_are_named(tmp_path: Path) -> None:
    write(tmp_path / "a.R1.fastq.gz", fastq_text(["x1/1", "x2/1"]))
    write(tmp_path / "b.R2.fastq.gz", fastq_text(["y1/2", "y2/2"]))
    assert head_problems("a.R1.fastq.gz", "a.R1.fastq.gz", tmp_path) == []
    (problem,) = head_problems("a.R1.fastq.gz", "b.R2.fastq.gz", tmp_path)
    assert "fq1 'a.R1.fastq.gz' starts with read 'x1'" in problem
    assert "fq2 'b.R2.fastq.gz' with 'y1'" in problem


@pytest.mark.parametrize("kept", [0.1, 0.37, 0.5, 0.81, 0.99])
def test_truncated_gzip_is_named_as_truncated(tmp_path: Path, kept: float) -> None:
    whole = write(tmp_path / "whole.fastq.gz", fastq_text([f"r{i}" for i in range(20000)], 100))
    data = whole.read_bytes()
    cut = tmp_path / "cut.fastq.gz"
    cut.write_bytes(data[: int(len(data) * kept)])
    assert first_read(cut) == "r0"  # the start-up look cannot see it ...
    # ... the full pass does, and names the truncation, not the broken last record
    with pytest.raises(FastqError, match=r"'.*cut.fastq.gz' ends in the middle of its gzip "
                                          r"stream after line \d+: the file is truncated"):
        check_unit(cut)


def test_corrupt_gzip_block_is_named(tmp_path: Path) -> None:
    whole = write(tmp_path / "whole.fastq.gz", fastq_text([f"r{i}" for i in range(5000)], 100))
    data = bytearray(whole.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken = tmp_path / "broken.fastq.gz"
    broken.write_bytes(bytes(data))
    # garbled output breaks a record, or else the CRC at the end of the stream fails
    with pytest.raises(FastqError, match=r"'.*broken.fastq.gz' (line \d+: the record|is corrupt)"):
        check_unit(broken)


@pytest.mark.parametrize(("drop", "expected"), [
    (3, r"line 9: the record of read 'c' has 12 bases but 2 quality values"),  # quality line
    (2, r"line 9: the record of read 'c' has no '\+' separator line"),  # its '+' line
])
def test_record_missing_a_line_is_named(tmp_path: Path, drop: int, expected: str) -> None:
    lines = fastq_text(["a", "b", "c", "d"]).splitlines(keepends=True)
    del lines[8 + drop]  # record 'c' starts at line 9
    path = write(tmp_path / "r.fastq", "".join(lines), compress=False)
    with pytest.raises(FastqError, match=expected):
        check_unit(path)


def test_last_record_without_quality_line_is_named(tmp_path: Path) -> None:
    text = fastq_text(["a", "b"]) + "@c\nACGT\n+\n"
    path = write(tmp_path / "r.fastq.gz", text)
    with pytest.raises(FastqError, match=r"line 9: the record of read 'c' ends before its quality"):
        check_unit(path)


def test_mates_with_different_read_counts_name_both_files(tmp_path: Path) -> None:
    r1 = write(tmp_path / "u.R1.fastq.gz", fastq_text(["a/1", "b/1", "c/1"]))
    r2 = write(tmp_path / "u.R2.fastq.gz", fastq_text(["a/2", "b/2"]))
    with pytest.raises(FastqError) as raised:
        check_unit(r1, r2)
    assert f"fq1 '{r1}' holds 3 reads but fq2 '{r2}' 2" in str(raised.value)


def test_mates_out_of_order_are_named(tmp_path: Path) -> None:
    r1 = write(tmp_path / "u.R1.fastq.gz", fastq_text(["a/1", "b/1", "c/1"]))
    r2 = write(tmp_path / "u.R2.fastq.gz", fastq_text(["a/2", "c/2", "b/2"]))
    with pytest.raises(FastqError, match="read 2 is 'b' in fq1 .* but 'c' in fq2"):
        check_unit(r1, r2)


def test_truncation_is_found_without_a_gzip_program(tmp_path: Path, monkeypatch) -> None:
    whole = write(tmp_path / "whole.fastq.gz", fastq_text([f"r{i}" for i in range(20000)], 100))
    cut = tmp_path / "cut.fastq.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    monkeypatch.setattr("ctc_profiler.inputs.fastq_check.shutil.which", lambda name: None)
    assert check_unit(whole).reads == 20000
    with pytest.raises(FastqError, match="ends in the middle of its gzip stream"):
        check_unit(cut)


def test_truncation_inside_a_quality_line_is_named_as_truncation(tmp_path: Path) -> None:
    # everything up to the cut decompresses: the last record ends 40 qualities in
    text = fastq_text(["a", "b", "c"], 100) + "@d\n" + "ACGT" * 25 + "\n+\n" + "I" * 40
    compressor = zlib.compressobj(wbits=31)
    cut = tmp_path / "cut.fastq.gz"
    cut.write_bytes(compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH))
    with pytest.raises(FastqError, match="ends in the middle of its gzip stream after line"):
        check_unit(cut)
