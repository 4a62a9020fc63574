// book.js - the course book's one script: typesets each formula (class
// "math", its TeX as text) with KaTeX when the page loaded it, and shows the
// formula's plain form otherwise. A formula KaTeX cannot read is reported on
// the console, so the book's browser test sees it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".math").forEach(function (el) {
    var tex = el.textContent;
    if (!window.katex) {
      el.textContent = el.getAttribute("data-plain") || tex;
      el.classList.add("plain");
      return;
    }
    try {
      window.katex.render(tex, el, { displayMode: true, throwOnError: true });
    } catch (e) {
      console.error("KaTeX cannot typeset " + JSON.stringify(tex) + ": " + e.message);
    }
  });
});
