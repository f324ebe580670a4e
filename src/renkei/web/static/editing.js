// Editing the draft: a refused change (403 not yours, 409 someone saved first, 412, 422 invalid) comes back as the
// row redrawn with its message; htmx leaves error answers unswapped unless told, so tell it to swap them in place.
(function () {
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403 || status === 409 || status === 412 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
