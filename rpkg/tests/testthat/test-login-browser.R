# The Shiny sign-in module as a person uses it: the example app
# (inst/examples/shiny-cognito), set up by its own emulator-setup.R as its
# documentation says, run in its own R process and driven in headless
# Chromium. Against ministack (AUTH=true: its hosted sign-in form, SRP
# proofs and secret hashes checked, single-use codes, PKCE enforced) for both
# modes; against moto with TOTP codes checked (ministack never asks for
# MFA_SETUP) for a first sign-in with a temporary password and an
# authenticator app set up from the QR code on the page; against
# fixtures/srp_server.py (no emulator tracks devices) for remembered devices.
# The hosted page is reached as "localhost" and the app as 127.0.0.1: two
# sites, as a real user pool's domain and an app are.
#
# The signed-in page's screenshot is kept in $COGNITOIDP_ARTIFACTS (made by
# .ci/test.sh, not committed); the times measured are printed there too.

example_dir <- function() system.file("examples", "shiny-cognito", package = "cognitoidp")

artifact_path <- function(name) {
  dir <- Sys.getenv("COGNITOIDP_ARTIFACTS", tempdir())
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  file.path(dir, name)
}

# Times measured on the way (not asserted: bench/ is for speed), written
# where the screenshot is.
record_time <- function(what, seconds) {
  cat(sprintf("%s\t%.3f\n", what, seconds), file = artifact_path("shiny-timings.tsv"), append = TRUE)
}

# The example's settings for a user pool made by its emulator-setup.R in
# ministack, whose app client accepts `app_urls` as callback and sign-out URLs.
example_settings <- function(app_urls) {
  env <- python_env()
  env[["R_LIBS"]] <- paste(.libPaths(), collapse = .Platform$path.sep)
  out <- processx::run(file.path(R.home("bin"), "Rscript"),
                       c("--vanilla", file.path(example_dir(), "emulator-setup.R"), ministack_server()$endpoint,
                         paste(app_urls, collapse = ",")),
                       env = env, error_on_status = FALSE, timeout = 120)
  if (out$status != 0) stop("emulator-setup.R failed: ", out$stderr, call. = FALSE)
  lines <- strsplit(trimws(out$stdout), "\n", fixed = TRUE)[[1]]
  stats::setNames(sub("^[^=]*=", "", lines), sub("=.*$", "", lines))
}

# The example app on `port`, logging at INFO (what it refused, and why).
start_example <- function(settings, port, ..., .local_envir = parent.frame()) {
  shiny_app_start(example_dir(), env = c(settings, ...), port = port, prelude = "options(paws.log_level = 3)",
                  .local_envir = .local_envir)
}

ports <- local({
  if (requireNamespace("processx", quietly = TRUE)) replicate(4, free_port()) else integer(0)
})
app_url <- function(i) sprintf("http://127.0.0.1:%d/", ports[[i]])

.example <- new.env(parent = emptyenv())
example_pool <- function() {
  if (is.null(.example$settings)) .example$settings <- example_settings(vapply(seq_along(ports), app_url, ""))
  .example$settings
}

# Through the hosted sign-in page: the module's button, the emulator's form.
hosted_sign_in <- function(browser, username, password = "Correct-Horse-42", tamper = NULL) {
  browser$click("#login-hosted")
  browser$wait_url("^http://localhost:[0-9]+/oauth2/authorize")
  browser$type("#username", username)
  browser$type("#password", password)
  if (!is.null(tamper)) tamper(browser)
  started <- Sys.time()
  browser$click("button[type=submit]")
  started
}

# The module's own form: a user name, a password, "Sign in". Returns when
# it clicked.
form_sign_in <- function(browser, username, password) {
  browser$type("#login-username", username)
  browser$type("#login-password", password)
  started <- Sys.time()
  browser$click("#login-sign_in")
  started
}

expect_signed_in <- function(browser, username) {
  browser$wait_text("#username", paste0("^", username, "$"))
  expect_match(browser$text("#login-panel"), paste("Signed in as", username), fixed = TRUE)
}

expect_asked_to_sign_in <- function(browser, notice = NULL) {
  browser$wait_text("#login-panel", "Sign in")
  expect_false(browser$exists("#username"))
  if (!is.null(notice)) expect_match(browser$text("#login-panel"), notice, fixed = TRUE)
}

# Nothing a browser holds is a token: no JWT ("eyJ..." is the base64url of
# '{"') in a cookie, the address or the page; the cookies are HttpOnly.
expect_no_token_in_browser <- function(browser) {
  cookies <- browser$cookies()
  expect_true(length(cookies) > 0)
  for (cookie in cookies) {
    expect_false(grepl("eyJ", cookie$value, fixed = TRUE), info = cookie$name)
    expect_true(isTRUE(cookie$httpOnly), info = cookie$name)
  }
  expect_false(grepl("eyJ", browser$url(), fixed = TRUE))
  expect_false(grepl("eyJ", browser$html("body"), fixed = TRUE))
}

expect_log_has_no_secret <- function(app, secrets) {
  log <- shiny_app_log(app)
  for (secret in secrets) expect_false(grepl(secret, log, fixed = TRUE))
}

test_that("hosted UI: sign in, the claims on the page, a reload keeps the session, sign-out asks again", {
  settings <- example_pool()
  app <- start_example(settings, ports[[1]])
  browser <- browser_session()
  browser$goto(app_url(1))
  started <- hosted_sign_in(browser, "ada")
  expect_signed_in(browser, "ada")
  record_time("hosted sign-in (submit to claims on the page), s", as.numeric(difftime(Sys.time(), started, units = "secs")))
  expect_match(browser$text("#groups"), "^staff$")
  claims <- browser$text("#claims")
  expect_match(claims, "cognito:username\\s+ada")
  expect_match(claims, paste0("iss\\s+https://cognito-idp.us-east-1.amazonaws.com/", settings[["COGNITO_USER_POOL_ID"]]))
  # The nonce sent is the one in the verified token, and the code and state
  # are gone from the address bar.
  expect_match(claims, "nonce\\s+[A-Za-z0-9_-]{16,}")
  expect_identical(browser$url(), app_url(1))
  expect_no_token_in_browser(browser)
  browser$screenshot(artifact_path("shiny-signed-in.png"))

  browser$reload()
  expect_signed_in(browser, "ada")

  browser$click("#login-sign_out")
  # Through the user pool's /logout, back to the app, which asks again.
  browser$wait_url(paste0("^", app_url(1), "$"))
  expect_asked_to_sign_in(browser)
  browser$reload()
  expect_asked_to_sign_in(browser)
  log <- shiny_app_log(app)
  expect_match(log, "revoke_token: done")
  expect_match(log, "sign-in module: signed out")
  expect_log_has_no_secret(app, c("Correct-Horse-42", settings[["COGNITO_CLIENT_SECRET"]], "eyJ"))
})

test_that("hosted UI: a tampered state is refused and logged; a replayed return is refused", {
  settings <- example_pool()
  app <- start_example(settings, ports[[1]])
  browser <- browser_session()
  browser$goto(app_url(1))
  # The state the emulator's form sends back is changed on the way.
  hosted_sign_in(browser, "ada", tamper = function(b) b$set_value("input[name=state]", "tampered-state"))
  expect_asked_to_sign_in(browser, "The sign-in could not be completed")
  expect_match(shiny_app_log(app), "INFO \\[[^]]+\\]: cognitoidp: sign-in module: sign-in return refused: the state is not")
  expect_false(grepl("code=", browser$url(), fixed = TRUE))

  # A good sign-in, then the same return again: its state was used.
  hosted_sign_in(browser, "ada")
  expect_signed_in(browser, "ada")
  returned <- browser$eval("return performance.getEntriesByType('navigation')[0].name")
  expect_match(returned, "[?&]code=.+&state=|[?&]state=.+&code=")
  browser$goto(returned)
  expect_asked_to_sign_in(browser, "The sign-in could not be completed")
  expect_match(shiny_app_log(app), "sign-in return refused: no sign-in was started in this browser, or it was finished already")
})

test_that("hosted UI: the return handled by another R process of the app, with the key they share", {
  settings <- example_pool()
  # The browser leaves from the first process and comes back to the second,
  # as behind a load balancer; a third process with another key refuses.
  first <- start_example(settings, ports[[1]], COGNITO_REDIRECT_URI = app_url(2))
  second <- start_example(settings, ports[[2]])
  browser <- browser_session()
  browser$goto(app_url(1))
  hosted_sign_in(browser, "ada")
  browser$wait_url(paste0("^", app_url(2)))
  expect_signed_in(browser, "ada")
  expect_identical(browser$url(), app_url(2))

  other_key <- settings
  other_key[["COGNITOIDP_COOKIE_KEY"]] <- strrep("x", 40)
  third <- start_example(other_key, ports[[3]])
  fourth <- start_example(settings, ports[[4]], COGNITO_REDIRECT_URI = app_url(3))
  browser$goto(app_url(4))
  hosted_sign_in(browser, "ada")
  browser$wait_url(paste0("^", app_url(3)))
  expect_asked_to_sign_in(browser, "The sign-in could not be completed")
  expect_match(shiny_app_log(third), "sign-in return refused: the sign-in cookie was not sealed by this app")
})

test_that("RequireGroups: members see the app, others a clear refusal and a way out", {
  settings <- example_pool()
  app <- start_example(settings, ports[[4]], COGNITO_REQUIRE_GROUPS = "staff")
  browser <- browser_session()
  browser$goto(app_url(4))
  hosted_sign_in(browser, "bob")
  browser$wait_text("#login-panel", "only for members of staff")
  expect_false(browser$exists("#username"))
  expect_false(browser$exists("#claims"))
  browser$click("#login-sign_out")
  browser$wait_url(paste0("^", app_url(4), "$"))
  expect_asked_to_sign_in(browser)
  hosted_sign_in(browser, "ada")
  expect_signed_in(browser, "ada")
})

test_that("hosted UI in an app of ui.R and server.R: sign in, reload, sign-out", {
  settings <- example_pool()
  dir <- withr::local_tempdir()
  writeLines(c(
    "library(shiny)",
    "fluidPage(cognitoidp::cognito_login_ui(\"login\"), uiOutput(\"content\"))"
  ), file.path(dir, "ui.R"))
  writeLines(c(
    "function(input, output, session) {",
    "  setting <- function(name) Sys.getenv(name)",
    "  endpoint <- setting(\"COGNITO_ENDPOINT\")",
    "  user <- cognitoidp::cognito_login_server(\"login\", UserPoolId = setting(\"COGNITO_USER_POOL_ID\"),",
    "    ClientId = setting(\"COGNITO_CLIENT_ID\"), ClientSecret = setting(\"COGNITO_CLIENT_SECRET\"),",
    "    Domain = setting(\"COGNITO_DOMAIN\"), JwksUri = setting(\"COGNITO_JWKS_URI\"),",
    "    config = list(endpoint = endpoint))",
    "  output$content <- renderUI({",
    "    req(user$signed_in)",
    "    h3(span(id = \"username\", user$username))",
    "  })",
    "}"
  ), file.path(dir, "server.R"))
  app <- shiny_app_start(dir, env = settings, port = ports[[4]], prelude = "options(paws.log_level = 3)")
  browser <- browser_session()
  browser$goto(app_url(4))
  hosted_sign_in(browser, "bob")
  expect_signed_in(browser, "bob")
  expect_identical(browser$url(), app_url(4))
  browser$reload()
  expect_signed_in(browser, "bob")
  browser$click("#login-sign_out")
  browser$wait_url(paste0("^", app_url(4), "$"))
  expect_asked_to_sign_in(browser)
})

test_that("in-app form: signed in by SRP; a wrong password is told as a person expects", {
  settings <- example_pool()
  app <- start_example(settings, ports[[1]], COGNITO_MODE = "form")
  browser <- browser_session()
  browser$goto(app_url(1))
  form_sign_in(browser, "ada", "not-the-password")
  browser$wait_text("#login-panel", "Incorrect user name or password\\.")
  expect_identical(browser$attr("#login-password", "value"), "")

  started <- form_sign_in(browser, "ada", "Correct-Horse-42")
  expect_signed_in(browser, "ada")
  record_time("in-app form sign-in by SRP (click to claims on the page), s",
              as.numeric(difftime(Sys.time(), started, units = "secs")))
  log <- shiny_app_log(app)
  # SRP: the password itself was never sent, and never logged.
  expect_match(log, "respond_to_auth_challenge: done")
  expect_no_token_in_browser(browser)
  expect_log_has_no_secret(app, c("Correct-Horse-42", "not-the-password", settings[["COGNITO_CLIENT_SECRET"]]))
  browser$reload()
  expect_signed_in(browser, "ada")
  browser$click("#login-sign_out")
  browser$wait_text("#login-panel", "Sign in")
  expect_true(browser$exists("#login-username"))
})

test_that("in-app form: a temporary password, a new one, an authenticator app set up from the QR code", {
  pool <- moto_totp_pool("shiny-totp")
  admin <- cognitoidentityprovider(config = moto_totp_config())
  admin$admin_create_user(UserPoolId = pool$pool_id, Username = "cy", TemporaryPassword = "Temp-Pass-1!",
                          MessageAction = "SUPPRESS")
  endpoint <- moto_totp_endpoint()
  app <- start_example(c(
    COGNITO_USER_POOL_ID = pool$pool_id, COGNITO_CLIENT_ID = pool$client_id, COGNITO_MODE = "form",
    COGNITO_ENDPOINT = endpoint, COGNITO_JWKS_URI = paste0(endpoint, "/", pool$pool_id, "/.well-known/jwks.json"),
    COGNITOIDP_COOKIE_KEY = strrep("m", 40)
  ), ports[[2]])
  browser <- browser_session()
  browser$goto(app_url(2))
  form_sign_in(browser, "cy", "Temp-Pass-1!")
  browser$wait_text("#login-panel", "Choose a new password")
  browser$type("#login-new_password", "New-Pass-22!")
  browser$click("#login-respond")
  browser$wait_text("#login-panel", "Scan this QR code")

  # The QR code drawn on the server, read from the page as a phone would.
  shot <- browser$screenshot(artifact_path("shiny-totp-setup.png"))
  uri <- qr_decode(shot)
  expect_match(uri, "^otpauth://totp/cognitoidp%20example%3Acy\\?secret=[A-Za-z2-7]+&issuer=cognitoidp%20example$")
  secret <- sub("^.*[?&]secret=([^&]+).*$", "\\1", uri)
  expect_identical(secret, browser$text(".cognitoidp-secret"))

  browser$type("#login-code", if (totp_code(secret) == "000000") "111111" else "000000")
  browser$click("#login-respond")
  browser$wait_text("#login-panel", "That code is not right")
  browser$type("#login-code", totp_code_fresh(secret))
  browser$click("#login-respond")
  expect_signed_in(browser, "cy")
  expect_log_has_no_secret(app, c("Temp-Pass-1!", "New-Pass-22!", secret))
})

test_that("in-app form: the device is remembered in a sealed cookie and proves itself at the next sign-in", {
  # No emulator tracks devices: fixtures/srp_server.py checks the user's and
  # the device's SRP proofs and, started this way, signs its tokens.
  server <- srp_server(signed = TRUE)
  pool <- "eu-west-1_DevicePool"
  client <- unique_name("client")
  for (name in c("dee", "eve")) {
    srp_server_control("/__control/user", list(UserPoolId = pool, ClientId = client, Username = name,
                                               Password = "Corr3ct-Horse!"), server = server)
  }
  seen <- length(srp_server_control("/__control/requests", server = server))
  # The Cognito requests the app made since the last call.
  new_requests <- function() {
    all <- srp_server_control("/__control/requests", server = server)
    fresh <- all[seq_along(all) > seen]
    seen <<- length(all)
    fresh
  }
  operations <- function(requests) vapply(requests, function(r) sub("^.*\\.", "", r$target), "")
  app <- start_example(c(
    COGNITO_USER_POOL_ID = pool, COGNITO_CLIENT_ID = client, COGNITO_MODE = "form",
    COGNITO_ENDPOINT = server$endpoint, COGNITO_JWKS_URI = paste0(server$endpoint, "/", pool, "/.well-known/jwks.json"),
    COGNITOIDP_COOKIE_KEY = strrep("d", 40)
  ), ports[[3]])
  browser <- browser_session()
  sign_in <- function(username) {
    form_sign_in(browser, username, "Corr3ct-Horse!")
    expect_signed_in(browser, username)
  }
  sign_out <- function() {
    browser$click("#login-sign_out")
    browser$wait_text("#login-panel", "Sign in")
    expect_identical(operations(new_requests()), "RevokeToken")
  }
  device_cookie <- function() Filter(function(c) identical(c$name, "cognitoidp_device_login"), browser$cookies())

  browser$goto(app_url(3))
  sign_in("dee")
  first <- new_requests()
  expect_identical(operations(first), c("InitiateAuth", "RespondToAuthChallenge", "ConfirmDevice"))
  expect_null(first[[1]]$body$AuthParameters$DEVICE_KEY)
  device_key <- first[[3]]$body$DeviceKey
  expect_match(device_key, "^eu-west-1_")
  expect_identical(first[[3]]$body$DeviceName, "cognitoidp example")
  # The device's key, group and password, sealed in an HttpOnly cookie that
  # lives 90 days; none of them readable there.
  cookie <- device_cookie()
  expect_length(cookie, 1)
  expect_true(isTRUE(cookie[[1]]$httpOnly))
  expect_false(grepl(device_key, cookie[[1]]$value, fixed = TRUE))
  expect_false(grepl(sub("^[^_]*_", "", device_key), cookie[[1]]$value, fixed = TRUE))
  expect_gt(cookie[[1]]$expiry - as.numeric(Sys.time()), 89 * 86400)
  expect_no_token_in_browser(browser)
  sign_out()

  # The next sign-in offers the device, and the device proves its password.
  sign_in("dee")
  second <- new_requests()
  expect_identical(operations(second), c("InitiateAuth", rep("RespondToAuthChallenge", 3)))
  expect_identical(second[[1]]$body$AuthParameters$DEVICE_KEY, device_key)
  expect_identical(vapply(second[-1], function(r) r$body$ChallengeName, ""),
                   c("PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"))
  expect_identical(second[[4]]$body$ChallengeResponses$DEVICE_KEY, device_key)
  sign_out()

  # Another user in the same browser is not offered dee's device; theirs
  # replaces it.
  sign_in("eve")
  third <- new_requests()
  expect_identical(operations(third), c("InitiateAuth", "RespondToAuthChallenge", "ConfirmDevice"))
  expect_null(third[[1]]$body$AuthParameters$DEVICE_KEY)
  expect_false(identical(third[[3]]$body$DeviceKey, device_key))
  expect_false(identical(device_cookie()[[1]]$value, cookie[[1]]$value))
  expect_log_has_no_secret(app, "Corr3ct-Horse!")
})

test_that("tokens and AWS credentials are refreshed on the server before they expire", {
  settings <- example_pool()
  # An identity pool that trusts the example's app client.
  admin <- cognitoidentity(config = list(endpoint = ministack_server()$endpoint, region = "us-east-1",
                                         credentials = list(creds = list(access_key_id = "test", secret_access_key = "test"))))
  identity_pool <- admin$create_identity_pool(
    IdentityPoolName = gsub("-", "_", unique_name("shiny")), AllowUnauthenticatedIdentities = FALSE,
    CognitoIdentityProviders = list(list(
      ProviderName = paste0("cognito-idp.us-east-1.amazonaws.com/", settings[["COGNITO_USER_POOL_ID"]]),
      ClientId = settings[["COGNITO_CLIENT_ID"]]
    ))
  )$IdentityPoolId
  admin$set_identity_pool_roles(IdentityPoolId = identity_pool,
                                Roles = list(authenticated = "arn:aws:iam::000000000000:role/shiny-users"))
  # Renewed when 3590 s of the tokens' hour are left: 10 s after sign-in.
  app <- shiny_app_start(example_dir(), port = ports[[3]], env = c(settings, COGNITO_MODE = "form",
                                                                   COGNITO_IDENTITY_POOL_ID = identity_pool),
                         prelude = "options(paws.log_level = 3, cognitoidp.login_refresh_margin = 3590)")
  browser <- browser_session()
  browser$goto(app_url(3))
  form_sign_in(browser, "ada", "Correct-Horse-42")
  expect_signed_in(browser, "ada")
  first <- browser$text("#aws")
  expect_match(first, "^<AWS credentials ASIA[A-Z0-9]+ of identity us-east-1:[0-9a-f-]+, expiring")
  deadline <- Sys.time() + 40
  while (!grepl("refreshed a session's tokens and AWS credentials", shiny_app_log(app)) && Sys.time() < deadline) {
    Sys.sleep(0.5)
  }
  log <- shiny_app_log(app)
  refreshes <- regmatches(log, gregexpr("refreshed a session's tokens and AWS credentials in [0-9]+ ms", log))[[1]]
  expect_gte(length(refreshes), 1)
  for (ms in as.numeric(sub("^.* in ([0-9]+) ms$", "\\1", refreshes))) record_time("refresh (tokens and credentials), s", ms / 1000)
  # The page shows the renewed credentials: a new session's access key.
  browser$wait_text("#aws", "^<AWS credentials ASIA")
  deadline <- Sys.time() + 15
  while (identical(browser$text("#aws"), first) && Sys.time() < deadline) Sys.sleep(0.5)
  expect_false(identical(browser$text("#aws"), first))
  expect_signed_in(browser, "ada")
})
