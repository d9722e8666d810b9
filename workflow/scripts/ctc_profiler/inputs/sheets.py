"""Sample and unit sheets: reading, JSON-schema validation and cross-checks.

Every problem is reported with the sheet's path, its line number and the fix,
all at once, before any job runs.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import jsonschema
import pandas as pd
import yaml

from ctc_profiler.core.words import BULK_TYPES, CELL_TYPES, PRIMARY
from ctc_profiler.inputs.fastq_check import head_problems

ID_COLUMNS = frozenset({"patient", "sample", "unit"})
ID_HINT = "use only letters, digits, '_', '.' and '-'"
# What results/copy_number/ holds beside the per-sample folders (copy_number.smk:
# bins/, references/, summary.tsv, <patient>.heatmap.png): a sample named so
# would write into them or shadow them. 'summary' and 'status' name cohort
# tables (summary.tsv, results/status.tsv) and each sample's status.tsv, so a
# sample of that name reads as one of them. Compared ignoring case, as macOS and
# Windows file systems do.
RESERVED_SAMPLES = ("bins", "references", "summary", "summary.tsv", "status",
                    "{patient}.heatmap.png")
RESERVED_HINT = ", ".join(name.format(patient="<patient>") for name in RESERVED_SAMPLES)
# how read 1 and read 2 files are told apart, most specific first
MATE_SPELLINGS = ((".R1.", ".R2."), ("_R1", "_R2"), ("_1.", "_2."))


class SheetError(ValueError):
    """A sample or unit sheet is not usable; the message lists every problem."""


@dataclass(frozen=True)
class Sheets:
    samples: pd.DataFrame  # indexed by sample
    units: pd.DataFrame  # indexed by (sample, unit)


def _first_non_utf8_line(path: Path) -> int:
    # bytes.splitlines splits where text files do (\n, \r, \r\n), so numbers agree
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[str]]:
    """Read a TSV, skipping blank and '#' lines, keeping each row's line number.

    Returns the header, the rows and the problems of rows with too many fields.
    """
    if not path.is_file():
        raise SheetError(f"{path}: file not found; set its path in config/config.yaml")
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs put first
        with path.open(newline="", encoding="utf-8-sig") as handle:
            numbered = [
                (number, line.rstrip("\r\n"))
                for number, line in enumerate(handle, start=1)
                if line.strip() and not line.lstrip().startswith("#")
            ]
    except UnicodeDecodeError:
        raise SheetError(
            f"{path} line {_first_non_utf8_line(path)}: not UTF-8 text; save the sheet as "
            "UTF-8 (tab-separated text)"
        ) from None
    if not numbered:
        raise SheetError(f"{path}: the sheet is empty; it needs a header line")
    reader = csv.reader((line for _, line in numbered), delimiter="\t")
    header = [name.strip() for name in next(reader)]
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[str] = []
    for (number, _), fields in zip(numbered[1:], reader):
        if len(fields) > len(header):
            problems.append(
                f"{path} line {number}: {len(fields)} fields but the header has "
                f"{len(header)}; separate columns with single tabs"
            )
            continue
        fields += [""] * (len(header) - len(fields))
        rows.append((number, dict(zip(header, (f.strip() for f in fields)))))
    return header, rows, problems


def _typed(record: dict[str, str], schema: dict) -> dict[str, object]:
    """Empty cells become None; numeric columns become numbers (if they parse)."""
    typed: dict[str, object] = {}
    for key, value in record.items():
        if value == "":
            continue  # absent: the schema's default (or 'required') applies
        kinds = schema["properties"].get(key, {}).get("type", "string")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "number" in kinds:
            try:
                typed[key] = float(value)
                continue
            except ValueError:
                pass
        typed[key] = value
    return typed


def _id_hint(value: str) -> str:
    """Why a value fails the ID pattern, and the fix."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", value):
        return ID_HINT
    if not value[0].isalnum():
        return ("start it with a letter or digit (a leading '-' reads as an option to "
                "the tools, a leading '.' hides the files)")
    return "IDs become parts of file paths, where '..' names the parent folder; use single dots"


def _describe(error: jsonschema.ValidationError, column: str) -> str:
    value = error.instance
    if error.validator == "required":
        return f"{error.message.split(' is a')[0]} is empty; fill it in"
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"column '{column}' is '{value}'; it must be one of {allowed}"
    if error.validator == "pattern":
        hint = _id_hint(str(value)) if column in ID_COLUMNS else ID_HINT
        return f"column '{column}' is '{value}'; {hint}"
    if error.validator == "type":
        return f"column '{column}' is '{value}'; it must be a {error.validator_value}"
    return f"column '{column}' is '{value}': {error.message}"


def read_sheet(path: Path | str, schema_path: Path | str) -> pd.DataFrame:
    """Read a TSV and validate each row against a JSON schema, filling defaults.

    The returned frame has a `line` column with each row's line in the file.
    """
    path = Path(path)
    schema = yaml.safe_load(Path(schema_path).read_text())
    header, rows, problems = _read_rows(path)
    missing = [c for c in schema["required"] if c not in header]
    if missing:
        raise SheetError(
            f"{path}: missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(schema['properties'])} (tab-separated)"
        )
    unknown = [c for c in header if c not in schema["properties"]]
    if unknown:
        raise SheetError(
            f"{path}: unknown column(s) {', '.join(unknown)}; known columns are "
            f"{', '.join(schema['properties'])}"
        )
    validator = jsonschema.validators.validator_for(schema)(schema)
    records: list[dict[str, object]] = []
    for number, raw in rows:
        record = _typed(raw, schema)
        for error in sorted(validator.iter_errors(record), key=lambda e: list(e.path)):
            column = str(error.path[0]) if error.path else ""
            problems.append(f"{path} line {number}: {_describe(error, column)}")
        for key, spec in schema["properties"].items():
            record.setdefault(key, spec.get("default"))
        record["line"] = number
        records.append(record)
    if problems:
        raise SheetError("\n".join(problems))
    if not records:
        raise SheetError(
            f"{path}: the sheet has a header but no rows; write one row per "
            "sample or unit (config/README.md) and set the sheet's path in your config"
        )
    frame = pd.DataFrame.from_records(records).astype(object)
    return frame.where(frame.notna(), None)  # missing cells are None, never NaN


def _duplicates(frame: pd.DataFrame, columns: list[str], path: Path) -> list[str]:
    problems = []
    for key, group in frame.groupby(columns, sort=False):
        if len(group) > 1:
            lines = ", ".join(str(n) for n in group["line"])
            label = "/".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
            problems.append(
                f"{path} lines {lines}: {'/'.join(columns)} '{label}' appears "
                f"{len(group)} times; IDs must be unique"
            )
    return problems


def _case_clashes(frame: pd.DataFrame, column: str, path: Path, fix: str) -> list[str]:
    """IDs spelled differently only in case, named by the first line of each spelling."""
    spellings: dict[str, dict[str, int]] = {}
    for value, line in zip(frame[column], frame["line"]):
        spellings.setdefault(value.casefold(), {}).setdefault(value, line)
    problems = []
    for found in spellings.values():
        if len(found) > 1:
            lines = ", ".join(str(n) for n in found.values())
            names = " and ".join(f"'{name}'" for name in found)
            problems.append(
                f"{path} lines {lines}: {column} IDs {names} differ only in case; {fix}"
            )
    return problems


def check_samples(samples: pd.DataFrame, path: Path) -> list[str]:
    problems = _duplicates(samples, ["sample"], path)
    problems += _case_clashes(
        samples, "sample", path,
        "on a case-insensitive file system (macOS, Windows) their results would be "
        "the same files; rename one",
    )
    problems += _case_clashes(
        samples, "patient", path,
        "spell the ID the same way on every line if it is one patient, else rename one",
    )
    reserved = {
        name.format(patient=patient).casefold()
        for name in RESERVED_SAMPLES
        for patient in set(samples["patient"])
    }
    for row in samples.itertuples():
        if row.sample.casefold() in reserved:
            problems.append(
                f"{path} line {row.line}: sample '{row.sample}' is named like results the "
                "workflow writes beside the sample folders in results/copy_number/ "
                f"({RESERVED_HINT} are reserved); rename the sample"
            )
        if row.type in CELL_TYPES and row.purity is not None and not pd.isna(row.purity):
            problems.append(
                f"{path} line {row.line}: sample '{row.sample}' is a single cell "
                f"({row.type}) but has a purity; leave purity empty for cells"
            )
        if row.type in BULK_TYPES and str(row.wga).lower() != "none":
            problems.append(
                f"{path} line {row.line}: sample '{row.sample}' is bulk ({row.type}) "
                f"but wga is '{row.wga}'; write 'none' for bulk DNA"
            )
        if row.type in CELL_TYPES and str(row.wga).lower() == "none":
            problems.append(
                f"{path} line {row.line}: sample '{row.sample}' is a single cell "
                f"({row.type}) but wga is 'none'; name the amplification kit"
            )
    primaries = samples[samples["type"] == PRIMARY]
    for patient, group in primaries.groupby("patient", sort=False):
        if len(group) > 1:
            problems.append(
                f"{path} lines {', '.join(str(n) for n in group['line'])}: patient "
                f"'{patient}' has {len(group)} primary samples ({', '.join(group['sample'])}); "
                "CTCs are compared with one primary only: keep one and set the type of "
                "the other(s) to metastasis"
            )
    return problems


def _output_clashes(units: pd.DataFrame, path: Path) -> list[str]:
    """Different (sample, unit) pairs whose outputs, named <sample>.<unit>, coincide."""
    pairs: dict[str, dict[tuple[str, str], int]] = {}
    for row in units.itertuples():
        output = f"{row.sample}.{row.unit}"
        pairs.setdefault(output, {}).setdefault((row.sample, row.unit), row.line)
    problems = []
    for name, found in pairs.items():
        if len(found) > 1:
            lines = ", ".join(str(n) for n in found.values())
            which = " and ".join(f"sample '{s}' unit '{u}'" for s, u in found)
            problems.append(
                f"{path} lines {lines}: {which} both name their outputs '{name}' "
                "(<sample>.<unit>), so they would be one job; rename one of the units"
            )
    return problems


def check_units(
    units: pd.DataFrame,
    path: Path,
    samples: pd.DataFrame,
    samples_path: Path,
    base: Path,
    targets: dict[str, str | None],
) -> list[str]:
    problems = _duplicates(units, ["sample", "unit"], path) + _output_clashes(units, path)
    known = set(samples["sample"])
    for row in units.itertuples():
        if row.sample not in known:
            problems.append(
                f"{path} line {row.line}: unit '{row.unit}' belongs to sample "
                f"'{row.sample}', which is not in {samples_path}; add the sample "
                "there or fix the ID"
            )
        readable = True
        for column in ("fq1", "fq2"):
            fastq = getattr(row, column)
            if fastq is not None and not (base / fastq).is_file():
                readable = False
                problems.append(
                    f"{path} line {row.line}: {column} '{fastq}' does not exist; "
                    "fix the path (relative paths start at the workflow directory)"
                )
        if readable:
            problems += [
                f"{path} line {row.line}: {problem}"
                for problem in head_problems(row.fq1, row.fq2, base)
            ]
        if row.library in targets and not targets[row.library]:
            problems.append(
                f"{path} line {row.line}: library '{row.library}' needs a target BED; "
                f"set targets: {row.library}: in the config"
            )
    seen: dict[str, int] = {}
    for row in units.itertuples():
        for fastq in (row.fq1, row.fq2):
            if fastq is None:
                continue
            resolved = str((base / fastq).resolve())
            if resolved in seen:
                problems.append(
                    f"{path} line {row.line}: FASTQ '{fastq}' is already listed on "
                    f"line {seen[resolved]}; every FASTQ belongs to one unit"
                )
            else:
                seen[resolved] = row.line
    without_units = sorted(known - set(units["sample"]))
    for sample in without_units:
        line = int(samples.loc[samples["sample"] == sample, "line"].iloc[0])
        problems.append(
            f"{samples_path} line {line}: sample '{sample}' has no unit in {path}; "
            "add its FASTQ files there or remove the sample"
        )
    return problems


def cohort_warnings(samples: pd.DataFrame, path: Path | str) -> list[str]:
    """Designs that run but give weaker results: CTCs without a WBC control.

    A WBC is a patient's own control by construction (it shares the patient
    ID); what can be missing is a WBC amplified with the CTCs' kit, whose
    noise profile normalises theirs.
    """
    warnings = []
    for patient, group in samples.groupby("patient", sort=False):
        ctcs = group[group["type"] == "ctc"]
        wbc_kits = set(group.loc[group["type"] == "wbc", "wga"])
        for kit, cells in ctcs.groupby("wga", sort=False):
            if kit in wbc_kits:
                continue
            names = ", ".join(cells["sample"])
            lacking = "no WBC" if not wbc_kits else f"no WBC amplified with {kit}"
            warnings.append(
                f"{path}: patient '{patient}' has CTCs ({names}) but {lacking}; their copy "
                "number is normalised to themselves, leaving amplification noise in. Add WBC "
                f"cells of patient '{patient}' amplified with {kit} (type wbc) if you have them"
            )
    return warnings


def unit_warnings(units: pd.DataFrame, path: Path | str, base: Path | str = ".") -> list[str]:
    """Single-end units with a read-2 file beside their fq1: most likely a
    forgotten fq2, but single-end runs of paired libraries are legitimate.

    Files some unit lists already (as another unit's fq1, say) are not named.
    """
    base = Path(base)
    listed = {
        str((base / fastq).resolve())
        for fastq in chain(units["fq1"], units["fq2"])
        if fastq is not None
    }
    warnings = []
    for row in units.itertuples():
        if row.fq2 is not None:
            continue
        fq1 = Path(row.fq1)
        for read1, read2 in MATE_SPELLINGS:
            if read1 not in fq1.name:
                continue
            head, _, tail = fq1.name.rpartition(read1)
            mate = fq1.with_name(head + read2 + tail)
            if (base / mate).is_file() and str((base / mate).resolve()) not in listed:
                warnings.append(
                    f"{path} line {row.line}: fq2 is empty but '{mate}' sits beside fq1 "
                    f"'{row.fq1}'; this unit runs single-end; add it as fq2 if the reads "
                    "are paired"
                )
            break
    return warnings


def load_sheets(
    samples_path: Path | str,
    units_path: Path | str,
    schema_dir: Path | str,
    base: Path | str = ".",
    targets: dict[str, str | None] | None = None,
) -> Sheets:
    """Read, validate and cross-check both sheets; raise SheetError listing all problems."""
    samples_path, units_path, schema_dir = Path(samples_path), Path(units_path), Path(schema_dir)
    samples = read_sheet(samples_path, schema_dir / "samples.schema.yaml")
    units = read_sheet(units_path, schema_dir / "units.schema.yaml")
    problems = check_samples(samples, samples_path) + check_units(
        units, units_path, samples, samples_path, Path(base), targets or {}
    )
    if problems:
        raise SheetError("\n".join(problems))
    return Sheets(
        samples=samples.set_index("sample", drop=False),
        units=units.set_index(["sample", "unit"], drop=False),
    )
