# The service object and the package-level functions, as paws shapes them.

test_that("the constructor has paws's signature", {
  expect_identical(
    formals(cognitoidentityprovider),
    as.pairlist(alist(config = list(), credentials = list(), endpoint = NULL, region = NULL))
  )
})

test_that("a service object offers every operation and its redacted config", {
  svc <- cognitoidentityprovider(config = list(region = "eu-west-1"))
  expect_type(svc, "list")
  expect_length(svc, 133)
  expect_true(all(c("set_user_pool_mfa_config", "get_user_pool_mfa_config", "list_users", ".internal") %in% names(svc)))
  expect_type(svc$set_user_pool_mfa_config, "closure")
  expect_type(svc$get_user_pool_mfa_config, "closure")
  expect_identical(svc$.internal$config, list(region = "eu-west-1"))
})

test_that("operations take paws's arguments, in the documented order", {
  set_args <- c("UserPoolId", "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration",
                "MfaConfiguration", "EmailMfaConfiguration", "WebAuthnConfiguration")
  svc <- cognitoidentityprovider()
  for (f in list(svc$set_user_pool_mfa_config, cognitoidentityprovider_set_user_pool_mfa_config)) {
    expect_identical(names(formals(f)), set_args)
    # Every argument but UserPoolId is optional, defaulting to NULL.
    expect_true(all(vapply(as.list(formals(f))[-1], is.null, logical(1))))
  }
  for (f in list(svc$get_user_pool_mfa_config, cognitoidentityprovider_get_user_pool_mfa_config)) {
    expect_identical(names(formals(f)), "UserPoolId")
  }
})

test_that("positional arguments land where paws puts them", {
  svc <- moto_svc()
  pool <- moto_create_pool("positional")
  # (UserPoolId, SmsMfaConfiguration, SoftwareTokenMfaConfiguration, MfaConfiguration, Email..., WebAuthn...)
  result <- svc$set_user_pool_mfa_config(
    pool, list(SmsAuthenticationMessage = "sms {####}", SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::1:role/x")),
    list(Enabled = TRUE), "OPTIONAL", list(Subject = "subject"), list(RelyingPartyId = "example.org")
  )
  expect_identical(result$MfaConfiguration, "OPTIONAL")
  expect_identical(result$SoftwareTokenMfaConfiguration, list(Enabled = TRUE))
  expect_identical(result$SmsMfaConfiguration$SmsAuthenticationMessage, "sms {####}")
  sent <- moto_last_request("SetUserPoolMfaConfig")$body
  expect_identical(sent$UserPoolId, pool)
  expect_identical(sent$EmailMfaConfiguration, list(Subject = "subject"))
  expect_identical(sent$WebAuthnConfiguration, list(RelyingPartyId = "example.org"))
})

test_that("the native entry points are registered", {
  routines <- getDLLRegisteredRoutines("cognitoidp")$.Call
  registered <- vapply(routines, function(r) r$name, character(1))
  for (f in c("cip_settings_handle", "cip_call", "cip_check_args", "cip_output_template")) {
    expect_true(paste0("wrap__", f) %in% registered, info = f)
    expect_true(is.function(utils::getFromNamespace(f, "cognitoidp")), info = f)
  }
})

test_that("the output template holds every member as a typed empty", {
  for (op in c("get_user_pool_mfa_config", "set_user_pool_mfa_config")) {
    expect_identical(cognitoidp:::cip_output_template("cognitoidentityprovider", op), expected_only_mfa(character(0)), info = op)
  }
})

test_that("one service object serves many calls, and several objects coexist", {
  pool <- moto_create_pool("reuse")
  a <- moto_svc()
  b <- moto_svc(credentials = list(creds = list(access_key_id = unique_name("AKIDB"))))
  for (i in 1:3) {
    expect_identical(a$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
    expect_identical(b$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
  }
})

test_that("a forked child (mclapply) can call, after the parent has", {
  skip_expected_on_windows("mclapply() forks")
  pool <- moto_create_pool("fork")
  svc <- moto_svc()
  svc$set_user_pool_mfa_config(pool, SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = "ON")
  results <- parallel::mclapply(1:2, function(i) {
    tryCatch(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, error = conditionMessage)
  }, mc.cores = 2)
  expect_identical(results, list("ON", "ON"))
  # The parent is unaffected by its children.
  expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, "ON")
})
