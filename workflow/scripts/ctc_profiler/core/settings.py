"""Settings dataclasses filled from a config section."""

from __future__ import annotations

import dataclasses
from typing import Any, Self


class FromConfig:
    """Mixin for a settings dataclass: `from_config` takes the keys of a
    config section that name its fields and ignores the rest, so several
    dataclasses can share one section (`variants.*`)."""

    @classmethod
    def from_config(cls, settings: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in settings.items() if k in names})
