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
  expect_no_secret(rawToChar(serialize(svc, NULL, ascii = TRUE)), "serialize")
  for (f in svc[c("set_user_pool_mfa_config", "get_user_pool_mfa_config")]) {
    env <- environment(f)
    expect_no_secret(utils::capture.output(print(as.list(env, all.names = TRUE))), "closure environment")
  }
  # The key id is not a secret, and does show.
  expect_match(paste(utils::capture.output(str(svc)), collapse = "\n"), "AKIDLEAKTEST", fixed = TRUE)
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
