# The URLs the package sends to (a key set's, a user-pool domain's) are
# https, or plain http to a loopback host only; anything else is refused as a
# cognitoidp_param_error before any connection. The refused URLs name hosts
# under .invalid (RFC 2606: they resolve nowhere), so that a URL let through
# would fail as a connection error instead; and where a refused URL would
# reach the local fault server, its count shows that nothing arrived.

pool <- "eu-west-1_UrlChecks"
client <- "urlcheckclient"

refused_urls <- c(
  "http://jwks.invalid/jwks.json",             # plain http, not loopback
  "HTTP://jwks.invalid/jwks.json",             # the scheme in any case
  "hTtP://jwks.invalid/",
  "http://127.0.0.1.invalid/jwks.json",        # names that begin like loopback
  "http://localhost.invalid/jwks.json",
  "http://127.0.0.1@jwks.invalid/jwks.json",   # user information before the real host
  "http://localhost:80@jwks.invalid/",
  "https://user:pass@jwks.invalid/jwks.json",
  "http://[::2]/jwks.json",                    # other IPv6 addresses, IPv4-mapped ones
  "http://[::ffff:127.0.0.1]/",
  "http://[1::]/",
  "http://0127.0.0.1/",                        # octal, short and integer spellings of 127.0.0.1
  "http://127.1/",
  "http://2130706433/",
  "http://0x7f.0.0.1/",
  "http://127.0.0.256/",
  "http://128.0.0.1/",
  "http://localhost./",
  "ftp://jwks.invalid/jwks.json",              # other schemes, none, or no host
  "file:///etc/passwd",
  "//jwks.invalid/jwks.json",
  "jwks.invalid/jwks.json",
  "https://",
  "https:///jwks.json",
  "https://jwks.invalid:0/",                   # ports out of range
  "https://jwks.invalid:65536/",
  "https://jwks.invalid:x/",
  "https://jwks.invalid/jwks.json#fragment",
  "https://jwks .invalid/",                    # spaces, control and non-ASCII characters
  "https://jwks.invalid/\n",
  "https://jwks.invalid/\u00e9",
  ""
)

test_that("a key set URL that is not https (or http to loopback) is refused before any connection", {
  minted <- mint_tokens(list(keys = list(a = list(bits = 2048)), jwks = list(a = list("a")),
                             tokens = list(list(key = "a", claims = token_claims(pool, client)))))
  token <- minted$tokens[[1]]
  for (url in refused_urls) {
    e <- catch_error(cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client, JwksUri = url))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_identical(e$path, "JwksUri", info = url)
    e <- catch_error(cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = url))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_identical(e$path, "JwksUri", info = url)
  }
  # A password in the URL is not shown.
  e <- catch_error(cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = "https://ada:s3cr3t-pw@jwks.invalid/"))
  expect_false(grepl("s3cr3t-pw", conditionMessage(e), fixed = TRUE))

  # URLs that would reach the local server, but are refused: nothing arrives.
  server <- fault_server()
  serve_jwks <- function() fault_script(default = list(action = "ok", body = jsonlite::fromJSON(minted$jwks$a, simplifyVector = FALSE)))
  serve_jwks()
  port <- sub(".*:", "", server$endpoint)
  for (url in c(sprintf("http://user@127.0.0.1:%s/jwks.json", port), sprintf("http://127.0.0.1:%s/jwks.json#x", port),
                sprintf("http://127.0.0.1:%s@127.0.0.1:%s/jwks.json", port, port))) {
    expect_error(cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client, JwksUri = url),
                 class = "cognitoidp_param_error")
  }
  expect_identical(fault_count(server), 0L)

  # Loopback over plain http is accepted: the scheme in any case, localhost,
  # the whole of 127.0.0.0/8 and [::1] (nothing listens on the last two: the
  # connection fails, after the check let them through).
  label <- sample.int(1e9, 1)
  expect_identical(cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                        JwksUri = sprintf("HTTP://127.0.0.1:%s/%d/jwks.json", port, label))$sub,
                   token_claims(pool, client)$sub)
  expect_identical(cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                        JwksUri = sprintf("http://localhost:%s/%d/jwks.json", port, label))$sub,
                   token_claims(pool, client)$sub)
  expect_identical(fault_count(server), 2L)
  for (url in c(sprintf("http://127.45.6.7:%s/jwks.json", free_port()), sprintf("http://[::1]:%s/jwks.json", free_port()),
                sprintf("http://[0:0:0:0:0:0:0:1]:%s/jwks.json", free_port()))) {
    e <- catch_error(cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client, JwksUri = url))
    expect_false(inherits(e, "cognitoidp_param_error"), info = url)
    expect_s3_class(e, "cognitoidp_connection_error")
  }
})

test_that("a user-pool domain that is not https (or http to loopback) is refused by every OAuth function", {
  domain_refused <- c(refused_urls, "https://auth.invalid/?x=1", "https://auth.invalid?x=1")
  calls <- list(
    authorize_url = function(d) cognito_authorize_url(d, "client", "https://app.example/cb"),
    logout_url = function(d) cognito_logout_url(d, "client", "https://app.example/bye"),
    token = function(d) cognito_token(d, "client", Code = "code", RedirectUri = "https://app.example/cb"),
    user_info = function(d) cognito_user_info(d, "access-token"),
    revoke = function(d) cognito_revoke(d, "client", "refresh-token")
  )
  for (name in names(calls)) {
    for (url in domain_refused) {
      e <- catch_error(calls[[name]](url))
      expect_s3_class(e, "cognitoidp_param_error")
      expect_identical(e$path, "Domain", info = paste(name, url))
    }
  }
  # What is accepted, without sending anything: https anywhere, http to
  # loopback; the scheme comes out in lower case and the final "/" is dropped.
  expect_identical(cognito_logout_url("HTTPS://auth.example.com/", "c", "u"), "https://auth.example.com/logout?client_id=c&logout_uri=u")
  for (domain in c("http://localhost", "http://localhost:8100", "http://127.0.0.1:9", "http://127.255.255.254",
                   "http://[::1]:8080", "http://[::1]", "http://[0:0::1]", "Http://LocalHost:1")) {
    expect_identical(cognito_logout_url(domain, "c", "u"),
                     paste0("http", sub("^[A-Za-z]+", "", domain), "/logout?client_id=c&logout_uri=u"), info = domain)
    expect_match(cognito_authorize_url(domain, "c", "u")$url, "^http://")
  }
  # RedirectUri and LogoutUri are only values in the URL: the package sends
  # nothing there (the user pool checks them against the client's URLs).
  expect_match(cognito_logout_url("https://auth.example.com", "c", "http://app.example/bye"),
               "logout_uri=http%3A%2F%2Fapp.example%2Fbye$")
  expect_match(cognito_authorize_url("https://auth.example.com", "c", "myapp://callback")$url,
               "redirect_uri=myapp%3A%2F%2Fcallback&")
})
