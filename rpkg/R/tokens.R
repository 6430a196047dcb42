# Trusting a Cognito token from R, as aws-jwt-verify does for Node: the
# signature with the user pool's keys (fetched from the pool, never from
# the token, and cached), then the times, issuer, token use, client, groups
# and scopes, and a check of your own. And the OAuth 2.0 endpoints of a
# user-pool domain: the authorization URL (PKCE), the token exchange, the
# user's claims, revocation and the logout URL. The Rust core verifies,
# fetches and sends (auth_calls.rs); failures are classed conditions.

cognito_verify_token <- function(Token, UserPoolId, TokenUse, ClientId, Groups = NULL, Scopes = NULL,
                                 GraceSeconds = 0, JwksUri = NULL, Check = NULL) {
  if (!is.character(Token) || length(Token) == 0 || anyNA(Token)) {
    param_error(sprintf("Invalid argument `Token`: expected one or more tokens (strings), got %s", describe(Token)),
                "Token")
  }
  issuer <- pool_issuer(UserPoolId)
  if (missing(TokenUse)) {
    param_error("Invalid argument `TokenUse`: give \"id\" or \"access\" (or NULL to accept either)", "TokenUse")
  }
  if (!is.null(TokenUse)) check_choice(TokenUse, "TokenUse", c("id", "access"))
  if (missing(ClientId)) {
    param_error("Invalid argument `ClientId`: give the app client id(s) the token must be for (or NULL to accept any)",
                "ClientId")
  }
  for (arg in c("ClientId", "Groups", "Scopes")) {
    value <- get(arg)
    if (!is.null(value) && (!is.character(value) || length(value) == 0 || anyNA(value))) {
      param_error(sprintf("Invalid argument `%s`: expected a character vector or NULL, got %s", arg, describe(value)), arg)
    }
  }
  grace <- check_grace(GraceSeconds)
  if (!is.null(Check) && !is.function(Check)) {
    param_error(sprintf("Invalid argument `Check`: expected a function of the claims, got %s", describe(Check)), "Check")
  }
  jwks_uri <- if (is.null(JwksUri)) paste0(issuer, "/.well-known/jwks.json") else check_url(JwksUri, "JwksUri")
  # A token that is not text (bytes, or invalid UTF-8) cannot be a JWT: it
  # fails as malformed in its place, as any other broken token does.
  text <- is_text(Token)
  Token <- enc2utf8(Token)
  Token[!text] <- "(not text)"

  results <- take_log(cip_verify_tokens(Token, issuer, jwks_uri, TokenUse, ClientId, Groups, Scopes, grace,
                                        timeout_option("cognitoidp.jwks_timeout", 5)))
  failed <- attr(results, "failed")
  attr(results, "failed") <- NULL
  for (i in failed) {
    if (identical(results[[i]]$kind, "interrupt")) raise_interrupt()
    results[[i]] <- failure_condition(results[[i]])
  }
  if (!is.null(Check)) {
    for (i in setdiff(seq_along(results), failed)) results[[i]] <- custom_check(Check, results[[i]])
  }
  if (length(Token) == 1) {
    if (inherits(results[[1]], "condition")) stop(results[[1]])
    return(results[[1]])
  }
  stats::setNames(results, names(Token))
}

cognito_preload_keys <- function(UserPoolId, Jwks, JwksUri = NULL) {
  jwks_uri <- if (is.null(JwksUri)) paste0(pool_issuer(UserPoolId), "/.well-known/jwks.json") else check_url(JwksUri, "JwksUri")
  check_arg_string(Jwks, "Jwks")
  jwks_uri <- check_text(jwks_uri, "JwksUri")
  Jwks <- check_text(Jwks, "Jwks")
  invisible(stop_on_failure(cip_preload_keys(jwks_uri, Jwks)))
}

# The issuer of a user pool's tokens: the region is the part of the pool id
# before the "_". Remembered per pool: a service checks every request's
# token, and the check of the id costs more than a token's verification
# beside the RSA.
.issuers <- new.env(parent = emptyenv())

pool_issuer <- function(pool) {
  check_arg_string(pool, "UserPoolId")
  # Only a pool id can be in the cache; the lookup itself refuses empty,
  # very long and "bytes" strings, so those go straight to the check.
  usable_key <- nzchar(pool) && nchar(pool, type = "bytes") <= 128 && Encoding(pool) != "bytes"
  issuer <- if (usable_key) .issuers[[pool]]
  if (!is.null(issuer)) return(issuer)
  if (!usable_key || !is_text(pool) || !grepl("^[a-z]{2}(-[a-z]+)+-[0-9]+_[A-Za-z0-9]+$", pool)) {
    param_error(sprintf("Invalid argument `UserPoolId`: expected a user pool id such as \"eu-west-1_AbC123\", got %s",
                        show_string(pool)), "UserPoolId")
  }
  .issuers[[pool]] <- sprintf("https://cognito-idp.%s.amazonaws.com/%s", sub("_.*$", "", pool), pool)
}

# The custom check, last: FALSE or an error fails the token.
custom_check <- function(check, claims) {
  outcome <- tryCatch(check(claims), error = function(e) e)
  why <- if (inherits(outcome, "error")) {
    conditionMessage(outcome)
  } else if (isFALSE(outcome)) {
    "the custom check returned FALSE"
  }
  if (is.null(why)) return(claims)
  failure_condition(list(kind = "token", class = "cognitoidp_token_check_error",
                         message = paste("The token failed the custom check:", why)))
}

# ---- the OAuth 2.0 endpoints of a user-pool domain ---------------------------------

cognito_domain <- function(svc, UserPoolId) {
  check_service(svc)
  check_arg_string(UserPoolId, "UserPoolId")
  pool <- svc$describe_user_pool(UserPoolId = UserPoolId)$UserPool
  if (length(pool$CustomDomain) == 1) return(paste0("https://", pool$CustomDomain))
  if (length(pool$Domain) == 1) {
    return(sprintf("https://%s.auth.%s.amazoncognito.com", pool$Domain, sub("_.*$", "", UserPoolId)))
  }
  stop(failure_condition(list(kind = "request", message = sprintf("The user pool %s has no domain", UserPoolId))))
}

cognito_authorize_url <- function(Domain, ClientId, RedirectUri, Scopes = "openid", State = NULL) {
  domain <- check_domain(Domain)
  check_arg_string(ClientId, "ClientId")
  check_arg_string(RedirectUri, "RedirectUri")
  check_scopes(Scopes)
  if (!is.null(State)) check_arg_string(State, "State")
  pkce <- stop_on_failure(cip_pkce())
  state <- State %||% pkce$state
  query <- c(response_type = "code", client_id = ClientId, redirect_uri = RedirectUri,
             scope = paste(Scopes, collapse = " "), state = state, nonce = pkce$nonce,
             code_challenge = pkce$code_challenge, code_challenge_method = "S256")
  structure(list(url = paste0(domain, "/oauth2/authorize?", encode_query(query)),
                 code_verifier = pkce$code_verifier, state = state, nonce = pkce$nonce),
            class = "cognitoidp_authorization")
}

cognito_token <- function(Domain, ClientId, ClientSecret = NULL, GrantType = "authorization_code", Code = NULL,
                          RedirectUri = NULL, CodeVerifier = NULL, Scopes = NULL, RefreshToken = NULL) {
  domain <- check_domain(Domain)
  check_arg_string(ClientId, "ClientId")
  if (!is.null(ClientSecret)) check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  check_choice(GrantType, "GrantType", c("authorization_code", "refresh_token", "client_credentials"))
  need <- function(value, arg, sensitive = FALSE) {
    if (is.null(value)) param_error(sprintf("Invalid argument `%s`: the %s grant needs it", arg, GrantType), arg)
    check_arg_string(value, arg, sensitive = sensitive)
  }
  form <- c(grant_type = GrantType, client_id = ClientId)
  if (GrantType == "authorization_code") {
    form <- c(form, code = need(Code, "Code", sensitive = TRUE), redirect_uri = need(RedirectUri, "RedirectUri"))
    if (!is.null(CodeVerifier)) form <- c(form, code_verifier = check_arg_string(CodeVerifier, "CodeVerifier", sensitive = TRUE))
  } else if (GrantType == "refresh_token") {
    form <- c(form, refresh_token = need(RefreshToken, "RefreshToken", sensitive = TRUE))
  } else if (is.null(ClientSecret)) {
    param_error("Invalid argument `ClientSecret`: the client_credentials grant needs the client's secret", "ClientSecret")
  }
  if (!is.null(Scopes)) {
    check_scopes(Scopes)
    form <- c(form, scope = paste(Scopes, collapse = " "))
  }
  answer <- oauth_request("POST", paste0(domain, "/oauth2/token"), form = form, client_id = ClientId,
                          client_secret = ClientSecret)
  json <- answer$json
  tokens <- list(AccessToken = json$access_token %||% character(0), IdToken = json$id_token %||% character(0),
                 RefreshToken = json$refresh_token %||% RefreshToken %||% character(0),
                 ExpiresIn = as.numeric(json$expires_in %||% numeric(0)),
                 TokenType = json$token_type %||% character(0))
  flow <- list(ClientId = ClientId, ReceivedAt = Sys.time())
  structure(tokens, class = "cognitoidp_tokens", cognitoidp = flow)
}

cognito_user_info <- function(Domain, AccessToken) {
  domain <- check_domain(Domain)
  check_arg_string(AccessToken, "AccessToken", sensitive = TRUE)
  check_header_value(AccessToken, "AccessToken")
  oauth_request("GET", paste0(domain, "/oauth2/userInfo"), bearer = AccessToken)$json
}

cognito_revoke <- function(Domain, ClientId, Token, ClientSecret = NULL) {
  domain <- check_domain(Domain)
  check_arg_string(ClientId, "ClientId")
  check_arg_string(Token, "Token", sensitive = TRUE)
  if (!is.null(ClientSecret)) check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  oauth_request("POST", paste0(domain, "/oauth2/revoke"), form = c(token = Token, client_id = ClientId),
                client_id = ClientId, client_secret = ClientSecret)
  invisible(TRUE)
}

cognito_logout_url <- function(Domain, ClientId, LogoutUri) {
  domain <- check_domain(Domain)
  check_arg_string(ClientId, "ClientId")
  check_arg_string(LogoutUri, "LogoutUri")
  paste0(domain, "/logout?", encode_query(c(client_id = ClientId, logout_uri = LogoutUri)))
}

# Sends to an OAuth endpoint, `form` as an application/x-www-form-urlencoded
# body encoded here, by the query strings' rule (the core sends it as it is);
# an error answer ({"error": ...}) is a condition of class
# c(<error>, "cognitoidp_oauth_error", "http_<status>", "http_error").
oauth_request <- function(method, url, form = NULL, bearer = NULL, client_id = NULL, client_secret = NULL) {
  # The form's values are sent as UTF-8, percent-encoded: each must be text.
  for (field in names(form)) {
    arg <- if (field %in% names(form_arguments)) form_arguments[[field]] else field
    form[[field]] <- check_text(form[[field]], arg)
  }
  if (!is.null(client_secret)) check_basic_credentials(client_id, client_secret)
  answer <- stop_on_failure(take_log(cip_web_request(method, url, if (!is.null(form)) encode_query(form), bearer,
                                                     if (!is.null(client_secret)) client_id, client_secret,
                                                     timeout_option("cognitoidp.oauth_timeout", 30))))
  if (answer$status >= 200 && answer$status < 300) return(answer)
  code <- answer$json$error
  if (!is.character(code) || length(code) != 1) code <- "unknown_error"
  description <- answer$json$error_description %||% answer$json$message %||% substr(trimws(answer$text), 1, 200)
  message <- sprintf("%s (HTTP %d)%s", code, answer$status,
                     if (length(description) == 1 && nzchar(description)) paste0(". ", description) else "")
  stop(structure(
    list(message = message, call = NULL, status_code = answer$status, error_response = answer$json),
    class = unique(c(code, "cognitoidp_oauth_error", paste0("http_", answer$status), "http_error", "error", "condition"))
  ))
}

# A value sent in an HTTP header (a bearer token, or the client id and
# secret of HTTP Basic credentials) may hold only visible ASCII characters:
# a CR or LF would end the header, and a token read with readLines() or
# readChar() can carry one. Checked on the bytes, so any encoding, and bytes
# that are not valid UTF-8, are judged alike. The value is never shown.
check_header_value <- function(x, path) {
  bytes <- as.integer(charToRaw(x))
  bad <- which(bytes < 0x21L | bytes > 0x7eL)
  if (length(bytes) == 0 || length(bad) > 0) {
    what <- if (length(bytes) == 0) {
      "it is empty"
    } else {
      byte <- bytes[bad[1]]
      kind <- if (byte == 0x0dL) {
        "a carriage return (CR)"
      } else if (byte == 0x0aL) {
        "a line feed (LF)"
      } else if (byte == 0x20L) {
        "a space"
      } else if (byte < 0x20L || byte == 0x7fL) {
        "a control character"
      } else {
        "a byte that is not ASCII"
      }
      sprintf("byte %d is %s", bad[1], kind)
    }
    param_error(sprintf(paste("Invalid argument `%s`: it is sent in an HTTP header, which takes only visible",
                              "ASCII characters, but %s (the value is not shown)"), path, what), path)
  }
  invisible(x)
}

# A string for an error message: quoted with its control characters
# escaped, or only described when it is long or not text.
show_string <- function(x) {
  if (!is_text(x)) return("a string that is not valid text (UTF-8)")
  x <- enc2utf8(x)
  if (nchar(x, type = "bytes") > 100) return(sprintf("a string of %d characters", nchar(x)))
  encodeString(x, quote = "\"")
}

# The argument each form field comes from, for the messages.
form_arguments <- c(grant_type = "GrantType", client_id = "ClientId", code = "Code", redirect_uri = "RedirectUri",
                    code_verifier = "CodeVerifier", refresh_token = "RefreshToken", scope = "Scopes", token = "Token")

# Strings the Rust core reads as text must be UTF-8: latin1 strings (and
# native ones where the native encoding is not UTF-8) are converted; "bytes"
# and malformed ones cannot be. (enc2utf8() would turn malformed bytes
# into "<ff>" escapes and send something the caller did not give.)
is_text <- function(x) {
  encoding <- Encoding(x)
  encoding == "latin1" | (encoding != "bytes" & (validUTF8(x) | (encoding == "unknown" & !l10n_info()[["UTF-8"]])))
}

check_text <- function(x, path) {
  if (!is_text(x)) param_error(sprintf("Invalid argument `%s`: it is not valid text (UTF-8)", path), path)
  enc2utf8(x)
}

# HTTP Basic credentials "client_id:client_secret": both header values, and
# a colon in the id would move the split between them.
check_basic_credentials <- function(client_id, client_secret) {
  check_header_value(client_id, "ClientId")
  check_header_value(client_secret, "ClientSecret")
  if (grepl(":", client_id, fixed = TRUE)) {
    param_error("Invalid argument `ClientId`: with a ClientSecret it is sent as HTTP Basic credentials, where it cannot hold a colon (:)",
                "ClientId")
  }
}

# The deadline, in seconds, of a whole request to the key-set URL or an
# OAuth endpoint: `options(<name>)`, a number from 0.001 to 3600.
timeout_option <- function(name, default) {
  value <- getOption(name, default)
  if (!is.numeric(value) || length(value) != 1 || is.na(value) || value < 0.001 || value > 3600) {
    param_error(sprintf("Invalid option `%s`: expected a number of seconds from 0.001 to 3600, got %s", name,
                        describe(value)), name)
  }
  as.numeric(value)
}

# A user-pool domain's base URL (no query or fragment), without a final "/".
check_domain <- function(domain) {
  sub("/+$", "", check_url(domain, "Domain", query = FALSE))
}

# A URL the package sends to (a key set, a user-pool domain): https, or plain
# http to a loopback host only (local servers, the tests' emulators), so that
# no key set, token, code or client secret travels in the clear. No user
# information (a "user@" before the host: a way to make a URL read as another
# host), no fragment, printable ASCII only. Refused before any connection.
# Returned with its scheme in lower case.
check_url <- function(url, arg, query = TRUE) {
  check_arg_string(url, arg)
  bytes <- as.integer(charToRaw(url))
  printable <- all(bytes >= 0x21 & bytes <= 0x7e)
  # Shown unless it may hold a password ("user:password@host") or bytes
  # that would garble the message.
  shown <- if (printable && !grepl("@", url, fixed = TRUE)) sprintf("\"%s\"", url) else "a URL not shown"
  refuse <- function(why) param_error(sprintf("Invalid argument `%s`: %s, got %s", arg, why, shown), arg)
  if (!printable) refuse("expected a URL without spaces, control or non-ASCII characters")
  parts <- regmatches(url, regexec("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\\?[^#]*)?(#.*)?$", url))[[1]]
  if (length(parts) == 0) refuse("expected an https:// URL")
  scheme <- tolower(parts[[2]])
  authority <- parts[[3]]
  if (!scheme %in% c("https", "http")) refuse("expected an https:// URL")
  if (grepl("@", authority, fixed = TRUE)) refuse("expected a URL without user information (\"user@\")")
  if (nzchar(parts[[6]]) || (!query && nzchar(parts[[5]]))) {
    refuse(if (query) "expected a URL without a fragment" else "expected a base URL, without a query or fragment")
  }
  host <- url_host(authority)
  if (is.null(host)) refuse("expected a URL with a host name and, if any, a port from 1 to 65535")
  if (scheme == "http" && !is_loopback(host)) {
    refuse(paste("plain http is allowed only to this machine (localhost, 127.0.0.0/8, [::1]);",
                 "use https"))
  }
  paste0(scheme, substring(url, nchar(parts[[2]]) + 1))
}

# The host of an authority ("host", "host:port", "[v6]:port"), in lower case,
# or NULL if the authority is not one.
url_host <- function(authority) {
  parts <- regmatches(authority, regexec("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._~-]+)(:([0-9]{1,5}))?$", authority))[[1]]
  if (length(parts) == 0) return(NULL)
  port <- parts[[4]]
  if (nzchar(parts[[3]]) && (!nzchar(port) || as.integer(port) < 1 || as.integer(port) > 65535)) return(NULL)
  tolower(parts[[2]])
}

# Loopback: "localhost", an IPv4 address of 127.0.0.0/8 in the dotted-quad
# form (decimal, no leading zeros: "0127.0.0.1" is octal to some resolvers),
# or the IPv6 loopback address in any of its spellings ("[::1]",
# "[0:0:0:0:0:0:0:1]", ...). A name that merely begins like one
# ("127.0.0.1.example.com", "localhost.example.com") is not.
is_loopback <- function(host) {
  if (identical(host, "localhost")) return(TRUE)
  octet <- "(0|[1-9][0-9]{0,2})"
  if (grepl(sprintf("^127(\\.%s){3}$", octet), host)) {
    return(all(as.integer(strsplit(host, ".", fixed = TRUE)[[1]]) <= 255))
  }
  if (grepl("^\\[[0-9a-f:]+\\]$", host)) {
    groups <- ipv6_groups(substr(host, 2, nchar(host) - 1))
    return(!is.null(groups) && all(groups[1:7] == 0) && groups[[8]] == 1)
  }
  FALSE
}

# The eight 16-bit groups of an IPv6 address written with hex groups (and at
# most one "::"), or NULL if it is not one.
ipv6_groups <- function(address) {
  halves <- strsplit(paste0(address, "#"), "::", fixed = TRUE)[[1]]
  halves[length(halves)] <- sub("#$", "", halves[length(halves)])
  if (length(halves) > 2) return(NULL)
  split <- function(text) if (nzchar(text)) strsplit(text, ":", fixed = TRUE)[[1]] else character(0)
  head <- split(halves[[1]])
  tail <- if (length(halves) == 2) split(halves[[2]]) else character(0)
  groups <- c(head, tail)
  if (!all(grepl("^[0-9a-f]{1,4}$", groups))) return(NULL)
  if (length(halves) == 2) {
    if (length(groups) > 7) return(NULL)
    groups <- c(head, rep("0", 8 - length(groups)), tail)
  } else if (length(groups) != 8) {
    return(NULL)
  }
  strtoi(groups, 16L)
}

# GraceSeconds: clock skew, not a way to switch the expiry check off.
max_grace_seconds <- 86400

check_grace <- function(grace) {
  if (is.null(grace)) {
    param_error(sprintf("Invalid argument `GraceSeconds`: expected a single number from 0 to %d, got NULL",
                        max_grace_seconds), "GraceSeconds")
  }
  check_number(grace, "GraceSeconds", min = 0, max = max_grace_seconds)
}

check_scopes <- function(scopes) {
  if (!is.character(scopes) || length(scopes) == 0 || anyNA(scopes) || !all(nzchar(scopes))) {
    param_error(sprintf("Invalid argument `Scopes`: expected a character vector of scopes, got %s", describe(scopes)),
                "Scopes")
  }
}

# A query string, or an application/x-www-form-urlencoded body, from a named
# character vector: every name and value percent-encoded whatever it holds
# (RFC 3986: the unreserved characters A-Z a-z 0-9 - . _ ~ as they are, every
# other byte of its UTF-8 form as %XX), so it decodes back to exactly what
# was given and a value can never add a parameter. One rule for every query
# string and form body the package makes.
encode_query <- function(query) {
  paste(percent_encode(names(query)), percent_encode(query), sep = "=", collapse = "&")
}

# A string as UTF-8 bytes: translated from latin1 or a non-UTF-8 native
# encoding; as it is when it is UTF-8, or native in a UTF-8 locale, or bytes
# (never "<ff>" for a byte that is not UTF-8, as enc2utf8() would make).
utf8_bytes <- function(value) {
  encoding <- Encoding(value)
  if (encoding == "latin1" || (encoding == "unknown" && !l10n_info()$`UTF-8`)) enc2utf8(value) else value
}

unreserved_bytes <- charToRaw("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

percent_encode <- function(x) {
  vapply(as.character(x), function(value) {
    bytes <- charToRaw(utf8_bytes(value))
    out <- sprintf("%%%02X", as.integer(bytes))
    keep <- bytes %in% unreserved_bytes
    out[keep] <- rawToChar(bytes[keep], multiple = TRUE)
    paste(out, collapse = "")
  }, "", USE.NAMES = FALSE)
}

format.cognitoidp_authorization <- function(x, ...) {
  sprintf("<Cognito authorization request: open %s; state %s; its PKCE verifier is kept in the object and not shown>",
          x$url, x$state)
}
print.cognitoidp_authorization <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}
str.cognitoidp_authorization <- function(object, ...) cat(format(object), "\n", sep = "")
