"""The shared TSV reader and writer."""

from pathlib import Path

import pandas as pd

from ctc_profiler.core.tables import read_tsv, read_tsvs, with_columns, write_tsv


def test_flags_stay_words_and_na_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("sample\tqc_pass\tgene\tcn\nNA\tTrue\tNA\t\nb\tFalse\tEGFR\t2.5\n")
    table = read_tsv(path)
    assert list(table["qc_pass"]) == ["true", "false"]
    assert list(table["sample"]) == ["NA", "b"]
    assert table["cn"].isna().tolist() == [True, False]


def test_write_leaves_no_part_file_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    table = read_tsv(_write(tmp_path / "in.tsv", "a\tb\n1\tx\n"))
    write_tsv(table, path)
    assert not (tmp_path / "t.tsv.part").exists()
    assert read_tsv(path).equals(table)


def test_no_tables_read_as_an_empty_table_with_the_columns_asked_for() -> None:
    empty = with_columns(read_tsvs([]), ["sample", "state"])
    assert list(empty.columns) == ["sample", "state"] and len(empty) == 0


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_detection_limit_column_of_numbers_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "status.tsv"
    path.write_text("sample\terbb2_detectable_cn\nc1\t4\nc2\t\n")
    table = read_tsv(path)
    assert table["erbb2_detectable_cn"].tolist()[0] == "4" and pd.isna(table["erbb2_detectable_cn"].iloc[1])
    write_tsv(table, path)
    assert path.read_text() == "sample\terbb2_detectable_cn\nc1\t4\nc2\t\n"


def test_an_output_failing_half_way_leaves_only_its_part_file(tmp_path: Path) -> None:
    from ctc_profiler.core.atomic import atomic_output

    path = tmp_path / "t.tsv"
    try:
        with atomic_output(path) as part:
            part.write_text("half")
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert not path.exists() and (tmp_path / "t.tsv.part").read_text() == "half"
