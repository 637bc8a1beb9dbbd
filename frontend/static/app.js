// What htmx does not do by itself: open and close the assistant drawer, show the "Why" dialog,
// clear the composer after sending, keep the conversation scrolled, show failed requests as toasts,
// let an undo offer expire.
(function () {
  "use strict";
  const drawer = () => document.getElementById("assistant");
  const log = () => document.getElementById("assistant-log");

  function scrollLog() {
    const el = log();
    if (el) el.scrollTop = el.scrollHeight;
  }

  let opener = null; // where focus was before the drawer opened: it goes back there on close

  function setOpen(open) {
    const el = drawer();
    if (!el) return;
    const focusInside = el.contains(document.activeElement);
    if (open && !el.classList.contains("open") && !focusInside) opener = document.activeElement;
    el.classList.toggle("open", open);
    document.querySelectorAll("[data-assistant-toggle]").forEach((t) => t.setAttribute("aria-expanded", String(open)));
    sessionStorage.setItem("assistant-open", open ? "1" : "");
    if (open) {
      scrollLog();
      const box = el.querySelector("textarea");
      if (box && !box.value && !window.matchMedia("(max-width: 760px)").matches) box.focus();
    } else if (focusInside) {
      // A closed drawer is hidden: focus left in it would be lost to keyboard users.
      (opener && document.body.contains(opener) ? opener : document.querySelector("[data-assistant-toggle]"))?.focus();
    }
  }

  function toast(html) {
    const box = document.getElementById("toasts");
    if (!box) return;
    box.insertAdjacentHTML("beforeend", html);
  }

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-assistant-toggle]");
    if (toggle) {
      event.preventDefault();
      setOpen(!drawer().classList.contains("open"));
    } else if (event.target.closest("[data-assistant-close]")) {
      setOpen(false);
    } else if (event.target.closest("dialog[open] [data-dismiss]")) {
      // A confirmation's Cancel is a link back for pages without JavaScript; in the dialog it just closes.
      event.preventDefault();
      event.target.closest("dialog").close();
    }
  });

  document.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter is a new line.
    if (event.key === "Enter" && !event.shiftKey && event.target.matches(".composer textarea")) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
    if (event.key === "Escape" && drawer() && drawer().classList.contains("open") && !document.querySelector("dialog[open]")) {
      setOpen(false);
    }
  });

  // The server's HX-Trigger after a message was posted.
  document.addEventListener("assistant-open", () => setOpen(true));

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!event.detail.successful || !(form instanceof HTMLFormElement)) return;
    if (form.matches(".composer, .memory-add")) form.reset();
  });

  // A deleted memory's "Undo" lasts a few seconds (without JavaScript it stays until the next page).
  function expireLater(root) {
    root.querySelectorAll("[data-expires]").forEach((el) => {
      setTimeout(() => el.remove(), 1000 * Number(el.dataset.expires));
    });
  }
  document.addEventListener("htmx:load", (event) => expireLater(event.detail.elt.parentNode || document));

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id === "why-body") {
      const dialog = document.getElementById("why");
      if (!dialog.open) dialog.showModal();
    }
    if (target.closest && target.closest("#assistant-log")) scrollLog();
  });

  document.addEventListener("htmx:sseMessage", scrollLog);

  document.addEventListener("htmx:responseError", (event) => {
    const text = event.detail.xhr.responseText || "";
    toast(text.indexOf('class="toast') >= 0 ? text : '<p class="toast error" role="alert">The shop could not answer. Please try again.</p>');
  });
  document.addEventListener("htmx:sendError", () => {
    toast('<p class="toast error" role="alert">The shop cannot be reached. Check your connection and try again.</p>');
  });

  if (sessionStorage.getItem("assistant-open") === "1") {
    document.addEventListener("DOMContentLoaded", () => setOpen(true));
  }
})();
