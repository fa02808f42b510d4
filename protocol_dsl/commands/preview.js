// The live part of `protocol preview`: reload when the spec is saved, and scroll to
// the section the editor's cursor is in.  Served by the preview server only: the
// protocol document `protocol build` writes has no script.
"use strict";
(function () {
  const self = document.currentScript;
  const version = self.dataset.version;
  const kept = "protocol-preview-scroll";

  function show(anchor) {
    const element = anchor ? document.getElementById(anchor) : null;
    if (!element) return;
    for (const old of document.querySelectorAll(".preview-current")) {
      old.classList.remove("preview-current");
    }
    element.classList.add("preview-current");
    element.scrollIntoView({ block: "start" });
  }

  const style = document.createElement("style");
  style.textContent =
    ".preview-current { outline: 3px solid #f2c94c; outline-offset: 4px; }\n" +
    "[id] { scroll-margin-top: 1rem; }";
  document.head.appendChild(style);

  // Session storage can be refused (a page framed by an editor): then a reload
  // goes back to the cursor's section instead of where the reader was.
  function remembered() {
    try {
      const value = sessionStorage.getItem(kept);
      sessionStorage.removeItem(kept);
      return value;
    } catch {
      return null;
    }
  }

  // After a reload the reader stays where they were; a first visit goes to ?line's section.
  const before = remembered();
  if (before !== null) {
    window.scrollTo(0, Number(before));
  } else {
    show(self.dataset.target);
  }

  function reload() {
    try {
      sessionStorage.setItem(kept, String(window.scrollY));
    } catch {
      // not remembered: the page opens at the cursor's section
    }
    window.location.reload();
  }

  const events = new EventSource("/events");
  events.addEventListener("version", (event) => {
    if (event.data !== version) reload(); // saved while this page was loading
  });
  events.addEventListener("reload", reload);
  events.addEventListener("goto", (event) => show(event.data));
})();
