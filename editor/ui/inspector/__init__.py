"""The metadata inspector on the right: the article's fields (`panel`), the editors' flags
(`flags`) and the audit log of its events (`audit_log`). The workflow strip at its top lives
in `editor.ui.workflow`.
"""
