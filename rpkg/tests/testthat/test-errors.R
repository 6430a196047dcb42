# Errors: from the service (paws's conditions) and without an answer
# (the package's own classes).

service_classes <- function(code, status = 400L) {
  c(code, "paws_error", paste0("http_", status), "http_error", "error", "condition")
}

test_that("an unknown pool is a ResourceNotFoundException, shaped as paws's", {
  svc <- moto_svc()
  missing_pool <- "us-east-1_doesnotexist"
  for (call in list(
    function() svc$get_user_pool_mfa_config(missing_pool),
    function() svc$set_user_pool_mfa_config(missing_pool, MfaConfiguration = "OFF")
  )) {
    e <- catch_error(call())
    expect_identical(class(e), service_classes("ResourceNotFoundException"))
    expect_identical(conditionMessage(e),
                     "ResourceNotFoundException (HTTP 400). User pool us-east-1_doesnotexist does not exist.")
    expect_null(conditionCall(e))
    expect_identical(e$status_code, 400L)
    expect_identical(e$error_response, list(`__type` = "ResourceNotFoundException",
                                            message = "User pool us-east-1_doesnotexist does not exist."))
    expect_type(e$request_id, "character")
    expect_length(e$request_id, 1)
    expect_true(nzchar(e$request_id))
  }
})

test_that("each service error carries its own request id", {
  svc <- moto_svc()
  before <- moto_request_count()
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_nope"))
  # moto generates the id while answering; it is not in the request, but it
  # is unique per answer.
  e2 <- catch_error(svc$get_user_pool_mfa_config("us-east-1_nope"))
  expect_false(identical(e$request_id, e2$request_id))
  expect_length(moto_requests_since(before), 2)
})

test_that("service errors can be caught by code, by paws_error and by HTTP status", {
  svc <- moto_svc()
  caught <- tryCatch(svc$get_user_pool_mfa_config("us-east-1_nope"),
                     ResourceNotFoundException = function(e) "by code",
                     error = function(e) "generic")
  expect_identical(caught, "by code")
  caught <- tryCatch(svc$get_user_pool_mfa_config("us-east-1_nope"),
                     InvalidParameterException = function(e) "wrong code",
                     paws_error = function(e) "paws_error")
  expect_identical(caught, "paws_error")
  caught <- tryCatch(svc$get_user_pool_mfa_config("us-east-1_nope"),
                     http_400 = function(e) e$status_code)
  expect_identical(caught, 400L)
  expect_error(svc$get_user_pool_mfa_config("us-east-1_nope"), class = "ResourceNotFoundException")
})

test_that("an invalid enum value is sent, and moto answers InvalidParameterException", {
  svc <- moto_svc()
  pool <- moto_create_pool("bad-enum")
  e <- catch_error(svc$set_user_pool_mfa_config(pool, MfaConfiguration = "MAYBE"))
  # Not checked locally: it went out as given.
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body, list(UserPoolId = pool, MfaConfiguration = "MAYBE"))
  expect_identical(class(e), service_classes("InvalidParameterException"))
  expect_identical(e$status_code, 400L)
  expect_identical(e$error_response, list(
    `__type` = "InvalidParameterException",
    message = "[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'."
  ))
  expect_identical(conditionMessage(e), paste(
    "InvalidParameterException (HTTP 400).",
    "[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'."
  ))
  # The pool is unchanged.
  expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
})

test_that("moto's other parameter checks come back as InvalidParameterException", {
  svc <- moto_svc()
  pool <- moto_create_pool("no-factor")
  e <- catch_error(svc$set_user_pool_mfa_config(pool, MfaConfiguration = "ON"))
  expect_identical(class(e), service_classes("InvalidParameterException"))
  expect_match(conditionMessage(e), "At least one of [SmsMfaConfiguration] or [SoftwareTokenMfaConfiguration]",
               fixed = TRUE)
})

test_that("a refused connection is a cognitoidp_connection_error", {
  endpoint <- closed_endpoint()
  svc <- moto_svc(endpoint = endpoint, max_retries = 0)
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("cognitoidp_connection_error", "cognitoidp_error", "error", "condition"))
  expect_null(conditionCall(e))
  expect_null(e$status_code)
  expect_match(conditionMessage(e), endpoint, fixed = TRUE)
  expect_match(conditionMessage(e), "Connection refused", fixed = TRUE)
  expect_match(conditionMessage(e), "Check the endpoint", fixed = TRUE)
  # The package class catches every failure without an answer.
  expect_identical(tryCatch(svc$get_user_pool_mfa_config("x"), cognitoidp_error = function(e) "caught"), "caught")
})

test_that("no answer in time is a cognitoidp_timeout_error", {
  # A socket that listens but never answers: the connection is made (the
  # kernel accepts it into the backlog), the answer never comes.
  port <- free_port()
  listener <- serverSocket(port)
  on.exit(close(listener), add = TRUE)
  svc <- moto_svc(endpoint = paste0("http://127.0.0.1:", port), timeout = 1, max_retries = 0)
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("cognitoidp_timeout_error", "cognitoidp_error", "error", "condition"))
  expect_match(conditionMessage(e), "config$timeout", fixed = TRUE)
})

test_that("an error answer that is not the service's is an UnknownError with its HTTP status, as in paws", {
  # moto answers an unknown path with an HTML 404 page.
  svc <- moto_svc(endpoint = paste0(moto_endpoint(), "/no-such-service"), max_retries = 0)
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("UnknownError", "paws_error", "http_404", "http_error", "error", "condition"))
  expect_identical(e$status_code, 404L)
  expect_match(conditionMessage(e), "^UnknownError \\(HTTP 404\\)\\. The answer carried no AWS error code")
})

test_that("no credentials anywhere is a cognitoidp_credentials_error, and nothing is sent", {
  local_clean_aws_env()
  before <- moto_request_count()
  # A configuration not used before: its client resolves credentials afresh.
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               timeout = 37, max_retries = 0))
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("cognitoidp_credentials_error", "cognitoidp_error", "error", "condition"))
  expect_match(conditionMessage(e), "No usable AWS credentials", fixed = TRUE)
  expect_match(conditionMessage(e), "AWS_ACCESS_KEY_ID", fixed = TRUE)
  expect_length(moto_requests_since(before), 0)
})

test_that("no region anywhere is a cognitoidp_request_error that says to set one", {
  local_clean_aws_env()
  svc <- cognitoidentityprovider(config = list(
    endpoint = moto_endpoint(), max_retries = 0,
    credentials = list(creds = list(access_key_id = "AKIDTEST", secret_access_key = "test-secret"))
  ))
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_s3_class(e, "cognitoidp_request_error")
  expect_match(conditionMessage(e), "region")
})

test_that("anonymous credentials send an unsigned request, as in paws", {
  before <- moto_request_count()
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(anonymous = TRUE)))
  expect_error(svc$get_user_pool_mfa_config("us-east-1_x"), class = "ResourceNotFoundException")
  sent <- moto_requests_since(before)
  expect_length(sent, 1)
  expect_null(sent[[1]]$headers[["authorization"]])
})
