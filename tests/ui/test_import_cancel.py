"""Cancelling an import from the GUI stops before the next file and reports what was done."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QWidget

from editor.ui.import_export.import_dialog import ImportController


def _stories(folder: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = folder / f"story-{number}.md"
        path.write_text(f"---\ntitle: Story {number}\n---\nText {number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_cancel_stops_before_the_next_file_and_reports_the_rest(
    app, qtbot, newsroom, tmp_path, monkeypatch
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    failures: list[object] = []
    controller = ImportController(
        newsroom, window, report_failures=lambda *args: failures.append(args)
    )
    paths = _stories(tmp_path, 4)
    real = newsroom.import_files
    gate = threading.Event()
    calls: list[bool] = []

    def after_the_first_file(files, **kwargs):
        cancelled = kwargs["cancelled"]

        def cancelled_after_one() -> bool:
            calls.append(True)
            if len(calls) == 2:  # the first file is done: let the person press Cancel
                gate.wait(10)
            return cancelled()

        return real(files, **{**kwargs, "cancelled": cancelled_after_one})

    monkeypatch.setattr(newsroom, "import_files", after_the_first_file)
    with qtbot.waitSignal(controller.finished, timeout=20_000) as finished:
        assert controller.start(paths)
        assert controller.busy and not controller.start(paths)  # one import at a time
        qtbot.waitUntil(lambda: len(calls) >= 2, timeout=10_000)
        controller.cancel()
        gate.set()
    report = finished.args[0]
    assert [a.headline for a in report.imported] == ["Story 0"]
    assert report.cancelled and report.not_started == paths[1:]
    assert failures == [] and not controller.busy
    assert newsroom.count_articles() == 1
    controller.shutdown()
