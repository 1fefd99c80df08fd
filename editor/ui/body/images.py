"""Pictures in the body: insert one from a file as a store asset, edit its words.

The body holds `![alt](asset:ID)` alone in its paragraph (a figure); the bytes, caption and
credit live in the asset row (`Newsroom.add_asset` / `update_asset`). The document shows
the picture from a resource registered under the same `asset:ID` URL, for inserted images
here and for opened articles through `BodyEditor.image_source`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QImage,
    QPixmap,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTextEdit,
    QWidget,
)

from editor.core.errors import NewsroomError, ValidationError
from editor.services.assets import MAX_ASSET_BYTES, Asset, asset_id_from_url, validate_image
from editor.ui import dialogs
from editor.ui.body.markdown_bridge import register_image

FILE_FILTER = "Images (*.jpg *.jpeg *.png *.gif *.webp);;All files (*)"
_ALT = QTextFormat.Property.ImageAltText


class ImageDetailsDialog(QDialog):
    """Alt text (required), caption and credit of a picture, with a thumbnail of it."""

    def __init__(self, data: bytes, name: str, parent: QWidget | None = None, *,
                 alt: str = "", caption: str = "", credit: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("imageDetailsDialog")
        self.setWindowTitle("Image Details" if alt else "Insert Image")
        self.setMinimumWidth(460)
        thumbnail = QLabel()
        thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap.fromImage(QImage.fromData(data))
        if not pixmap.isNull():
            thumbnail.setPixmap(
                pixmap.scaled(420, 200, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
            )  # fmt: skip
        self.alt = QLineEdit(alt)
        self.alt.setPlaceholderText("What the picture shows, for readers who cannot see it")
        self.caption = QLineEdit(caption)
        self.caption.setPlaceholderText("Shown under the picture (optional)")
        self.credit = QLineEdit(credit)
        self.credit.setPlaceholderText("Photographer / agency (optional)")
        self.error = QLabel()
        self.error.setObjectName("imageError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(thumbnail)
        if name:
            form.addRow(QLabel(f"<span style='color:#5e6673'>{_escape(name)}</span>"))
        form.addRow("Alt text:", self.alt)
        form.addRow("Caption:", self.caption)
        form.addRow("Credit:", self.credit)
        form.addRow(self.error)
        form.addRow(buttons)

    def accept(self) -> None:
        if not self.alt.text().strip():
            self.error.setText(
                "Alt text is required: describe the picture for readers who cannot see it."
            )
            self.alt.setFocus()
            return
        super().accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def read_image_file(path: str | Path) -> bytes:
    """The file's bytes if it is an image the store takes; `ValidationError` otherwise."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ASSET_BYTES:
            size = path.stat().st_size / 1024 / 1024
            raise ValidationError(
                f"{path.name} is {size:.1f} MB; images may be at most "
                f"{MAX_ASSET_BYTES // 1024 // 1024} MB. Export a smaller copy and try again.",
                field="file",
            )
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"Cannot read {path}: {error.strerror or error}.") from None
    validate_image(data, path.name)
    return data


def insert_asset_image(editor: QTextEdit, asset: Asset, data: bytes) -> None:
    """The picture as its own paragraph at the cursor (one undo step), shown from `data`."""
    document = editor.document()
    register_image(document, asset.url, data)
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    if cursor.hasSelection():
        cursor.removeSelectedText()
    if cursor.block().length() > 1:
        if not cursor.atBlockStart():
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            cursor.insertBlock()
        else:
            cursor.insertBlock()
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    block_list = cursor.block().textList()
    if block_list is not None:
        block_list.remove(cursor.block())
    image = QTextImageFormat()
    image.setName(asset.url)
    image.setProperty(_ALT, asset.alt)
    cursor.insertImage(image)
    single = QTextBlockFormat()
    single.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    single.setTopMargin(6)
    single.setBottomMargin(14)
    cursor.mergeBlockFormat(single)
    if cursor.block().next().isValid() and cursor.atBlockEnd():
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    else:
        cursor.insertBlock(cursor.blockFormat(), QTextCharFormat())
    cursor.endEditBlock()
    editor.setTextCursor(cursor)


def image_at(editor: QTextEdit, cursor: QTextCursor) -> tuple[int, QTextImageFormat] | None:
    """(position, format) of the picture at or just before `cursor`, if there is one."""
    block = cursor.block()
    position = cursor.position()
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        start = fragment.position()
        if start <= position <= start + fragment.length():
            char_format = fragment.charFormat()
            if char_format.isImageFormat():
                return max(start, min(position, start + fragment.length() - 1)), (
                    char_format.toImageFormat()
                )
        iterator += 1
    return None


class ImageCommands(QObject):
    """Format > Image… and double-click to edit a picture's alt text, caption and credit."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.actions["format_image"].triggered.connect(self.insert_interactively)
        window.editor.image_source = self.image_data
        window.editor.viewport().installEventFilter(self)

    @property
    def _newsroom(self):
        return self._window.newsroom

    def image_data(self, url: str) -> bytes | None:
        """The bytes behind an `asset:` URL for the editor (None: not ours, or gone)."""
        asset_id = asset_id_from_url(url)
        if asset_id is None:
            return None
        try:
            return self._newsroom.asset_data(asset_id)
        except NewsroomError:
            return None

    def insert_interactively(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._window, "Insert Image", str(Path.home()), FILE_FILTER
        )
        if path:
            self.insert_from_file(path, ask=self._ask_details)

    @staticmethod
    def _ask_details(dialog: ImageDetailsDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def insert_from_file(self, path: str | Path, ask=None) -> Asset | None:
        """Check the file, ask for its words (`ask(dialog)`), keep it, show it in the body."""
        window = self._window
        article = window.session.article
        if article is None or window.editor.isReadOnly():
            return None
        try:
            data = read_image_file(path)
        except ValidationError as error:
            dialogs.show_error(window, "Insert Image", str(error))
            return None
        dialog = ImageDetailsDialog(data, Path(path).name, window)
        if not (ask or self._ask_details)(dialog):
            return None
        try:
            asset = self._newsroom.add_asset(
                data,
                alt=dialog.alt.text(),
                caption=dialog.caption.text(),
                credit=dialog.credit.text(),
                article_id=article.id,
                filename=Path(path).name,
            )
        except NewsroomError as error:
            dialogs.show_error(window, "Insert Image", str(error))
            return None
        insert_asset_image(window.editor, asset, data)
        window.editor.setFocus()
        return asset

    def edit_at(self, cursor: QTextCursor, ask=None) -> Asset | None:
        """Edit the words of the picture at `cursor`; the body's alt text follows."""
        found = image_at(self._window.editor, cursor)
        if found is None:
            return None
        position, image = found
        asset_id = asset_id_from_url(image.name())
        if asset_id is None:
            return None
        try:
            asset = self._newsroom.get_asset(asset_id)
            data = self._newsroom.asset_data(asset_id)
        except NewsroomError as error:
            dialogs.show_error(self._window, "Image Details", str(error))
            return None
        dialog = ImageDetailsDialog(
            data, asset.filename, self._window,
            alt=image.stringProperty(_ALT) or asset.alt, caption=asset.caption,
            credit=asset.credit,
        )  # fmt: skip
        if not (ask or self._ask_details)(dialog):
            return None
        try:
            asset = self._newsroom.update_asset(
                asset_id,
                alt=dialog.alt.text(),
                caption=dialog.caption.text(),
                credit=dialog.credit.text(),
            )
        except NewsroomError as error:
            dialogs.show_error(self._window, "Image Details", str(error))
            return None
        if image.stringProperty(_ALT) != asset.alt and not self._window.editor.isReadOnly():
            change = QTextCursor(self._window.editor.document())
            change.setPosition(position)
            change.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            image.setProperty(_ALT, asset.alt)
            change.setCharFormat(image)  # an edit of the body: autosaved like typing
        return asset

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick:
            editor = self._window.editor
            cursor = editor.cursorForPosition(event.position().toPoint())
            if image_at(editor, cursor) is not None:
                self.edit_at(cursor)
                return True
        return super().eventFilter(watched, event)
