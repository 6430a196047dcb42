# Every wait has an end, and a value that becomes an HTTP header is checked
# in R: the key-set fetch and the OAuth endpoints against a server that sends
# its headers and then a byte now and then (a deadline for the whole answer,
# not per read), answers larger than the 1 MiB cap (cut off while reading),
# the 10 s window after a failed key-set fetch (no new request), and header
# values with each class of bad character (refused before anything is sent).

pool <- "eu-west-1_WaitTests"
client <- "3n4mp1ecl1entid"

b64url <- function(text) gsub("=+$", "", chartr("+/", "-_", jsonlite::base64_enc(charToRaw(text))))
# A token whose header names `kid`: enough to make the verifier fetch keys.
kid_token <- function(kid = "k1") {
  paste(b64url(sprintf('{"alg":"RS256","kid":"%s"}', kid)), b64url('{"sub":"x"}'), b64url("signature"), sep = ".")
}
# A key-set URL of its own on the fault server (the cache is per URL).
fresh_jwks_url <- function(server, label) {
  paste0(server$endpoint, "/", label, "-", sample.int(1e9, 1), "/jwks.json")
}
verify_at <- function(url, token = kid_token()) {
  cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client, JwksUri = url)
}
# A key-set URL on `server`, which sends its headers and then one byte per
# 0.5 s for 20 s: each read is quick, the whole answer is not.
dribbling_jwks <- function(server, label) {
  fault_script(list(act_dribble(seconds = 20, interval = 0.5)), server = server)
  fresh_jwks_url(server, label)
}
elapsed_of <- function(expr) {
  started <- proc.time()[["elapsed"]]
  value <- catch_error(expr)
  list(error = value, seconds = proc.time()[["elapsed"]] - started)
}

test_that("a key-set host that dribbles its answer is cut off at the deadline with a timeout error", {
  server <- fault_server()
  withr::local_options(cognitoidp.jwks_timeout = 2)
  run <- elapsed_of(verify_at(dribbling_jwks(server, "dribble")))
  expect_s3_class(run$error, "cognitoidp_timeout_error")
  expect_s3_class(run$error, "cognitoidp_error")
  expect_match(conditionMessage(run$error), "within 2 s", fixed = TRUE)
  # It ended at the deadline, long before the server would have.
  expect_gte(run$seconds, 1.5)
  expect_lt(run$seconds, 15)
  expect_identical(fault_count(server), 1L)
})

test_that("within 10 s of a failed fetch, calls fail at once with the same class and send nothing", {
  server <- fault_server()
  withr::local_options(cognitoidp.jwks_timeout = 1)
  url <- dribbling_jwks(server, "penalty")
  first <- catch_error(verify_at(url))
  expect_s3_class(first, "cognitoidp_timeout_error")
  expect_identical(fault_count(server), 1L)
  # Again, with another kid, and many tokens at once: the same failure, no request.
  again <- catch_error(verify_at(url, kid_token("k2")))
  expect_s3_class(again, "cognitoidp_timeout_error")
  expect_match(conditionMessage(again), "remembered from a failed fetch", fixed = TRUE)
  many <- cognito_verify_token(rep(kid_token(), 50), UserPoolId = pool, TokenUse = "id", ClientId = client,
                               JwksUri = url)
  expect_true(all(vapply(many, inherits, logical(1), "cognitoidp_timeout_error")))
  expect_identical(fault_count(server), 1L)
  expect_identical(fault_connections(server), 1L)
  # A connection that is refused is remembered too, with its own class.
  closed <- paste0(closed_endpoint(), "/jwks.json")
  expect_s3_class(catch_error(verify_at(closed)), "cognitoidp_connection_error")
  e <- catch_error(verify_at(closed))
  expect_s3_class(e, "cognitoidp_connection_error")
  expect_match(conditionMessage(e), "remembered", fixed = TRUE)
  # Another URL is not affected.
  fault_script(default = list(action = "status", status = 200, body = list(keys = list())))
  other <- fresh_jwks_url(server, "other")
  expect_s3_class(catch_error(verify_at(other)), "cognitoidp_token_unknown_key_error")
})

test_that("a key set larger than 1 MiB is refused, with or without a declared length", {
  server <- fault_server()
  for (action in list(act_huge(mb = 2), act_huge(mb = 2, json = FALSE), act_chunked(mb = 4))) {
    fault_script(list(action))
    e <- catch_error(verify_at(fresh_jwks_url(server, "huge")))
    expect_s3_class(e, "cognitoidp_response_error")
    expect_match(conditionMessage(e), "larger than 1048576 bytes", fixed = TRUE)
  }
  # Just under the cap is read.
  fault_script(list(act_status(200, list(keys = list(), padding = strrep("p", 1000000)))))
  expect_s3_class(catch_error(verify_at(fresh_jwks_url(server, "under"))), "cognitoidp_token_unknown_key_error")
})

test_that("the OAuth endpoints have their own deadline and the same cap", {
  server <- fault_server()
  withr::local_options(cognitoidp.oauth_timeout = 1.5)
  fault_script(list(act_dribble(seconds = 20, interval = 0.5)))
  run <- elapsed_of(cognito_user_info(server$endpoint, "an-access-token"))
  expect_s3_class(run$error, "cognitoidp_timeout_error")
  expect_gte(run$seconds, 1)
  expect_lt(run$seconds, 15)
  fault_script(list(act_dribble(seconds = 20, interval = 0.5)))
  e <- catch_error(cognito_token(server$endpoint, "the-client", "the-secret", GrantType = "client_credentials"))
  expect_s3_class(e, "cognitoidp_timeout_error")
  fault_script(list(act_chunked(mb = 4)))
  e <- catch_error(cognito_revoke(server$endpoint, "the-client", "a-refresh-token"))
  expect_s3_class(e, "cognitoidp_response_error")
  expect_match(conditionMessage(e), "larger than", fixed = TRUE)
})

test_that("the timeout options take a number of seconds, else a param error naming the option", {
  server <- fault_server()
  fault_reset(server)
  for (option in c("cognitoidp.jwks_timeout", "cognitoidp.oauth_timeout")) {
    for (bad in list("5", -1, 0, NA, NA_real_, NaN, Inf, c(1, 2), 1e6, TRUE, list(5))) {
      withr::local_options(stats::setNames(list(bad), option))
      e <- if (option == "cognitoidp.jwks_timeout") {
        catch_error(verify_at(fresh_jwks_url(server, "option")))
      } else {
        catch_error(cognito_user_info(server$endpoint, "an-access-token"))
      }
      expect_s3_class(e, "cognitoidp_param_error")
      expect_identical(e$path, option)
    }
  }
  expect_identical(fault_count(server), 0L)
})

# ---- header values ---------------------------------------------------------------------------

bad_header_values <- function(secret) {
  latin1 <- iconv(paste0(secret, "\u00e9"), from = "UTF-8", to = "latin1")
  invalid <- paste0(secret, rawToChar(as.raw(c(0xff, 0xfe))))
  bytes <- invalid
  Encoding(bytes) <- "bytes"
  list(
    cr = paste0(secret, "\r"),
    lf = paste0(secret, "\n"),
    crlf_injection = paste0(secret, "\r\nX-Injected: 1"),
    tab = paste0(secret, "\t"),
    other_controls = paste0(secret, "\001\033"),
    del = paste0(secret, "\177"),
    space = paste0(secret, " more"),
    utf8_multibyte = paste0(secret, "\u00e9\u2028\U0001F600"),
    latin1 = latin1,
    invalid_utf8 = invalid,
    bytes_encoding = bytes,
    empty = ""
  )
}

test_that("R strings cannot hold a NUL, so none can reach a header", {
  expect_error(rawToChar(as.raw(c(0x61, 0x00, 0x62))), "nul")
})

test_that("every argument that becomes a header refuses each class of bad character, before sending", {
  server <- fault_server()
  fault_reset(server)
  secret <- "SeNsItIvE"
  domain <- server$endpoint
  calls <- list(
    AccessToken = function(v) cognito_user_info(domain, v),
    ClientSecret = function(v) cognito_token(domain, "the-client", v, GrantType = "client_credentials"),
    ClientId = function(v) cognito_token(domain, v, "the-secret", GrantType = "client_credentials"),
    ClientSecret = function(v) cognito_token(domain, "the-client", v, Code = "c", RedirectUri = "https://app.example/cb"),
    ClientSecret = function(v) cognito_revoke(domain, "the-client", "a-refresh-token", ClientSecret = v),
    ClientId = function(v) cognito_revoke(domain, v, "a-refresh-token", ClientSecret = "the-secret")
  )
  problems <- character()
  for (i in seq_along(calls)) {
    arg <- names(calls)[[i]]
    values <- bad_header_values(secret)
    if (arg == "ClientId") values$colon <- paste0(secret, ":x")
    for (what in names(values)) {
      e <- tryCatch({
        calls[[i]](values[[what]])
        NULL
      }, error = function(e) e)
      ok <- inherits(e, "cognitoidp_param_error") && identical(e$path, arg) &&
        !grepl(secret, conditionMessage(e), fixed = TRUE)
      if (!ok) {
        problems <- c(problems, sprintf("call %d, %s with %s: %s", i, arg, what,
                                        if (is.null(e)) "no error" else paste(class(e)[[1]], conditionMessage(e))))
      }
    }
  }
  expect_identical(problems, character(0))
  expect_identical(fault_count(server), 0L)
  # The same values are fine where they do not become a header: a client id
  # without a secret goes in the form body, percent-encoded.
  fault_script(list(act_status(200, "")))
  expect_true(cognito_revoke(domain, "the client", "a-refresh-token"))
  expect_identical(fault_count(server), 1L)
})

test_that("visible ASCII header values are sent as given", {
  server <- fault_server()
  token <- paste(rawToChar(as.raw(0x21:0x7e)), kid_token(), sep = "")
  fault_script(list(act_status(200, list(sub = "x"), headers = list(`Content-Type` = "application/json"))))
  expect_identical(cognito_user_info(server$endpoint, token), list(sub = "x"))
  expect_identical(fault_requests(server)[[1]]$headers$authorization, paste("Bearer", token))
})

test_that("a server that hangs up on a request too large is a classed error, and the next call works", {
  server <- fault_server()
  fault_reset(server)
  # The server reads at most 64 KiB of headers and then closes: writing the
  # rest hits a closed connection (SIGPIPE, which R must not see).
  huge <- strrep("A", 4e6)
  for (i in 1:3) {
    e <- catch_error(cognito_user_info(server$endpoint, huge))
    expect_s3_class(e, "cognitoidp_error")
    expect_false(grepl("SIGPIPE|internal error", conditionMessage(e)))
  }
  fault_script(list(act_status(200, list(sub = "x"), headers = list(`Content-Type` = "application/json"))))
  expect_identical(cognito_user_info(server$endpoint, "a-token"), list(sub = "x"))
})

test_that("Ctrl-C interrupts a key-set fetch that is within its deadline", {
  server <- fault_server()
  fault_script(list(act_dribble(seconds = 60, interval = 1)))
  url <- fresh_jwks_url(server, "interrupt")
  process <- local_r_process(c(
    "options(cognitoidp.jwks_timeout = 60)",
    "cat('calling\\n')",
    sprintf(paste0("ended <- tryCatch(cognito_verify_token(%s, UserPoolId = %s, TokenUse = 'id', ClientId = 'c', ",
                   "JwksUri = %s), interrupt = function(e) 'interrupted', error = function(e) class(e)[[1]])"),
            deparse(kid_token()), deparse(pool), deparse(url)),
    "cat('ended', ended, '\\n')"
  ))
  out <- read_until(process, "^calling", timeout = 30)
  expect_true(out$found, info = paste(out$lines, collapse = "\n"))
  deadline <- Sys.time() + 10
  while (fault_count(server) < 1 && Sys.time() < deadline) Sys.sleep(0.05)
  expect_identical(fault_count(server), 1L)
  Sys.sleep(0.5)
  process$interrupt()
  out <- read_until(process, "^ended", timeout = 20, lines = out$lines)
  expect_identical(grep("^ended", out$lines, value = TRUE), "ended interrupted ")
})

test_that("a config timeout too large for a duration is a classed error, not a panic", {
  for (seconds in c(1e20, 1e300, .Machine$double.xmax)) {
    e <- catch_error(cognitoidentityprovider(config = list(timeout = seconds, region = "us-east-1",
                                                           endpoint = closed_endpoint())))
    expect_s3_class(e, "cognitoidp_request_error")
    expect_match(conditionMessage(e), "`timeout` is too many seconds", fixed = TRUE)
  }
})
