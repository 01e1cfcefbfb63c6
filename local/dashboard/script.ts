/**
 * The dashboard's only script (served from /local/assets, allowed by the CSP as 'self'): keep
 * each panel live by polling its server-rendered HTML, and post the panels' forms as JSON.
 * Everything shown is rendered and escaped on the server.
 */
export const DASHBOARD_JS = `"use strict";
const POLL_MS = 1000;
const status = document.getElementById("status");

async function refresh(panel) {
  const res = await fetch("/local/panels/" + panel.dataset.panel, { cache: "no-store" });
  if (!res.ok) return;
  const text = await res.text();
  const body = panel.querySelector(".body");
  // Someone typing in this panel (a comment, a choice) keeps what they typed until they are done.
  const active = document.activeElement;
  const typing = panel.contains(active) && active.matches("input,textarea,select");
  if (body.dataset.html === text || typing) return;
  body.dataset.html = text;
  body.innerHTML = text;
  restorePeople(body);
}

// The "as <person>" pickers keep the choice across refreshes and actions (per tab).
function restorePeople(root) {
  root.querySelectorAll("select[name=user],select[name=login]").forEach((s) => {
    const chosen = sessionStorage.getItem("greenlight.as." + s.name);
    if (chosen && [...s.options].some((o) => o.value === chosen)) s.value = chosen;
  });
}
document.addEventListener("change", (event) => {
  const s = event.target;
  if (s instanceof HTMLSelectElement && (s.name === "user" || s.name === "login"))
    sessionStorage.setItem("greenlight.as." + s.name, s.value);
});

function refreshAll() {
  return Promise.allSettled([...document.querySelectorAll("section[data-panel]")].map(refresh));
}

function say(message, error) {
  status.textContent = message;
  status.className = error ? "error" : "";
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-post")) return;
  event.preventDefault();
  const ask = event.submitter && event.submitter.dataset.confirm;
  if (ask && !window.confirm(ask)) return;
  const body = Object.fromEntries(new FormData(form, event.submitter));
  form.querySelectorAll("button").forEach((b) => (b.disabled = true));
  try {
    const res = await fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    say(answer.message || answer.error || (res.ok ? "Done" : "Failed: " + res.status), !res.ok);
  } catch (e) {
    say("Failed: " + e, true);
  } finally {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    form.querySelectorAll("button").forEach((b) => (b.disabled = false));
    await refreshAll();
  }
});

restorePeople(document);
// Inbox e-mails (iframe[data-fit]): each frame takes its message's height, on load and when the
// window's width reflows the message, so nobody scrolls inside a frame to find its button.
function fit(frame) {
  const root = frame.contentDocument && frame.contentDocument.documentElement;
  if (root) frame.style.height = Math.ceil(root.getBoundingClientRect().height) + 2 + "px";
}
document.addEventListener("load", (event) => {
  if (event.target instanceof HTMLIFrameElement && event.target.hasAttribute("data-fit")) fit(event.target);
}, true);
window.addEventListener("resize", () => document.querySelectorAll("iframe[data-fit]").forEach(fit));

refreshAll();
setInterval(refreshAll, POLL_MS);
`;
