"""`python -m editor` is the `newsroom` command."""

from editor.cli import main

raise SystemExit(main())
