"""The domain, the store and the CLI's verbs never load Qt (DESIGN.md: layers)."""

from __future__ import annotations

import subprocess
import sys


def test_core_store_and_cli_do_not_import_qt():
    code = (
        "import sys, editor.core.newsroom, editor.core.render, editor.core.export, "
        "editor.core.importing, editor.store.store, editor.cli; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'qtawesome')]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
