"""`python -m editor` is the `newsroom` command."""

from __future__ import annotations

from editor.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
