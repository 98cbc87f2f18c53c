// piaflow web UI: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Country pickers that take several countries ("DE, AT"): the shared <datalist> only completes
  // the first entry, so each such input gets its own list whose suggestions keep the countries
  // already typed before the last comma.
  function enhanceCountryList(input) {
    var shared = document.getElementById(input.getAttribute("list"));
    if (!shared) { return; }
    var own = document.createElement("datalist");
    own.id = input.id + "-list";
    input.parentNode.appendChild(own);
    input.setAttribute("list", own.id);
    var lastPrefix = null;
    function refresh() {
      var v = input.value;
      var cut = Math.max(v.lastIndexOf(","), v.lastIndexOf("，"));
      var prefix = cut >= 0 ? v.slice(0, cut + 1).replace(/\s*$/, " ") : "";
      if (prefix === lastPrefix) { return; }
      lastPrefix = prefix;
      var frag = document.createDocumentFragment();
      Array.prototype.forEach.call(shared.options, function (o) {
        var opt = document.createElement("option");
        opt.value = prefix + o.value;
        opt.label = o.label || o.textContent;
        opt.textContent = o.textContent;
        frag.appendChild(opt);
      });
      own.replaceChildren(frag);
    }
    input.addEventListener("focus", refresh);
    input.addEventListener("input", refresh);
  }

  // The wizard warns before leaving a section with unsaved answers.
  function guardUnsaved(form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) {
      if (dirty) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  // After a save that added an entry, move the keyboard focus to its first input.
  function focusTarget() {
    if (!location.hash) { return; }
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) { return; }
    var input = el.matches("input, select, textarea") ? el : el.querySelector("input:not([type=hidden]), select, textarea");
    if (input) { input.focus({ preventScroll: false }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-country=many][list]").forEach(enhanceCountryList);
    var wizard = document.getElementById("wizard");
    if (wizard) { guardUnsaved(wizard); }
    focusTarget();
  });
})();
