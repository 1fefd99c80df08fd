"""The window's look: Fusion with a calm light palette and one style sheet."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#1d5fa8"

_STYLE_SHEET_TEMPLATE = """
QMainWindow, #articleListPanel { background: #f4f5f7; }
QToolBar#mainToolbar {
    background: #ffffff; border: none; border-bottom: 1px solid #e3e5e8;
    padding: 4px 8px; spacing: 4px;
}
QToolBar#mainToolbar QToolButton { padding: 4px 8px; border-radius: 4px; }
QToolBar#formatToolbar {
    background: #ffffff; border: none; border-bottom: 1px solid #eceef1;
    padding: 3px 12px; spacing: 2px;
}
QToolBar QToolButton { border-radius: 4px; padding: 4px; }
QToolBar QToolButton:hover { background: #eef1f5; }
QToolBar QToolButton:checked { background: #dde7f3; }
QSplitter::handle { background: #e3e5e8; }
#searchBox {
    padding: 6px 8px; border: 1px solid #d5d8dd; border-radius: 6px; background: #ffffff;
}
#searchBox:focus { border-color: @accent; }
#articleCount { color: #6b7280; padding: 0 2px; }
#articleTable {
    border: 1px solid #e3e5e8; border-radius: 6px; background: #ffffff;
    alternate-background-color: #fafbfc; selection-background-color: #dde7f3;
    selection-color: #111827;
}
#articleTable::item { padding: 0 13px 0 6px; }  /* numbers line up with their headers */
QHeaderView::section {
    background: #ffffff; color: #4b5563; border: none; border-bottom: 1px solid #e3e5e8;
    padding: 6px 13px 6px 6px; font-weight: 600;
}
#editorColumn, #bodyEditor { background: #ffffff; }
#editorHeadline {
    border: none; border-bottom: 1px solid #eceef1; background: #ffffff; color: #111827;
}
#sideTabs::pane { border: none; }
#sideTabs QTabBar { background: #ffffff; }
#sideTabs QTabBar::tab {
    padding: 8px 16px 6px 16px; border: none; border-bottom: 2px solid transparent;
    background: #ffffff; color: #6b7280;
}
#sideTabs QTabBar::tab:selected { color: #111827; border-bottom-color: @accent; }
#sideTabs QTabBar::tab:hover:!selected { color: #374151; }
#inspector, #inspector > QWidget > QWidget { background: #ffffff; }
#inspector QComboBox { padding: 3px 6px; }
#inspector QLineEdit, #inspector QPlainTextEdit {
    padding: 4px 6px; border: 1px solid #d5d8dd; border-radius: 4px; background: #ffffff;
}
#inspector QLineEdit:focus, #inspector QPlainTextEdit:focus { border-color: @accent; }
/* Locked (read-only) details stay readable: body text colour on a faint grey. */
#inspector QLineEdit[locked="true"], #inspector QPlainTextEdit[locked="true"],
#inspector QComboBox[locked="true"] {
    color: #1f2937; background: #f6f7f9; border-color: #e3e5e8;
}
#inspector QComboBox[locked="true"] QLineEdit { color: #1f2937; background: #f6f7f9; }
#inspector QLineEdit[locked="true"]:focus, #inspector QPlainTextEdit[locked="true"]:focus {
    border-color: #c7ccd3;
}
#flagsPanel QCheckBox:disabled, #flagsPanel QDateTimeEdit:disabled { color: #374151; }
#wordCount { color: #374151; }
#previewMessage { background: #fff7e6; color: #8a5a00; padding: 8px 12px; }
QStatusBar { background: #ffffff; border-top: 1px solid #e3e5e8; color: #4b5563; }
QStatusBar QLabel { padding: 0 10px; }
"""
_STYLE_SHEET = _STYLE_SHEET_TEMPLATE.replace("@accent", ACCENT)


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f4f5f7"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#fafbfc"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    app.setStyleSheet(_STYLE_SHEET)
