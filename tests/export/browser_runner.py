"""Loads pages in Qt WebEngine (a real Chromium) and reports, as JSON on stdout:

- `axe`: the axe-core violations of each page (`--axe AXE_JS`);
- `fired`: whether any script ran on the page: `alert`, `confirm`, `prompt`, `print` and
  `__xss` are replaced before any page script could run by functions that set a flag, and
  the flag is read after the load and a pause for late events (onerror, ontoggle...);
- `bad_urls`: links, images and other URL attributes whose browser-parsed protocol is not
  http(s), mailto, file or (images only) data:image.

Run in a subprocess by the tests, so Chromium never shares the pytest process:
`python browser_runner.py [--axe axe.min.js] PAGE.html...`
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from PySide6.QtWidgets import QApplication

TRAP = """
(function () {
  const fire = function () { window.__xssFired = (window.__xssFired || 0) + 1; };
  for (const name of ["alert", "confirm", "prompt", "print", "__xss"]) {
    try { Object.defineProperty(window, name, {value: fire, writable: false}); } catch (e) {}
  }
})();
"""

PROBE = """
(function () {
  const bad = [];
  for (const el of document.querySelectorAll("[href],[src],[action],[formaction],[data]")) {
    for (const name of ["href", "src", "action", "formaction", "data"]) {
      if (!el.hasAttribute(name)) continue;
      let protocol;
      try { protocol = new URL(el.getAttribute(name), document.baseURI).protocol; }
      catch (e) { continue; }
      const ok = ["http:", "https:", "mailto:", "file:"].includes(protocol) ||
        (el.tagName === "IMG" && /^data:image\\/(png|jpeg|gif|webp|avif);base64,/
          .test(el.getAttribute(name)));
      if (!ok) bad.push(el.tagName + " " + name + "=" + el.getAttribute(name).slice(0, 80));
    }
  }
  const handlers = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) handlers.push(el.tagName + " " + attr.name);
    }
  }
  return JSON.stringify({fired: window.__xssFired || 0, bad_urls: bad, handlers: handlers,
                         scripts: Array.from(document.scripts).map(s => s.type || "js")});
})()
"""


def wait(loop_condition, timeout_ms: int) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    elapsed = [0]

    def tick() -> None:
        elapsed[0] += 20
        if loop_condition() or elapsed[0] >= timeout_ms:
            loop.quit()

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()


def run_js(page: QWebEnginePage, source: str, timeout_ms: int = 10_000):
    box: list = []
    page.runJavaScript(source, 0, lambda result: box.append(result))
    wait(lambda: bool(box), timeout_ms)
    return box[0] if box else None


def check(page: QWebEnginePage, path: str, axe_source: str | None) -> dict:
    loaded: list[bool] = []
    page.loadFinished.connect(loaded.append)
    page.load(QUrl.fromLocalFile(os.path.abspath(path)))
    wait(lambda: bool(loaded), 20_000)
    page.loadFinished.disconnect()
    wait(lambda: False, 150)  # late events: image errors, toggles, timers
    result = json.loads(run_js(page, PROBE) or "{}")
    result["loaded"] = bool(loaded and loaded[0])
    if axe_source is not None:
        run_js(page, axe_source)
        run_js(
            page,
            "window.__axe = null; axe.run(document, {resultTypes: ['violations']})"
            ".then(r => { window.__axe = JSON.stringify(r.violations.map(v => ({id: v.id,"
            " impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html.slice(0, 200))"
            "}))); }, e => { window.__axe = JSON.stringify([{id: 'axe-error', help: String(e)}]);"
            " }); 0",
        )
        box: list = []

        def ready() -> bool:
            value = run_js(page, "window.__axe")
            if value:
                box.append(value)
            return bool(box)

        wait(ready, 30_000)
        result["axe"] = json.loads(box[0]) if box else [{"id": "axe-timeout"}]
    return result


def main(argv: list[str]) -> int:
    axe_source = None
    if argv[:1] == ["--axe"]:
        with open(argv[1], encoding="utf-8") as handle:
            axe_source = handle.read()
        argv = argv[2:]
    _app = QApplication.instance() or QApplication(["browser_runner"])
    page = QWebEnginePage()
    script = QWebEngineScript()
    script.setSourceCode(TRAP)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
    script.setRunsOnSubFrames(True)
    page.scripts().insert(script)
    report = {path: check(page, path, axe_source) for path in argv}
    print(json.dumps(report), flush=True)
    sys.stderr.flush()
    # Skip interpreter finalisation: tearing down WebEngine objects at exit can crash
    # PySide, and the report is already out.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
