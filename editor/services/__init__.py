"""The services: the seam every face goes through (rights, events, persistence).

`Newsroom` (`newsroom.py`) is the seam; it composes its parts as attributes
(`newsroom.workflow`, `.review`, `.assets`, `.dictionary`, `.recovery`, `.checks`,
`.dashboard`, `.settings`), each a small class built on a typed seat (`seat.py`).
Sync and story packages (`syncing.py`), backups (`backups.py`) and a batch import
(`import_run.py`) are here too. Services import the domain (`editor.core`) and the
store (`editor.store`); the CLI and the window import the services, never the store.
"""
