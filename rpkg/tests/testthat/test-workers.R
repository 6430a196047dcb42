# A service object goes wherever R sends it, as paws's plain lists do: to
# PSOCK and future workers, and through saveRDS()/readRDS() into another R
# process. The worker builds its own runtime and client from the object's
# configuration on its first call. Explicit credentials travel with the
# object; an object made from the default chain finds credentials in the
# worker's own environment.

# The access key ids moto saw for `n` requests of GetUserPoolMfaConfig.
keys_seen <- function(since) {
  requests <- Filter(function(r) identical(r$operation, "GetUserPoolMfaConfig"), moto_requests_since(since))
  vapply(requests, function(r) signed_with(r)[["access_key_id"]], "")
}

worker_call <- function(pool, svc) svc$get_user_pool_mfa_config(UserPoolId = pool)$MfaConfiguration

test_that("a service object made here works on PSOCK workers, with explicit credentials and from the default chain", {
  pool <- moto_create_pool("psock")
  lib <- installed_library()
  explicit_key <- unique_name("AKIDPSOCKCFG")
  env_key <- unique_name("AKIDPSOCKENV")
  # The workers start with this environment (and the default chain reads it there).
  withr::local_envvar(AWS_ACCESS_KEY_ID = env_key, AWS_SECRET_ACCESS_KEY = "env-secret", AWS_REGION = "us-east-1")
  cl <- parallel::makePSOCKcluster(2, master = "127.0.0.1", setup_timeout = 60, timeout = 120)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  parallel::clusterCall(cl, function(lib) {
    .libPaths(c(lib, .libPaths()))
    suppressPackageStartupMessages(library(cognitoidp))
  }, lib)

  explicit <- cognitoidentityprovider(config = list(
    endpoint = moto_endpoint(), region = "us-east-1",
    credentials = list(creds = list(access_key_id = explicit_key, secret_access_key = "cfg-secret"))
  ))
  before <- moto_request_count()
  answers <- parallel::parLapply(cl, rep(pool, 4), worker_call, svc = explicit)
  expect_identical(answers, rep(list("OFF"), 4))
  expect_identical(keys_seen(before), rep(explicit_key, 4))
  # Both workers took part.
  pids <- unlist(parallel::clusterCall(cl, Sys.getpid))
  expect_length(unique(pids), 2)

  chain <- cognitoidentityprovider(config = list(endpoint = moto_endpoint()))
  before <- moto_request_count()
  answers <- parallel::parLapply(cl, rep(pool, 4), worker_call, svc = chain)
  expect_identical(answers, rep(list("OFF"), 4))
  expect_identical(keys_seen(before), rep(env_key, 4))
})

test_that("a service object works on future multisession workers (future.apply)", {
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  pool <- moto_create_pool("future")
  explicit_key <- unique_name("AKIDFUTURE")
  withr::local_envvar(R_LIBS = paste(c(installed_library(), .libPaths()), collapse = .Platform$path.sep))
  old_plan <- future::plan(future::multisession, workers = 2)
  on.exit(future::plan(old_plan), add = TRUE)
  svc <- cognitoidentityprovider(config = list(
    endpoint = moto_endpoint(), region = "us-east-1",
    credentials = list(creds = list(access_key_id = explicit_key, secret_access_key = "cfg-secret"))
  ))
  before <- moto_request_count()
  answers <- future.apply::future_lapply(rep(pool, 4), function(p) {
    list(mfa = svc$get_user_pool_mfa_config(UserPoolId = p)$MfaConfiguration, pid = Sys.getpid())
  }, future.packages = "cognitoidp")
  expect_identical(vapply(answers, `[[`, "", "mfa"), rep("OFF", 4))
  expect_false(any(vapply(answers, `[[`, 0L, "pid") == Sys.getpid()))
  expect_identical(keys_seen(before), rep(explicit_key, 4))
})

test_that("a saved service object works in another R process after readRDS()", {
  pool <- moto_create_pool("saved")
  key <- unique_name("AKIDSAVED")
  svc <- cognitoidentityprovider(config = list(
    endpoint = moto_endpoint(), region = "us-east-1",
    credentials = list(creds = list(access_key_id = key, secret_access_key = "saved-secret"))
  ))
  file <- withr::local_tempfile(fileext = ".rds")
  saveRDS(svc, file)
  before <- moto_request_count()
  result <- run_in_fresh_r(bquote({
    svc <- readRDS(.(file))
    list(first = svc$get_user_pool_mfa_config(UserPoolId = .(pool))$MfaConfiguration,
         again = svc$get_user_pool_mfa_config(.(pool))$MfaConfiguration,
         redacted = svc$.internal$config$credentials$creds$secret_access_key)
  }))
  expect_false(inherits(result, "error"), info = if (inherits(result, "error")) conditionMessage(result))
  expect_identical(result, list(first = "OFF", again = "OFF", redacted = "<redacted>"))
  expect_identical(keys_seen(before), rep(key, 2))
  # In this process the object still works as before.
  expect_identical(svc$get_user_pool_mfa_config(UserPoolId = pool)$MfaConfiguration, "OFF")
})

test_that("a handle that is not one of the package's is refused with a classed error", {
  svc <- cognitoidentityprovider(config = list(region = "us-east-1"))
  f <- svc$get_user_pool_mfa_config
  for (foreign in list(new.env(), new("externalptr"), 42L)) {
    environment(f)$.cip_handle <- foreign
    err <- catch_error(f(UserPoolId = "us-east-1_x"))
    expect_s3_class(err, "cognitoidp_request_error")
    expect_match(conditionMessage(err), "not valid")
  }
})
