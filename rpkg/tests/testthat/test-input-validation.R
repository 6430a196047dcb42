# Bad input is refused before anything is sent: a classed error whose message
# names the full path of the bad value and what was expected.

param_classes <- c("cognitoidp_param_error", "cognitoidp_error", "error", "condition")
arn <- "arn:aws:iam::123456789012:role/x"
eums_names <- "CallerArn, ExternalId, OriginationIdentity, ConfigurationSetName, InEntityId, InTemplateId, Region"

# Each case: the arguments of set_user_pool_mfa_config (UserPoolId defaults
# to a valid one), the path the error names, and a part of its message.
bad_set_cases <- list(
  # strings (a single number or logical is one, as in paws: see test-paws-forms.R)
  list(args = list(UserPoolId = NaN), path = "UserPoolId", problem = "expected a single string, got NA (numeric)"),
  list(args = list(UserPoolId = c(7L, 8L)), path = "UserPoolId",
       problem = "expected a single string, got an integer vector of length 2"),
  list(args = list(UserPoolId = NA), path = "UserPoolId", problem = "expected a single string, got NA (logical)"),
  list(args = list(UserPoolId = NA_character_), path = "UserPoolId",
       problem = "expected a single string, got NA (character)"),
  list(args = list(UserPoolId = c("us-east-1_a", "us-east-1_b")), path = "UserPoolId",
       problem = "expected a single string, got a character vector of length 2"),
  list(args = list(UserPoolId = character(0)), path = "UserPoolId",
       problem = "expected a single string, got a character vector of length 0"),
  list(args = list(MfaConfiguration = NA_real_), path = "MfaConfiguration", problem = "expected a single string"),
  list(args = list(MfaConfiguration = c("ON", "OFF")), path = "MfaConfiguration",
       problem = "expected a single string, got a character vector of length 2"),
  list(args = list(MfaConfiguration = c(TRUE, FALSE)), path = "MfaConfiguration", problem = "expected a single string"),
  list(args = list(SmsMfaConfiguration = list(SmsAuthenticationMessage = c(4, 2))),
       path = "SmsMfaConfiguration$SmsAuthenticationMessage",
       problem = "expected a single string, got a numeric vector of length 2"),
  list(args = list(EmailMfaConfiguration = list(Subject = NA_character_)),
       path = "EmailMfaConfiguration$Subject", problem = "expected a single string, got NA (character)"),
  list(args = list(WebAuthnConfiguration = list(RelyingPartyId = character(0))),
       path = "WebAuthnConfiguration$RelyingPartyId", problem = "expected a single string"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(
         SnsCallerArn = arn, EumsSms = list(CallerArn = arn, Region = c("a", "b"))))),
       path = "SmsMfaConfiguration$SmsConfiguration$EumsSms$Region",
       problem = "expected a single string, got a character vector of length 2"),
  # booleans
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = "yes")),
       path = "SoftwareTokenMfaConfiguration$Enabled",
       problem = "expected a single TRUE or FALSE, got \"yes\" (character)"),
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = NA)),
       path = "SoftwareTokenMfaConfiguration$Enabled", problem = "expected a single TRUE or FALSE, got NA (logical)"),
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = c(TRUE, FALSE))),
       path = "SoftwareTokenMfaConfiguration$Enabled",
       problem = "expected a single TRUE or FALSE, got a logical vector of length 2"),
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = 1)),
       path = "SoftwareTokenMfaConfiguration$Enabled", problem = "expected a single TRUE or FALSE, got 1 (numeric)"),
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = logical(0))),
       path = "SoftwareTokenMfaConfiguration$Enabled", problem = "expected a single TRUE or FALSE"),
  # structures given as scalars
  list(args = list(SoftwareTokenMfaConfiguration = TRUE), path = "SoftwareTokenMfaConfiguration",
       problem = "expected a named list, got TRUE (logical)"),
  list(args = list(SmsMfaConfiguration = "text"), path = "SmsMfaConfiguration", problem = "expected a named list"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = arn)),
       path = "SmsMfaConfiguration$SmsConfiguration", problem = "expected a named list"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = arn, EumsSms = "x"))),
       path = "SmsMfaConfiguration$SmsConfiguration$EumsSms", problem = "expected a named list"),
  list(args = list(WebAuthnConfiguration = 1), path = "WebAuthnConfiguration", problem = "expected a named list"),
  list(args = list(EmailMfaConfiguration = c(Message = "m", Subject = "s")), path = "EmailMfaConfiguration",
       problem = "expected a named list"),
  # unnamed and partly named lists for structures
  list(args = list(SoftwareTokenMfaConfiguration = list(TRUE)), path = "SoftwareTokenMfaConfiguration",
       problem = "expected a named list, got an unnamed list of length 1"),
  list(args = list(EmailMfaConfiguration = list("message", "subject")), path = "EmailMfaConfiguration",
       problem = "expected a named list"),
  list(args = list(EmailMfaConfiguration = list(Message = "m", "subject")), path = "EmailMfaConfiguration",
       problem = "element 2 of the list has no name"),
  # unknown members, at the top of a structure and deep down
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = TRUE, Bogus = 1)),
       path = "SoftwareTokenMfaConfiguration$Bogus", problem = "unknown member; valid members are: Enabled"),
  list(args = list(SmsMfaConfiguration = list(Bogus = "x")), path = "SmsMfaConfiguration$Bogus",
       problem = "unknown member; valid members are: SmsAuthenticationMessage, SmsConfiguration"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = arn, snsRegion = "x"))),
       path = "SmsMfaConfiguration$SmsConfiguration$snsRegion",
       problem = "unknown member; valid members are: SnsCallerArn, ExternalId, SnsRegion, EumsSms"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(
         SnsCallerArn = arn, EumsSms = list(CallerArn = arn, Bogus = "x")))),
       path = "SmsMfaConfiguration$SmsConfiguration$EumsSms$Bogus",
       problem = paste("unknown member; valid members are:", eums_names)),
  list(args = list(EmailMfaConfiguration = list(Body = "x")), path = "EmailMfaConfiguration$Body",
       problem = "unknown member; valid members are: Message, Subject"),
  list(args = list(WebAuthnConfiguration = list(RelyingParty = "x")), path = "WebAuthnConfiguration$RelyingParty",
       problem = "unknown member; valid members are: RelyingPartyId, UserVerification, FactorConfiguration"),
  # required members left out
  list(args = list(UserPoolId = NULL), path = "UserPoolId", problem = "is required but missing"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(ExternalId = "e", SnsRegion = "us-east-1"))),
       path = "SmsMfaConfiguration$SmsConfiguration$SnsCallerArn", problem = "is required but missing"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = arn, EumsSms = list(Region = "r")))),
       path = "SmsMfaConfiguration$SmsConfiguration$EumsSms$CallerArn", problem = "is required but missing"),
  # factors
  list(args = list(UserPoolId = factor("us-east-1_a")), path = "UserPoolId",
       problem = "expected a single string, got a factor (convert it with as.character())"),
  list(args = list(MfaConfiguration = factor("ON")), path = "MfaConfiguration", problem = "got a factor"),
  list(args = list(EmailMfaConfiguration = list(Message = factor("m"))), path = "EmailMfaConfiguration$Message",
       problem = "got a factor"),
  # duplicated names
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = TRUE, Enabled = FALSE)),
       path = "SoftwareTokenMfaConfiguration", problem = "the name `Enabled` appears more than once"),
  list(args = list(SmsMfaConfiguration = list(SmsConfiguration = list(
         SnsCallerArn = arn, EumsSms = list(CallerArn = arn, Region = "a", Region = "b")))),
       path = "SmsMfaConfiguration$SmsConfiguration$EumsSms", problem = "the name `Region` appears more than once"),
  # other R types
  list(args = list(UserPoolId = as.raw(1)), path = "UserPoolId", problem = "expected a single string"),
  list(args = list(UserPoolId = function() "x"), path = "UserPoolId", problem = "expected a single string"),
  list(args = list(SoftwareTokenMfaConfiguration = list(Enabled = 1i)), path = "SoftwareTokenMfaConfiguration$Enabled",
       problem = "expected a single TRUE or FALSE")
)

set_args <- function(case) {
  args <- case$args
  if (!"UserPoolId" %in% names(args)) args <- c(list(UserPoolId = "us-east-1_valid"), args)
  args
}

expect_param_error <- function(e, path, problem, info = NULL) {
  expect_identical(class(e), param_classes, info = info)
  expect_identical(e$path, path, info = info)
  message <- conditionMessage(e)
  expect_true(startsWith(message, sprintf("Invalid argument `%s`: ", path)), info = paste(info, message))
  expect_match(message, problem, fixed = TRUE, info = info)
  expect_null(conditionCall(e), info = info)
}

test_that("the message of a bad boolean is exactly as documented", {
  e <- catch_error(cognitoidentityprovider_set_user_pool_mfa_config(
    "us-east-1_x", SoftwareTokenMfaConfiguration = list(Enabled = "yes")
  ))
  expect_identical(
    conditionMessage(e),
    "Invalid argument `SoftwareTokenMfaConfiguration$Enabled`: expected a single TRUE or FALSE, got \"yes\" (character)"
  )
  expect_identical(e$path, "SoftwareTokenMfaConfiguration$Enabled")
  expect_identical(class(e), param_classes)
})

test_that("each bad input is a param error naming its path, even with a closed endpoint", {
  # Were anything sent, this service object would fail with a connection error.
  svc <- moto_svc(endpoint = closed_endpoint(), max_retries = 0)
  for (case in bad_set_cases) {
    info <- case$path
    e <- catch_error(do.call(svc$set_user_pool_mfa_config, set_args(case)))
    expect_param_error(e, case$path, case$problem, info = info)
  }
})

test_that("cip_check_args finds the same problems without a service object", {
  for (case in bad_set_cases) {
    args <- set_args(case)
    # The R layer passes every argument, NULL for those not given.
    failure <- cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", args)
    expect_s3_class(failure, "cognitoidp_failure")
    expect_identical(failure$kind, "param", info = case$path)
    expect_identical(failure$path, case$path, info = case$path)
    expect_match(failure$message, case$problem, fixed = TRUE, info = case$path)
  }
  ok <- list(UserPoolId = "us-east-1_x", SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = "ON")
  expect_null(cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", ok))
  expect_null(cognitoidp:::cip_check_args("cognitoidentityprovider", "get_user_pool_mfa_config", list(UserPoolId = "us-east-1_x")))
})

test_that("bad input never reaches moto", {
  svc <- moto_svc()
  pool <- moto_create_pool("never-sent")
  before <- moto_request_count()
  for (case in bad_set_cases) {
    args <- set_args(case)
    if (identical(args$UserPoolId, "us-east-1_valid")) args$UserPoolId <- pool
    expect_error(do.call(svc$set_user_pool_mfa_config, args), class = "cognitoidp_param_error", info = case$path)
  }
  expect_error(svc$get_user_pool_mfa_config(NA_character_), class = "cognitoidp_param_error")
  expect_length(moto_requests_since(before), 0)
  # The same service object still works, and the pool is untouched.
  expect_identical(svc$get_user_pool_mfa_config(pool), expected_only_mfa("OFF"))
  expect_length(moto_requests_since(before), 1)
})

test_that("get checks its UserPoolId the same way", {
  svc <- moto_svc(endpoint = closed_endpoint(), max_retries = 0)
  cases <- list(
    list(value = NA_real_, problem = "expected a single string, got NA (numeric)"),
    list(value = NA_character_, problem = "expected a single string, got NA (character)"),
    list(value = c("a", "b"), problem = "got a character vector of length 2"),
    list(value = list(Id = "a"), problem = "expected a single string"),
    list(value = NULL, problem = "is required but missing")
  )
  for (case in cases) {
    e <- catch_error(svc$get_user_pool_mfa_config(case$value))
    expect_param_error(e, "UserPoolId", case$problem, info = case$problem)
  }
  e <- catch_error(svc$get_user_pool_mfa_config())
  expect_param_error(e, "UserPoolId", "is required but missing")
  e <- catch_error(svc$set_user_pool_mfa_config(MfaConfiguration = "OFF"))
  expect_param_error(e, "UserPoolId", "is required but missing")
})

test_that("the package-level functions check before sending too", {
  e <- catch_error(cognitoidentityprovider_get_user_pool_mfa_config(c("a", "b")))
  expect_param_error(e, "UserPoolId", "expected a single string, got a character vector of length 2")
  e <- catch_error(cognitoidentityprovider_set_user_pool_mfa_config(
    "us-east-1_x", SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = "a", EumsSms = list(Bogus = 1)))
  ))
  expect_param_error(e, "SmsMfaConfiguration$SmsConfiguration$EumsSms$Bogus",
                     paste("unknown member; valid members are:", eums_names))
})

test_that("an unknown argument is refused by R itself", {
  svc <- cognitoidentityprovider()
  expect_error(svc$set_user_pool_mfa_config("us-east-1_x", Bogus = 1), "unused argument")
})

test_that("valid edge cases are accepted", {
  svc <- moto_svc()
  pool <- moto_create_pool("edge")
  # An explicitly empty string is a given string, not a missing one.
  expect_null(cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", list(
    UserPoolId = pool, SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = "")), MfaConfiguration = "OFF"
  )))
  # An empty list is an empty structure.
  expect_null(cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", list(
    UserPoolId = pool, EmailMfaConfiguration = list(), MfaConfiguration = "OFF"
  )))
  # A string that carries names is still one string.
  named <- c(id = pool)
  expect_identical(svc$get_user_pool_mfa_config(named)$MfaConfiguration, "OFF")
  expect_identical(moto_last_request("GetUserPoolMfaConfig")$body, list(UserPoolId = pool))
})
