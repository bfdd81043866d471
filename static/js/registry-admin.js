"use strict";
// Member admin: a drop-down list filter goes to the chosen option's address.
// Kept in a file, not inline, so the strict Content-Security-Policy holds.
document.addEventListener("change", function (event) {
  const select = event.target.closest("select.registry-filter-select");
  if (select && select.value) {
    window.location.href = select.value;
  }
});

// Autocomplete (select2) widgets get the name of their field's label: select2
// builds its own combobox and search boxes, which otherwise have no accessible
// name. A MutationObserver names them whenever select2 adds them to the page
// (on start-up, and each time a dropdown opens), whatever the script order.
function registryLabelIdFor(select) {
  const label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
  if (!label) {
    return null;
  }
  if (!label.id) {
    label.id = select.id + "_label";
  }
  return label.id;
}

function registrySelectOf(element) {
  const container = element.closest(".select2-container");
  if (container && container.previousElementSibling &&
      container.previousElementSibling.tagName === "SELECT") {
    return container.previousElementSibling;
  }
  // An open dropdown (appended to the body): its results list is named after the select.
  const dropdown = element.closest(".select2-dropdown");
  const results = dropdown && dropdown.querySelector(".select2-results__options[id]");
  const match = results && /^select2-(.+)-results$/.exec(results.id);
  return match ? document.getElementById(match[1]) : null;
}

function registryNameSelect2(root) {
  root.querySelectorAll(".select2-selection, .select2-search__field").forEach(function (element) {
    const labelId = registryLabelIdFor(registrySelectOf(element));
    if (!labelId) {
      return;
    }
    const ids = [labelId];
    const rendered = element.querySelector(".select2-selection__rendered[id]");
    if (rendered && element.getAttribute("role") === "combobox") {
      // The combobox is read as "<label> <chosen value>".
      ids.push(rendered.id);
      rendered.setAttribute("aria-labelledby", labelId);
    }
    element.setAttribute("aria-labelledby", ids.join(" "));
  });
  // An open dropdown: its combobox names the list it controls (ARIA 1.2).
  root.querySelectorAll(".select2-results__options[id]").forEach(function (results) {
    const select = registrySelectOf(results);
    const container = select && select.nextElementSibling;
    const combobox = container && container.querySelector('.select2-selection[role="combobox"]');
    if (combobox) {
      combobox.setAttribute("aria-controls", results.id);
    }
  });
}

document.addEventListener("DOMContentLoaded", function () {
  registryNameSelect2(document);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          registryNameSelect2(node.parentNode || node);
        }
      });
    });
  }).observe(document.body, {childList: true, subtree: true});
});
