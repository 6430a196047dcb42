# Configuration: paws's config list, the shorthand arguments, environment
# variables, and shared credentials/config files with named profiles.
#
# moto accepts any key, so which credentials and region were used is read
# from the Authorization header moto recorded (its credential scope), and
# pools are created in the region the configuration should select: moto keeps
# pools per region, so a wrong region answers ResourceNotFoundException.

profile_files <- function(default_key, named, named_key, named_region) {
  list(
    credentials = c(
      "[default]",
      paste("aws_access_key_id =", default_key),
      "aws_secret_access_key = default-profile-secret",
      "",
      sprintf("[%s]", named),
      paste("aws_access_key_id =", named_key),
      "aws_secret_access_key = named-profile-secret"
    ),
    config = c(
      "[default]",
      "region = ap-northeast-1",
      "",
      sprintf("[profile %s]", named),
      paste("region =", named_region)
    )
  )
}

test_that("package-level functions use AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL", {
  pool <- moto_create_pool("env", region = "eu-west-3")
  key <- unique_name("AKIDENV")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = key, AWS_SECRET_ACCESS_KEY = "env-secret",
                      AWS_REGION = "eu-west-3", AWS_ENDPOINT_URL = moto_endpoint())
  before <- moto_request_count()
  result <- run_in_fresh_r(bquote({
    set <- cognitoidentityprovider_set_user_pool_mfa_config(
      .(pool), SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = "OPTIONAL")
    list(set = set, get = cognitoidentityprovider_get_user_pool_mfa_config(.(pool)))
  }))
  expected <- expected_only_mfa("OPTIONAL")
  expected$SoftwareTokenMfaConfiguration$Enabled <- TRUE
  expect_identical(result, list(set = expected, get = expected))
  sent <- moto_requests_since(before)
  expect_identical(vapply(sent, `[[`, "", "operation"), c("SetUserPoolMfaConfig", "GetUserPoolMfaConfig"))
  for (request in sent) expect_identical(signed_with(request), c(access_key_id = key, region = "eu-west-3"))
})

test_that("a service object without config uses the environment too", {
  pool <- moto_create_pool("env-svc", region = "ca-central-1")
  key <- unique_name("AKIDENVSVC")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = key, AWS_SECRET_ACCESS_KEY = "env-secret",
                      AWS_SESSION_TOKEN = "env-session-token",
                      AWS_REGION = "ca-central-1", AWS_ENDPOINT_URL = moto_endpoint())
  result <- run_in_fresh_r(bquote(cognitoidentityprovider()$get_user_pool_mfa_config(.(pool))))
  expect_identical(result, expected_only_mfa("OFF"))
  sent <- moto_last_request("GetUserPoolMfaConfig")
  expect_identical(signed_with(sent), c(access_key_id = key, region = "ca-central-1"))
  expect_identical(sent$headers[["x-amz-security-token"]], "env-session-token")
})

test_that("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER is used, and wins over AWS_ENDPOINT_URL", {
  pool <- moto_create_pool("service-endpoint")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = unique_name("AKIDSVCEP"), AWS_SECRET_ACCESS_KEY = "s",
                      AWS_REGION = "us-east-1",
                      AWS_ENDPOINT_URL = closed_endpoint(),
                      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = moto_endpoint())
  result <- run_in_fresh_r(bquote(cognitoidentityprovider_get_user_pool_mfa_config(.(pool))))
  expect_identical(result, expected_only_mfa("OFF"))
})

test_that("a named profile from shared files is used through AWS_PROFILE", {
  profile <- unique_name("envprofile")
  key <- unique_name("AKIDPROFILE")
  pool <- moto_create_pool("profile-env", region = "eu-central-1")
  files <- profile_files("AKIDDEFAULTPROFILE", profile, key, "eu-central-1")
  local_clean_aws_env(AWS_PROFILE = profile, AWS_ENDPOINT_URL = moto_endpoint())
  local_aws_files(files$credentials, files$config)
  result <- run_in_fresh_r(bquote(cognitoidentityprovider_get_user_pool_mfa_config(.(pool))))
  expect_identical(result, expected_only_mfa("OFF"))
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "eu-central-1"))
})

test_that("without AWS_PROFILE the default profile of the shared files is used", {
  key <- unique_name("AKIDDEFAULT")
  pool <- moto_create_pool("profile-default", region = "ap-northeast-1")
  files <- profile_files(key, "unused", "AKIDUNUSED", "eu-north-1")
  local_clean_aws_env(AWS_ENDPOINT_URL = moto_endpoint())
  local_aws_files(files$credentials, files$config)
  result <- run_in_fresh_r(bquote(cognitoidentityprovider_get_user_pool_mfa_config(.(pool))))
  expect_identical(result, expected_only_mfa("OFF"))
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "ap-northeast-1"))
})

test_that("a named profile is used through config$credentials$profile", {
  profile <- unique_name("cfgprofile")
  key <- unique_name("AKIDCFGPROFILE")
  pool <- moto_create_pool("profile-config", region = "sa-east-1")
  files <- profile_files("AKIDDEFAULTPROFILE", profile, key, "sa-east-1")
  local_clean_aws_env()
  local_aws_files(files$credentials, files$config)
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), credentials = list(profile = profile)))
  expect_identical(svc$.internal$config$credentials$profile, profile)
  expect_identical(svc$get_user_pool_mfa_config(pool), expected_only_mfa("OFF"))
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "sa-east-1"))
})

test_that("config$credentials$profile wins over AWS_PROFILE", {
  chosen <- unique_name("chosen")
  key <- unique_name("AKIDCHOSEN")
  files <- profile_files("AKIDDEFAULTPROFILE", chosen, key, "us-east-1")
  other <- unique_name("other")
  local_clean_aws_env(AWS_PROFILE = other)
  local_aws_files(c(files$credentials, "", sprintf("[%s]", other), "aws_access_key_id = AKIDOTHER",
                    "aws_secret_access_key = other-secret"),
                  c(files$config, "", sprintf("[profile %s]", other), "region = eu-west-1"))
  pool <- moto_create_pool("profile-wins")
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), credentials = list(profile = chosen)))
  expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "us-east-1"))
})

test_that("a profile that does not exist is a cognitoidp_credentials_error", {
  files <- profile_files("AKIDDEFAULTPROFILE", "existing", "AKIDEXISTING", "us-east-1")
  local_clean_aws_env()
  local_aws_files(files$credentials, files$config)
  missing_profile <- unique_name("no-such-profile-")
  before <- moto_request_count()
  svc <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(profile = missing_profile)))
  e <- catch_error(svc$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), c("cognitoidp_credentials_error", "cognitoidp_error", "error", "condition"))
  expect_match(conditionMessage(e), sprintf("profile `%s` was not defined", missing_profile), fixed = TRUE)
  expect_length(moto_requests_since(before), 0)

  # The same through AWS_PROFILE, for the package-level function.
  withr::local_envvar(AWS_PROFILE = missing_profile, AWS_ENDPOINT_URL = moto_endpoint())
  result <- run_in_fresh_r(quote(cognitoidentityprovider_get_user_pool_mfa_config("us-east-1_x")))
  expect_s3_class(result, "cognitoidp_credentials_error")
  expect_match(conditionMessage(result), missing_profile, fixed = TRUE)
  expect_length(moto_requests_since(before), 0)
})

test_that("explicit config wins over the environment and the shared files", {
  pool <- moto_create_pool("explicit-wins")
  files <- profile_files("AKIDFILEDEFAULT", "envprof", "AKIDFILEPROFILE", "eu-west-1")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = "AKIDFROMENV", AWS_SECRET_ACCESS_KEY = "env-secret",
                      AWS_REGION = "eu-west-3", AWS_PROFILE = "envprof",
                      AWS_ENDPOINT_URL = closed_endpoint(),
                      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = closed_endpoint())
  local_aws_files(files$credentials, files$config)
  key <- unique_name("AKIDEXPLICIT")
  svc <- cognitoidentityprovider(config = list(
    endpoint = moto_endpoint(), region = "us-east-1", max_retries = 0,
    credentials = list(creds = list(access_key_id = key, secret_access_key = "explicit-secret"))
  ))
  expect_identical(svc$get_user_pool_mfa_config(pool), expected_only_mfa("OFF"))
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "us-east-1"))
})

test_that("the session token of config$credentials$creds is sent", {
  key <- unique_name("AKIDTOKEN")
  svc <- moto_svc(credentials = list(creds = list(access_key_id = key, session_token = "the-session-token")))
  pool <- moto_create_pool("token")
  svc$get_user_pool_mfa_config(pool)
  sent <- moto_last_request("GetUserPoolMfaConfig")
  expect_identical(sent$headers[["x-amz-security-token"]], "the-session-token")
  expect_identical(signed_with(sent)[["access_key_id"]], key)
})

test_that("the shorthand arguments behave like config", {
  pool <- moto_create_pool("shorthand", region = "us-west-1")
  key <- unique_name("AKIDSHORT")
  creds <- list(creds = list(access_key_id = key, secret_access_key = "shorthand-secret"))
  short <- cognitoidentityprovider(credentials = creds, endpoint = moto_endpoint(), region = "us-west-1")
  long <- cognitoidentityprovider(config = list(credentials = creds, endpoint = moto_endpoint(), region = "us-west-1"))
  expect_mapequal(short$.internal$config, long$.internal$config)
  expect_identical(short$.internal$config$credentials$creds$secret_access_key, "<redacted>")
  expect_identical(short$get_user_pool_mfa_config(pool), expected_only_mfa("OFF"))
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "us-west-1"))
})

test_that("the shorthand arguments win over config, as in paws", {
  pool <- moto_create_pool("shorthand-wins", region = "us-west-1")
  key <- unique_name("AKIDSHORTWINS")
  svc <- cognitoidentityprovider(
    config = list(endpoint = closed_endpoint(), region = "eu-west-1", max_retries = 0,
                  credentials = list(creds = list(access_key_id = "AKIDCONFIG", secret_access_key = "config-secret"))),
    credentials = list(creds = list(access_key_id = key, secret_access_key = "shorthand-secret")),
    endpoint = moto_endpoint(), region = "us-west-1"
  )
  expect_identical(svc$.internal$config$endpoint, moto_endpoint())
  expect_identical(svc$.internal$config$region, "us-west-1")
  expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
  expect_identical(signed_with(moto_last_request("GetUserPoolMfaConfig")),
                   c(access_key_id = key, region = "us-west-1"))
})

test_that("the other config fields are accepted and calls still work", {
  pool <- moto_create_pool("other-fields")
  for (extra in list(
    list(close_connection = TRUE),
    list(timeout = 10),
    list(connect_timeout = 5, timeout = 20),
    list(max_retries = 2),
    list(max_retries = 0L, close_connection = FALSE),
    # paws fields without an effect here
    list(disable_ssl = FALSE, sts_regional_endpoint = "regional", signature_version = "v4")
  )) {
    svc <- do.call(moto_svc, extra)
    expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF", info = names(extra))
  }
})

test_that("bad config is a cognitoidp_param_error naming the field", {
  cases <- list(
    list(config = list(bogus = 1), path = "config$bogus",
         problem = "unknown member; valid members are: credentials, endpoint, region, close_connection"),
    list(config = list(credentials = list(key = "x")), path = "config$credentials$key",
         problem = "unknown member; valid members are: creds, profile, anonymous"),
    list(config = list(credentials = list(creds = list(access_key = "x"))), path = "config$credentials$creds$access_key",
         problem = "unknown member; valid members are: access_key_id, secret_access_key, session_token"),
    list(config = list(region = 1), path = "config$region", problem = "expected a single string"),
    list(config = list(endpoint = c("http://a", "http://b")), path = "config$endpoint",
         problem = "expected a single string"),
    list(config = list(credentials = list(profile = NA_character_)), path = "config$credentials$profile",
         problem = "expected a single string"),
    list(config = list(credentials = list(anonymous = "yes")), path = "config$credentials$anonymous",
         problem = "expected TRUE or FALSE"),
    list(config = list(close_connection = NA), path = "config$close_connection", problem = "expected TRUE or FALSE"),
    list(config = list(timeout = -1), path = "config$timeout", problem = "expected a single number of at least 0"),
    list(config = list(max_retries = "3"), path = "config$max_retries",
         problem = "expected a single whole number from 0 to 100"),
    list(config = list(credentials = list(creds = list(access_key_id = "AKIDHALF"))), path = "config$credentials$creds",
         problem = "give both access_key_id and secret_access_key, or neither"),
    list(config = "region=us-east-1", path = "config", problem = "expected a named list"),
    list(config = list("us-east-1"), path = "config", problem = "expected a named list")
  )
  for (case in cases) {
    e <- catch_error(cognitoidentityprovider(config = case$config))
    expect_identical(class(e), c("cognitoidp_param_error", "cognitoidp_error", "error", "condition"), info = case$path)
    expect_identical(e$path, case$path, info = case$path)
    expect_true(startsWith(conditionMessage(e), sprintf("Invalid argument `%s`: ", case$path)), info = case$path)
    expect_match(conditionMessage(e), case$problem, fixed = TRUE, info = case$path)
  }
})

test_that("a fractional max_retries is refused when the service object is made", {
  e <- catch_error(cognitoidentityprovider(config = list(max_retries = 1.5)))
  expect_s3_class(e, "cognitoidp_param_error")
  expect_match(conditionMessage(e), "max_retries", fixed = TRUE)
})

test_that("package-level functions see environment changes made after their first call", {
  pool <- moto_create_pool("env-change")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = "AKIDFIRST", AWS_SECRET_ACCESS_KEY = "s", AWS_REGION = "us-east-1",
                      AWS_ENDPOINT_URL = closed_endpoint())
  result <- run_in_fresh_r(bquote({
    first <- tryCatch(cognitoidentityprovider_get_user_pool_mfa_config(.(pool)), error = function(e) class(e)[1])
    Sys.setenv(AWS_ENDPOINT_URL = .(moto_endpoint()))
    list(first = first, second = cognitoidentityprovider_get_user_pool_mfa_config(.(pool))$MfaConfiguration)
  }))
  expect_identical(result, list(first = "cognitoidp_connection_error", second = "OFF"))
})
