# Every operation of the SDK, as generated: its function and method exist
# with paws's signature, its smallest valid arguments pass the local checks
# and reach the server, and a wrong type on a required member is refused
# before anything is sent.

operations <- names(cognitoidp:::.cognitoidentityprovider_operations())

test_that("every operation of the SDK is a function and a method of the service object", {
  expect_length(operations, 132)
  svc <- cognitoidentityprovider(config = list(region = "us-east-1"))
  expect_setequal(setdiff(names(svc), ".internal"), operations)
  exported <- getNamespaceExports("cognitoidp")
  for (op in operations) {
    fn <- get(paste0("cognitoidentityprovider_", op), envir = asNamespace("cognitoidp"))
    expect_true(paste0("cognitoidentityprovider_", op) %in% exported, info = op)
    expect_identical(formals(svc[[op]]), formals(fn), info = op)
    expect_identical(cognitoidp:::operation_of(svc[[op]]), c(service = "cognitoidentityprovider", name = op))
  }
})

test_that("the arguments are paws's, in paws's order, then the newer members", {
  # The table lives beside the generator (.ci/codegen/); .ci/test.sh names it.
  tsv <- Sys.getenv("COGNITOIDP_PAWS_SIGNATURES", file.path("..", "..", "..", ".ci", "codegen", "paws-signatures.tsv"))
  if (!moto_required()) skip_if_not(file.exists(tsv), "the paws signature table is not here")
  table <- utils::read.delim(tsv, comment.char = "#", colClasses = "character")
  expect_identical(nrow(table), 122L)
  for (i in seq_len(nrow(table))) {
    op <- table$op[[i]]
    paws <- strsplit(table$formals[[i]], ",")[[1]]
    ours <- names(formals(get(paste0("cognitoidentityprovider_", op), envir = asNamespace("cognitoidp"))))
    if (op == "set_user_pool_mfa_config") {
      expect_identical(ours[1:4], c("UserPoolId", "SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "MfaConfiguration"))
    } else {
      expect_identical(ours[seq_along(paws)], paws, info = op)
    }
    has_paginator <- table$paginator[[i]] != "-"
    expect_identical(op %in% names(cognitoidp:::.cognitoidentityprovider_paginators), has_paginator, info = op)
  }
})

test_that("every operation's smallest valid arguments reach the server; a wrong type is refused locally", {
  # One attempt each: moto's answer to what it lacks is an HTTP 500, retried otherwise.
  svc <- moto_svc(max_retries = 0)
  outcomes <- expect_operations_reach_moto(svc, "cognitoidentityprovider", operations)
  # For the closing note: which operations moto answered, and how.
  message("moto's answers: ", paste(names(table(outcomes)), table(outcomes), sep = "=", collapse = ", "))
  lacking <- moto_lacks(outcomes)
  message("operations moto lacks (", length(lacking), "): ", paste(lacking, collapse = ", "))
  # moto 5.2.5 answers 61 of them in the API's terms (a result or an AWS
  # error code for the placeholder values).
  expect_gte(length(outcomes) - length(lacking), 55)
})

test_that("required arguments left out are named, at the top and nested", {
  err <- catch_error(cognitoidentityprovider_admin_create_user(UserPoolId = "us-east-1_x"))
  expect_s3_class(err, "cognitoidp_param_error")
  expect_identical(err$path, "Username")
  expect_match(conditionMessage(err), "Invalid argument `Username`: is required but missing", fixed = TRUE)
  # An enum, a list of structures and a member inside one of them.
  err <- catch_error(cognitoidentityprovider_initiate_auth(ClientId = "c"))
  expect_identical(err$path, "AuthFlow")
  err <- catch_error(cognitoidentityprovider_add_custom_attributes(UserPoolId = "us-east-1_x"))
  expect_identical(err$path, "CustomAttributes")
  err <- catch_error(cognitoidentityprovider_admin_update_user_attributes(
    UserPoolId = "us-east-1_x", Username = "u", UserAttributes = list(list(Value = "v"))
  ))
  expect_identical(err$path, "UserAttributes[[1]]$Name")
  # Given as NULL is not given.
  err <- catch_error(cognitoidentityprovider_get_user_pool_mfa_config(UserPoolId = NULL))
  expect_identical(err$path, "UserPoolId")
})

test_that("sensitive values never appear in errors, whatever their type", {
  secret <- "Hunter2-very-secret-password"
  for (bad in list(c(secret, secret), list(secret), c(12345.678, 1), NA, NA_character_)) {
    err <- catch_error(cognitoidentityprovider_admin_set_user_password(
      UserPoolId = "us-east-1_x", Username = "u", Password = bad
    ))
    expect_s3_class(err, "cognitoidp_param_error")
    expect_identical(err$path, "Password")
    expect_match(conditionMessage(err), "not shown")
    expect_false(grepl("Hunter2|12345|TRUE|NA", conditionMessage(err)), info = conditionMessage(err))
  }
  # Inside a sensitive map, too.
  err <- catch_error(cognitoidentityprovider_initiate_auth(
    AuthFlow = "USER_PASSWORD_AUTH", ClientId = "c", AuthParameters = list(USERNAME = "u", PASSWORD = c(987654, 1))
  ))
  expect_identical(err$path, "AuthParameters[[\"PASSWORD\"]]")
  expect_false(grepl("987654", conditionMessage(err)))
  # Values of other members are shown, to help.
  err <- catch_error(cognitoidentityprovider_admin_create_user(
    UserPoolId = "us-east-1_x", Username = "u", ForceAliasCreation = 42
  ))
  expect_match(conditionMessage(err), "got 42 (numeric)", fixed = TRUE)
})

test_that("call_concurrently() and paginate() take any operation, with its own errors per item", {
  svc <- moto_svc()
  pool <- moto_create_pool("any-op")
  results <- call_concurrently(svc$describe_user_pool, list(list(UserPoolId = pool), list("us-east-1_missing")),
                               progress = FALSE)
  expect_identical(results[[1]]$UserPool$Id, pool)
  expect_s3_class(results[[2]], "ResourceNotFoundException")
  # A package-level function uses the default configuration: in the tests'
  # clean environment there are no credentials, and that is the item's error.
  results <- call_concurrently(cognitoidentityprovider_admin_get_user, list(list(pool, "nobody")), progress = FALSE)
  expect_s3_class(results[[1]], "cognitoidp_credentials_error")
  # paginate() refuses what cannot be paginated, before sending.
  before <- moto_request_count()
  err <- catch_error(paginate(svc$describe_user_pool(UserPoolId = pool)))
  expect_s3_class(err, "cognitoidp_param_error")
  expect_match(conditionMessage(err), "`describe_user_pool` cannot be paginated")
  expect_identical(moto_request_count(), before)
})
