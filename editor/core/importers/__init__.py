"""One module per format the importer reads: wire text, Markdown, HTML and DOCX.

`editor.core.importing.parse_file` picks the module by the file's name and content;
`boilerplate` is shared with the copy-desk checks. Nothing here writes to the store.
"""

#: The files the importer reads, by suffix (here, so that a file dialog needs no parser).
TEXT_SUFFIXES = {".txt", ".text", ".wire"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
DOCX_SUFFIXES = {".docx", ".docm", ".dotx"}
IMPORT_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES
