// The Brightcart help page: mounts the rasa-webchat widget on Rasa's socket.io channel with the
// customer's signed token in customData, and shows when a person from our team has the chat.
//
// Where the token comes from:
//   production  the shop's back end signs a token for its logged-in customer and opens this page
//               with ?token=<jwt> (or serves its own copy of the page with the token filled in);
//   development the "Sign in as" selector (or ?customer=C0000001) asks /dev/token, which the
//               data service serves only with DEV_MODE=1.
// The token is kept in sessionStorage for this tab; a different customer starts a new
// conversation, because the widget's conversation is kept in the same storage.
(function () {
  "use strict";

  const TOKEN_KEY = "brightcart.customer_token";
  const LABEL_KEY = "brightcart.customer_label";
  const CUSTOMER_KEY = "brightcart.customer_id";
  const BANNER_KEY = "brightcart.handoff_state";
  const DEV_TOKEN_REFRESH_MS = 10 * 60 * 1000; // tokens live 15 minutes
  const BANNERS = {
    team: "You're talking to our team. A colleague will reply right here.",
    assistant: "You're back with the assistant.",
  };

  const $ = (id) => document.getElementById(id);

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  // For display only: the server checks the signature, the page just shows whose token it is.
  function tokenSubject(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(payload)).sub || null;
    } catch (error) {
      return null;
    }
  }

  // A new identity means a new conversation: clear this tab's storage (the widget's too).
  function useIdentity(token, customerId, label) {
    if (sessionStorage.getItem(TOKEN_KEY) === token) return;
    sessionStorage.clear();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(CUSTOMER_KEY, customerId || tokenSubject(token) || "");
    sessionStorage.setItem(LABEL_KEY, label || customerId || tokenSubject(token) || "customer");
  }

  // {customer_id, name, token} from the development-only endpoint.
  async function devToken(customerId) {
    return getJSON(`/dev/token?customer_id=${encodeURIComponent(customerId)}`);
  }

  // ?token=... or (development) ?customer=...; removed from the address bar once read.
  async function identityFromUrl(config) {
    const params = new URLSearchParams(window.location.search);
    if (params.has("token")) {
      useIdentity(params.get("token"), null, null);
    } else if (config.devMode && params.has("customer")) {
      const signed = await devToken(params.get("customer"));
      useIdentity(signed.token, signed.customer_id, signed.name);
    } else {
      return;
    }
    window.history.replaceState(null, "", window.location.pathname);
  }

  async function setUpDevSignIn() {
    const select = $("customer-select");
    const current = sessionStorage.getItem(CUSTOMER_KEY) || "";
    for (const customer of await getJSON("/dev/customers")) {
      const option = document.createElement("option");
      option.value = customer.customer_id;
      option.textContent = `${customer.name} (${customer.customer_id}, ${customer.segment}, ${customer.tier})`;
      select.append(option);
    }
    if (current && !select.querySelector(`option[value="${current}"]`)) {
      const option = document.createElement("option");
      option.value = current;
      option.textContent = `${sessionStorage.getItem(LABEL_KEY)} (${current})`;
      select.append(option);
    }
    select.value = current;
    select.addEventListener("change", async () => {
      if (!select.value) {
        useIdentity(null, null, null);
      } else {
        const signed = await devToken(select.value);
        useIdentity(signed.token, signed.customer_id, signed.name);
      }
      window.location.reload();
    });
    $("dev-signin").hidden = false;
  }

  function showBanner(state) {
    const banner = $("handoff-banner");
    if (!BANNERS[state]) {
      banner.hidden = true;
      return;
    }
    banner.dataset.state = state;
    banner.textContent = BANNERS[state];
    banner.hidden = false;
    sessionStorage.setItem(BANNER_KEY, state);
  }

  function handoffWatcher(markers) {
    const matches = (text, phrases) => phrases.some((phrase) => text.includes(phrase));
    return function onBotMessage(message) {
      const text = (message && message.text) || "";
      if (matches(text, markers.toTeam)) showBanner("team");
      else if (matches(text, markers.toAssistant)) showBanner("assistant");
    };
  }

  function status(text) {
    $("connection").textContent = text;
  }

  async function main() {
    const [config, markers] = await Promise.all([
      getJSON("config.json"),
      getJSON("handoff_markers.json"),
    ]);
    await identityFromUrl(config);
    if (config.devMode) await setUpDevSignIn();

    const token = sessionStorage.getItem(TOKEN_KEY);
    const label = sessionStorage.getItem(LABEL_KEY);
    $("identity").textContent = token ? `Signed in as ${label}` : "Not signed in";
    showBanner(sessionStorage.getItem(BANNER_KEY));

    // The widget sends this object with every message; refreshing the token in place keeps
    // a long conversation verified in development.
    const customData = token ? { customer_token: token } : {};
    const customerId = sessionStorage.getItem(CUSTOMER_KEY);
    if (config.devMode && token && customerId) {
      setInterval(async () => {
        customData.customer_token = (await devToken(customerId)).token;
        sessionStorage.setItem(TOKEN_KEY, customData.customer_token);
      }, DEV_TOKEN_REFRESH_MS);
    }

    window.WebChat.default(
      {
        socketUrl: config.socketUrl,
        socketPath: "/socket.io/",
        customData,
        initPayload: "/greet",
        embedded: true,
        title: "Brightcart support",
        subtitle: token ? `Signed in as ${label}` : "Sign in to ask about your orders",
        inputTextFieldHint: "Type your question…",
        hideWhenNotConnected: false,
        params: { storage: "session" },
        customMessageDelay: () => 300,
        onSocketEvent: {
          bot_uttered: handoffWatcher(markers),
          connect: () => status("Connected to the assistant."),
          disconnect: () => status("Connection lost; reconnecting…"),
        },
      },
      $("webchat")
    );
  }

  main().catch((error) => {
    status(`The chat could not start: ${error.message}`);
  });
})();
