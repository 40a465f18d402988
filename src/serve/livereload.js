// Injected by `verbatim serve` only: reloads the page after a rebuild (the search page
// also after its index is remade), swaps stylesheets after a CSS-only change, and shows
// a failed build's error over the page.
(() => {
  const script = document.currentScript;
  const generation = script.dataset.generation;
  const events = new EventSource(script.dataset.events);
  // Browsers allow six connections to a host; a page kept in the back-forward cache
  // must not hold one, or the sixth page visited waits for ever.
  addEventListener("pagehide", () => events.close());
  addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
  });
  // A rebuild that happened while this page loaded would otherwise go unnoticed.
  events.addEventListener("hello", (event) => {
    if (event.data !== generation) location.reload();
  });
  events.addEventListener("reload", () => location.reload());
  // A search page whose results came from an older index runs its query again.
  events.addEventListener("search", (event) => {
    if (event.data !== script.dataset.searchGeneration && document.getElementById("search-results")) {
      location.reload();
    }
  });
  events.addEventListener("stylesheets", (event) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("verbatim", event.data);
      link.href = url.href;
    }
  });
  events.addEventListener("failed", (event) => {
    let overlay = document.getElementById("verbatim-error");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "verbatim-error";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("style", script.dataset.overlayStyle);
      overlay.innerHTML = script.dataset.overlayHeading + "<pre></pre>";
      document.body.appendChild(overlay);
    }
    // textContent, never innerHTML: the message quotes the user's files.
    overlay.querySelector("pre").textContent = event.data;
  });
})();
