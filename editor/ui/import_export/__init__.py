"""Getting copy in and pages out: the import controller and its duplicate questions
(`import_dialog`), the import notes in the inspector (`notes_panel`), File > Export Site
(`export_dialog`) and the file choosers of the File menu (`file_dialogs`).
"""
