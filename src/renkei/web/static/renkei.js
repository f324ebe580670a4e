// Charts: each <div class="vega" data-spec="URL"> is drawn with vega-embed from the app's own copy of Vega.
(function () {
  function draw() {
    document.querySelectorAll("div.vega[data-spec]").forEach(function (el) {
      fetch(el.dataset.spec, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (spec) { return window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }); })
        .then(function () { el.dataset.rendered = "true"; })
        .catch(function (error) { el.textContent = String(error); el.dataset.rendered = "error"; });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
