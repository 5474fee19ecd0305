// Behaviour shared by every page, kept out of the HTML (the Content-Security-Policy allows no
// inline script or handler).
// <form data-confirm="Вопрос?">: asks before sending; «Отмена» keeps the page as it is.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
