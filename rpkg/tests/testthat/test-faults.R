# Faults on the wire, from a scriptable server on loopback
# (fixtures/faultserver.py): retries with the AWS standard retry behaviour,
# timeouts, and answers that cannot be read. Every count below is the number
# of requests the server received.

retry_classes <- function(code, status) {
  c(code, "paws_error", paste0("http_", status), "http_error", "error", "condition")
}
failure_classes <- function(kind) {
  c(paste0("cognitoidp_", kind, "_error"), "cognitoidp_error", "error", "condition")
}

elapsed_since <- function(start) as.numeric(difftime(Sys.time(), start, units = "secs"))

# The times between consecutive requests the server received.
request_gaps <- function() {
  times <- vapply(fault_requests(), function(r) r$time, numeric(1))
  diff(times)
}

# The message ends with "(after n attempts)" and the condition has the
# number as its field `attempts` (one expectation, so that a missing
# feature counts once).
expect_after_attempts <- function(e, n) {
  suffix <- sprintf("(after %d attempts)", n)
  ok <- endsWith(conditionMessage(e), suffix) && identical(e$attempts, as.integer(n))
  expect(ok, sprintf("expected a message ending with %s and attempts = %dL; got attempts = %s and the message: %s",
                     suffix, n, deparse(e$attempts), conditionMessage(e)))
}

# ---- retried answers -------------------------------------------------------------------

test_that("500 and 503 answers are retried, and the call succeeds when a later attempt does", {
  local_retry_env()
  fault_script(list(act_service_error(500, "InternalErrorException"), act_status(503, "")))
  svc <- fault_svc()
  expect_identical(svc$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 3L)
  targets <- vapply(fault_requests(), function(r) r$target, "")
  expect_identical(targets, rep("AWSCognitoIdentityProviderService.GetUserPoolMfaConfig", 3))

  # The same for an operation with arguments: the same body each time.
  fault_script(list(act_status(503, ""), act_service_error(500, "InternalErrorException")))
  result <- svc$set_user_pool_mfa_config("us-east-1_x", SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
                                         MfaConfiguration = "ON")
  expect_identical(result, fault_ok_answer())
  expect_identical(fault_count(), 3L)
})

test_that("throttling answers (TooManyRequestsException, ThrottlingException) are retried", {
  local_retry_env()
  fault_script(list(act_service_error(400, "TooManyRequestsException"),
                    act_service_error(400, "ThrottlingException")))
  expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 3L)
})

test_that("a client error that is not throttling is not retried", {
  local_retry_env()
  fault_script(list(act_service_error(400, "InvalidParameterException", "bad")))
  e <- catch_error(fault_svc()$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), retry_classes("InvalidParameterException", 400L))
  expect_identical(conditionMessage(e), "InvalidParameterException (HTTP 400). bad")
  expect_identical(e$request_id, "fault-1")
  expect_identical(fault_count(), 1L)
})

test_that("retries wait with a jittered exponential backoff", {
  local_retry_env()
  first <- second <- numeric()
  for (i in 1:3) {
    fault_script(list(act_service_error(500, "InternalErrorException"), act_service_error(500, "InternalErrorException")))
    expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
    gaps <- request_gaps()
    expect_length(gaps, 2)
    first <- c(first, gaps[[1]])
    second <- c(second, gaps[[2]])
  }
  # Standard mode: a random wait of up to 1 s before the first retry and up
  # to 2 s before the second (plus scheduling slack).
  expect_true(all(first <= 1.5), info = paste(round(first, 3), collapse = ", "))
  expect_true(all(second <= 2.5), info = paste(round(second, 3), collapse = ", "))
  # It waits at all, and the waits are random, not fixed.
  expect_gt(sum(first, second), 0.05)
  expect_gt(diff(range(first)) + diff(range(second)), 0.01)
})

# ---- how many attempts -------------------------------------------------------------------

test_that("config$max_retries sets the number of attempts", {
  local_retry_env()
  for (retries in 0:2) {
    fault_script(rep(list(act_service_error(500, "InternalErrorException")), 5))
    e <- catch_error(fault_svc(max_retries = retries)$get_user_pool_mfa_config("us-east-1_x"))
    expect_identical(class(e), retry_classes("InternalErrorException", 500L), info = retries)
    expect_identical(fault_count(), as.integer(retries + 1), info = retries)
  }
  # More retries than the SDK's default of three attempts.
  fault_script(rep(list(act_service_error(500, "InternalErrorException")), 3))
  expect_identical(fault_svc(max_retries = 3)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 4L)
})

test_that("without config$max_retries, three attempts are made (the AWS standard mode)", {
  local_retry_env()
  fault_script(rep(list(act_service_error(503, "ServiceUnavailableException")), 5))
  e <- catch_error(fault_svc()$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), retry_classes("ServiceUnavailableException", 503L))
  expect_identical(fault_count(), 3L)
})

test_that("AWS_MAX_ATTEMPTS and AWS_RETRY_MODE set the attempts when config$max_retries is not given", {
  cases <- list(
    list(env = c(AWS_MAX_ATTEMPTS = "2"), attempts = 2L),
    list(env = c(AWS_MAX_ATTEMPTS = "1", AWS_RETRY_MODE = "standard"), attempts = 1L),
    list(env = c(AWS_MAX_ATTEMPTS = "2", AWS_RETRY_MODE = "adaptive"), attempts = 2L),
    list(env = c(AWS_RETRY_MODE = "standard"), attempts = 3L)
  )
  for (case in cases) {
    local({
      local_retry_env(case$env)
      info <- paste(names(case$env), case$env, sep = "=", collapse = " ")
      fault_script(rep(list(act_service_error(500, "InternalErrorException")), 5))
      e <- catch_error(fault_svc()$get_user_pool_mfa_config("us-east-1_x"))
      expect_s3_class(e, "InternalErrorException")
      expect_identical(fault_count(), case$attempts, info = info)
    })
  }
})

test_that("config$max_retries wins over AWS_MAX_ATTEMPTS", {
  local_retry_env(AWS_MAX_ATTEMPTS = "4")
  fault_script(rep(list(act_service_error(500, "InternalErrorException")), 5))
  e <- catch_error(fault_svc(max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_s3_class(e, "InternalErrorException")
  expect_identical(fault_count(), 1L)
  fault_script(rep(list(act_service_error(500, "InternalErrorException")), 5))
  e <- catch_error(fault_svc(max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(fault_count(), 2L)
})

test_that("an AWS_RETRY_MODE the SDK does not know is a classed error, not a crash", {
  # The AWS CLI also knows "legacy"; either it works, or it is refused as a
  # cognitoidp error that names the variable. Nothing is sent in that case.
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = "legacy")
  fault_reset()
  result <- tryCatch(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), error = function(e) e)
  if (inherits(result, "condition")) {
    expect_s3_class(result, "cognitoidp_error")
    expect_match(conditionMessage(result), "AWS_RETRY_MODE", fixed = TRUE)
    expect_identical(fault_count(), 0L)
  } else {
    expect_identical(result, fault_ok_answer())
  }
})

# ---- when retries run out -------------------------------------------------------------------

test_that("when retries run out, a service error says how many attempts were made", {
  local_retry_env()
  fault_script(rep(list(act_service_error(500, "InternalErrorException", "still broken")), 5))
  e <- catch_error(fault_svc()$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), retry_classes("InternalErrorException", 500L))
  expect_identical(e$status_code, 500L)
  expect_identical(e$error_response, list(`__type` = "InternalErrorException", message = "still broken"))
  # The last answer's request id.
  expect_identical(e$request_id, "fault-3")
  expect_true(startsWith(conditionMessage(e), "InternalErrorException (HTTP 500). still broken"))
  expect_after_attempts(e, 3)
  expect_identical(fault_count(), 3L)

  fault_script(rep(list(act_service_error(400, "TooManyRequestsException", "slow down")), 5))
  e <- catch_error(fault_svc(max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), retry_classes("TooManyRequestsException", 400L))
  expect_after_attempts(e, 2)
  expect_identical(fault_count(), 2L)
})

test_that("when retries run out, a connection error says how many attempts were made", {
  local_retry_env()
  fault_script(rep(list(act_close()), 5))
  e <- catch_error(fault_svc(max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("connection"))
  expect_match(conditionMessage(e), fault_server()$endpoint, fixed = TRUE)
  expect_after_attempts(e, 2)
  expect_identical(fault_count(), 2L)
})

test_that("when retries run out, a timeout error says how many attempts were made", {
  local_retry_env()
  fault_script(rep(list(act_hang(30)), 3))
  e <- catch_error(fault_svc(timeout = 1, max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("timeout"))
  expect_after_attempts(e, 2)
  expect_identical(fault_count(), 2L)
})

test_that("when retries run out, a response error says how many attempts were made", {
  local_retry_env()
  fault_script(rep(list(act_truncated()), 5))
  e <- catch_error(fault_svc(max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("response"))
  expect_after_attempts(e, 2)
  expect_identical(fault_count(), 2L)
})

# ---- connections closed, and no answer ---------------------------------------------------------

test_that("a connection closed without an answer is retried, and then succeeds", {
  local_retry_env()
  fault_script(list(act_close(), act_close()))
  expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 3L)
  # Each retry came on a new connection.
  connections <- vapply(fault_requests(), function(r) r$connection, integer(1))
  expect_identical(length(unique(connections)), 3L)
})

test_that("config$timeout bounds a server that accepts and never answers", {
  fault_script(list(act_hang(60)))
  start <- Sys.time()
  e <- catch_error(fault_svc(timeout = 1, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  elapsed <- elapsed_since(start)
  expect_identical(class(e), failure_classes("timeout"))
  expect_match(conditionMessage(e), fault_server()$endpoint, fixed = TRUE)
  expect_match(conditionMessage(e), "config$timeout", fixed = TRUE)
  expect_gte(elapsed, 0.8)
  expect_lt(elapsed, 15)
  expect_identical(fault_count(), 1L)
})

test_that("config$timeout bounds connecting: a TLS handshake that never completes", {
  # https to the plain-http fault server: the connection is accepted, the
  # TLS handshake never answered.
  fault_reset()
  endpoint <- sub("^http:", "https:", fault_server()$endpoint)
  start <- Sys.time()
  e <- catch_error(fault_svc(endpoint = endpoint, timeout = 1, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  elapsed <- elapsed_since(start)
  expect_s3_class(e, "cognitoidp_timeout_error")
  expect_match(conditionMessage(e), endpoint, fixed = TRUE)
  expect_lt(elapsed, 15)
  expect_identical(fault_count(), 0L)
})

test_that("a slow answer within config$timeout is not a timeout", {
  fault_script(list(act_delay(0.5)))
  expect_identical(fault_svc(timeout = 5, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 1L)
})

# ---- answers that cannot be read -----------------------------------------------------------------

test_that("a 200 whose body is not JSON is a cognitoidp_response_error, not retried", {
  local_retry_env()
  fault_script(list(act_notjson()))
  e <- catch_error(fault_svc()$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("response"))
  expect_match(conditionMessage(e), sprintf("The answer from %s (HTTP 200, content type ", fault_server()$endpoint),
               fixed = TRUE)
  expect_match(conditionMessage(e), "could not be read as the operation's JSON", fixed = TRUE)
  expect_null(conditionCall(e))
  expect_identical(fault_count(), 1L)
})

test_that("a JSON answer of the wrong shape (an array, null) is a cognitoidp_response_error", {
  for (body in c("[]", "null", "[{\"MfaConfiguration\": \"ON\"}]")) {
    fault_script(list(act_status(200, body)))
    e <- catch_error(fault_svc(max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
    expect_identical(class(e), failure_classes("response"), info = body)
    expect_match(conditionMessage(e), "(HTTP 200, content type application/x-amz-json-1.1) could not be read",
                 fixed = TRUE, info = body)
  }
})

test_that("a truncated body is retried, and is a cognitoidp_response_error once retries run out", {
  local_retry_env()
  fault_script(list(act_truncated()))
  expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 2L)

  fault_script(list(act_truncated(length = 5000)))
  e <- catch_error(fault_svc(max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("response"))
  expect_match(conditionMessage(e), "(HTTP 200, content type application/x-amz-json-1.1) could not be read", fixed = TRUE)
  expect_identical(fault_count(), 1L)
})

test_that("a huge body (64 MiB) neither crashes nor hangs: read as JSON if it is JSON, else a response error", {
  # Valid JSON whose 64 MiB are an unknown member: read, and ignored.
  fault_script(list(act_huge(mb = 64, json = TRUE)))
  start <- Sys.time()
  expect_identical(fault_svc(max_retries = 0, timeout = 30)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_lt(elapsed_since(start), 30)
  # 64 MiB that are not JSON.
  fault_script(list(act_huge(mb = 64, json = FALSE)))
  e <- catch_error(fault_svc(max_retries = 0, timeout = 30)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("response"))
  expect_match(conditionMessage(e), "(HTTP 200, content type application/x-amz-json-1.1) could not be read", fixed = TRUE)
  # No part of the body is pasted into the message.
  expect_lt(nchar(conditionMessage(e)), 1000)
  expect_identical(fault_count(), 1L)
  # The session goes on.
  fault_reset()
  expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
})

test_that("an HTML page is a response error for a 200, an UnknownError with the HTTP classes otherwise", {
  fault_script(list(act_html(200L)))
  e <- catch_error(fault_svc(max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), failure_classes("response"))
  expect_match(conditionMessage(e), "(HTTP 200, content type text/html", fixed = TRUE)
  expect_false(grepl("<html>", conditionMessage(e), fixed = TRUE))
  expect_identical(fault_count(), 1L)
  for (status in c(403L, 404L)) {
    fault_script(list(act_html(status)))
    e <- catch_error(fault_svc(max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
    expect_identical(class(e), c("UnknownError", "paws_error", paste0("http_", status), "http_error", "error", "condition"),
                     info = status)
    expect_identical(e$status_code, status, info = status)
    expect_match(conditionMessage(e), sprintf("UnknownError (HTTP %d). The answer carried no AWS error code; its body is a page of type text/html", status),
                 fixed = TRUE, info = status)
    # The page itself is not pasted into the message.
    expect_false(grepl("<html>", conditionMessage(e), fixed = TRUE), info = status)
    expect_identical(fault_count(), 1L, info = status)
  }
})

test_that("a 5xx without an AWS error code is retried, then an UnknownError with its body", {
  local_retry_env()
  fault_script(rep(list(act_status(503, "upstream overloaded")), 5))
  e <- catch_error(fault_svc(max_retries = 1)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("UnknownError", "paws_error", "http_503", "http_error", "error", "condition"))
  expect_identical(conditionMessage(e), "UnknownError (HTTP 503). upstream overloaded (after 2 attempts)")
  expect_identical(fault_count(), 2L)
})

test_that("a 502 HTML page from a gateway is retried like any 5xx", {
  local_retry_env()
  fault_script(list(act_html(502)))
  expect_identical(fault_svc()$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(), 2L)
})
