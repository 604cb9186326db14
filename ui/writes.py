"""Every change a page can make to the data, each refused unless this session may edit.

Pages hide write controls from viewers and in read-only serving, but a hidden button is not
a guard: the functions here check the role on the server, at the moment of the write, and
raise `EditRefused` otherwise. Pages import writes from here and never from `analytics`
(tests/ui/test_auth.py proves it), so no write path skips the check.
"""

from __future__ import annotations

import functools

from analytics.demo import separate
from analytics.forecast.batch import refresh_forecasts as _refresh_forecasts
from analytics.ingest import import_file as _import_file
from analytics.ingest import save_upload as _save_upload
from analytics.ingest import undo_import as _undo_import
from analytics.metrics import planning, targets
from analytics.review import actions, notes
from ui.auth import EditRefused, require_editor

__all__ = [
    "EditRefused",
    "add_note",
    "close_action",
    "create_action",
    "import_file",
    "move_demo_out",
    "refresh_forecasts",
    "save_currency",
    "save_settings",
    "save_upload",
    "set_baseline",
    "set_target",
    "undo_import",
    "update_action",
]


def editors_only(write):
    @functools.wraps(write)
    def checked(*args, **kwargs):
        require_editor()
        return write(*args, **kwargs)

    return checked


save_upload = editors_only(_save_upload)  # writes the upload to disk
import_file = editors_only(_import_file)
refresh_forecasts = editors_only(_refresh_forecasts)  # after an import, as the CLI does
undo_import = editors_only(_undo_import)
move_demo_out = editors_only(separate.move_demo_out)
set_target = editors_only(targets.set_target)
set_baseline = editors_only(targets.set_baseline)
save_settings = editors_only(planning.save_settings)
save_currency = editors_only(planning.save_currency)
add_note = editors_only(notes.add_note)
create_action = editors_only(actions.create_action)
update_action = editors_only(actions.update_action)
close_action = editors_only(actions.close_action)
