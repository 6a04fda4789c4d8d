// Irreversible steps ask first: a form with data-confirm="…" opens the confirmation dialog
// (#confirm-dialog) and is sent only after «Подтвердить». Without scripts the form's own
// «Подтверждаю» checkbox (.confirm-fallback) does the same job.
(function () {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const text = dialog.querySelector("[data-confirm-text]");
  const ok = dialog.querySelector("[data-confirm-ok]");
  let pending = null;

  function pluralKey(n) {
    n = Math.abs(n);
    if (n % 10 === 1 && n % 100 !== 11) return "one";
    if (n % 10 >= 2 && n % 10 <= 4 && !(n % 100 >= 12 && n % 100 <= 14)) return "few";
    return "many";
  }

  function message(form) {
    const counted = form.dataset.confirmCount;
    if (!counted) return form.dataset.confirm;
    const n = form.querySelectorAll('input[type="checkbox"][name="' + counted + '"]:checked').length;
    if (n === 0) return null;
    const template = form.dataset["confirm" + pluralKey(n).replace(/^./, function (c) { return c.toUpperCase(); })];
    return template.replace("{n}", String(n));
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.querySelectorAll(".confirm-fallback").forEach(function (box) {
      box.hidden = true;
      box.querySelectorAll("input").forEach(function (input) { input.required = false; });
    });
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed === "1") return;
      const said = message(form);
      if (said === null) return; // nothing chosen: let the server say so
      event.preventDefault();
      pending = form;
      text.textContent = said;
      ok.textContent = form.dataset.confirmOk || "Подтвердить";
      dialog.showModal();
    });
  });

  ok.addEventListener("click", function () {
    if (!pending) return;
    const form = pending;
    pending = null;
    form.querySelectorAll('.confirm-fallback input[name="confirm"]').forEach(function (box) { box.checked = true; });
    form.dataset.confirmed = "1";
    dialog.close();
    ok.disabled = true;
    form.submit();
  });
  dialog.addEventListener("close", function () {
    pending = null;
  });
})();
