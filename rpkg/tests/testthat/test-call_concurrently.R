# call_concurrently(): many calls of one operation, at most `concurrency` in
# flight, results in request order. (Ctrl-C during a batch: test-process.R.)

test_that("results come back in request order, each a value or the condition its call raised", {
  svc <- moto_svc()
  pools <- vapply(1:6, function(i) moto_create_pool(paste0("batch-", i)), "")
  requests <- lapply(pools, function(p) list(UserPoolId = p, MfaConfiguration = "OPTIONAL",
                                             SoftwareTokenMfaConfiguration = list(Enabled = TRUE)))
  requests[[2]] <- list(UserPoolId = "us-east-1_doesnotexist", MfaConfiguration = "OFF")
  requests[[4]] <- list(UserPoolId = pools[[4]], SoftwareTokenMfaConfiguration = list(Enabled = "yes"))
  # Unnamed arguments are matched by position, as in a call.
  requests[[5]] <- list(pools[[5]], NULL, list(Enabled = FALSE), "OFF")

  results <- call_concurrently(svc$set_user_pool_mfa_config, requests, concurrency = 3, progress = FALSE)

  expect_length(results, 6)
  for (i in c(1, 3, 6)) {
    expect_identical(results[[i]]$MfaConfiguration, "OPTIONAL", info = i)
    expect_identical(svc$get_user_pool_mfa_config(pools[[i]])$MfaConfiguration, "OPTIONAL", info = i)
  }
  expect_s3_class(results[[2]], "ResourceNotFoundException")
  expect_identical(results[[2]]$status_code, 400L)
  expect_s3_class(results[[4]], "cognitoidp_param_error")
  expect_identical(results[[4]]$path, "requests[[4]]$SoftwareTokenMfaConfiguration$Enabled")
  expect_match(conditionMessage(results[[4]]), "requests[[4]]$SoftwareTokenMfaConfiguration$Enabled", fixed = TRUE)
  expect_identical(results[[5]]$MfaConfiguration, "OFF")
  expect_identical(results[[5]]$SoftwareTokenMfaConfiguration$Enabled, FALSE)
  # A failed call leaves its pool as it was.
  expect_identical(svc$get_user_pool_mfa_config(pools[[4]])$MfaConfiguration, "OFF")
})

test_that("package-level functions can be run concurrently too, with the default configuration", {
  pool <- moto_create_pool("batch-default")
  local_clean_aws_env(AWS_ACCESS_KEY_ID = "AKIDTEST", AWS_SECRET_ACCESS_KEY = "s", AWS_REGION = "us-east-1",
                      AWS_ENDPOINT_URL = moto_endpoint())
  results <- call_concurrently(cognitoidentityprovider_get_user_pool_mfa_config,
                               list(list(UserPoolId = pool), list(pool)), progress = FALSE)
  expect_identical(lapply(results, `[[`, "MfaConfiguration"), list("OFF", "OFF"))
})

test_that("no more than `concurrency` requests are in flight at once", {
  server <- fault_server()
  # Each answer takes 1 s, so requests that overlap arrive within 1 s of each other.
  delayed <- function(n) { fault_script(default = act_delay(1)); rep(list(list(UserPoolId = "us-east-1_x")), n) }
  svc <- fault_svc(server)
  on.exit(fault_reset(), add = TRUE)

  results <- call_concurrently(svc$get_user_pool_mfa_config, delayed(6), concurrency = 6, progress = FALSE)
  expect_true(all(vapply(results, function(r) identical(r$MfaConfiguration, "OFF"), logical(1))))
  arrivals <- sort(vapply(fault_requests(server), `[[`, numeric(1), "time"))
  expect_length(arrivals, 6)
  # All six were sent before the first answer came back.
  expect_lt(max(arrivals) - min(arrivals), 0.9)

  results <- call_concurrently(svc$get_user_pool_mfa_config, delayed(6), concurrency = 2, progress = FALSE)
  expect_true(all(vapply(results, function(r) identical(r$MfaConfiguration, "OFF"), logical(1))))
  requests <- fault_requests(server)
  arrivals <- sort(vapply(requests, `[[`, numeric(1), "time"))
  # Two at a time: the third and fifth requests wait for answers.
  expect_gte(arrivals[[3]] - arrivals[[1]], 0.9)
  expect_gte(arrivals[[5]] - arrivals[[3]], 0.9)
  expect_lte(length(unique(vapply(requests, `[[`, numeric(1), "connection"))), 2)
})

test_that("its own arguments are checked", {
  svc <- moto_svc()
  expect_error(call_concurrently(function(x) x, list()), class = "cognitoidp_param_error")
  expect_error(call_concurrently(svc$get_user_pool_mfa_config, "us-east-1_x"), class = "cognitoidp_param_error")
  for (bad in list(0, 1.5, NA, "4", c(2, 3), NULL)) {
    e <- catch_error(call_concurrently(svc$get_user_pool_mfa_config, list(list("p")), concurrency = bad))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_identical(e$path, "concurrency", info = deparse(bad))
  }
  expect_identical(call_concurrently(svc$get_user_pool_mfa_config, list()), list())
})
