"""The open article's life: its editing session with autosave, recovery journal and
conflicts (`editing`), Merge Both of a stale save put in the editor as an undoable edit
(`conflict`; the dialog itself is `editor.ui.conflict_dialog`), the offer to recover after
a crash (`recovery_offer`), saving on logout, SIGTERM and SIGHUP (`end`), and garbage
collection moved to idle time (`idle_gc`).
"""
