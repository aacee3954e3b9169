// Self-assessment autosave: htmx posts each statement's form as it changes. When a save
// fails, the row says so and keeps what was typed; the next change tries again.
(function () {
  function statusOf(element) {
    const form = element.closest("form[data-autosave]");
    return form ? [form, form.querySelector("[data-save-status]")] : [null, null];
  }

  function show(element, key) {
    const [form, status] = statusOf(element);
    if (!status) return;
    status.textContent = form.dataset[key];
    status.classList.remove("text-success");
    status.classList.add("text-danger");
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, event.detail.xhr.status === 401 ? "msgLoggedOut" : "msgFailed");
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, "msgOffline");
  });
})();
