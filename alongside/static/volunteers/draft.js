// Keeps a copy of the application form in this browser while the person types, so that a
// dropped connection on a phone loses nothing. The server-side draft ("Save draft", and any
// submission that did not validate) is the main mechanism; this only adds to it.
//
// Privacy: localStorage stays on this device, unencrypted, until cleared. Someone who takes
// the phone (at a border, say) could read it. So the copy is removed as soon as the server has
// the application (pages after a successful submission carry [data-draft-clear]), and it is
// never restored over a newer draft saved on the server.
(function () {
  "use strict";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private browsing or storage disabled: the server draft still works
    }
  }

  var store = storage();
  if (!store) {
    return;
  }

  document.querySelectorAll("[data-draft-clear]").forEach(function (marker) {
    store.removeItem(marker.getAttribute("data-draft-clear"));
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) {
    return;
  }
  var key = form.getAttribute("data-draft-key");
  var serverSavedAt = parseInt(form.getAttribute("data-draft-saved-at") || "0", 10) || 0;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrfmiddlewaretoken" && element.type !== "submit" &&
        !element.readOnly;
    });
  }

  function save() {
    var values = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        values[element.name] = values[element.name] || [];
        if (element.checked) {
          values[element.name].push(element.value);
        }
      } else {
        values[element.name] = element.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values }));
    } catch (error) {
      // storage full: nothing to do, the server draft remains
    }
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      saved = null;
    }
    if (!saved || !saved.values || saved.savedAt <= serverSavedAt) {
      return;
    }
    // A page answering a POST (errors, "Suggest my group", "Save draft") already holds what was
    // just sent, and maybe the server's suggestion: keep it as the server has it.
    if (form.hasAttribute("data-draft-fresh") || form.querySelector(".errorlist")) {
      return;
    }
    fields().forEach(function (element) {
      if (!(element.name in saved.values)) {
        return;
      }
      var value = saved.values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else {
        element.value = value;
      }
    });
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
