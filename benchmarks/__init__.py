"""Benchmark scripts: each prints one JSON line (see docs/benchmarks.md)."""

import atexit
import shutil
import tempfile


def scratch_dir(prefix: str) -> str:
    """A temporary folder for one benchmark run, removed when the script exits (a 150,000-product
    database or CommerceML package is hundreds of megabytes; runs must not pile them up in /tmp)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
