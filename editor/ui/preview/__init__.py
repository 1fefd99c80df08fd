"""The live preview: the article through the export template in a Qt WebEngine view
(`pane`), rendered off the GUI thread and patched block by block (`render`, `page`),
with `asset:` images (`assets`), width presets (`widths`) and scroll sync with the editor
(`scroll_sync`).
"""
