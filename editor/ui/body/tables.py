"""Tables in the body: insert one, add and remove rows and columns, align a column.

Tables are what the Markdown dialect can say: a header row, then rows of simple cells;
no merged cells. A column's alignment is carried by its cells' block alignment with
`AlignAbsolute` (what `markdown_writer.column_alignment` reads, written as `:---:` etc.).
Each command is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCell,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSpinBox,
    QTextEdit,
    QWidget,
)

MAX_ROWS, MAX_COLUMNS = 200, 12
_BORDER = QColor("#c9ced6")
_HEADER_BACKGROUND = QColor("#eef1f5")
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute,
    "center": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignAbsolute,
    "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute,
}
_ACTIONS = (
    "format_table_add_row",
    "format_table_add_column",
    "format_table_remove_row",
    "format_table_remove_column",
    "format_table_align_left",
    "format_table_align_center",
    "format_table_align_right",
)


def table_format() -> QTextTableFormat:
    """Hairline borders, room in the cells, the column's full width."""
    fmt = QTextTableFormat()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(_BORDER))
    fmt.setBorderCollapse(True)
    fmt.setCellPadding(6)
    fmt.setCellSpacing(0)
    fmt.setTopMargin(8)
    fmt.setBottomMargin(8)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    fmt.setHeaderRowCount(1)
    return fmt


def current_table(editor: QTextEdit) -> tuple[QTextTable, QTextTableCell] | None:
    cursor = editor.textCursor()
    # The innermost frame, not `currentTable()`: nested frames are not ours.
    frame = cursor.currentFrame()
    if not isinstance(frame, QTextTable):
        return None
    return frame, frame.cellAt(cursor)


def insert_table(editor: QTextEdit, rows: int, columns: int) -> QTextTable:
    """A table of `rows` (the first the header) x `columns` at the cursor, the cursor in it."""
    rows = max(1, min(rows, MAX_ROWS))
    columns = max(1, min(columns, MAX_COLUMNS))
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    if cursor.hasSelection():
        cursor.removeSelectedText()
    if cursor.block().length() > 1:
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    block_list = cursor.block().textList()
    if block_list is not None:
        block_list.remove(cursor.block())
    plain = QTextBlockFormat()
    plain.setHeadingLevel(0)
    cursor.setBlockFormat(plain)
    table = cursor.insertTable(rows, columns, table_format())
    for column in range(columns):
        style_header(table.cellAt(0, column))
    cursor.endEditBlock()
    editor.setTextCursor(table.cellAt(0, 0).firstCursorPosition())
    return table


def style_header(cell: QTextTableCell, *, bold: bool = True) -> None:
    """A header cell: tinted, and (`bold`) its text bold as Qt's reader makes a `<th>`."""
    cell_format = cell.format().toTableCellFormat()
    cell_format.setBackground(_HEADER_BACKGROUND)
    cell.setFormat(cell_format)
    if not bold:
        return
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeBlockCharFormat(bold)
    cursor.mergeCharFormat(bold)


def _align_cell(cell: QTextTableCell, alignment: Qt.AlignmentFlag | None) -> None:
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    block_format = QTextBlockFormat()
    block_format.setAlignment(alignment or Qt.AlignmentFlag.AlignLeft)
    cursor.mergeBlockFormat(block_format)


def _column_alignment(table: QTextTable, column: int) -> Qt.AlignmentFlag | None:
    alignment = table.cellAt(0, column).firstCursorPosition().blockFormat().alignment()
    return alignment if alignment & Qt.AlignmentFlag.AlignAbsolute else None


def add_row(editor: QTextEdit) -> bool:
    found = current_table(editor)
    if found is None:
        return False
    table, cell = found
    row, at_column = cell.row() + 1, cell.column()  # a cell object dies with its row
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    table.insertRows(row, 1)
    for column in range(table.columns()):
        _align_cell(table.cellAt(row, column), _column_alignment(table, column))
    cursor.endEditBlock()
    editor.setTextCursor(table.cellAt(row, at_column).firstCursorPosition())
    return True


def add_column(editor: QTextEdit) -> bool:
    found = current_table(editor)
    if found is None or found[0].columns() >= MAX_COLUMNS:
        return False
    table, cell = found
    row, column = cell.row(), cell.column() + 1
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    table.insertColumns(column, 1)
    style_header(table.cellAt(0, column))
    cursor.endEditBlock()
    editor.setTextCursor(table.cellAt(row, column).firstCursorPosition())
    return True


def remove_row(editor: QTextEdit) -> bool:
    """Remove the cursor's row; the last row takes the table with it."""
    found = current_table(editor)
    if found is None:
        return False
    table, cell = found
    if table.rows() == 1:
        return _remove_table(editor, table)
    row = cell.row()  # the cell object is gone with its row
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    table.removeRows(row, 1)
    if row == 0:
        for column in range(table.columns()):
            style_header(table.cellAt(0, column))
    cursor.endEditBlock()
    editor.setTextCursor(table.cellAt(min(row, table.rows() - 1), 0).firstCursorPosition())
    return True


def remove_column(editor: QTextEdit) -> bool:
    found = current_table(editor)
    if found is None:
        return False
    table, cell = found
    if table.columns() == 1:
        return _remove_table(editor, table)
    row, column = cell.row(), cell.column()  # the cell object is gone with its column
    table.removeColumns(column, 1)
    editor.setTextCursor(table.cellAt(row, min(column, table.columns() - 1)).firstCursorPosition())
    return True


def _remove_table(editor: QTextEdit, table: QTextTable) -> bool:
    cursor = editor.textCursor()
    cursor.setPosition(table.firstPosition() - 1)
    cursor.setPosition(table.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    editor.setTextCursor(cursor)
    return True


def align_column(editor: QTextEdit, alignment: str) -> bool:
    """'left', 'center' or 'right' for every cell of the cursor's column (one undo step)."""
    found = current_table(editor)
    if found is None:
        return False
    table, cell = found
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    for row in range(table.rows()):
        _align_cell(table.cellAt(row, cell.column()), _ALIGN[alignment])
    cursor.endEditBlock()
    return True


#: The narrowest a small dialog may be: its title is never cut short ("Insert Ta…").
DIALOG_MIN_WIDTH = 360
#: Room the window manager's title bar takes besides the title: icon and buttons.
_TITLE_BAR_EXTRA = 180


def fit_title(dialog: QDialog, minimum: int = DIALOG_MIN_WIDTH) -> None:
    """Make `dialog` wide enough for its window title, and at least `minimum` wide.

    A form of two spin boxes is narrow; window managers shorten a title that does not fit
    the width the layout asks for.
    """
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) + _TITLE_BAR_EXTRA
    dialog.setMinimumWidth(max(minimum, title, dialog.minimumWidth()))


class InsertTableDialog(QDialog):
    """Rows and columns of a new table (the first row is its header)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Insert Table")
        fit_title(self)
        self.rows = QSpinBox(minimum=1, maximum=MAX_ROWS, value=3)
        self.columns = QSpinBox(minimum=1, maximum=MAX_COLUMNS, value=3)
        note = QLabel("The first row is the table's header.")
        note.setStyleSheet("color: #5e6673;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Rows:", self.rows)
        form.addRow("Columns:", self.columns)
        form.addRow(note)
        form.addRow(buttons)


class TableCommands(QObject):
    """Connects the Format > Table actions to the body editor; enables them in a table."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        editor = window.editor
        actions = window.actions
        runs = {
            "format_table_insert": self.insert_interactively,
            "format_table_add_row": lambda: add_row(editor),
            "format_table_add_column": lambda: add_column(editor),
            "format_table_remove_row": lambda: remove_row(editor),
            "format_table_remove_column": lambda: remove_column(editor),
            "format_table_align_left": lambda: align_column(editor, "left"),
            "format_table_align_center": lambda: align_column(editor, "center"),
            "format_table_align_right": lambda: align_column(editor, "right"),
        }
        for name, run in runs.items():
            actions[name].triggered.connect(lambda _checked=False, run=run: self._run(run))
        editor.cursorPositionChanged.connect(self.update_state)
        self.update_state()

    def _run(self, run) -> None:
        run()
        self._window.editor.setFocus()
        self.update_state()

    def insert_interactively(self) -> None:
        dialog = InsertTableDialog(self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            insert_table(self._window.editor, dialog.rows.value(), dialog.columns.value())

    def update_state(self) -> None:
        editor = self._window.editor
        found = current_table(editor) if not editor.isReadOnly() else None
        for name in _ACTIONS:
            self._window.actions[name].setEnabled(found is not None)
        alignment = _column_alignment(found[0], found[1].column()) if found else None
        for name, flag in (
            ("format_table_align_left", Qt.AlignmentFlag.AlignLeft),
            ("format_table_align_center", Qt.AlignmentFlag.AlignHCenter),
            ("format_table_align_right", Qt.AlignmentFlag.AlignRight),
        ):
            self._window.actions[name].setChecked(bool(alignment and alignment & flag))


def table_menu(window: QMainWindow) -> QMenu:
    """Format > Table: insert, rows and columns, alignment."""
    menu = QMenu("&Table", window)
    menu.setObjectName("tableMenu")
    for name in ("format_table_insert", None, *_ACTIONS[:4], None, *_ACTIONS[4:]):
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(window.actions[name])
    return menu
