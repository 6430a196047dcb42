# Exactly paws: the argument forms paws takes (seen in real code written for
# paws), sent as paws sends them; request bodies that hold exactly the
# members given; answers with every member of every structure, wherever it
# sits, and maps in the order of the answer. The wire and the values of all
# 132 operations are compared with botocore's serializer and parser in
# `cargo test` (tests/wire_properties.rs); these tests check the same rules
# end to end, against moto and a scripted server.

request_value <- function(operation, args) {
  body <- cognitoidp:::cip_request_body("cognitoidentityprovider", operation, args)
  expect_type(body, "character")
  jsonlite::fromJSON(body, simplifyVector = FALSE)
}

test_that("a number or logical where the model has a string is sent as R's as.character() of it", {
  # Across magnitudes, signs and fractions, including R's choice of fixed
  # or scientific notation (1e+05, 123456, 1e-04, 15 significant digits).
  set.seed(11)
  numbers <- c(0, -0, 1, 100000, 123456, 99991231, 1e15, 1e-4, 0.1 + 0.2, 1 / 3, -2.5, 1e22,
               .Machine$double.xmax, 5e-324, 123456789012345678,
               runif(300, -1e6, 1e6), 10^runif(300, -20, 20), round(runif(200, 0, 1e9)),
               signif(rnorm(200), sample(1:17, 200, replace = TRUE)))
  for (x in numbers) {
    sent <- request_value("describe_user_pool", list(UserPoolId = x))$UserPoolId
    expect_identical(sent, as.character(x), info = format(x, digits = 17))
  }
  for (x in c(0L, -7L, .Machine$integer.max, 100000L)) {
    expect_identical(request_value("describe_user_pool", list(UserPoolId = x))$UserPoolId, as.character(x))
  }
  expect_identical(request_value("describe_user_pool", list(UserPoolId = TRUE))$UserPoolId, "TRUE")
  # Elements of a list of strings, given as a numeric vector.
  sent <- request_value("admin_delete_user_attributes",
                        list(UserPoolId = "p", Username = "u", UserAttributeNames = c(1, 2.5)))
  expect_identical(sent$UserAttributeNames, list("1", "2.5"))
})

test_that("the forms paws takes from real code reach moto as paws sends them", {
  svc <- moto_svc()
  pool <- moto_create_pool("paws-forms")
  svc$add_custom_attributes(UserPoolId = pool, CustomAttributes = list(
    list(Name = "score", AttributeDataType = "Number"), list(Name = "until", AttributeDataType = "String")
  ))

  # A number where the model has a string; a named list where it has a list.
  svc$admin_create_user(
    UserPoolId = pool, Username = "ada",
    UserAttributes = list(score = list(Name = "custom:score", Value = 0),
                          until = list(Name = "custom:until", Value = 99991231),
                          name = list(Name = "name", Value = "Ada"))
  )
  sent <- moto_last_request("AdminCreateUser")$body
  expect_identical(sent$UserAttributes, list(
    list(Name = "custom:score", Value = "0"),
    list(Name = "custom:until", Value = "99991231"),
    list(Name = "name", Value = "Ada")
  ))
  user <- svc$admin_get_user(UserPoolId = pool, Username = "ada")
  attributes <- stats::setNames(vapply(user$UserAttributes, `[[`, "", "Value"),
                                vapply(user$UserAttributes, `[[`, "", "Name"))
  expect_identical(unname(attributes[c("custom:score", "custom:until")]), c("0", "99991231"))

  # A string holding a number where the model has a number.
  page <- svc$list_users(UserPoolId = pool, Limit = "5")
  expect_identical(moto_last_request("ListUsers")$body$Limit, 5L)
  expect_length(page$Users, 1)
  # "true"/"false" in any case where it has a boolean.
  svc$set_user_pool_mfa_config(UserPoolId = pool, SoftwareTokenMfaConfiguration = list(Enabled = "TRUE"),
                               MfaConfiguration = "OPTIONAL")
  expect_identical(moto_last_request("SetUserPoolMfaConfig")$body$SoftwareTokenMfaConfiguration,
                   list(Enabled = TRUE))

  # What would be broken JSON in paws is refused here, with its path.
  e <- catch_error(svc$list_users(UserPoolId = pool, Limit = "five"))
  expect_s3_class(e, "cognitoidp_param_error")
  expect_identical(e$path, "Limit")
  e <- catch_error(svc$list_users(UserPoolId = pool, Limit = "2.5"))
  expect_match(conditionMessage(e), "expected a single whole number")
})

test_that("a member the caller did not give is not sent, even where the SDK's type has a default", {
  svc <- moto_svc()
  pool <- moto_create_pool("not-given")
  svc$admin_create_user(UserPoolId = pool, Username = "grace")
  svc$admin_set_user_mfa_preference(UserPoolId = pool, Username = "grace", EmailMfaSettings = list(Enabled = TRUE))
  sent <- moto_last_request("AdminSetUserMFAPreference")$body
  expect_identical(sent, list(EmailMfaSettings = list(Enabled = TRUE), Username = "grace", UserPoolId = pool))
  svc$create_user_pool(PoolName = "p", Policies = list(PasswordPolicy = list(MinimumLength = 12)),
                       AdminCreateUserConfig = list(AllowAdminCreateUserOnly = TRUE))
  sent <- moto_last_request("CreateUserPool")$body
  expect_identical(sent$Policies, list(PasswordPolicy = list(MinimumLength = 12L)))
  expect_identical(sent$AdminCreateUserConfig, list(AllowAdminCreateUserOnly = TRUE))
})

test_that("structures inside lists have every member, as paws returns them", {
  svc <- moto_svc()
  pool <- moto_create_pool("every-member")
  described <- svc$describe_user_pool(UserPoolId = pool)$UserPool
  first <- described$SchemaAttributes[[1]]
  expect_named(first, c("Name", "AttributeDataType", "DeveloperOnlyAttribute", "Mutable", "Required",
                        "NumberAttributeConstraints", "StringAttributeConstraints"))
  expect_identical(first$NumberAttributeConstraints, list(MinValue = character(0), MaxValue = character(0)))

  svc$create_group(GroupName = "readers", UserPoolId = pool)
  groups <- svc$list_groups(UserPoolId = pool)$Groups
  expect_identical(groups[[1]]$RoleArn, character(0))
  expect_identical(groups[[1]]$Precedence, numeric(0))
  svc$admin_create_user(UserPoolId = pool, Username = "lin")
  svc$admin_add_user_to_group(UserPoolId = pool, Username = "lin", GroupName = "readers")
  expect_identical(svc$admin_list_groups_for_user(UserPoolId = pool, Username = "lin")$Groups[[1]]$RoleArn,
                   character(0))

  pools <- svc$list_user_pools(MaxResults = 60)$UserPools
  mine <- Filter(function(p) identical(p$Id, pool), pools)[[1]]
  expect_identical(mine$Status, character(0))
  # moto sends LambdaConfig as {}: a named list of typed empties, every member of the shape.
  expect_identical(names(mine$LambdaConfig), names(cognitoidp:::cip_output_template("cognitoidentityprovider", "describe_user_pool")$UserPool$LambdaConfig))
  expect_length(unlist(mine$LambdaConfig), 0)
  expect_identical(mine$LambdaConfig$PreSignUp, character(0))
  expect_identical(mine$LambdaConfig$CustomSMSSender, list(LambdaVersion = character(0), LambdaArn = character(0)))
})

test_that("members the answer lacks are typed empties, also where the SDK's type has a default; maps keep the answer's order", {
  server <- fault_server()
  svc <- fault_svc(server)
  fault_script(list(list(action = "ok", body = list(
    Username = "ada", UserAttributes = list(list(Name = "email")), UserCreateDate = 1795842757.993
  ))))
  user <- svc$admin_get_user(UserPoolId = "us-east-1_x", Username = "ada")
  expect_identical(user$Enabled, logical(0))
  expect_identical(user$UserAttributes, list(list(Name = "email", Value = character(0))))
  expect_identical(user$UserCreateDate, .POSIXct(1795842757.993, tz = "GMT"))
  expect_identical(user$UserLastModifiedDate, .POSIXct(numeric(0), tz = "GMT"))
  expect_identical(user$MFAOptions, list())

  fault_script(list(list(action = "ok", body = list(
    SoftwareTokenMfaConfiguration = setNames(list(), character(0)), MfaConfiguration = "ON"
  ))))
  mfa <- svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_x")
  expect_identical(mfa$SoftwareTokenMfaConfiguration, list(Enabled = logical(0)))

  fault_script(list(list(action = "ok", body = list(
    ChallengeName = "CUSTOM_CHALLENGE", Session = "s",
    ChallengeParameters = list(zeta = "1", alpha = "2", mu = "3"),
    AuthenticationResult = list(TokenType = "Bearer")
  ))))
  auth <- svc$initiate_auth(AuthFlow = "CUSTOM_AUTH", ClientId = "c")
  expect_identical(auth$ChallengeParameters, list(zeta = "1", alpha = "2", mu = "3"))
  expect_identical(auth$AuthenticationResult$ExpiresIn, numeric(0))
  expect_identical(auth$AuthenticationResult$NewDeviceMetadata,
                   list(DeviceKey = character(0), DeviceGroupKey = character(0)))
})
