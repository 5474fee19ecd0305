// Paper entry: a digit moves to the next answer cell; Enter saves (native form submit).
(function () {
  "use strict";
  var cells = Array.prototype.slice.call(document.querySelectorAll("input[data-entry]"));
  cells.forEach(function (cell, index) {
    cell.addEventListener("input", function () {
      if (cell.maxLength === 1 && /^[0-9]$/.test(cell.value) && index + 1 < cells.length) {
        cells[index + 1].focus();
        cells[index + 1].select();
      }
    });
  });
  var first = document.querySelector("[data-autofocus]");
  if (first) { first.focus(); if (first.select) { first.select(); } }
})();
