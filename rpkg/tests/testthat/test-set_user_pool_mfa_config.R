# set_user_pool_mfa_config against moto: every argument and nested member.
#
# What moto 5.2 does with this operation: it stores SmsMfaConfiguration and
# SoftwareTokenMfaConfiguration as sent, and MfaConfiguration; it ignores
# EmailMfaConfiguration and WebAuthnConfiguration (never stored, never
# answered). It writes its answers through botocore's model, so
# SmsConfiguration$EumsSms comes back only with a botocore that knows it
# (moto 5.2.5 / botocore 1.44 does; moto 5.2.1 / botocore 1.43 drops it):
# as_moto_answers() adjusts the expected answer to what this moto sends.
# Every member is also checked on the wire, through moto's request recorder.

full_sms <- function() {
  list(
    SmsAuthenticationMessage = "Your code is {####}",
    SmsConfiguration = list(
      SnsCallerArn = "arn:aws:iam::123456789012:role/sns-caller",
      ExternalId = "external-id-1",
      SnsRegion = "us-west-2",
      EumsSms = list(
        CallerArn = "arn:aws:iam::123456789012:role/eums-caller",
        ExternalId = "eums-external-id",
        OriginationIdentity = "+15555550100",
        ConfigurationSetName = "cognito-config-set",
        InEntityId = "1101234567890123456",
        InTemplateId = "1107123456789012345",
        Region = "ap-south-1"
      )
    )
  )
}
full_email <- function() list(Message = "Your email code is {####}", Subject = "Your sign-in code")
full_webauthn <- function() {
  list(RelyingPartyId = "auth.example.com", UserVerification = "required",
       FactorConfiguration = "MULTI_FACTOR_WITH_USER_VERIFICATION")
}

test_that("every argument and nested member is sent, and moto's echo round-trips", {
  svc <- moto_svc()
  pool <- moto_create_pool("full")
  result <- svc$set_user_pool_mfa_config(
    UserPoolId = pool,
    SmsMfaConfiguration = full_sms(),
    SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
    MfaConfiguration = "ON",
    EmailMfaConfiguration = full_email(),
    WebAuthnConfiguration = full_webauthn()
  )

  # On the wire: every member, with its value, including the newest ones,
  # in the order of the function's arguments (as botocore keeps the caller's).
  sent <- moto_last_request("SetUserPoolMfaConfig")
  expect_identical(sent$headers[["content-type"]], "application/x-amz-json-1.1")
  expect_identical(sent$body, list(
    UserPoolId = pool,
    SmsMfaConfiguration = full_sms(),
    SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
    MfaConfiguration = "ON",
    EmailMfaConfiguration = full_email(),
    WebAuthnConfiguration = full_webauthn()
  ))

  # The answer: what moto echoes (SMS, software token, MFA), and typed empties
  # for the members moto does not keep (email, WebAuthn).
  expected <- expected_only_mfa("ON")
  expected$SmsMfaConfiguration <- full_sms()
  expected$SoftwareTokenMfaConfiguration <- list(Enabled = TRUE)
  expected <- as_moto_answers(expected)
  expect_identical(result, expected)
  expect_identical(svc$get_user_pool_mfa_config(pool), expected)
})

test_that("MfaConfiguration takes OFF, ON and OPTIONAL", {
  svc <- moto_svc()
  pool <- moto_create_pool("three-values")
  for (mfa in c("OFF", "ON", "OPTIONAL")) {
    result <- svc$set_user_pool_mfa_config(pool, SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
                                           MfaConfiguration = mfa)
    expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$MfaConfiguration, mfa)
    expect_identical(result$MfaConfiguration, mfa)
    expect_identical(svc$get_user_pool_mfa_config(pool)$MfaConfiguration, mfa)
  }
})

test_that("setting only MfaConfiguration answers the full structure, identical()", {
  svc <- moto_svc()
  pool <- moto_create_pool("only-mfa")
  result <- svc$set_user_pool_mfa_config(UserPoolId = pool, MfaConfiguration = "OFF")
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body, list(UserPoolId = pool, MfaConfiguration = "OFF"))
  s0 <- character(0)
  expect_identical(result, list(
    SmsMfaConfiguration = list(
      SmsAuthenticationMessage = s0,
      SmsConfiguration = list(
        SnsCallerArn = s0, ExternalId = s0, SnsRegion = s0,
        EumsSms = list(CallerArn = s0, ExternalId = s0, OriginationIdentity = s0,
                       ConfigurationSetName = s0, InEntityId = s0, InTemplateId = s0, Region = s0)
      )
    ),
    SoftwareTokenMfaConfiguration = list(Enabled = logical(0)),
    EmailMfaConfiguration = list(Message = s0, Subject = s0),
    MfaConfiguration = "OFF",
    WebAuthnConfiguration = list(RelyingPartyId = s0, UserVerification = s0, FactorConfiguration = s0)
  ))
})

test_that("Enabled = FALSE is sent and echoed as FALSE", {
  svc <- moto_svc()
  pool <- moto_create_pool("disabled")
  result <- svc$set_user_pool_mfa_config(pool, SoftwareTokenMfaConfiguration = list(Enabled = FALSE),
                                         MfaConfiguration = "OFF")
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$SoftwareTokenMfaConfiguration, list(Enabled = FALSE))
  expect_identical(result$SoftwareTokenMfaConfiguration, list(Enabled = FALSE))
  expect_identical(svc$get_user_pool_mfa_config(pool)$SoftwareTokenMfaConfiguration, list(Enabled = FALSE))
})

test_that("members left out are not sent, and come back as typed empties", {
  svc <- moto_svc()
  pool <- moto_create_pool("partial")
  sms <- list(
    SmsAuthenticationMessage = "code {####}",
    SmsConfiguration = list(
      SnsCallerArn = "arn:aws:iam::123456789012:role/partial",
      EumsSms = list(CallerArn = "arn:aws:iam::123456789012:role/eums", Region = "eu-west-1")
    )
  )
  result <- svc$set_user_pool_mfa_config(pool, SmsMfaConfiguration = sms, MfaConfiguration = "OPTIONAL")
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$SmsMfaConfiguration, sms)

  expected <- expected_only_mfa("OPTIONAL")
  expected$SmsMfaConfiguration$SmsAuthenticationMessage <- "code {####}"
  expected$SmsMfaConfiguration$SmsConfiguration$SnsCallerArn <- "arn:aws:iam::123456789012:role/partial"
  expected$SmsMfaConfiguration$SmsConfiguration$EumsSms$CallerArn <- "arn:aws:iam::123456789012:role/eums"
  expected$SmsMfaConfiguration$SmsConfiguration$EumsSms$Region <- "eu-west-1"
  expected <- as_moto_answers(expected)
  expect_identical(result, expected)
  expect_identical(svc$get_user_pool_mfa_config(pool), expected)
})

test_that("each member of SmsConfiguration and EumsSms round-trips on its own", {
  svc <- moto_svc()
  pool <- moto_create_pool("one-by-one")
  arn <- "arn:aws:iam::123456789012:role/one"
  for (member in c("ExternalId", "SnsRegion")) {
    config <- list(SnsCallerArn = arn)
    config[[member]] <- paste0("value-of-", member)
    result <- svc$set_user_pool_mfa_config(pool, SmsMfaConfiguration = list(SmsConfiguration = config),
                                           MfaConfiguration = "OFF")
    expected <- expected_only_mfa("OFF")$SmsMfaConfiguration
    expected$SmsConfiguration$SnsCallerArn <- arn
    expected$SmsConfiguration[[member]] <- paste0("value-of-", member)
    expect_identical(result$SmsMfaConfiguration, expected, info = member)
  }
  for (member in names(full_sms()$SmsConfiguration$EumsSms)) {
    eums <- list(CallerArn = arn)
    eums[[member]] <- paste0("eums-", member)
    result <- svc$set_user_pool_mfa_config(
      pool, SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = arn, EumsSms = eums)),
      MfaConfiguration = "OFF"
    )
    expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$SmsMfaConfiguration$SmsConfiguration$EumsSms,
                     eums, info = member)
    expected <- expected_only_mfa("OFF")
    expected$SmsMfaConfiguration$SmsConfiguration$SnsCallerArn <- arn
    expected$SmsMfaConfiguration$SmsConfiguration$EumsSms$CallerArn <- arn
    expected$SmsMfaConfiguration$SmsConfiguration$EumsSms[[member]] <- paste0("eums-", member)
    expect_identical(result, as_moto_answers(expected), info = member)
  }
})

test_that("EmailMfaConfiguration and WebAuthnConfiguration are sent (moto does not keep them)", {
  svc <- moto_svc()
  pool <- moto_create_pool("email-webauthn")
  for (email in list(full_email(), list(Message = "only {####}"), list(Subject = "only subject"))) {
    result <- svc$set_user_pool_mfa_config(pool, MfaConfiguration = "OFF", EmailMfaConfiguration = email)
    expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$EmailMfaConfiguration, email)
    # moto answers without it: the typed empties.
    expect_identical(result$EmailMfaConfiguration, list(Message = character(0), Subject = character(0)))
  }
  for (member in names(full_webauthn())) {
    webauthn <- full_webauthn()[member]
    result <- svc$set_user_pool_mfa_config(pool, MfaConfiguration = "OFF", WebAuthnConfiguration = webauthn)
    expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$WebAuthnConfiguration, webauthn, info = member)
    expect_identical(result$WebAuthnConfiguration,
                     list(RelyingPartyId = character(0), UserVerification = character(0),
                          FactorConfiguration = character(0)))
  }
})

test_that("enum values are sent as given, whatever they are", {
  svc <- moto_svc()
  pool <- moto_create_pool("enums")
  svc$set_user_pool_mfa_config(pool, MfaConfiguration = "OFF",
                               WebAuthnConfiguration = list(UserVerification = "preferred", FactorConfiguration = "SINGLE_FACTOR"))
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$WebAuthnConfiguration,
                   list(UserVerification = "preferred", FactorConfiguration = "SINGLE_FACTOR"))
  # An enum value this SDK does not know still goes out (the service judges it).
  svc$set_user_pool_mfa_config(pool, MfaConfiguration = "OFF",
                               WebAuthnConfiguration = list(FactorConfiguration = "SOME_FUTURE_VALUE"))
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$WebAuthnConfiguration,
                   list(FactorConfiguration = "SOME_FUTURE_VALUE"))
})

test_that("NULL members at any depth count as not given", {
  svc <- moto_svc()
  pool <- moto_create_pool("nulls")
  svc$set_user_pool_mfa_config(
    pool,
    SmsMfaConfiguration = list(SmsAuthenticationMessage = NULL,
                               SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::1:role/n", ExternalId = NULL)),
    SoftwareTokenMfaConfiguration = NULL,
    MfaConfiguration = "OFF",
    EmailMfaConfiguration = list(Message = NULL, Subject = "s")
  )
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body, list(
    UserPoolId = pool,
    SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::1:role/n")),
    MfaConfiguration = "OFF",
    EmailMfaConfiguration = list(Subject = "s")
  ))
})

test_that("non-ASCII text round-trips as UTF-8", {
  svc <- moto_svc()
  pool <- moto_create_pool("utf8")
  message <- "C\u00f3digo: {####} \u2014 \u2713 \u65e5\u672c"
  latin1 <- iconv("Se\u00f1al {####}", "UTF-8", "latin1")
  Encoding(latin1) <- "latin1"
  result <- svc$set_user_pool_mfa_config(
    pool,
    SmsMfaConfiguration = list(SmsAuthenticationMessage = message,
                               SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::1:role/u", ExternalId = latin1)),
    MfaConfiguration = "OFF"
  )
  expect_identical(result$SmsMfaConfiguration$SmsAuthenticationMessage, message)
  expect_identical(Encoding(result$SmsMfaConfiguration$SmsAuthenticationMessage), "UTF-8")
  expect_identical(result$SmsMfaConfiguration$SmsConfiguration$ExternalId, "Se\u00f1al {####}")
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$SmsMfaConfiguration$SmsAuthenticationMessage, message)
})

test_that("the package-level function sends with the default configuration", {
  pool <- moto_create_pool("package-level", region = "eu-west-2")
  key <- unique_name("AKIDPKG")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = key, AWS_SECRET_ACCESS_KEY = "pkg-secret",
                      AWS_REGION = "eu-west-2", AWS_ENDPOINT_URL = moto_endpoint())
  result <- run_in_fresh_r(bquote(
    cognitoidentityprovider_set_user_pool_mfa_config(.(pool), NULL, list(Enabled = TRUE), "ON")
  ))
  expected <- expected_only_mfa("ON")
  expected$SoftwareTokenMfaConfiguration$Enabled <- TRUE
  expect_identical(result, expected)
  sent <- moto_last_request("SetUserPoolMfaConfig")
  expect_identical(sent$body, list(UserPoolId = pool, SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
                                   MfaConfiguration = "ON"))
  expect_identical(signed_with(sent), c(access_key_id = key, region = "eu-west-2"))
})
