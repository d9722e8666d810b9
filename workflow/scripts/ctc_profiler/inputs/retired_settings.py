"""Config keys the workflow no longer takes, each with what replaced it, so
the config of an earlier run fails naming the key and the fix rather than
with the schema's bare "Additional properties are not allowed"."""

from __future__ import annotations

from typing import Any

from ctc_profiler.inputs.config_checks import config_value

# path of keys -> what to do instead
RETIRED = {
    ("copy_number", "gene_window", "min_z"): (
        "removed on 2026-11-29: gene tiles replaced the gene window's z-test; delete the key "
        "(copy_number.gene_window takes min_bp, flank_bp and min_tiles, see config/README.md)"
    ),
}


def retired_settings(config: dict[str, Any]) -> list[str]:
    """One message per retired key the config still sets."""
    found = []
    for path, advice in RETIRED.items():
        section = config_value(config, path[:-1])
        if isinstance(section, dict) and path[-1] in section:
            found.append(f"config key {'.'.join(path)}: {advice}")
    return found
