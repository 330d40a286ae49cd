"""Articles in, as values: read files and JSON Lines into `Article`s, and report what is skipped.

The reader never raises for bad input: each bad file or line becomes a `Skipped`
that names the file, the line and the reason, and reading goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from search.errors import ArticleFormatError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
MAX_ID_LENGTH = 200

_DATE_LINE = re.compile(r"^[ \t]*date[ \t]+(\S+)[ \t]*(.*)$")
_ID_OK = re.compile(r"^[^\x00-\x1f/\\]+$")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from its source, before analysis."""

    id: str
    date: date
    body: str
    title: str = ""
    url: str = ""
    source: str = ""
    origin: str = ""  # where it was read: "path" or "path:line"

    @property
    def content_hash(self) -> str:
        """Return a digest of everything the index stores about the article."""
        h = hashlib.sha1()
        for part in (self.id, self.date.isoformat(), self.title, self.url, self.source, self.body):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input item that was not indexed, and why."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


def skipped_of(error: ArticleFormatError) -> Skipped:
    """Return the Skipped entry that reports `error` (file, line, reason)."""
    return Skipped(error.file, error.line, error.reason)


def parse_date(value: str) -> date:
    """Return the date of `value`: YYYY-MM-DD or a full ISO 8601 timestamp.

    Raises ValueError with a message naming the problem.
    """
    value = value.strip()
    if not value:
        raise ValueError("date is empty")
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value).date()
    except ValueError as exc:
        raise ValueError(f"unparseable date {value[:40]!r} (expected YYYY-MM-DD): {exc}") from None


def decode_text(data: bytes) -> str:
    """Return `data` as text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

    Line ends are normalised to "\\n". Raises ArticleFormatError for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ArticleFormatError("undecodable UTF-16 text") from None
    if b"\x00" in data[:8192]:
        raise ArticleFormatError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if _looks_binary(text):
        raise ArticleFormatError("binary file (mostly control characters)")
    return _normalise_newlines(text)


def _without_lone_surrogates(text: str) -> str:
    """JSON's \\uXXXX escapes can encode half a surrogate pair, which no UTF-8 text
    holds: join the pairs that are whole, and replace the halves with U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return controls / len(sample) > 0.05


def parse_article_text(text: str, article_id: str, origin: str = "") -> Article:
    """Return the Article in `text` (date line, then the body). Raises ArticleFormatError."""
    first, _, rest = text.partition("\n")
    match = _DATE_LINE.match(first)
    if not match:
        raise ArticleFormatError("no date line: the first line must start with 'date YYYY-MM-DD'", origin, 1)
    try:
        day = parse_date(match.group(1))
    except ValueError as exc:
        raise ArticleFormatError(str(exc), origin, 1) from None
    body = (match.group(2) + "\n" + rest).strip()
    if not body.strip():
        raise ArticleFormatError("empty body", origin, None)
    return Article(id=article_id, date=day, body=body, origin=origin)


def article_from_record(record: object, file: str, line: int) -> Article:
    """Return the Article in one decoded JSON Lines record. Raises ArticleFormatError."""
    origin = f"{file}:{line}"
    if not isinstance(record, dict):
        raise ArticleFormatError(f"not a JSON object but {type(record).__name__}", file, line)
    fields: dict[str, str] = {}
    for name in ("id", "date", "body", "title", "url", "source"):
        value = record.get(name)
        if value is None:
            if name in ("id", "date", "body"):
                raise ArticleFormatError(f"missing {name!r}", file, line)
            value = ""
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ArticleFormatError(f"{name!r} must be a string, not {type(value).__name__}", file, line)
        value = _without_lone_surrogates(value)
        fields[name] = value.strip() if name != "body" else _normalise_newlines(value).strip()
    try:
        check_id(fields["id"])
        day = parse_date(fields["date"])
    except ValueError as exc:
        raise ArticleFormatError(str(exc), file, line) from None
    if not fields["body"]:
        raise ArticleFormatError("empty body", file, line)
    return Article(
        id=fields["id"],
        date=day,
        body=fields["body"],
        title=fields["title"],
        url=fields["url"],
        source=fields["source"],
        origin=origin,
    )


def check_id(article_id: str) -> str:
    """Return `article_id` if it is usable as an id; raise ValueError naming the problem."""
    if not article_id:
        raise ValueError("id is empty")
    if len(article_id) > MAX_ID_LENGTH:
        raise ValueError(f"id is longer than {MAX_ID_LENGTH} characters")
    if not _ID_OK.match(article_id):
        raise ValueError("id contains control characters or slashes")
    return article_id


def read_articles(
    paths: Iterable[str | os.PathLike], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Skipped]:
    """Yield each article found under `paths` (files or folders, read recursively),
    or a `Skipped` for each file or line that could not be read."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _read_folder(path, max_bytes)
        elif path.exists():
            yield from _read_file(path, max_bytes)
        else:
            yield Skipped(str(path), None, "no such file or folder")


def _read_folder(folder: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    # followlinks with a (device, inode) guard: symlinked folders are read once, loops end.
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=errors.append):
        try:
            st = os.stat(root)
        except OSError as exc:
            yield Skipped(root, None, f"unreadable folder: {exc.strerror}")
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
                continue
            yield from _read_file(Path(root) / name, max_bytes)
    for exc in errors:
        yield Skipped(str(exc.filename), None, f"unreadable folder: {exc.strerror}")


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(name, None, f"cannot read: {exc.strerror}")
        return
    if name.endswith(JSONL_SUFFIXES):
        yield from _read_jsonl(path, max_bytes)
        return
    if size > max_bytes:
        yield Skipped(name, None, f"file too large: {size} bytes (limit {max_bytes})")
        return
    if size == 0:
        yield Skipped(name, None, "empty file (0 bytes)")
        return
    try:
        data = path.read_bytes()
        text = decode_text(data)
        article_id = check_id(path.name[: -len(path.suffix)] if path.suffix else path.name)
        yield parse_article_text(text, article_id, name)
    except OSError as exc:
        yield Skipped(name, None, f"cannot read: {exc.strerror}")
    except ArticleFormatError as exc:
        yield Skipped(name, exc.line, exc.reason)
    except ValueError as exc:
        yield Skipped(name, None, str(exc))


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
    name = str(path)
    opener = gzip.open if name.endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as stream:
            for lineno, raw in enumerate(stream, start=1):
                if len(raw) > max_bytes:
                    yield Skipped(name, lineno, f"line too large: {len(raw)} bytes (limit {max_bytes})")
                    continue
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8-sig"))
                except UnicodeDecodeError:
                    yield Skipped(name, lineno, "invalid UTF-8")
                    continue
                except json.JSONDecodeError as exc:
                    yield Skipped(name, lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")
                    continue
                try:
                    yield article_from_record(record, name, lineno)
                except ArticleFormatError as exc:
                    yield skipped_of(exc)
    except OSError as exc:
        # Covers unreadable files and gzip.BadGzipFile.
        yield Skipped(name, lineno + 1 if lineno else None, f"cannot read: {exc.strerror or exc}")
    except (EOFError, zlib.error) as exc:
        yield Skipped(name, lineno + 1, f"truncated or corrupt gzip stream: {exc}")
