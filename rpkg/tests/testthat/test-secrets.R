# Secrets never show: not in the service object, however it is printed,
# not in any error, warning or message, and not in clear on the wire.

secret <- "SECRET-do-not-leak-1234"
token <- "TOKEN-do-not-leak-5678"

secret_svc <- function(...) {
  cognitoidentityprovider(config = utils::modifyList(list(
    region = "us-east-1",
    credentials = list(creds = list(access_key_id = "AKIDLEAKTEST", secret_access_key = secret,
                                    session_token = token))
  ), list(...)))
}

expect_no_secret <- function(text, what) {
  text <- paste(text, collapse = "\n")
  expect_false(grepl("do-not-leak", text, fixed = TRUE), info = what)
}

# Runs `expr`, returning every condition it signals (errors included) as text.
all_condition_text <- function(expr) {
  seen <- character()
  withCallingHandlers(
    tryCatch(expr, error = function(e) seen <<- c(seen, conditionMessage(e), format(e), utils::capture.output(str(unclass(e))))),
    condition = function(c) {
      seen <<- c(seen, conditionMessage(c))
      if (inherits(c, "warning")) invokeRestart("muffleWarning")
      if (inherits(c, "message")) invokeRestart("muffleMessage")
    }
  )
  seen
}

test_that("the service object shows the secrets redacted, everything else as given", {
  svc <- secret_svc(endpoint = "http://127.0.0.1:1")
  expect_identical(svc$.internal$config, list(
    region = "us-east-1",
    credentials = list(creds = list(access_key_id = "AKIDLEAKTEST", secret_access_key = "<redacted>",
                                    session_token = "<redacted>")),
    endpoint = "http://127.0.0.1:1"
  ))
})

test_that("no secret in print(), format(), str(), deparse() or serialize() of the service object", {
  svc <- secret_svc(endpoint = "http://127.0.0.1:1")
  expect_no_secret(utils::capture.output(print(svc)), "print")
  expect_no_secret(format(svc), "format")
  expect_no_secret(utils::capture.output(str(svc)), "str")
  expect_no_secret(deparse(svc), "deparse")
  expect_no_secret(utils::capture.output(dput(svc)), "dput")
  # The whole object, serialized, carries explicit credentials to workers
  # (as paws's does); its printable part does not.
  expect_no_secret(rawToChar(serialize(svc$.internal, NULL, ascii = TRUE)), "serialize")
  expect_no_secret(utils::capture.output(dput(svc$.internal)), "dput of .internal")
  expect_no_secret(format(svc$.internal), "format of .internal")
  for (f in svc[c("set_user_pool_mfa_config", "get_user_pool_mfa_config")]) {
    env <- environment(f)
    expect_no_secret(utils::capture.output(print(as.list(env, all.names = TRUE))), "closure environment")
  }
  # The key id is not a secret, and does show.
  expect_match(paste(utils::capture.output(str(svc$.internal)), collapse = "\n"), "AKIDLEAKTEST", fixed = TRUE)
})

test_that("no secret in a service error", {
  svc <- secret_svc(endpoint = moto_endpoint())
  text <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_nope"))
  expect_match(text[[1]], "ResourceNotFoundException", fixed = TRUE)
  expect_no_secret(text, "service error")
})

test_that("no secret in a connection, timeout or param error", {
  svc <- secret_svc(endpoint = closed_endpoint(), max_retries = 0)
  text <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_match(text[[1]], "Could not send the request", fixed = TRUE)
  expect_no_secret(text, "connection error")

  port <- free_port()
  listener <- serverSocket(port)
  on.exit(close(listener), add = TRUE)
  svc <- secret_svc(endpoint = paste0("http://127.0.0.1:", port), timeout = 1, max_retries = 0)
  text <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_match(text[[1]], "No answer", fixed = TRUE)
  expect_no_secret(text, "timeout error")

  text <- all_condition_text(svc$set_user_pool_mfa_config("us-east-1_x", SoftwareTokenMfaConfiguration = list(Enabled = "yes")))
  expect_match(text[[1]], "Invalid argument", fixed = TRUE)
  expect_no_secret(text, "param error")
})

test_that("no secret in the errors of a bad config", {
  for (config in list(
    list(credentials = list(creds = list(access_key_id = "A", secret_access_key = c(secret, secret)))),
    list(credentials = list(creds = list(access_key_id = "A", secret_access_key = secret, session_token = c(token, token)))),
    list(credentials = list(creds = list(secret_access_key = secret))),
    list(credentials = list(creds = list(access_key_id = "A", secret_access_key = secret, bogus = secret))),
    list(region = 1, credentials = list(creds = list(access_key_id = "A", secret_access_key = secret)))
  )) {
    text <- all_condition_text(cognitoidentityprovider(config = config))
    expect_match(text[[1]], "Invalid argument", fixed = TRUE)
    expect_no_secret(text, text[[1]])
  }
})

test_that("no secret in a credentials error from a profile", {
  local_clean_aws_env()
  local_aws_files(
    c("[leaky]", "aws_access_key_id = AKIDLEAKY", paste("aws_secret_access_key =", secret)),
    c("[profile leaky]", "region = us-east-1")
  )
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(profile = unique_name("absent"))))
  text <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_match(text[[1]], "No usable AWS credentials", fixed = TRUE)
  expect_no_secret(text, "credentials error")
})

test_that("the secret key never goes over the wire (only its signature)", {
  svc <- secret_svc(endpoint = moto_endpoint())
  before <- moto_request_count()
  pool <- moto_create_pool("wire")
  svc$set_user_pool_mfa_config(pool, SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = "ON")
  sent <- moto_requests_since(before)
  expect_length(sent, 2)
  for (request in sent) {
    expect_false(grepl(secret, paste(c(unlist(request$headers), request$raw_body), collapse = "\n"), fixed = TRUE))
  }
  # The session token is a header, as AWS requires.
  expect_identical(sent[[2]]$headers[["x-amz-security-token"]], token)
})

# ---- more failures, from the fault server; secrets from the environment ----------------

env_secret <- "ENVSECRET-do-not-leak-9012"
env_token <- "ENVTOKEN-do-not-leak-3456"

# Every failure the fault server can cause, for `svc` (whose endpoint is the
# plain-http fault server): the text of all conditions each one signals.
fault_failure_texts <- function(svc) {
  scripted <- list(
    service_retried = rep(list(act_service_error(500, "InternalErrorException")), 3),
    throttled = rep(list(act_service_error(400, "TooManyRequestsException")), 3),
    client_error = list(act_service_error(400, "NotAuthorizedException", "The security token is invalid")),
    closed = rep(list(act_close()), 3),
    timeout = rep(list(act_hang(30)), 3),
    not_json = list(act_notjson()),
    truncated = rep(list(act_truncated()), 3),
    html = list(act_html(403)),
    empty_500 = rep(list(act_status(500, "")), 3)
  )
  texts <- list()
  for (name in names(scripted)) {
    fault_script(scripted[[name]])
    texts[[name]] <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_x"))
  }
  # Many at once, some failing.
  fault_script(list(act_service_error(500, "InternalErrorException"), act_notjson(), act_close()))
  results <- call_concurrently(svc$get_user_pool_mfa_config, rep(list(list(UserPoolId = "us-east-1_x")), 4),
                               concurrency = 1, progress = FALSE)
  texts$concurrent <- unlist(lapply(results, function(r) {
    if (inherits(r, "condition")) c(conditionMessage(r), utils::capture.output(str(unclass(r)))) else ""
  }))
  texts
}

test_that("no secret in any failure from the fault server, with secrets in config", {
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA)
  svc <- secret_svc(endpoint = fault_server()$endpoint, max_retries = 1, timeout = 1)
  texts <- fault_failure_texts(svc)
  expect_match(texts$service_retried[[1]], "InternalErrorException", fixed = TRUE)
  expect_match(texts$timeout[[1]], "No answer", fixed = TRUE)
  expect_match(texts$not_json[[1]], "could not be read", fixed = TRUE)
  for (name in names(texts)) expect_no_secret(texts[[name]], name)
  # The session token was sent (so it was there to leak), as a header.
  fault_reset()
  svc$get_user_pool_mfa_config("us-east-1_x")
  expect_identical(fault_requests()[[1]]$security_token, token)
})

test_that("no secret from AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN in the service object or any failure", {
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA)
  key <- unique_name("AKIDENVLEAK")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = key, AWS_SECRET_ACCESS_KEY = env_secret,
                      AWS_SESSION_TOKEN = env_token, AWS_REGION = "us-east-1")
  svc <- cognitoidentityprovider(config = list(endpoint = fault_server()$endpoint, max_retries = 1, timeout = 1))
  expect_no_secret(utils::capture.output(print(svc)), "print")
  expect_no_secret(format(svc), "format")
  expect_no_secret(utils::capture.output(str(svc)), "str")
  texts <- fault_failure_texts(svc)
  for (name in names(texts)) expect_no_secret(texts[[name]], name)
  # Those credentials were the ones used.
  fault_reset()
  svc$get_user_pool_mfa_config("us-east-1_x")
  sent <- fault_requests()[[1]]
  expect_identical(sent$key_id, key)
  expect_identical(sent$security_token, env_token)
})

test_that("no secret in a TLS error", {
  server <- fault_server(tls = TRUE)
  svc <- secret_svc(endpoint = server$endpoint, max_retries = 0)
  text <- all_condition_text(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_match(text[[1]], "certificate", fixed = TRUE)
  expect_no_secret(text, "TLS error")
})

test_that("no secret in anything a fresh R process prints, with Rust logging and backtraces on", {
  server <- fault_server()
  fault_script(c(rep(list(act_service_error(500, "InternalErrorException")), 2), list(act_notjson(), act_close(), act_close())))
  local_clean_aws_env(AWS_ACCESS_KEY_ID = "AKIDENVLEAKFRESH", AWS_SECRET_ACCESS_KEY = env_secret,
                      AWS_SESSION_TOKEN = env_token, AWS_REGION = "us-east-1",
                      AWS_ENDPOINT_URL = server$endpoint, AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA,
                      RUST_LOG = "trace", RUST_BACKTRACE = "full", AWS_LOG_LEVEL = "trace")
  result <- run_r_lines(c(
    "options(warn = 1)",
    sprintf("secret <- %s", deparse(secret)),
    sprintf("token <- %s", deparse(token)),
    "show <- function(f) tryCatch(f(), error = function(e) { print(e); str(unclass(e)); print(conditionCall(e)) })",
    "from_env <- cognitoidentityprovider(config = list(max_retries = 1))",
    "from_config <- cognitoidentityprovider(config = list(max_retries = 0, credentials = list(creds = list(",
    "  access_key_id = 'AKIDCFGLEAKFRESH', secret_access_key = secret, session_token = token))))",
    "for (svc in list(from_env, from_config)) { print(svc); str(svc); print(format(svc)); print(svc$.internal) }",
    "show(function() from_env$get_user_pool_mfa_config('us-east-1_x'))",
    "show(function() from_config$get_user_pool_mfa_config('us-east-1_x'))",
    "show(function() from_config$get_user_pool_mfa_config('us-east-1_x'))",
    "show(function() cognitoidentityprovider_get_user_pool_mfa_config('us-east-1_x'))",
    "show(function() from_config$set_user_pool_mfa_config('us-east-1_x', MfaConfiguration = 1))",
    "print(warnings())",
    "cat('done\\n')"
  ), timeout = 60)
  expect_identical(result$status, 0L, info = paste(result$output, collapse = "\n"))
  expect_true("done" %in% result$output)
  expect_true(any(grepl("InternalErrorException", result$output, fixed = TRUE)))
  expect_true(any(grepl("AKIDCFGLEAKFRESH", result$output, fixed = TRUE)))
  expect_no_secret(result$output, "output of a fresh R process")
})

# ---- the objects of signing in (test-signin.R for the flows) ----

# How an object shows itself: print(), format() and str().
shown <- function(x) c(utils::capture.output(print(x)), format(x), utils::capture.output(str(x)))

expect_none_shown <- function(text, secrets, info = NULL) {
  for (secret in secrets[nzchar(secrets)]) {
    expect_false(any(grepl(secret, text, fixed = TRUE)), info = paste(info, "shows a secret"))
  }
}

test_that("tokens, challenges and devices never show a token, password, secret or session", {
  u <- srp_server_user(secret = "shown-nowhere-secret")
  tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                            Password = u$password, ClientSecret = u$secret)
  device <- cognito_remember_device(u$app, tokens)
  flow <- attr(tokens, "cognitoidp")
  secrets <- c(tokens$AccessToken, tokens$IdToken, tokens$RefreshToken, u$password, u$secret, flow$SecretHash,
               device$DevicePassword)
  for (x in list(tokens, device)) expect_none_shown(shown(x), secrets, info = class(x)[[1]])
  expect_match(format(tokens), "^<Cognito tokens: subject [0-9a-f-]+; expire [0-9-]+ [0-9:]+ UTC \\(in [0-9]+ min\\)")
  expect_match(format(device), "password is kept in the object and not shown")

  challenge <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                               ClientSecret = u$secret, Device = device, AuthFlow = "USER_AUTH")
  expect_none_shown(shown(challenge), c(challenge$Session, u$secret, attr(challenge, "cognitoidp")$SecretHash,
                                       device$DevicePassword), info = "challenge")

  # Nor do argument errors or the debug log.
  e <- catch_error(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                                   Password = c(u$password, u$password)))
  expect_s3_class(e, "cognitoidp_param_error")
  expect_none_shown(conditionMessage(e), u$password)
  withr::local_options(paws.log_level = 4L, paws.log_file = NULL)
  log <- utils::capture.output(
    invisible(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                              Password = u$password, ClientSecret = u$secret, Device = device)),
    type = "message"
  )
  expect_true(any(grepl("respond_to_auth_challenge", log)))
  expect_none_shown(log, c(u$password, u$secret, device$DevicePassword, flow$SecretHash))
})

test_that("OAuth objects, errors and log lines never show a token, code, PKCE verifier or client secret", {
  s <- ministack_oauth_pool()
  redirect <- "http://localhost:8100/callback"
  auth <- cognito_authorize_url(s$domain, s$web$ClientId, redirect)
  expect_none_shown(shown(auth), auth$code_verifier, info = "authorization")
  expect_match(format(auth), "PKCE verifier is kept in the object and not shown", fixed = TRUE)
  expect_match(format(auth), auth$state, fixed = TRUE)

  withr::local_options(paws.log_level = 4L, paws.log_file = NULL)
  code <- hosted_sign_in(s$domain, auth, "ada", "Correct-Horse-42")
  log <- utils::capture.output(
    tokens <- cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, Code = code, RedirectUri = redirect,
                            CodeVerifier = auth$code_verifier),
    type = "message"
  )
  expect_match(log, "POST http://127\\.0\\.0\\.1:[0-9]+/oauth2/token: HTTP 200, [0-9.]+ ms$")
  log <- c(log, utils::capture.output({
    me <- cognito_user_info(s$domain, tokens$AccessToken)
    claims <- cognito_verify_token(tokens$IdToken, UserPoolId = s$pool, TokenUse = "id", ClientId = s$web$ClientId,
                                   JwksUri = s$jwks)
  }, type = "message"))
  expect_identical(me$sub, claims$sub)
  expect_true(any(grepl("GET .*/oauth2/userInfo: HTTP 200", log)))
  secrets <- c(tokens$AccessToken, tokens$IdToken, tokens$RefreshToken, code, auth$code_verifier, s$web$ClientSecret)
  expect_none_shown(c(log, shown(tokens)), secrets, info = "token exchange")
  expect_match(format(tokens), "^<Cognito tokens: subject [0-9a-f-]+; expire ")

  # Refused: the error names the OAuth error, not what was sent.
  log <- utils::capture.output(errors <- list(
    catch_error(cognito_token(s$domain, s$web$ClientId, "the-wrong-secret", Code = code, RedirectUri = redirect,
                              CodeVerifier = auth$code_verifier)),
    catch_error(cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, Code = code, RedirectUri = redirect,
                              CodeVerifier = auth$code_verifier)),
    catch_error(cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, GrantType = "refresh_token",
                              RefreshToken = paste0(tokens$RefreshToken, "x"))),
    catch_error(cognito_verify_token(paste0(tokens$IdToken, "x"), UserPoolId = s$pool, TokenUse = "id",
                                     ClientId = s$web$ClientId, JwksUri = s$jwks)),
    catch_error(cognito_token(s$domain, s$web$ClientId, ClientSecret = c(s$web$ClientSecret, "b"), Code = code,
                              RedirectUri = redirect))
  ), type = "message")
  expect_length(grep("oauth2/token: HTTP 400", log), 3)
  expect_none_shown(log, c(secrets, "the-wrong-secret"), info = "log of refusals")
  for (e in errors) {
    expect_s3_class(e, "error")
    expect_none_shown(c(conditionMessage(e), utils::capture.output(print(e))), c(secrets, "the-wrong-secret"),
                      info = class(e)[[1]])
  }
})
