"""The article list: the lazily paged table model over the store (`model`), the panel with
its search box and count (`panel`), and the worker that runs the list's queries (`queries`).

The panel is the window's left column; it hears about saves and workflow steps through
`editor.ui.signals` and asks the services (never the store) for rows.
"""
