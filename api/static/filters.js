/* Search page enhancement: apply a ticked filter or a chosen sort at once.
   Without this file the page works the same through its "Apply filters" and "Sort" buttons;
   it is a same-origin file because the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) {
    return;
  }
  var filters = form.querySelector("details.filters");
  document.documentElement.classList.add("filters-live");
  if (filters && window.location.hash === "#filters") {
    filters.open = true;
  }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || (target.name !== "sort" && target.type !== "checkbox")) {
      return;
    }
    if (target.type === "checkbox" && filters) {
      /* Come back with the filters open, where the visitor was working. */
      form.setAttribute("action", "/#filters");
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
