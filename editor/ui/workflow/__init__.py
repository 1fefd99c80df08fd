"""The workflow in the window: the strip at the top of the inspector (`bar`), the status
actions, flags and read-only state (`controller`), the note that goes with a step
(`note_dialog`) and people and Switch User (`users_dialog`). How each status looks is
`editor.ui.status_style`, shared with the list, the desk and the inspector.
"""
