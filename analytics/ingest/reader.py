"""Reading an upload safely: size, binary and compression checks, encoding, dialect, header.

DuckDB's own sniffer guesses silently (ragged rows collapse into one column, decimal commas
stay text, `01/02/2024` is read day-first), so Takt decides the format here from the file's
first megabyte, tells the user what it decided, and hands DuckDB an explicit dialect.
Files that are not UTF-8 are transcoded once to a UTF-8 copy in the store's upload folder.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from analytics.ingest.results import ImportRefused

# The same default as server.maxUploadSize in .streamlit/config.toml; TAKT_MAX_UPLOAD_MB
# changes it for the importer and the command line.
MAX_UPLOAD_BYTES = int(float(os.environ.get("TAKT_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
# Files the command line loads from the user's own disk (nightly exports) may be larger.
MAX_LOAD_BYTES = int(float(os.environ.get("TAKT_MAX_LOAD_MB", "4096")) * 1024 * 1024)
UPLOAD_MAX_AGE_S = 24 * 3600
MAX_LINE_BYTES = 1024 * 1024
HEAD_BYTES = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
MAGIC = {
    b"\x1f\x8b": "a gzip-compressed file",
    b"PK\x03\x04": "a ZIP archive or an Excel workbook (.xlsx); export it as CSV",
    b"BZh": "a bzip2-compressed file",
    b"\xfd7zXZ": "an xz-compressed file",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls); export it as CSV",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


@dataclass
class CsvFile:
    """A readable CSV: where its UTF-8 text is and how it is laid out."""

    name: str  # what the user called it
    path: Path  # UTF-8 text DuckDB reads (the upload itself, or a transcoded copy)
    size: int
    sha256: str
    encoding: str
    delimiter: str
    headers: list[str]
    header_lines: int  # physical lines the header takes (quoted newlines)
    sample: list[list[str]]  # the first data records, for detection and preview


def save_upload(store, name: str, data: bytes) -> Path:
    """Write an upload under a name the server chooses; the user's name is only a label."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            name,
            f"file is {len(data) / 2**20:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 2**20:.0f} MB",
        )
    _prune(store.spool_dir)
    path = store.spool_dir / f"upload-{uuid.uuid4().hex}.csv"
    path.write_bytes(data)
    return path


def _prune(folder: Path) -> None:
    """Uploads of sessions that ended without importing are removed after a day."""
    cutoff = time.time() - UPLOAD_MAX_AGE_S
    for old in folder.glob("upload-*.csv"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_csv(path: Path, name: str, spool_dir: Path, max_bytes: int | None = None) -> CsvFile:
    """Check, decode and sniff a file; raise ImportRefused with the reason otherwise.

    The size is checked before a byte is read; the limit is the upload limit unless the
    caller (the command line, reading the user's own files) sets its own."""
    path = Path(path)
    size = path.stat().st_size
    limit = max_bytes or MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportRefused(
            name, f"file is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB"
        )
    if size == 0:
        raise ImportRefused(name, "file is empty")
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    _refuse_binary(name, head)
    encoding = detect_encoding(name, head)
    text_path = (
        path if encoding in ("utf-8", "utf-8-sig") else transcode(name, path, encoding, spool_dir)
    )
    try:
        return _sniff(name, path, text_path, size, encoding)
    except BaseException:
        # A refused file leaves no transcoded copy behind in the upload folder.
        if text_path != path:
            text_path.unlink(missing_ok=True)
        raise


def _sniff(name: str, path: Path, text_path: Path, size: int, encoding: str) -> CsvFile:
    """Dialect, header and sample of the UTF-8 text at `text_path`."""
    with open(text_path, "rb") as fh:
        text_head = fh.read(HEAD_BYTES)
    if b"\n" not in text_head and b"\r" not in text_head and size > HEAD_BYTES:
        raise ImportRefused(name, "line 1 is longer than 1 MB: this is not a CSV export", 1)
    text = _decode_head(text_head)
    delimiter = detect_delimiter(text)
    records = _records(text, delimiter, complete=len(text_head) < HEAD_BYTES)
    if not records or not any(f.strip() for f in records[0]):
        raise ImportRefused(name, "file is empty")
    headers = unique_headers(name, [h.strip() for h in records[0]])
    header_lines = 1 + _header_newlines(text, delimiter)
    return CsvFile(
        name,
        text_path,
        size,
        file_sha256(path),
        encoding,
        delimiter,
        headers,
        header_lines,
        [r for r in records[1:201] if r],
    )


def head_headers(path: Path) -> list[str]:
    """The headers of a file from its first megabyte alone: no checksum, no transcoded copy
    (what ordering the files of one load needs). Raises ImportRefused as `open_csv` would."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    name = Path(path).name
    _refuse_binary(name, head)
    text = head.decode(detect_encoding(name, head), errors="replace").lstrip("\ufeff")
    delimiter = detect_delimiter(text)
    records = _records(text, delimiter, complete=len(head) < HEAD_BYTES)
    if not records or not any(f.strip() for f in records[0]):
        raise ImportRefused(name, "file is empty")
    return unique_headers(name, [h.strip() for h in records[0]])


def _refuse_binary(name: str, head: bytes) -> None:
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise ImportRefused(name, f"this is {what}, not a CSV text file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    nul = head.find(b"\x00")
    if nul >= 0 and not _looks_utf16(head):
        line = head.count(b"\n", 0, nul) + 1
        raise ImportRefused(name, "the file contains NUL bytes: it is binary, not CSV text", line)


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: every other byte is NUL for ASCII text."""
    sample = head[:4000]
    return len(sample) >= 4 and (
        sample[1::2].count(0) > 0.8 * len(sample) / 2
        or sample[0::2].count(0) > 0.8 * len(sample) / 2
    )


def detect_encoding(name: str, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if _looks_utf16(head):
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(head):
        # Mostly UTF-8 with a few bad bytes (mixed encodings): keep UTF-8 and let the
        # offending lines be rejected one by one rather than mangle every accent.
        return "utf-8"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        line = head.count(b"\n", 0, exc.start) + 1
        raise ImportRefused(
            name,
            f"unknown text encoding (byte 0x{head[exc.start]:02x} is "
            "neither UTF-8 nor Windows-1252)",
            line,
        ) from exc


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(head: bytes) -> bool:
    """More well-formed UTF-8 sequences than stray high bytes: a UTF-8 file with a few bad
    lines. A Windows-1252 file has only stray high bytes (`ü` is one byte, 0xFC)."""
    sequences = _UTF8_SEQUENCE.findall(head)
    stray = sum(b >= 0x80 for b in head) - sum(len(s) for s in sequences)
    return len(sequences) > stray


def transcode(name: str, path: Path, encoding: str, spool_dir: Path) -> Path:
    """Stream the file into a UTF-8 copy; a byte the encoding cannot read names its line."""
    out = spool_dir / f"utf8-{uuid.uuid4().hex}.csv"
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                out.unlink(missing_ok=True)
                bad = line + block.count(b"\n", 0, exc.start)
                raise ImportRefused(name, f"the file is not valid {encoding} text", bad) from exc
            if "\x00" in text:
                out.unlink(missing_ok=True)
                bad = line + text[: text.index("\x00")].count("\n")
                raise ImportRefused(name, "the file contains NUL characters", bad)
            line += text.count("\n")
            dst.write(text.lstrip("\ufeff") if dst.tell() == 0 else text)
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:
            out.unlink(missing_ok=True)
            raise ImportRefused(
                name, f"the file ends in the middle of a {encoding} character (cut short?)", line
            ) from exc
    return out


def _decode_head(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text.lstrip("\ufeff")


def _records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    """Parse the head; drop a last record the 1 MB cut may have broken."""
    if not complete:
        text = text[: max(text.rfind("\n"), 0)]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    return [r for r in rows if r]


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header widest and the rows most consistently."""
    lines = text[:200_000].splitlines()[:200] or [""]
    best, best_score = ",", (0.0, 0)
    for delim in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim) if r]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistency = sum(len(r) == width for r in rows) / len(rows)
        score = (round(consistency, 1), width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _header_newlines(text: str, delimiter: str) -> int:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    return reader.line_num - 1


REPEATED = re.compile(r"^(?P<header>.+) \((?P<nth>\d+)\)$")


def unique_headers(name: str, headers: list[str]) -> list[str]:
    """The headers, a repeated one named by its position among its namesakes: the second
    `Item` of an MB51 export is `Item (2)`. Exports repeat names on purpose (a document's
    item and its PO's item), so they are read by position, never refused for it; whether a
    repeated name may fill a column is the mapping's question (see `repeated_base`)."""
    seen: dict[str, int] = {}
    out = []
    for pos, header in enumerate(headers, start=1):
        if not header:
            raise ImportRefused(
                name, f"header {pos} is blank; every column needs a name", 1, f"#{pos}"
            )
        key = header.casefold()
        seen[key] = seen.get(key, 0) + 1
        out.append(header if seen[key] == 1 else f"{header} ({seen[key]})")
    return out


def repeated_base(header: str, headers: list[str]) -> str | None:
    """For `Item (2)` made by `unique_headers` from a second `Item`, the name `Item` (as the
    second one spells it); None for a header that is not a repeat."""
    match = REPEATED.match(header)
    if match and any(h.casefold() == match.group("header").casefold() for h in headers):
        return match.group("header")
    return None
