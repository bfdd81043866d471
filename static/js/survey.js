// The survey: take the person to the error summary after a failed submission,
// and keep a double tap on the submit button from sending the form twice.
(function () {
  "use strict";

  var summary = document.getElementById("survey-errors");
  if (summary) {
    summary.focus();
  }

  function submitButtons(form) {
    return form.querySelectorAll("button[type=submit]");
  }

  document.querySelectorAll("form.survey-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var buttons = submitButtons(form);
      // Disable after this event, so the button's own value is still sent.
      window.setTimeout(function () {
        buttons.forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
  });

  // Coming back with the browser's Back button shows the page as it was left.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.survey-form").forEach(function (form) {
      submitButtons(form).forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
