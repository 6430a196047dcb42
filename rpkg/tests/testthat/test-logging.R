# The logging switch of paws: options(paws.log_level = 1:4) and
# paws.log_file. Lines go to R's message stream or the file; they say what
# each call and attempt did, and never hold a secret, a token or a password.

log_secret <- "SECRET-log-do-not-leak-1111"
log_token <- "TOKEN-log-do-not-leak-2222"
log_password <- "Password-log-do-not-leak-3333"

# The messages `expr` emits (muffled), and its value or error.
capture_log <- function(expr) {
  lines <- character()
  value <- withCallingHandlers(
    tryCatch(expr, error = function(e) e),
    message = function(m) {
      lines <<- c(lines, sub("\n$", "", conditionMessage(m)))
      invokeRestart("muffleMessage")
    }
  )
  list(lines = lines, value = value)
}

logging_svc <- function(...) {
  moto_svc(credentials = list(creds = list(
    access_key_id = "AKIDLOGTEST", secret_access_key = log_secret, session_token = log_token
  )), ...)
}

test_that("logging is off by default: a call emits nothing", {
  withr::local_options(paws.log_level = NULL, paws.log_file = NULL)
  svc <- logging_svc()
  pool <- moto_create_pool("quiet")
  expect_silent(svc$get_user_pool_mfa_config(UserPoolId = pool))
})

test_that("debug shows each attempt's operation, host, number, status, time, request id and credentials provider, and no secret", {
  withr::local_options(paws.log_level = 4L, paws.log_file = NULL)
  svc <- logging_svc()
  pool <- svc$create_user_pool(PoolName = unique_name("logging"))$UserPool$Id
  client <- svc$create_user_pool_client(UserPoolId = pool, ClientName = "app",
                                        ExplicitAuthFlows = "ALLOW_USER_PASSWORD_AUTH")$UserPoolClient$ClientId
  host <- sub("^http://", "", moto_endpoint())
  ok <- capture_log({
    svc$admin_create_user(UserPoolId = pool, Username = "logged", TemporaryPassword = log_password,
                          MessageAction = "SUPPRESS")
    svc$admin_set_user_password(UserPoolId = pool, Username = "logged", Password = log_password, Permanent = TRUE)
    svc$initiate_auth(AuthFlow = "USER_PASSWORD_AUTH", ClientId = client,
                      AuthParameters = list(USERNAME = "logged", PASSWORD = log_password))
  })
  expect_false(inherits(ok$value, "error"))
  token <- ok$value$AuthenticationResult$AccessToken
  expect_true(nzchar(token))
  lines <- ok$lines
  attempt <- grep("admin_set_user_password attempt 1", lines, value = TRUE)
  expect_length(attempt, 1)
  expect_match(attempt, "^DEBUG \\[[0-9-]+T[0-9:.]+Z\\]: cognitoidp: ")
  expect_match(attempt, paste0(host, ", HTTP 200, [0-9.]+ ms, request id [A-Za-z0-9]+"))
  expect_match(attempt, "signed with credentials from cognitoidp-config", fixed = TRUE)
  # The sign-in went unsigned, and says so.
  expect_match(grep("initiate_auth attempt 1", lines, value = TRUE), "unsigned$")
  expect_match(grep("^INFO", lines, value = TRUE), "admin_create_user: done in [0-9.]+ ms, 1 attempt", all = FALSE)

  # A call that carries the access token, and one that fails.
  more <- capture_log({
    svc$get_user(AccessToken = token)
    svc$admin_get_user(UserPoolId = pool, Username = "nobody")
  })
  expect_s3_class(more$value, "UserNotFoundException")
  failed <- grep("^INFO .*failed", more$lines, value = TRUE)
  expect_length(failed, 1)
  expect_match(failed, "admin_get_user: failed: UserNotFoundException, HTTP 400, 1 attempt\\(s\\), [0-9.]+ ms, request id ")

  everything <- c(lines, more$lines)
  for (value in c(log_secret, log_token, log_password, token)) {
    expect_false(any(grepl(value, everything, fixed = TRUE)), info = value)
  }
  expect_false(any(grepl("authorization|x-amz-security-token|do-not-leak", everything, ignore.case = TRUE)))
})

test_that("retries are logged with the reason at warn, and levels filter", {
  server <- fault_server()
  fault_script(list(act_service_error(500, "InternalErrorException"), act_status(503), act_ok()))
  svc <- fault_svc(server, max_retries = 2)
  withr::local_options(paws.log_level = 2L, paws.log_file = NULL)
  out <- capture_log(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_identical(out$value$MfaConfiguration, "OFF")
  expect_match(out$lines[[1]], "^WARN .*get_user_pool_mfa_config: retrying \\(attempt 2\\) after HTTP 500$")
  expect_match(out$lines[[2]], "^WARN .*get_user_pool_mfa_config: retrying \\(attempt 3\\) after HTTP 503$")
  # Only the retries: paws prints nothing else at warn (the call may be slow
  # from the backoff; that is said at info).
  expect_length(out$lines, 2)

  # Levels 1 and 2 print no failure that is not retried (paws itself sets
  # level 2 when it loads, and a handled NotAuthorizedException is no error).
  fault_script(list(act_service_error(400, "ResourceNotFoundException")))
  out <- capture_log(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_s3_class(out$value, "ResourceNotFoundException")
  expect_length(out$lines, 0)
  withr::local_options(paws.log_level = 1L)
  fault_script(list(act_service_error(400, "ResourceNotFoundException")))
  out <- capture_log(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_length(out$lines, 0)

  # Level 3: the failure, with its code; a connection failure names its kind.
  withr::local_options(paws.log_level = 3L)
  fault_script(list(act_service_error(400, "ResourceNotFoundException")))
  out <- capture_log(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_length(out$lines, 1)
  expect_match(out$lines, "^INFO .*failed: ResourceNotFoundException, HTTP 400, 1 attempt")
  closed <- moto_svc(endpoint = closed_endpoint(), max_retries = 0)
  out <- capture_log(closed$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_match(out$lines, "^INFO .*failed: connection, 1 attempt")
})

test_that("lines go to paws.log_file when it is set, and suppressMessages() silences the stream", {
  server <- fault_server()
  fault_reset()
  svc <- fault_svc(server)
  file <- withr::local_tempfile(fileext = ".log")
  withr::local_options(paws.log_level = 4L, paws.log_file = file)
  expect_silent(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"))
  expect_silent(call_concurrently(svc$get_user_pool_mfa_config, list(list("us-east-1_a"), list("us-east-1_b")),
                                  progress = FALSE))
  written <- readLines(file)
  expect_length(grep("get_user_pool_mfa_config attempt 1", written), 3)
  expect_length(grep("^INFO .*get_user_pool_mfa_config: done", written), 3)
  withr::local_options(paws.log_file = NULL)
  expect_silent(suppressMessages(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x")))
  expect_message(svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x"), "get_user_pool_mfa_config attempt 1")
})

test_that("the credentials provider of the default chain is named", {
  withr::local_envvar(AWS_ACCESS_KEY_ID = unique_name("AKIDLOGENV"), AWS_SECRET_ACCESS_KEY = log_secret)
  withr::local_options(paws.log_level = 4L, paws.log_file = NULL)
  svc <- cognitoidentityprovider(config = list(region = "us-east-1", endpoint = moto_endpoint()))
  out <- capture_log(svc$list_user_pools(MaxResults = 1))
  expect_false(inherits(out$value, "error"))
  expect_match(grep("attempt 1", out$lines, value = TRUE), "signed with credentials from EnvironmentVariable", fixed = TRUE)
  expect_false(any(grepl(log_secret, out$lines, fixed = TRUE)))
})
