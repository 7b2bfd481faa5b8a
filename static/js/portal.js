// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  // <button data-print> prints the page (the print stylesheet lays it out on A4 landscape).
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// Buttons that need JavaScript stay hidden until it runs.
document.querySelectorAll("[data-needs-js]").forEach((element) => {
  element.hidden = false;
});
