"""Export a whole result set, in its order, as CSV or NDJSON lines, streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from search.answers import as_data
from search.query import SearchRequest
from search.snapshot import Snapshot

FORMATS = ("csv", "ndjson")
COLUMNS = ("id", "date", "headline", "title", "url", "source", "people", "places", "organisations", "score")
DEFAULT_MAX_ROWS = 100_000


def export_rows(
    snapshot: Snapshot, request: SearchRequest, max_rows: int = DEFAULT_MAX_ROWS
) -> tuple[int, Iterator[dict]]:
    """Return (total hits, an iterator over at most `max_rows` rows in the request's order).

    Rows are read from the snapshot one at a time as the iterator is consumed, so
    memory stays flat however many rows are written."""
    whole = replace(request, page=1, size=max(1, max_rows), facets=())
    hits = snapshot.hits(whole)

    def rows() -> Iterator[dict]:
        for docnum, score in hits.page[:max_rows]:
            summary = as_data(snapshot.summary(snapshot.stored(docnum)))
            yield {**summary, "score": round(float(score), 4) if score is not None else None}

    return hits.total, rows()


def csv_lines(rows: Iterable[dict], columns: Sequence[str] = COLUMNS) -> Iterator[str]:
    """Yield CSV text: a header, then one line per row; lists joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            "; ".join(row[c]) if isinstance(row[c], list) else ("" if row[c] is None else row[c]) for c in columns
        )
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def ndjson_lines(rows: Iterable[dict]) -> Iterator[str]:
    """Yield one JSON object per line."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"
