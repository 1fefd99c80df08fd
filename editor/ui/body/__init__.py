"""The article body as the person edits it: the rich editor (`editor`) and its Markdown
source (`source`) in one stack (`stack`), the headline above them, and the commands that
work on the text: formatting, find and replace, paste, tables, pictures, focus mode, undo,
and spell check (`spell_highlighter` squiggles, `spelling` the menu and context menu).

`markdown_bridge` and `markdown_writer` convert between the body's Markdown dialect and a
`QTextDocument`; `counts` and `copyfit` count what the reader will see. Nothing here knows
about the store or the workflow; the window hands the body an article and reads it back.
"""
