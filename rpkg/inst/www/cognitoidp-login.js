// The browser's part of cognitoidp's Shiny sign-in module (R/login-*.R).
// The server asks, by one custom message, for up to three things in order:
// fetch URLs of this app that set or clear the module's HttpOnly cookies
// (JavaScript never sees their values), tidy the address bar (the code and
// state of a sign-in return), then report back or go to another page.
(function () {
  function handle(message) {
    var fetches = (message.cookies || []).reduce(function (done, url) {
      return done.then(function () {
        return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
          if (!answer.ok) throw new Error("cookie " + answer.status);
        });
      });
    }, Promise.resolve());
    fetches.then(function () {
      if (typeof message.search === "string") {
        history.replaceState(history.state, "", location.pathname + message.search + location.hash);
      }
      if (message.ack) Shiny.setInputValue(message.ack, message.token, { priority: "event" });
      if (message.go) location.assign(message.go);
    }, function () {
      if (message.ack) Shiny.setInputValue(message.ack, "cookie-failed", { priority: "event" });
    });
  }
  Shiny.addCustomMessageHandler("cognitoidp-login", handle);
})();
