# Query strings and form bodies carry values exactly: every name and value is
# percent-encoded whatever it holds (RFC 3986 unreserved characters kept,
# every other UTF-8 byte as %XX), by one rule (encode_query() in tokens.R) for
# the authorization and logout URLs and the bodies sent to the token and
# revocation endpoints. Checked against two reference decoders: curl's
# unescape, and Python's urllib.parse.parse_qsl, the form decoder of a
# server (strict parsing, "+" as a space).

# Random strings from every character class that matters to a query string:
# unreserved characters, the delimiters, "%" alone and in what looks like an
# escape, "+", spaces and control characters, non-ASCII letters and emoji
# (one of four code points, one a sequence joined by U+200D).
random_values <- function(n) {
  pieces <- c(
    strsplit("AZaz09-._~", "")[[1]], strsplit(":/?#[]@!$&'()*+,;=", "")[[1]],
    "%", "%41", "%2F", "%25", "%zz", "%4", "%%", "+", " ", "\t", "\n", "\r", "\001", "\177",
    "&code_challenge_method=plain", "=", "&&", "\u00e9", "\u00df", "\u4e2d", "\u03a9", "\u00a0",
    "\U0001F600", "\U0001F469\u200D\U0001F4BB"
  )
  vapply(seq_len(n), function(i) paste(sample(pieces, sample(0:12, 1), replace = TRUE), collapse = ""), "")
}

# The (name, value) pairs of a query string, decoded by Python's form decoder
# as bytes (hex), for many strings in one run.
python_decode <- function(queries) {
  script <- paste(
    "import json, sys, urllib.parse",
    "out = []",
    "for q in json.load(sys.stdin):",
    "    pairs = urllib.parse.parse_qsl(q, keep_blank_values=True, strict_parsing=bool(q), encoding='latin-1')",
    "    out.append([[k.encode('latin-1').hex(), v.encode('latin-1').hex()] for k, v in pairs])",
    "print(json.dumps(out))",
    sep = "\n"
  )
  input <- tempfile(fileext = ".json")
  on.exit(unlink(input))
  writeLines(jsonlite::toJSON(queries, auto_unbox = FALSE), input)
  out <- processx::run(python_binary(), c("-c", script), stdin = input, env = python_env(), error_on_status = FALSE)
  if (out$status != 0) stop("the Python decoder failed: ", out$stderr, call. = FALSE)
  jsonlite::fromJSON(out$stdout, simplifyVector = FALSE)
}

hex <- function(x) paste(as.character(charToRaw(enc2utf8(x))), collapse = "")

# The pairs decoded with curl's unescape: names and values, as UTF-8 strings.
curl_decode <- function(query) {
  pairs <- strsplit(query, "&", fixed = TRUE)[[1]]
  expect_true(all(grepl("^[^=]*=[^=]*$", pairs)), info = query)
  values <- curl::curl_unescape(sub("^[^=]*=", "", pairs))
  Encoding(values) <- "UTF-8"
  stats::setNames(values, curl::curl_unescape(sub("=.*$", "", pairs)))
}

# What a query string may hold: only unreserved characters, "=", "&", and
# escapes of two upper-case hex digits.
expect_only_escapes <- function(query) {
  expect_false(grepl("[^A-Za-z0-9._~%=&-]", query), info = query)
  expect_false(grepl("%(?![0-9A-F]{2})", query, perl = TRUE), info = query)
}

query_of <- function(url) sub("^[^?]*\\?", "", url)

test_that("the authorization and logout URLs carry any value exactly, and values never add parameters", {
  withr::local_seed(16)
  n <- 150
  client_ids <- random_values(n)
  redirects <- random_values(n)
  states <- random_values(n)
  scopes <- random_values(n)
  domain <- "https://auth.example.com"
  urls <- character(0)
  expected <- list()
  for (i in seq_len(n)) {
    scope <- c("openid", if (nzchar(scopes[[i]])) scopes[[i]])
    auth <- cognito_authorize_url(domain, client_ids[[i]], redirects[[i]], Scopes = scope, State = states[[i]])
    expect_identical(auth$state, states[[i]])
    urls <- c(urls, auth$url)
    expected[[length(expected) + 1]] <- c(
      response_type = "code", client_id = client_ids[[i]], redirect_uri = redirects[[i]],
      scope = paste(scope, collapse = " "), state = states[[i]], nonce = auth$nonce,
      code_challenge = auth$code_challenge %||% NA, code_challenge_method = "S256"
    )
    logout <- cognito_logout_url(domain, client_ids[[i]], redirects[[i]])
    urls <- c(urls, logout)
    expected[[length(expected) + 1]] <- c(client_id = client_ids[[i]], logout_uri = redirects[[i]])
  }
  expect_true(all(startsWith(urls[c(TRUE, FALSE)], paste0(domain, "/oauth2/authorize?"))))
  expect_true(all(startsWith(urls[c(FALSE, TRUE)], paste0(domain, "/logout?"))))
  queries <- query_of(urls)
  for (q in queries) expect_only_escapes(q)

  decoded <- python_decode(queries)
  for (i in seq_along(queries)) {
    want <- expected[[i]]
    got <- decoded[[i]]
    # As many parameters as were given, in their order, each decoding to its value's bytes.
    expect_identical(vapply(got, `[[`, "", 1), vapply(names(want), hex, "", USE.NAMES = FALSE), info = queries[[i]])
    known <- !is.na(want)
    expect_identical(vapply(got, `[[`, "", 2)[known], vapply(want[known], hex, "", USE.NAMES = FALSE),
                     info = queries[[i]])
    curl_pairs <- curl_decode(queries[[i]])
    expect_identical(names(curl_pairs), names(want))
    expect_identical(unname(curl_pairs[known]), unname(want[known]))
  }
})

test_that("the issue's examples: a state that looks encoded cannot downgrade PKCE; a redirect URI with its own query survives", {
  domain <- "https://auth.example.com"
  auth <- cognito_authorize_url(domain, "client", "https://app.example/cb", State = "s%41&code_challenge_method=plain")
  params <- curl_decode(query_of(auth$url))
  expect_identical(sum(names(params) == "code_challenge_method"), 1L)
  expect_identical(params[["code_challenge_method"]], "S256")
  expect_identical(params[["state"]], "s%41&code_challenge_method=plain")
  expect_match(auth$url, "state=s%2541%26code_challenge_method%3Dplain&", fixed = TRUE)

  redirect <- "https://app.example/cb?next=%2Fhome&x=1"
  auth <- cognito_authorize_url(domain, "client", redirect)
  params <- curl_decode(query_of(auth$url))
  expect_identical(params[["redirect_uri"]], redirect)
  expect_identical(names(params), c("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                                    "code_challenge", "code_challenge_method"))
  logout <- cognito_logout_url(domain, "client", redirect)
  expect_identical(logout, paste0(domain, "/logout?client_id=client&logout_uri=",
                                  "https%3A%2F%2Fapp.example%2Fcb%3Fnext%3D%252Fhome%26x%3D1"))
  # UTF-8 bytes, upper-case hex; a latin1 string is sent as its UTF-8 form.
  latin1 <- "caf\xe9"
  Encoding(latin1) <- "latin1"
  expect_match(cognito_logout_url(domain, "client", latin1), "logout_uri=caf%C3%A9$")
  expect_match(cognito_logout_url(domain, "client", "a b+c~*\U0001F600"), "logout_uri=a%20b%2Bc~%2A%F0%9F%98%80$")
})

test_that("form bodies sent to the token and revocation endpoints decode to exactly the values given", {
  server <- fault_server()
  withr::local_seed(1616)
  n <- 25
  values <- matrix(random_values(n * 5), ncol = 5)
  tokens_body <- list(access_token = "a", token_type = "Bearer", expires_in = 3600)
  sent <- character(0)
  expected <- list()
  fault_script(default = list(action = "ok", body = tokens_body))
  for (i in seq_len(n)) {
    v <- values[i, ]
    scope <- if (nzchar(v[[5]])) v[[5]] else "openid"
    cognito_token(server$endpoint, ClientId = v[[1]], Code = v[[2]], RedirectUri = v[[3]], CodeVerifier = v[[4]],
                  Scopes = scope)
    expected[[length(expected) + 1]] <- c(grant_type = "authorization_code", client_id = v[[1]], code = v[[2]],
                                          redirect_uri = v[[3]], code_verifier = v[[4]], scope = scope)
    cognito_token(server$endpoint, ClientId = v[[1]], GrantType = "refresh_token", RefreshToken = v[[2]])
    expected[[length(expected) + 1]] <- c(grant_type = "refresh_token", client_id = v[[1]], refresh_token = v[[2]])
    cognito_revoke(server$endpoint, ClientId = v[[1]], Token = v[[3]])
    expected[[length(expected) + 1]] <- c(token = v[[3]], client_id = v[[1]])
  }
  requests <- fault_requests(server)
  expect_length(requests, length(expected))
  for (r in requests) {
    expect_identical(r$method, "POST")
    expect_identical(r$headers$`content-type`, "application/x-www-form-urlencoded")
  }
  bodies <- vapply(requests, function(r) r$body, "")
  for (b in bodies) expect_only_escapes(b)
  decoded <- python_decode(bodies)
  for (i in seq_along(bodies)) {
    expect_identical(lapply(decoded[[i]], unlist), unname(Map(function(k, v) c(hex(k), hex(v)), names(expected[[i]]), expected[[i]])),
                     info = bodies[[i]])
    expect_identical(curl_decode(bodies[[i]]), expected[[i]])
  }
})
