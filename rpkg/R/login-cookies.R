# What the Shiny sign-in module (login-module.R) keeps between page loads,
# and where. Nothing it keeps lets a browser act as the user on its own:
# - the sign-in in progress (state, PKCE verifier, nonce, redirect URI) is
#   sealed (AES-256-GCM, src/webapp/seal.rs) into a short-lived HttpOnly
#   cookie, with a key the app's R processes share: the return from the
#   hosted UI may reach another process than the one that sent the user;
# - a signed-in browser holds only a random session id (HttpOnly cookie);
#   the tokens stay in the R process, in `.login_sessions`;
# - a remembered device's key and password are sealed into a cookie of their
#   own, bound to the user's name: only the app's processes can open it.
# Cookies are set and cleared by HTTP answers of the app itself (Shiny's
# session data URLs), never by JavaScript, so none is readable from a page.

login_cookie_lifetime <- c(flow = 600, device = 90 * 86400)

# The key the module's cookies are sealed with. One made here serves one
# process only; apps that run several processes set COGNITOIDP_COOKIE_KEY.
.login_keys <- new.env(parent = emptyenv())

login_cookie_key <- function(key) {
  if (is.null(key) || identical(key, "")) {
    if (is.null(.login_keys$process)) {
      .login_keys$process <- stop_on_failure(cip_random_token(32L))
      warning(paste(
        "cognitoidp: no CookieKey (COGNITOIDP_COOKIE_KEY) was given: this R process made its own, so a sign-in",
        "that returns to another process of the app is refused; set one key for all of them"
      ), call. = FALSE)
    }
    return(.login_keys$process)
  }
  check_arg_string(key, "CookieKey", sensitive = TRUE)
  if (nchar(key, type = "bytes") < 32) {
    param_error(paste(
      "Invalid argument `CookieKey`: expected at least 32 characters of a random secret (for instance",
      "the output of `openssl rand -base64 32`) (the value is sensitive and not shown)"
    ), "CookieKey")
  }
  key
}

# Sealed fields: a named character vector, query-encoded inside the seal.
seal_fields <- function(key, purpose, fields, lifetime) {
  stop_on_failure(cip_seal(key, purpose, encode_query(fields), lifetime))
}

# The fields, or NULL with the reason in attribute "problem" ("missing",
# "malformed", "forged", "expired").
open_fields <- function(key, purpose, sealed) {
  refused <- function(problem) structure(list(), problem = problem)
  if (is.null(sealed)) return(refused("missing"))
  # What a browser sent: only base64url text goes on to the core.
  if (!is.character(sealed) || length(sealed) != 1 || is.na(sealed) ||
      nchar(sealed, type = "bytes") > 16384 || !grepl("^[A-Za-z0-9_-]+$", sealed, useBytes = TRUE)) {
    return(refused("malformed"))
  }
  opened <- stop_on_failure(cip_open(key, purpose, sealed))
  if (!is.null(opened$problem)) return(refused(opened$problem))
  pairs <- strsplit(strsplit(opened$payload, "&", fixed = TRUE)[[1]], "=", fixed = TRUE)
  values <- vapply(pairs, function(p) utils::URLdecode(if (length(p) > 1) p[[2]] else ""), "")
  as.list(stats::setNames(values, vapply(pairs, function(p) utils::URLdecode(p[[1]]), "")))
}

# The request's cookies as a named list (the first of a repeated name).
request_cookies <- function(request) {
  header <- request$HTTP_COOKIE
  if (!is.character(header) || length(header) != 1 || !nzchar(header)) return(list())
  pairs <- trimws(strsplit(header, ";", fixed = TRUE)[[1]])
  names <- sub("=.*$", "", pairs)
  values <- ifelse(grepl("=", pairs, fixed = TRUE), sub("^[^=]*=", "", pairs), "")
  keep <- nzchar(names)
  values <- stats::setNames(as.list(values[keep]), names[keep])
  values[!duplicated(names(values))]
}

# A Set-Cookie value: HttpOnly, SameSite=Lax (the return from the hosted UI
# is a cross-site navigation: Strict would hold the flow cookie back),
# Secure on https pages; `lifetime` NULL for a cookie that ends with the
# browser, 0 to clear one.
cookie_header <- function(name, value, path, secure, lifetime = NULL) {
  parts <- c(paste0(name, "=", value), paste0("Path=", path), "HttpOnly", "SameSite=Lax")
  if (secure) parts <- c(parts, "Secure")
  if (!is.null(lifetime)) parts <- c(parts, paste0("Max-Age=", format(lifetime, scientific = FALSE)))
  paste(parts, collapse = "; ")
}

# A URL of this Shiny session whose answer sets one cookie: fetched by the
# page (cognitoidp-login.js), or followed with a redirect to `location`.
cookie_url <- function(session, cookie, location = NULL) {
  # Made now: the answer is made outside any reactive context.
  force(cookie)
  force(location)
  name <- paste0("cognitoidp-", stop_on_failure(cip_random_token(12L)))
  session$registerDataObj(name, NULL, function(data, req) {
    headers <- list("Set-Cookie" = cookie, "Cache-Control" = "no-store")
    if (is.null(location)) return(shiny::httpResponse(200L, "text/plain", "", headers))
    shiny::httpResponse(302L, "text/plain", "", c(headers, list(Location = location)))
  })
}

# ---- the signed-in browsers of this process ----------------------------------------

# Session id -> list(tokens, client, pool, used): entries unused for
# options(cognitoidp.login_idle) seconds (12 hours) are dropped.
.login_sessions <- new.env(parent = emptyenv())

# The state values of sign-ins already finished here (a replay is refused
# even while the flow cookie lives), until their cookie would have expired.
.login_flows_used <- new.env(parent = emptyenv())

login_session_get <- function(id, client) {
  if (!is.character(id) || length(id) != 1 || !grepl("^[A-Za-z0-9_-]{43}$", id)) return(NULL)
  entry <- .login_sessions[[id]]
  if (is.null(entry) || !identical(entry$client, client)) return(NULL)
  entry
}

login_session_put <- function(id, entry) {
  entry$used <- Sys.time()
  assign(id, entry, envir = .login_sessions)
  idle <- getOption("cognitoidp.login_idle", 12 * 3600)
  for (other in ls(.login_sessions)) {
    if (difftime(Sys.time(), .login_sessions[[other]]$used, units = "secs") > idle) rm(list = other, envir = .login_sessions)
  }
}

login_session_drop <- function(id) {
  if (is.character(id) && length(id) == 1 && exists(id, envir = .login_sessions, inherits = FALSE)) {
    rm(list = id, envir = .login_sessions)
  }
}

# TRUE the first time a flow's state is seen in this process.
login_flow_first_use <- function(state) {
  now <- Sys.time()
  for (seen in ls(.login_flows_used)) {
    if (.login_flows_used[[seen]] < now) rm(list = seen, envir = .login_flows_used)
  }
  if (exists(state, envir = .login_flows_used, inherits = FALSE)) return(FALSE)
  assign(state, now + login_cookie_lifetime[["flow"]], envir = .login_flows_used)
  TRUE
}
