"""Review: comments anchored to passages (`panel`, one card per thread in `thread_card`),
the changes between two revisions (`changes_view`) and the history browser with restore
(`history_dialog`).
"""
