// Progressive enhancement of the download form; it works without this file.
// Adds a "tick all" box to each category of KPIs (ticked when all are, half when some are),
// keeps each category's count of ticked KPIs, and shows only the chosen catalogue's KPIs.
"use strict";
(function () {
  var form = document.querySelector("form.options");
  if (!form) return;

  function update(group) {
    var boxes = group.querySelectorAll("input[type=checkbox][name^='kpis:']");
    var on = 0;
    boxes.forEach(function (box) { if (box.checked) on += 1; });
    var all = group.querySelector("input.all");
    all.checked = on === boxes.length;
    all.indeterminate = on > 0 && on < boxes.length;
    group.querySelector(".count").textContent = "(" + (on === boxes.length ? "" : on + "/") + boxes.length + ")";
  }

  form.querySelectorAll("details[data-category]").forEach(function (group) {
    var summary = group.querySelector("summary");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.className = "all";
    all.setAttribute("aria-label", summary.firstChild.textContent.trim());
    summary.insertBefore(all, summary.firstChild);
    all.addEventListener("change", function () {
      group.querySelectorAll("input[name^='kpis:']").forEach(function (box) { box.checked = all.checked; });
      update(group);
    });
    group.addEventListener("change", function (event) {
      if (event.target !== all) update(group);
    });
    update(group);
  });

  var chooser = form.querySelector("#catalog");
  function show() {
    form.querySelectorAll("article[data-catalog]").forEach(function (article) {
      article.hidden = article.getAttribute("data-catalog") !== chooser.value;
    });
  }
  if (chooser) {
    chooser.addEventListener("change", show);
    show();
  }
})();
