"""Software versions: parse what tools print about themselves into the
MultiQC `*_mqc_versions.yml` layout (group -> tool -> version)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

# "samtools 1.16.1", "multiqc, version 1.35", "Python 3.11.7", "Version: 0.7.17-r1188"
_LINE = re.compile(
    r"^(?P<name>[A-Za-z][\w.+-]*)[,:]?\s+(?:version\s+)?v?(?P<version>\d[\w.+-]*)",
    re.IGNORECASE,
)


class VersionError(ValueError):
    """A tool printed no recognisable version."""


def parse_versions(text: str, group: str) -> dict[str, str]:
    """Tool -> version from the output of `<tool> --version` commands.

    A bare "Version: x" line (bwa's usage text) belongs to the group's own tool.
    """
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        name = match["name"].lower()
        found[group if name == "version" else name] = match["version"]
    if not found:
        raise VersionError(f"no version found for '{group}' in: {text!r}")
    return found


def collect_versions(
    files: list[Path | str], extra: dict[str, dict[str, str]] | None = None
) -> dict[str, dict[str, str]]:
    """Versions of every environment, keyed by its name (the file's stem)."""
    versions = {Path(f).stem: parse_versions(Path(f).read_text(), Path(f).stem) for f in files}
    versions.update(extra or {})
    return dict(sorted(versions.items()))


def write_versions(versions: dict[str, dict[str, str]], path: Path | str) -> None:
    Path(path).write_text(yaml.safe_dump(versions, sort_keys=True))
