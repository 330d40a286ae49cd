"""Peak memory of exporting a whole result set: flat in the number of rows?

    python scripts/export_memory.py INDEX [--rows 100000] [--format csv|ndjson]

Runs each export in a fresh process (so the peaks do not mix): first 1/10 of
the rows, then all of them, both to /dev/null, and prints the peak anonymous
RSS of each (sampled as rows are written), the same after opening the index,
and rows per second. A streamed export's peak should barely grow with the row
count (only the hit list). Whoosh reads the index through mmap, so total RSS
also counts the index file pages touched, which are reclaimable page cache.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, resource, sys, time

def rss_anon_kib():
    # Anonymous memory only: the index is read through mmap, and its file pages
    # count in RSS although they are page cache the kernel can drop at any time.
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return 0

from search import SearchRequest, open_index
from search.export import csv_lines, ndjson_lines
index_dir, rows, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
index = open_index(index_dir)
index.search(q="", size=1)
opened = rss_anon_kib()
anon_peak = opened
started = time.perf_counter()
total, found = index.export(SearchRequest.build(sort="newest"), rows)
written = 0
with open("/dev/null", "w") as sink:
    for chunk in (csv_lines(found) if fmt == "csv" else ndjson_lines(found)):
        sink.write(chunk)
        written += chunk.count("\\n")
        anon_peak = max(anon_peak, rss_anon_kib())
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": min(total, rows), "opened_kib": opened, "anon_peak_kib": anon_peak,
                  "peak_kib": peak, "seconds": seconds}))
"""


def measure(index: str, rows: int, fmt: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, index, str(rows), fmt],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    args = parser.parse_args()
    small = measure(args.index, max(1, args.rows // 10), args.format)
    large = measure(args.index, args.rows, args.format)
    for run in (small, large):
        print(
            f"{run['rows']:>8} rows: anonymous RSS after open {run['opened_kib'] / 1024:.0f} MiB, "
            f"peak {run['anon_peak_kib'] / 1024:.0f} MiB (total RSS peak with mapped index files "
            f"{run['peak_kib'] / 1024:.0f} MiB), {run['rows'] / run['seconds']:.0f} rows/s"
        )
    growth = (large["anon_peak_kib"] - small["anon_peak_kib"]) / 1024
    print(f"anonymous peak grows {growth:.1f} MiB from {small['rows']} to {large['rows']} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
