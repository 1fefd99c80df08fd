"""The preview's web page: turns the patcher's console messages into a Python signal.

`resources/js/preview.js` runs in an isolated world and reports scrolls and clicks with
`console.log("newsroom-preview:" + JSON)`; a console message is the lightest bridge that
needs no script in the page itself. The page never navigates away from the article.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage

_PREFIX = "newsroom-preview:"


class PreviewPage(QWebEnginePage):
    """A `QWebEnginePage` that loads only our own preview files and reports messages."""

    #: A message from the patcher: {"scrolled": {"block", "fraction"}} or {"clicked": n}.
    message_received = Signal(dict)

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:
        if not message.startswith(_PREFIX):
            return
        try:
            payload = json.loads(message[len(_PREFIX) :])
        except ValueError:
            return
        if isinstance(payload, dict):
            self.message_received.emit(payload)

    def acceptNavigationRequest(self, url: QUrl | str, kind, is_main_frame: bool) -> bool:
        # Links in the article are for readers of the web page, not for the preview.
        return kind != QWebEnginePage.NavigationType.NavigationTypeLinkClicked
