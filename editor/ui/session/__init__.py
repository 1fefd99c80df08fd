"""The open article's life: its editing session with autosave, recovery journal and
conflicts (`editing`), the offer to recover after a crash (`recovery_offer`), saving on
logout, SIGTERM and SIGHUP (`end`), and garbage collection moved to idle time (`idle_gc`).
"""
