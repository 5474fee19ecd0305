// Review of flagged responses: «Отметить все на странице» ticks every response of the page.
document.addEventListener("DOMContentLoaded", function () {
  var all = document.querySelector("[data-review-all]");
  if (!all) return;
  var boxes = function () { return document.querySelectorAll('input[name="response"]'); };
  all.addEventListener("change", function () {
    boxes().forEach(function (box) { box.checked = all.checked; });
  });
  document.addEventListener("change", function (event) {
    if (event.target === all || event.target.name !== "response") return;
    var list = Array.prototype.slice.call(boxes());
    all.checked = list.length > 0 && list.every(function (box) { return box.checked; });
    all.indeterminate = !all.checked && list.some(function (box) { return box.checked; });
  });
});
