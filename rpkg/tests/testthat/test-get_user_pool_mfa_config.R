# get_user_pool_mfa_config against moto: the full paws structure, and reading
# back what set_user_pool_mfa_config stored.

test_that("a fresh pool answers only MfaConfiguration: the full structure, identical()", {
  svc <- moto_svc()
  pool <- moto_create_pool("fresh")
  result <- svc$get_user_pool_mfa_config(UserPoolId = pool)

  s0 <- character(0)
  expected <- list(
    SmsMfaConfiguration = list(
      SmsAuthenticationMessage = s0,
      SmsConfiguration = list(
        SnsCallerArn = s0, ExternalId = s0, SnsRegion = s0,
        EumsSms = list(
          CallerArn = s0, ExternalId = s0, OriginationIdentity = s0,
          ConfigurationSetName = s0, InEntityId = s0, InTemplateId = s0, Region = s0
        )
      )
    ),
    SoftwareTokenMfaConfiguration = list(Enabled = logical(0)),
    EmailMfaConfiguration = list(Message = s0, Subject = s0),
    MfaConfiguration = "OFF",
    WebAuthnConfiguration = list(RelyingPartyId = s0, UserVerification = s0, FactorConfiguration = s0)
  )
  expect_identical(result, expected)

  sent <- moto_last_request("GetUserPoolMfaConfig")
  expect_identical(sent$body, list(UserPoolId = pool))
})

test_that("get reads back what set stored, from another service object", {
  pool <- moto_create_pool("readback")
  writer <- moto_svc()
  written <- writer$set_user_pool_mfa_config(
    UserPoolId = pool,
    SmsMfaConfiguration = list(
      SmsAuthenticationMessage = "Your code is {####}",
      SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::123456789012:role/readback", SnsRegion = "eu-west-1")
    ),
    SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
    MfaConfiguration = "OPTIONAL"
  )
  # A different configuration, hence a different SDK client.
  reader <- moto_svc(credentials = list(creds = list(access_key_id = unique_name("AKIDREADER"))), timeout = 30)
  read <- reader$get_user_pool_mfa_config(pool)

  expected <- expected_only_mfa("OPTIONAL")
  expected$SmsMfaConfiguration$SmsAuthenticationMessage <- "Your code is {####}"
  expected$SmsMfaConfiguration$SmsConfiguration$SnsCallerArn <- "arn:aws:iam::123456789012:role/readback"
  expected$SmsMfaConfiguration$SmsConfiguration$SnsRegion <- "eu-west-1"
  expected$SoftwareTokenMfaConfiguration$Enabled <- TRUE
  expect_identical(read, expected)
  expect_identical(written, read)
})

test_that("get follows each change of the configuration", {
  svc <- moto_svc()
  pool <- moto_create_pool("changes")
  for (mfa in c("ON", "OFF", "OPTIONAL")) {
    enabled <- mfa != "OFF"
    svc$set_user_pool_mfa_config(pool, SoftwareTokenMfaConfiguration = list(Enabled = enabled), MfaConfiguration = mfa)
    read <- svc$get_user_pool_mfa_config(pool)
    expect_identical(read$MfaConfiguration, mfa)
    expect_identical(read$SoftwareTokenMfaConfiguration, list(Enabled = enabled))
  }
})

test_that("get on a pool of another region is not found (pools live per region)", {
  pool <- moto_create_pool("regional", region = "eu-central-1")
  expect_identical(moto_svc(region = "eu-central-1")$get_user_pool_mfa_config(pool)$MfaConfiguration, "OFF")
  expect_error(moto_svc()$get_user_pool_mfa_config(pool), class = "ResourceNotFoundException")
})
