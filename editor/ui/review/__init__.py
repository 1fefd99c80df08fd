"""Review: comments anchored to passages (`panel`), the changes between two revisions
(`changes_view`) and the history browser with restore (`history_dialog`).
"""
