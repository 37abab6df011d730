// The agent desk: polls the queue and the open handoff, sends replies and ends handoffs.
// Everything goes through /desk/api with the session cookie; text is always set with
// textContent, never parsed as HTML, because it comes from customers.
(function () {
  "use strict";

  const POLL_MS = 2500;
  const API = "/desk/api/handoffs";
  let selectedId = null;
  let lastTranscriptKey = "";
  let busy = false;

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function call(path, options) {
    const response = await fetch(path, {
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      ...options,
    });
    if (response.status === 401) {
      window.location.assign("/desk/login");
      throw new Error("logged out");
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
  }

  function waited(minutes) {
    if (minutes < 1) return "just now";
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function badge(text, kind) {
    return el("span", `badge ${kind || ""}`.trim(), text);
  }

  function renderQueue(items) {
    const list = $("queue");
    list.replaceChildren();
    $("queue-count").textContent = items.length ? `(${items.length})` : "";
    $("queue-status").textContent = items.length ? "" : "Nobody is waiting.";
    for (const item of items) {
      const li = el("li", "handoff");
      li.dataset.id = item.id;
      li.dataset.conversation = item.conversation_id;
      if (item.id === selectedId) li.classList.add("selected");
      const head = el("div", "line");
      head.append(badge(item.priority, `priority-${item.priority}`));
      head.append(el("strong", "customer", item.customer_id || "anonymous visitor"));
      head.append(badge(item.segment || "no segment", "segment"));
      li.append(head);
      const meta = el("div", "line muted");
      const who = item.agent ? `with ${item.agent}` : "waiting";
      meta.textContent = `${item.reason} · ${item.channel} · ${who} · ${waited(item.waiting_minutes)}`;
      li.append(meta);
      li.addEventListener("click", () => select(item.id));
      list.append(li);
    }
  }

  function addTerm(list, term, value) {
    if (value === undefined || value === null || value === "") return;
    list.append(el("dt", "", term), el("dd", "", value));
  }

  function renderDetail(detail) {
    $("detail").hidden = false;
    $("nothing-selected").hidden = true;
    const profile = detail.profile;
    $("detail-title").textContent = profile
      ? `${profile.name} (${profile.customer_id})`
      : "Anonymous visitor";
    const badges = $("detail-badges");
    badges.replaceChildren(
      badge(detail.priority, `priority-${detail.priority}`),
      badge(detail.segment || "no segment", "segment"),
      badge(detail.status, "status")
    );

    const summary = $("summary");
    summary.replaceChildren();
    addTerm(summary, "Reason", detail.reason);
    addTerm(summary, "Priority because", detail.summary.priority_rule);
    addTerm(summary, "Asked about", detail.summary.intents.join(", "));
    const entities = Object.entries(detail.summary.entities).map(([k, v]) => `${k}: ${v}`);
    addTerm(summary, "Mentioned", entities.join(", "));
    addTerm(summary, "Already tried", detail.summary.tried.join(", "));
    addTerm(summary, "Last message", detail.summary.last_message);

    const facts = $("profile");
    facts.replaceChildren();
    if (profile) {
      addTerm(facts, "Tier", profile.tier);
      addTerm(facts, "Segment", profile.segment);
      addTerm(facts, "Customer for", `${profile.customer_since_days} days`);
      addTerm(facts, "Orders", `${profile.order_count} (${profile.total_spend} ${profile.currency || ""})`);
      const open = profile.open_orders.map((o) => `${o.id} ${o.status}`);
      addTerm(facts, "Open orders", open.join(", ") || "none");
      addTerm(facts, "Open tickets", profile.open_tickets.length);
      addTerm(facts, "E-mail", profile.email);
    } else {
      addTerm(facts, "Identity", "not verified");
    }

    // Rebuild the transcript only when it changed, so scrolling and selection survive polling.
    const key = detail.messages.map((m) => `${m.id}:${m.delivered_at || ""}`).join(",");
    if (key !== lastTranscriptKey) {
      lastTranscriptKey = key;
      const transcript = $("transcript");
      transcript.replaceChildren();
      for (const message of detail.messages) {
        const li = el("li", `message ${message.author}`);
        let author = message.author === "agent" ? message.agent : message.author;
        // "/intent" lines are buttons the customer clicked or the widget's opening payload.
        if (message.author === "customer" && message.text.startsWith("/")) {
          li.classList.add("payload");
          author = "customer (button or chat opened)";
        }
        li.append(el("span", "author", author), el("span", "text", message.text));
        if (message.author === "agent" && !message.delivered_at) {
          li.append(el("span", "undelivered", "not delivered"));
        }
        transcript.append(li);
      }
      transcript.scrollTop = transcript.scrollHeight;
    }
    const open = detail.status === "queued" || detail.status === "assigned";
    for (const id of ["send", "hand-back", "close", "reply-text"]) $(id).disabled = !open;
    $("claim").disabled = !open || detail.status === "assigned";
  }

  async function refreshDetail() {
    if (selectedId === null) return;
    renderDetail(await call(`${API}/${selectedId}`));
  }

  async function refresh() {
    try {
      renderQueue(await call(API));
      await refreshDetail();
    } catch (error) {
      $("queue-status").textContent = `Could not refresh: ${error.message}`;
    }
  }

  async function select(id) {
    selectedId = id;
    lastTranscriptKey = "";
    $("action-status").textContent = "";
    for (const li of document.querySelectorAll("#queue li")) {
      li.classList.toggle("selected", Number(li.dataset.id) === id);
    }
    await refreshDetail().catch((error) => {
      $("action-status").textContent = error.message;
    });
  }

  async function act(path, body, done) {
    if (busy || selectedId === null) return;
    busy = true;
    $("action-status").textContent = "Sending…";
    try {
      const result = await call(`${API}/${selectedId}/${path}`, {
        method: "POST",
        body: JSON.stringify(body || {}),
      });
      const delivered = result.delivered === false ? " (not delivered: the assistant is unreachable)" : "";
      $("action-status").textContent = done + delivered;
      await refresh();
    } catch (error) {
      $("action-status").textContent = `Failed: ${error.message}`;
    } finally {
      busy = false;
    }
  }

  $("reply-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    act("messages", { text }, "Sent.").then(() => {
      if (!$("action-status").textContent.startsWith("Failed")) $("reply-text").value = "";
    });
  });
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });
  $("claim").addEventListener("click", () => act("claim", {}, "Claimed."));
  $("hand-back").addEventListener("click", () => act("hand-back", {}, "Handed back to the assistant."));
  $("close").addEventListener("click", () => act("close", {}, "Closed; the customer is asked for a rating."));

  // A chain of timeouts, not setInterval: a slow answer never piles up requests.
  (async function poll() {
    await refresh();
    setTimeout(poll, POLL_MS);
  })();
})();
