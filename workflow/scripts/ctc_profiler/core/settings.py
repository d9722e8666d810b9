"""Settings dataclasses filled from a config section."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Self


class FromConfig:
    """Mixin for a settings dataclass: `from_config` takes the keys of a
    config section that name its fields and ignores the rest, so several
    dataclasses can share one section (`variants.*`). A field whose type is
    itself a `FromConfig` dataclass is filled from the nested section of its
    name (`copy_number.segmentation`)."""

    @classmethod
    def from_config(cls, settings: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        values = {k: v for k, v in settings.items() if k in names}
        for name, value in values.items():
            if isinstance(value, dict):
                # hints resolved only here: other fields' annotations need not resolve
                kind = typing.get_type_hints(cls).get(name)
                if isinstance(kind, type) and issubclass(kind, FromConfig):
                    values[name] = kind.from_config(value)
        return cls(**values)
