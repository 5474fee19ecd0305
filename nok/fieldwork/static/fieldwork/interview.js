// The one-screen interview: questions whose condition is not met are hidden (and their
// answers cleared, as the server drops them anyway). Everything works without this file.
(function () {
  "use strict";
  var form = document.querySelector("form.interview");
  if (!form) { return; }
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-when]"));
  function answer(key) {
    var checked = form.querySelector("input[name='q_" + key + "']:checked");
    return checked ? checked.value : "";
  }
  function refresh() {
    blocks.forEach(function (block) {
      var when = JSON.parse(block.getAttribute("data-when"));
      var asked = Object.keys(when).every(function (key) { return answer(key) === when[key]; });
      block.hidden = !asked;
      if (!asked) {
        block.querySelectorAll("input:checked").forEach(function (input) { input.checked = false; });
      }
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
