// Warn before leaving the report form with unsaved changes.
(function () {
  const form = document.getElementById("report-form");
  if (!form) return;
  let dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = form.dataset.unsavedWarning; }
  });
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
