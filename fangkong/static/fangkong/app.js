// Behaviour every page shares, kept out of the templates so the pages need no inline script (a strict CSP).
"use strict";

// After a failed submit the page comes back with an error summary: move the focus there, so a keyboard or
// screen-reader user hears what is wrong instead of starting again at the top of the page.
// Again on load: a page reached through the skip link keeps "#main" in its URL, and the browser focuses that
// target once the page has loaded, which would take the focus back from the summary.
function focusErrorSummary() {
  const summary = document.querySelector("[data-fk-error-summary]");
  if (summary && !summary.contains(document.activeElement)) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", focusErrorSummary);
window.addEventListener("load", () => window.setTimeout(focusErrorSummary, 0));

// A form marked data-fk-confirm="question" asks before it submits (lifting a risk area, cancelling …).
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const question = form instanceof HTMLFormElement ? form.dataset.fkConfirm : undefined;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// A table wider than its wrapper scrolls sideways: make the wrapper a named keyboard stop so the arrow keys can
// scroll it (WCAG 2.1.1). Done here, for every .table-responsive, so new pages need not remember it.
function makeScrollableTablesFocusable() {
  document.querySelectorAll(".table-responsive, .table-responsive-sm").forEach((wrapper) => {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (scrolls && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      if (!wrapper.hasAttribute("aria-label") && !wrapper.hasAttribute("aria-labelledby")) {
        const table = wrapper.querySelector("table");
        const caption = table && table.caption ? table.caption.textContent : "";
        const label = (table && table.getAttribute("aria-label")) || caption || document.title.split("·")[0];
        wrapper.setAttribute("aria-label", label.trim());
      }
    }
  });
}
document.addEventListener("DOMContentLoaded", makeScrollableTablesFocusable);
document.addEventListener("htmx:afterSettle", makeScrollableTablesFocusable);
window.addEventListener("resize", makeScrollableTablesFocusable);

// A "select all" checkbox (data-fk-select-all="selector") ticks or clears the matching checkboxes of its form,
// and shows as mixed when only some are ticked.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement)) {
    return;
  }
  const form = box.form;
  if (box.dataset.fkSelectAll && form) {
    form.querySelectorAll(box.dataset.fkSelectAll).forEach((item) => {
      item.checked = box.checked;
    });
    return;
  }
  const all = form && form.querySelector("[data-fk-select-all]");
  if (all && box.matches(all.dataset.fkSelectAll)) {
    const items = [...form.querySelectorAll(all.dataset.fkSelectAll)];
    const ticked = items.filter((item) => item.checked).length;
    all.checked = ticked === items.length;
    all.indeterminate = ticked > 0 && ticked < items.length;
  }
});
