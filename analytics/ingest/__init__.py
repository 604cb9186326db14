"""Importing ERP exports: read, map, validate, upsert, remember, undo.

Public API (used by the command line and the Data page):
- `save_upload(store, name, data)`: write an uploaded file under a server-chosen name.
- `inspect_file(path, ...)`: encoding, dialect, number format, kind, header mapping, preview.
- `import_file(store, path, ...)`: one file in one transaction; returns an `ImportReport`.
- `list_imports(store)`, `undo_import(store, import_id)`: the history and its undo.
"""

from analytics.ingest.history import UndoRefused, list_imports, undo_import
from analytics.ingest.pipeline import import_file, inspect_file, load_order
from analytics.ingest.reader import MAX_UPLOAD_BYTES, save_upload
from analytics.ingest.results import ImportRefused, ImportReport, Inspection, RowError
from analytics.store.version import data_version  # the store's own; named here before

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportRefused",
    "ImportReport",
    "Inspection",
    "RowError",
    "UndoRefused",
    "data_version",
    "import_file",
    "inspect_file",
    "load_order",
    "list_imports",
    "save_upload",
    "undo_import",
]
