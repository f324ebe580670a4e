// Charts: each <div class="vega" data-spec="URL"> is drawn with vega-embed from the app's own copy of Vega.
// Vega weighs about 280 KB compressed, more than the rest of a sphere's page: its scripts (the charts
// section's data-scripts) are loaded only when a chart comes near the window, so the table shows first.
(function () {
  var loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(el);
    });
  }

  function vega(section) {
    if (!loading) {
      loading = section.dataset.scripts.split(" ").reduce(function (done, src) {
        return done.then(function () { return script(src); });
      }, Promise.resolve());
    }
    return loading;
  }

  function draw(section, el) {
    vega(section)
      .then(function () { return fetch(el.dataset.spec, { headers: { Accept: "application/json" } }); })
      .then(function (r) { return r.json(); })
      .then(function (spec) { return window.vegaEmbed(el, spec, { actions: false, renderer: "svg", defaultStyle: false, tooltip: { disableDefaultStyle: true } }); })
      .then(function () { el.dataset.rendered = "true"; })
      .catch(function (error) { el.textContent = String(error); el.dataset.rendered = "error"; });
  }

  function start() {
    // The participation charts' section and, where a sphere has budgets, the budgets' own.
    document.querySelectorAll("section.charts[data-scripts]").forEach(watch);
  }

  function watch(section) {
    var charts = section.querySelectorAll("div.vega[data-spec]");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(function (el) { draw(section, el); });
      return;
    }
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { watcher.unobserve(entry.target); draw(section, entry.target); }
      });
    }, { rootMargin: "400px" });
    charts.forEach(function (el) { watcher.observe(el); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

// The home page's tile map: the municipalities of a tile that sit in several spheres, shown under the map when
// the tile is pointed at or focused (the tile's own label and the map's text list say the same to a screen reader).
(function () {
  "use strict";
  function tiles() {
    var map = document.querySelector("svg.tiles");
    var out = document.getElementById("tile-detail");
    if (!map || !out) { return; }
    function show(event) {
      var tile = event.target.closest ? event.target.closest("a.tile") : null;
      if (tile && tile.getAttribute("data-detail")) { out.textContent = tile.getAttribute("data-detail"); }
    }
    map.addEventListener("focusin", show);
    map.addEventListener("mouseover", show);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", tiles); } else { tiles(); }
})();
