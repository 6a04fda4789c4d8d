// The report form: autosave of the draft, what was typed kept in the browser while there is no
// connection, and a warning before leaving with unsaved changes.
//
// A draft is sent a few seconds after typing stops and when a field loses focus. Every change is
// also written to localStorage under «<report key>:v<version>», so nothing typed is lost if the
// connection drops or the page is closed; it is sent when the connection returns.
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  if (!form) return;

  const url = form.dataset.autosaveUrl;
  const baseKey = form.dataset.storageKey;
  const delay = parseInt(form.dataset.autosaveDelay || "3000", 10);
  const retryDelay = 5000;
  const versionInput = form.querySelector('input[name="version"]');
  const statusBox = document.getElementById("autosave-status");
  const offlineBox = document.getElementById("autosave-offline");
  const errorBox = document.getElementById("autosave-error");

  let dirty = false; // typed since the last successful save
  let edits = 0; // counts changes, to know whether typing went on while a save was in flight
  let timer = null;
  let inFlight = false;
  let again = false;
  let submitting = false;
  let pendingSubmit = null;

  // --- the copy in the browser ------------------------------------------------------------------
  function storageKey(version) {
    return baseKey + ":v" + version;
  }

  function entries() {
    const pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    });
    return pairs;
  }

  function comparable(pairs) {
    return JSON.stringify(pairs.filter(function (p) { return p[0] !== "version" && !/-id$/.test(p[0]); }));
  }

  function stash(submitted) {
    try {
      localStorage.setItem(
        storageKey(versionInput.value),
        JSON.stringify({ version: versionInput.value, fields: entries(), at: Date.now(), submitted: !!submitted })
      );
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function stashedKeys() {
    const keys = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && key.indexOf(baseKey + ":v") === 0) keys.push(key);
      }
    } catch (e) { /* no storage */ }
    return keys;
  }

  function dropStash(version) {
    try {
      if (version === undefined) {
        stashedKeys().forEach(function (key) { localStorage.removeItem(key); });
      } else {
        localStorage.removeItem(storageKey(version));
      }
    } catch (e) { /* no storage */ }
  }

  function newestStash() {
    let best = null;
    stashedKeys().forEach(function (key) {
      try {
        const item = JSON.parse(localStorage.getItem(key));
        if (item && Array.isArray(item.fields) && (!best || item.at > best.at)) best = item;
      } catch (e) { /* a broken entry is ignored */ }
    });
    return best;
  }

  function restore(pairs) {
    const values = {};
    pairs.forEach(function (p) {
      (values[p[0]] = values[p[0]] || []).push(p[1]);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version" || el.type === "submit") return;
      const stored = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = stored.indexOf(el.value) !== -1;
      } else if (stored.length) {
        el.value = stored[0];
      } else if (el.type !== "hidden") {
        el.value = "";
      }
    });
  }

  // --- what the page shows ----------------------------------------------------------------------
  function show(box, text) {
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("d-none", !text);
  }

  function showOffline() {
    show(offlineBox, offlineBox ? offlineBox.dataset.offline : "");
  }

  function showProgress(filled, total) {
    const bar = document.getElementById("progress");
    if (!bar || total === undefined) return;
    document.getElementById("progress-filled").textContent = filled;
    document.getElementById("progress-total").textContent = total;
    bar.setAttribute("aria-valuenow", filled);
    bar.setAttribute("aria-valuemax", total);
    document.getElementById("progress-bar").style.width = (total ? Math.round((filled * 100) / total) : 0) + "%";
  }

  // --- sending ----------------------------------------------------------------------------------
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(send, ms);
  }

  function send() {
    clearTimeout(timer);
    if (submitting || !dirty) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    const sentVersion = versionInput.value;
    const sentEdits = edits;
    const body = new FormData(form);
    body.set("action", "draft");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { response: response, data: data }; },
          function () { return { response: response, data: null }; }
        );
      })
      .then(function (answer) {
        const data = answer.data;
        if (answer.response.ok && data && data.ok) {
          dropStash(sentVersion);
          versionInput.value = data.version;
          Object.keys(data.event_ids || {}).forEach(function (name) {
            const input = form.querySelector('[name="' + name + '"]');
            if (input) input.value = data.event_ids[name];
          });
          show(offlineBox, "");
          show(errorBox, "");
          if (statusBox) statusBox.textContent = data.message;
          showProgress(data.filled, data.total);
          if (edits === sentEdits) {
            dirty = false;
          } else {
            stash(); // typed while saving: kept under the new version and sent next
            schedule(delay);
          }
        } else if (data && data.message) {
          // A conflict or a lock: nothing was written; the form and the browser copy keep the input.
          show(errorBox, data.message);
        } else {
          throw new Error("unexpected answer");
        }
      })
      .catch(function () {
        showOffline();
        schedule(retryDelay);
      })
      .finally(function () {
        inFlight = false;
        if (pendingSubmit) {
          const submitter = pendingSubmit;
          pendingSubmit = null;
          if (submitter === true) form.requestSubmit(); else form.requestSubmit(submitter);
        } else if (again) {
          again = false;
          schedule(0);
        }
      });
  }

  function changed() {
    if (submitting) return;
    dirty = true;
    edits += 1;
    stash();
    schedule(delay);
  }

  // The warning banner counts the warnings still without an explanation, as they are typed.
  function countUnexplained() {
    const banner = document.getElementById("warning-summary");
    const inputs = form.querySelectorAll('input[name^="explain__"]');
    if (!banner || !inputs.length) return;
    let missing = 0;
    inputs.forEach(function (input) {
      if (!input.value.trim()) missing += input.name.slice("explain__".length).split("|").length;
    });
    document.getElementById("unexplained-count").textContent = missing;
    banner.classList.toggle("d-none", missing === 0);
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && event.target.name.indexOf("explain__") === 0) countUnexplained();
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", function (event) {
    // Leaving a field saves at once, unless the user is on the way to a save button.
    const next = event.relatedTarget;
    if (next && next.form === form && next.type === "submit") return;
    if (dirty) schedule(200);
  });
  form.addEventListener("submit", function (event) {
    if (inFlight) {
      // Wait for the background save, then send the form with the version it produced.
      event.preventDefault();
      pendingSubmit = event.submitter || true;
      return;
    }
    if (!navigator.onLine) {
      // Without a connection the page would be lost: keep the input here and send it later.
      event.preventDefault();
      stash();
      showOffline();
      return;
    }
    submitting = true;
    clearTimeout(timer);
    dirty = false;
    stash(true); // kept until the answer shows a newer version (the save went through)
  });
  window.addEventListener("online", function () { if (dirty) schedule(0); });
  window.addEventListener("offline", showOffline);
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = form.dataset.unsavedWarning; }
  });

  // --- on opening: what was typed without a connection ------------------------------------------
  const saved = newestStash();
  if (saved) {
    if (
      comparable(saved.fields) === comparable(entries()) ||
      (saved.submitted && saved.version !== versionInput.value)
    ) {
      dropStash(); // the page already shows it, or the form it was sent with was saved
    } else {
      restore(saved.fields);
      dirty = true;
      edits += 1;
      dropStash();
      stash();
      if (saved.version === versionInput.value) {
        show(offlineBox, offlineBox ? offlineBox.dataset.restored : "");
        schedule(0);
      } else {
        // The report was saved since (another tab or person): the typed values are back in the
        // form, and the user saves them after a look rather than overwriting silently.
        show(offlineBox, offlineBox ? offlineBox.dataset.stale : "");
      }
    }
  }

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
