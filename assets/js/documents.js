/* Filters the documents table by type, year and issuer, in the browser: the site is static, so the
   table holds every document and the form only hides rows. Without scripts the form stays hidden
   and the whole table is shown. */
(function () {
  "use strict";
  var form = document.querySelector("[data-document-filters]");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.documents tbody tr"));
  var count = document.querySelector("[data-document-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (select) {
        return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (count) { count.textContent = shown + " văn bản"; }
  }

  /* Filters survive a reload and can be linked to: ?loai=Kế hoạch&nam=2023 */
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (wanted !== null) { select.value = wanted; }
    select.addEventListener("change", function () {
      var next = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) { next.set(s.name, s.value); } });
      var query = next.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
      apply();
    });
  });
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
