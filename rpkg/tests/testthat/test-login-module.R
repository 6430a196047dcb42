# The Shiny sign-in module's arguments, UI and the pieces it keeps in
# cookies, without a browser (test-login-browser.R drives it in one).

login_args <- function(...) {
  args <- list(id = "login", UserPoolId = "us-east-1_AbC123", ClientId = "client", Domain = "https://auth.example.com",
               CookieKey = strrep("k", 32))
  utils::modifyList(args, list(...))
}

expect_login_error <- function(args, path, pattern = NULL) {
  err <- expect_error(do.call(cognito_login_server, args), class = "cognitoidp_param_error")
  expect_identical(err$path, path)
  if (!is.null(pattern)) expect_match(conditionMessage(err), pattern)
  invisible(err)
}

test_that("every argument is checked before the app starts, each error naming its argument", {
  skip_if_not_installed("shiny")
  expect_login_error(login_args(UserPoolId = "not a pool"), "UserPoolId")
  expect_login_error(login_args(ClientId = 1), "ClientId")
  expect_login_error(login_args(Mode = "popup"), "Mode", "hosted, form")
  expect_login_error(login_args(Domain = NULL), "Domain", "hosted mode needs")
  expect_login_error(login_args(Domain = "http://auth.example.com"), "Domain", "https")
  expect_login_error(login_args(Scopes = "email"), "Scopes", "openid")
  expect_login_error(login_args(RedirectUri = "http://app.example.com/"), "RedirectUri", "https")
  expect_login_error(login_args(LogoutUri = "https://app.example.com/?a=1"), "LogoutUri")
  expect_login_error(login_args(RequireGroups = 1), "RequireGroups")
  expect_login_error(login_args(IdentityPoolId = "pool"), "IdentityPoolId")
  expect_login_error(login_args(JwksUri = "ftp://keys"), "JwksUri")
  expect_login_error(login_args(id = NA_character_), "id")
  # The form mode needs no domain.
  expect_login_error(login_args(Mode = "form", Domain = NULL, ClientId = NULL), "ClientId")
})

test_that("a cookie key that is short is refused without being shown; none makes a per-process key, with a warning", {
  skip_if_not_installed("shiny")
  err <- expect_login_error(login_args(CookieKey = "hunter2-hunter2"), "CookieKey", "at least 32")
  expect_false(grepl("hunter2", conditionMessage(err), fixed = TRUE))
  rm(list = ls(cognitoidp:::.login_keys), envir = cognitoidp:::.login_keys)
  expect_warning(key <- cognitoidp:::login_cookie_key(""), "COGNITOIDP_COOKIE_KEY")
  expect_identical(nchar(key), 43L)
  expect_no_warning(expect_identical(cognitoidp:::login_cookie_key(""), key))
})

test_that("without shiny the functions say what to install", {
  # This testthat has no local_mocked_bindings(): the binding is swapped by hand.
  ns <- asNamespace("cognitoidp")
  real <- ns$has_package
  unlockBinding("has_package", ns)
  assign("has_package", function(package) package != "shiny", envir = ns)
  withr::defer({
    assign("has_package", real, envir = ns)
    lockBinding("has_package", ns)
  })
  expect_error(cognito_login_ui("login"), "needs the package 'shiny'", class = "cognitoidp_param_error")
  expect_error(do.call(cognito_login_server, login_args()), "needs the package 'shiny'",
               class = "cognitoidp_param_error")
})

test_that("the UI is a panel for the server's output and the page script, served from the package", {
  skip_if_not_installed("shiny")
  ui <- cognito_login_ui("login")
  html <- as.character(ui)
  expect_match(html, "id=\"login-panel\"", fixed = TRUE)
  deps <- htmltools::findDependencies(ui)
  expect_identical(vapply(deps, `[[`, "", "name"), "cognitoidp-login")
  script <- file.path(deps[[1]]$src$file, deps[[1]]$script)
  expect_true(file.exists(script))
  expect_match(paste(readLines(script), collapse = "\n"), "addCustomMessageHandler(\"cognitoidp-login\"", fixed = TRUE)
})

test_that("sealed fields come back as they went in, and only with the key and purpose they were sealed for", {
  key <- strrep("s", 40)
  fields <- c(user = "Zoë & co=1%", pool = "us-east-1_AbC123", empty = "", password = "p@ss word/+")
  sealed <- cognitoidp:::seal_fields(key, "cognitoidp device", fields, 60)
  expect_match(sealed, "^[A-Za-z0-9_-]+$")
  expect_false(grepl("p@ss", sealed, fixed = TRUE))
  opened <- cognitoidp:::open_fields(key, "cognitoidp device", sealed)
  expect_identical(opened, as.list(fields))
  expect_identical(attr(cognitoidp:::open_fields(strrep("t", 40), "cognitoidp device", sealed), "problem"), "forged")
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", sealed), "problem"), "forged")
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", NULL), "problem"), "missing")
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", "not sealed"), "problem"), "malformed")
  # Whatever a browser sends as the cookie: bytes that are not text, huge values.
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", rawToChar(as.raw(c(0x41, 0xff, 0xfe)))), "problem"),
                   "malformed")
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", strrep("A", 20000)), "problem"), "malformed")
  gone <- cognitoidp:::seal_fields(key, "cognitoidp flow", c(state = "s"), 1)
  Sys.sleep(1.2)
  expect_identical(attr(cognitoidp:::open_fields(key, "cognitoidp flow", gone), "problem"), "expired")
})

test_that("cookies are read from the request header and written HttpOnly, SameSite=Lax, Secure on https", {
  cookies <- cognitoidp:::request_cookies(list(HTTP_COOKIE = "a=1; cognitoidp_session_login=abc==; a=2; =x; b"))
  expect_identical(cookies, list(a = "1", cognitoidp_session_login = "abc==", b = ""))
  expect_identical(cognitoidp:::request_cookies(list()), list())
  expect_identical(cognitoidp:::cookie_header("n", "v", "/app/", secure = TRUE, lifetime = 600),
                   "n=v; Path=/app/; HttpOnly; SameSite=Lax; Secure; Max-Age=600")
  expect_identical(cognitoidp:::cookie_header("n", "", "/", secure = FALSE, lifetime = 0),
                   "n=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
})

test_that("the hosted UI's parameters are taken out of the address, the app's own kept", {
  strip <- cognitoidp:::without_sign_in_parameters
  expect_identical(strip("?code=abc&state=xyz"), "")
  expect_identical(strip("?tab=2&code=abc&state=xyz&x=y"), "?tab=2&x=y")
  expect_identical(strip("?error=access_denied&error_description=no"), "")
  expect_identical(strip(""), "")
})

test_that("a replayed state is refused within the flow's lifetime", {
  state <- paste0("state-", Sys.getpid(), "-", sample(1e6, 1))
  expect_true(cognitoidp:::login_flow_first_use(state))
  expect_false(cognitoidp:::login_flow_first_use(state))
})

test_that("session ids are looked up only in their own form and for their own app client", {
  id <- strrep("a", 43)
  cognitoidp:::login_session_put(id, list(tokens = list(), client = "client-1"))
  expect_identical(cognitoidp:::login_session_get(id, "client-1")$client, "client-1")
  expect_null(cognitoidp:::login_session_get(id, "client-2"))
  expect_null(cognitoidp:::login_session_get("../etc", "client-1"))
  expect_null(cognitoidp:::login_session_get(NULL, "client-1"))
  cognitoidp:::login_session_drop(id)
  expect_null(cognitoidp:::login_session_get(id, "client-1"))
})

test_that("failed steps read as a person expects, and never echo what was typed", {
  service <- function(code, message) {
    structure(list(message = sprintf("%s (HTTP 400). %s", code, message)),
              class = c(code, "paws_error", "http_400", "http_error", "error", "condition"))
  }
  says <- cognitoidp:::person_message
  expect_identical(says(service("NotAuthorizedException", "Incorrect username or password.")),
                   "Incorrect user name or password.")
  # Whether the user exists is not told.
  expect_identical(says(service("UserNotFoundException", "User does not exist.")), "Incorrect user name or password.")
  expect_identical(says(service("NotAuthorizedException", "User is disabled.")),
                   "This account is disabled. Contact the app's administrator.")
  expect_identical(says(service("CodeMismatchException", "Invalid code received for user 123456")),
                   "That code is not right. Check it and try again.")
  expect_identical(says(service("ExpiredCodeException", "x")), "That code has expired. Please sign in again.")
  expect_match(says(service("InvalidPasswordException", "Password does not conform to policy: Password not long enough")),
               "^The new password does not meet the password rules: Password does not conform")
  expect_identical(says(simpleError("Hunter2 exploded")), "The sign-in failed. Please try again.")
})

test_that("challenge parameters are read in AWS's form and in the emulators'", {
  expect_identical(cognitoidp:::required_attributes(list(requiredAttributes = "[\"userAttributes.email\",\"userAttributes.name\"]")),
                   c("email", "name"))
  expect_identical(cognitoidp:::required_attributes(list()), character(0))
  expect_identical(cognitoidp:::setup_options("[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"), c("SOFTWARE_TOKEN_MFA", "EMAIL_OTP"))
  expect_identical(cognitoidp:::setup_options("['SOFTWARE_TOKEN_MFA']"), "SOFTWARE_TOKEN_MFA")
  expect_identical(cognitoidp:::mfa_choices("[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]", setup = TRUE),
                   c("Authenticator app" = "SOFTWARE_TOKEN_MFA"))
})
