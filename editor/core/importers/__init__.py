"""One module per format the importer reads: wire text, Markdown, HTML and DOCX.

`editor.core.importing.parse_file` picks the module by the file's name and content;
`boilerplate` is shared with the copy-desk checks. Nothing here writes to the store.
"""
