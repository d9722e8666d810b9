"""Streaming, reproducible gzip FASTQ output.

Chunks are appended as they are made, so memory stays bounded. The gzip
header carries no file name and a zero timestamp, so the same reads give the
same bytes; the file appears under its final name only when complete.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from .atomic import temporary_path

PHRED_OFFSET = 33


class FastqWriter:
    def __init__(self, path: Path, level: int = 4) -> None:
        self.path = path
        self.level = level
        self.records = 0
        self._tmp = temporary_path(path)
        self._raw: BinaryIO | None = None
        self._gzip: gzip.GzipFile | None = None

    def __enter__(self) -> FastqWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._raw = open(self._tmp, "wb")
        self._gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self._raw, compresslevel=self.level, mtime=0
        )
        return self

    def write(self, headers: list[bytes], reads: np.ndarray, phred: np.ndarray) -> None:
        """Append records; `headers` are full header lines without '@' and newline."""
        assert self._gzip is not None, "use FastqWriter as a context manager"
        n, length = reads.shape
        if len(headers) != n or phred.shape != reads.shape:
            raise ValueError("headers, reads and qualities differ in number or shape")
        width = 2 * length + 4
        body = np.empty((n, width), dtype=np.uint8)
        body[:, :length] = reads
        body[:, length : length + 3] = np.frombuffer(b"\n+\n", dtype=np.uint8)
        body[:, length + 3 : 2 * length + 3] = phred + PHRED_OFFSET
        body[:, -1] = ord("\n")
        blob = body.tobytes()
        self._gzip.write(
            b"".join(
                b"@%s\n%s" % (h, blob[i * width : (i + 1) * width])
                for i, h in enumerate(headers)
            )
        )
        self.records += n

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._gzip is not None and self._raw is not None
        try:
            self._gzip.close()
            self._raw.close()
        finally:
            if kind is None:
                os.replace(self._tmp, self.path)
            else:
                self._tmp.unlink(missing_ok=True)
