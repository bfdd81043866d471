"use strict";
// Member admin: a drop-down list filter goes to the chosen option's address.
// Kept in a file, not inline, so the strict Content-Security-Policy holds.
document.addEventListener("change", function (event) {
  const select = event.target.closest("select.registry-filter-select");
  if (select && select.value) {
    window.location.href = select.value;
  }
});
