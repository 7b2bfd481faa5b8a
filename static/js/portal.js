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
// <button data-copy="ID" data-copied="…"> copies the value of the field with that id (the links for ITAS).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  if (!field) {
    return;
  }
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");
  }
  const status = button.closest("section")?.querySelector("[data-copy-status]");
  if (status) {
    status.textContent = `${button.dataset.copied}: ${field.value}`;
  }
});

// A submit button with data-confirm-dialog="id" asks first in that <dialog>; "ok" sends the form on with
// confirmed=1 (without JavaScript the server shows a confirmation page instead).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const dialog = button && document.getElementById(button.dataset.confirmDialog || "");
  if (!dialog || typeof dialog.showModal !== "function" || form.querySelector("input[name=confirmed]")) {
    return;
  }
  event.preventDefault();
  dialog.returnValue = "";
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue !== "ok") return;
      const confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "1";
      form.append(confirmed);
      form.requestSubmit(button);
    },
    { once: true },
  );
  dialog.showModal();
}, true); // capture: before the form's own listeners, so they see the submission held back

// A form with data-warn-unsaved asks before the page is left with changes that were not saved. Its fields
// may sit elsewhere on the page (form="…"); sending the form itself is not leaving.
document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
  let dirty = false;
  const mark = (event) => {
    if (event.target.form === form) dirty = true;
  };
  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  form.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) dirty = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
