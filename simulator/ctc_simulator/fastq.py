"""Streaming, reproducible gzip FASTQ output.

Chunks are appended as they are made, so memory stays bounded. The gzip
header carries no file name and a zero timestamp, so the same reads give the
same bytes; the file appears under its final name only when complete.

Compression runs in a background thread (zlib releases the GIL), so the next
chunk is simulated while the last one is compressed; chunks stay in order, so
the bytes do not depend on it.
"""

from __future__ import annotations

import gzip
import os
import queue
import threading
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from .atomic import temporary_path

PHRED_OFFSET = 33
PENDING_CHUNKS = 2  # formatted chunks waiting for compression (bounds memory)


class FastqWriter:
    def __init__(self, path: Path, level: int = 4) -> None:
        self.path = path
        self.level = level
        self.records = 0
        self._tmp = temporary_path(path)
        self._raw: BinaryIO | None = None
        self._gzip: gzip.GzipFile | None = None
        self._queue: queue.Queue[bytes | None] = queue.Queue(PENDING_CHUNKS)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> FastqWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._raw = open(self._tmp, "wb")
        self._gzip = gzip.GzipFile(
            filename="", mode="wb", fileobj=self._raw, compresslevel=self.level, mtime=0
        )
        self._thread = threading.Thread(target=self._compress, daemon=True)
        self._thread.start()
        return self

    def _compress(self) -> None:
        assert self._gzip is not None
        while (blob := self._queue.get()) is not None:
            if self._error is None:  # after a failure, drain so writers never block
                try:
                    self._gzip.write(blob)
                except BaseException as error:  # re-raised in the writing thread
                    self._error = error

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, headers: list[bytes], reads: np.ndarray, phred: np.ndarray) -> None:
        """Append records; `headers` are full header lines without '@' and newline."""
        assert self._thread is not None, "use FastqWriter as a context manager"
        self._check()
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
        self._queue.put(
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
        assert self._thread is not None
        self._queue.put(None)
        self._thread.join()
        try:
            self._gzip.close()
            self._raw.close()
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise
        if kind is None and self._error is None:
            os.replace(self._tmp, self.path)
            return
        self._tmp.unlink(missing_ok=True)
        if kind is None:
            self._check()
