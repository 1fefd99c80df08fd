// The preview pane's patcher: runs in Qt WebEngine's ApplicationWorld, never in the page.
//
// The page's own scripts are off (JavascriptEnabled only governs the main world), so this is
// the only code in the preview. It keeps the article body as "groups" of DOM nodes, one per
// Markdown block, and swaps only the groups an edit changed: no reload, no scroll jump. Each
// top-level element carries data-block="<index>" in the preview only, for scroll sync and
// click-to-cursor. Messages to Python go through console.log with a fixed prefix.
(() => {
  "use strict";
  if (window.newsroomPreview) return;
  const PREFIX = "newsroom-preview:";
  let groups = [];
  let quietUntil = 0;
  let scrollQueued = false;
  // Where the reader is (block, fraction): set by the person's scrolls and by scroll
  // sync, never by a reflow, so a new width or zoom can bring the same words back.
  let reading = null;

  const body = () =>
    document.getElementById("article-body") || document.querySelector(".story-body");
  const send = (message) => console.log(PREFIX + JSON.stringify(message));

  function nodesOf(html) {
    if (!html) return [];
    const template = document.createElement("template");
    template.innerHTML = html + "\n";
    return Array.from(template.content.childNodes);
  }

  function elementsOf(index) {
    return (groups[index] || []).filter((node) => node.nodeType === Node.ELEMENT_NODE);
  }

  function number(from) {
    for (let index = from; index < groups.length; index++) {
      for (const element of elementsOf(index)) element.setAttribute("data-block", index);
    }
  }

  function bounds(index) {
    const elements = elementsOf(index);
    if (!elements.length) return null;
    const first = elements[0].getBoundingClientRect();
    const last = elements[elements.length - 1].getBoundingClientRect();
    return { top: first.top, bottom: Math.max(first.bottom, last.bottom) };
  }

  // The first block whose bottom is below the top of the viewport (binary search: blocks
  // are laid out in order); empty groups take their neighbour's place.
  function firstVisible() {
    let low = 0;
    let high = groups.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      let probe = middle;
      while (probe <= high && !elementsOf(probe).length) probe++;
      if (probe > high) {
        high = middle - 1;
        continue;
      }
      if (bounds(probe).bottom > 0) {
        found = probe;
        high = middle - 1;
      } else {
        low = probe + 1;
      }
    }
    return found;
  }

  function anchorOutside(start, end) {
    let index = firstVisible();
    while (index >= start && index < end) index = end;
    while (index >= 0 && index < groups.length && !elementsOf(index).length) index++;
    if (index < 0 || index >= groups.length) return null;
    const element = elementsOf(index)[0];
    return { element, top: element.getBoundingClientRect().top };
  }

  function keep(anchor) {
    if (!anchor || !anchor.element.isConnected) return;
    const delta = anchor.element.getBoundingClientRect().top - anchor.top;
    if (delta) {
      quietUntil = performance.now() + 200;
      window.scrollBy(0, delta);
    }
  }

  function reset(parts) {
    const container = body();
    if (!container) return false;
    groups = parts.map(nodesOf);
    container.replaceChildren(document.createTextNode("\n"), ...groups.flat());
    number(0);
    reading = null;
    return true;
  }

  // Replace groups[start, start + remove) by the blocks rendered in `insert`.
  function patch(start, remove, insert) {
    const container = body();
    if (!container) return false;
    const anchor = anchorOutside(start, start + remove);
    for (const node of groups.slice(start, start + remove).flat()) node.remove();
    let before = null;
    for (let index = start + remove; index < groups.length && !before; index++) {
      if (groups[index].length) before = groups[index][0];
    }
    const fresh = insert.map(nodesOf);
    const nodes = fresh.flat();
    if (before) {
      for (const node of nodes) container.insertBefore(node, before);
    } else {
      container.append(...nodes);
    }
    groups.splice(start, remove, ...fresh);
    number(start);
    keep(anchor);
    if (reading) reading = position(); // block numbers after the patch shifted
    return true;
  }

  // Swap everything around the live body (banner, header, featured image, footer) for the
  // same parts of a freshly rendered page; the body node itself moves over untouched.
  function header(pageHtml) {
    const live = body();
    if (!live) return false;
    const parsed = new DOMParser().parseFromString(pageHtml, "text/html");
    const fresh = document.importNode(parsed.body, true);
    const placeholder =
      fresh.querySelector("#article-body") || fresh.querySelector(".story-body");
    if (!placeholder) return false;
    const anchor = anchorOutside(-1, -1);
    placeholder.replaceWith(live);
    document.body.replaceChildren(...fresh.childNodes);
    document.title = parsed.title;
    keep(anchor);
    return true;
  }

  function position() {
    const index = firstVisible();
    if (index < 0) return { block: -1, fraction: 0 };
    const box = bounds(index);
    const height = Math.max(1, box.bottom - box.top);
    return { block: index, fraction: Math.min(1, Math.max(0, -box.top / height)) };
  }

  function scrollToBlock(index, fraction) {
    let target = Math.min(index, groups.length - 1);
    while (target > 0 && !elementsOf(target).length) target--;
    const box = target >= 0 ? bounds(target) : null;
    if (!box) return false;
    quietUntil = performance.now() + 250;
    window.scrollTo(0, window.scrollY + box.top + fraction * (box.bottom - box.top));
    reading = { block: target, fraction };
    return true;
  }

  // A new width or zoom (a width preset, the pane resized) lays the page out again and
  // the same scrollY shows other words: put the reader's block back, and stay quiet so
  // the editor, which did not move, is not scrolled to follow the reflow.
  // Without a reading position (a fresh page) there is nothing to keep, and no reason to
  // go quiet: the first layouts of a page resize it too.
  window.addEventListener("resize", () => {
    if (!reading || reading.block < 0) return;
    quietUntil = performance.now() + 300;
    scrollToBlock(reading.block, reading.fraction);
  });

  window.addEventListener(
    "scroll",
    () => {
      if (scrollQueued) return;
      scrollQueued = true;
      requestAnimationFrame(() => {
        scrollQueued = false;
        if (performance.now() < quietUntil) return;
        reading = position();
        send({ scrolled: reading });
      });
    },
    { passive: true },
  );

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (link) event.preventDefault(); // the preview is not a browser
    const element = event.target.closest && event.target.closest("[data-block]");
    if (element) send({ clicked: Number(element.getAttribute("data-block")) });
  });

  window.newsroomPreview = { reset, patch, header, position, scrollToBlock };
  // Python waits for this, not for loadFinished: only the real page runs this script.
  send({ ready: location.href });
})();
