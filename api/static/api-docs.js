/* Start Swagger UI on the API reference page (a file, as the Content-Security-Policy allows no
   inline script). The OpenAPI document's address comes from the page, not from a constant. */
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi-url"),
    domNode: target,
    deepLinking: true,
    tryItOutEnabled: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
