"""The Checks panel: copy-desk findings of `editor.core.checks`, run off the GUI thread
after a pause in typing, grouped by level and underlined in the editor.
"""
