// Type-ahead for long drop-down lists (the countries): a text box with the
// browser's own suggestion list (<datalist>) in front of the <select>. The
// select stays in the form and carries the value; without JavaScript it is
// shown and works as it is.
(function () {
  "use strict";

  function typeahead(select) {
    var list = document.createElement("datalist");
    list.id = select.id + "-options";
    var valueOf = {};
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) {
        return;
      }
      var item = document.createElement("option");
      item.value = option.text;
      list.appendChild(item);
      valueOf[option.text.toLowerCase()] = option.value;
    });

    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-typeahead";
    input.className = "form-control" + (select.classList.contains("is-invalid") ? " is-invalid" : "");
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", select.getAttribute("autocomplete") === "country" ? "country-name" : "off");
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    if (select.selectedIndex > 0) {
      input.value = select.options[select.selectedIndex].text;
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.htmlFor = input.id;
    }

    function sync() {
      select.value = valueOf[input.value.trim().toLowerCase()] || "";
    }
    input.addEventListener("input", sync);
    input.addEventListener("change", sync);

    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
    // The error summary's link to the field lands on the text box.
    document.querySelectorAll('a[href="#' + select.id + '"]').forEach(function (link) {
      link.href = "#" + input.id;
    });
  }

  document.querySelectorAll("select[data-typeahead]").forEach(typeahead);
})();
