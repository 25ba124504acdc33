/* "Bản in" (print version, Decree 42/2022/NĐ-CP Art. 7): the link prints the article with the print
   stylesheet; opened as ?ban-in (a shared link, or without this script) the page prints on load. */
(function () {
  "use strict";
  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });
    if (new URLSearchParams(window.location.search).has("ban-in")) { window.print(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
