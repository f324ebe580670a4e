// The API documentation: swagger-ui from the app's own copy, reading the app's own OpenAPI document.
(function () {
  function start() {
    var el = document.getElementById("swagger-ui");
    window.SwaggerUIBundle({ url: el.dataset.url, domNode: el, deepLinking: false });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
