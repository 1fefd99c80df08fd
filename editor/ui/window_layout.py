"""How the window fits its screen: panel minimums, the first size and the splitter that
shares a change of width by weight (each found wanting by the real-window runs)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget

#: The narrowest the editor column goes: about 40 characters of body text, and room for
#: the headline to wrap by words (at ~50 px it wrapped one letter a line and grew the
#: window past the screen). List + editor + side panel stay under 1000 px, so the window's
#: minimum fits a 1366x768 screen, and 1920x1080 at scale 2 (960x540 logical).
EDITOR_MIN_WIDTH = 360
#: The article list's narrowest: room for a few words of headline beside the Updated and
#: Words columns (at its own ~228 px the headline column was a letter wide).
LIST_MIN_WIDTH = 260
#: Room left around the first window for the window manager's frame and title bar, and
#: for panels and docks the available geometry does not know about.
SCREEN_MARGIN = 24
#: Splitter weights: the editor column takes two thirds of a wider window's extra width,
#: the preview a third; the list and the Details/Review/Checks tabs keep their width.
EDITOR_STRETCH, PREVIEW_STRETCH = 2, 1


def share_width(sizes: list[int], minimums: list[int], weights: list[int],
                total: int) -> list[int]:  # fmt: skip
    """`sizes` changed to add up to `total`: the difference is shared by `weights`, and no
    panel goes below its minimum; shrinking past the weighted panels' minimums takes the
    rest from the others, in proportion to their widths."""
    sizes = list(sizes)
    for pool in (list(weights), list(sizes)):  # by weight; then (shrinking) by width
        delta = total - sum(sizes)
        active = [i for i, w in enumerate(pool) if w > 0 and (delta > 0 or sizes[i] > minimums[i])]
        while delta and active:
            whole = sum(pool[i] for i in active)
            parts = [int(delta * pool[i] / whole) for i in active]
            parts[-1] += delta - sum(parts)  # what rounding left over
            for i, part in zip(active, parts, strict=True):
                sizes[i] += part
            short = [i for i in active if sizes[i] < minimums[i]]
            for i in short:  # past its minimum: it stays there, the others give the rest
                sizes[i] = minimums[i]
            active = [i for i in active if i not in short]
            delta = total - sum(sizes)
        if not delta:
            break
    return sizes


class PanelSplitter(QSplitter):
    """A splitter that shares a change of its width by weight (`weights`), where a plain
    one scales every panel by its width: after the person drags the editor narrow, a wider
    window went mostly to the list and the preview."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self.weights: list[int] = []

    def resizeEvent(self, event: QResizeEvent) -> None:
        before = self.sizes()
        super().resizeEvent(event)
        after = self.sizes()
        panels = [self.widget(i) for i in range(self.count())]
        # Only a resize of a splitter on the screen, laid out at its old width, with every
        # panel shown: the first layouts start from a default size (sharing that shrank
        # the list to its minimum), and focus mode hides panels whose widths the
        # splitter puts back by itself.
        handles = self.handleWidth() * (self.count() - 1)
        laid_out = sum(before) + handles == event.oldSize().width()
        if (
            not self.isVisible()
            or not laid_out
            or len(self.weights) != len(panels)
            or not all(before)
            or any(w.isHidden() for w in panels)
        ):
            return
        minimums = [max(w.minimumWidth(), w.minimumSizeHint().width()) for w in panels]
        total = sum(after)
        if total < sum(minimums):
            return  # narrower than the panels can go: as the splitter does it
        wanted = share_width(before, minimums, self.weights, total)
        if wanted != after:
            self.setSizes(wanted)


def fit_on_screen(rect: QRect, available: QRect, minimum: QSize, *,
                  margin: int = SCREEN_MARGIN, centre: bool = True) -> QRect:  # fmt: skip
    """`rect` made to fit inside `available` (less `margin` each side), never below `minimum`.

    A rect that already fits keeps its place unless `centre`; one that had to shrink, or
    lies partly off the screen, is centred. When even the minimum is larger than the
    screen, the window is at its minimum and starts at the screen's top left corner.
    """
    # A small screen: less margin where the minimum needs it, before going past the edge.
    across = max(0, min(margin, (available.width() - minimum.width()) // 2))
    down = max(0, min(margin, (available.height() - minimum.height()) // 2))
    room = available.adjusted(across, down, -across, -down)
    width = max(minimum.width(), min(rect.width(), room.width()))
    height = max(minimum.height(), min(rect.height(), room.height()))
    fitted = QRect(rect.topLeft(), QSize(width, height))
    if centre or fitted.size() != rect.size() or not room.contains(fitted):
        fitted.moveCenter(room.center())
    # Never left of or above the screen: the title bar and the menus stay reachable.
    fitted.moveLeft(max(fitted.left(), available.left()))
    fitted.moveTop(max(fitted.top(), available.top()))
    return fitted
