// Small behaviours shared by all pages.
(function () {
  // A checkbox with data-check-all="name" ticks or clears every checkbox named "name" in its form.
  document.querySelectorAll("[data-check-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      const form = master.closest("form");
      form.querySelectorAll('input[type="checkbox"][name="' + master.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });
})();
