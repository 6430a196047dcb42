# The R process: Ctrl-C during a call, fork() (parallel::mclapply) and PSOCK
# workers, many calls in one session, and no credentials anywhere. Each runs
# in R processes of its own, against the fault server on loopback
# (fixtures/faultserver.py).

# R code that makes `svc`, a service object for `endpoint`; `...` are more
# config fields, as R source text.
svc_lines <- function(endpoint, key, ...) {
  extra <- c(...)
  sprintf(paste0(
    "svc <- cognitoidentityprovider(config = list(endpoint = %s, region = \"us-east-1\", ",
    "credentials = list(creds = list(access_key_id = %s, secret_access_key = \"s\"))%s))"
  ), deparse(endpoint), deparse(key), paste0(", ", extra, collapse = ""))
}

wait_for_count <- function(n, timeout = 10, server = fault_server()) {
  deadline <- Sys.time() + timeout
  while (Sys.time() < deadline) {
    if (fault_count(server) >= n) return(TRUE)
    Sys.sleep(0.02)
  }
  FALSE
}

test_that("Ctrl-C during a call hung on the network is R's interrupt: a loop that catches errors stops, and the next call works", {
  server <- fault_server()
  # The loop's first call hangs; the next is answered; the four of a batch
  # hang; one is answered; a pagination's first page hangs; one is answered.
  fault_script(c(list(act_hang(60), act_ok()), rep(list(act_hang(60)), 4), list(act_ok(), act_hang(60), act_ok())))
  process <- local_r_process(c(
    svc_lines(server$endpoint, unique_name("AKIDINT"), "timeout = 60", "max_retries = 0"),
    "report <- function(what, e) cat(what, class(e)[1], '\\n')",
    "call <- function(f) tryCatch(f(), interrupt = function(e) report('caught', e), error = function(e) report('error', e))",
    "cat('calling\\n')",
    # As a user writes it: errors are handled per pool, and Ctrl-C stops the loop.
    "tries <- 0",
    "ended <- tryCatch({",
    "  for (p in c('us-east-1_a', 'us-east-1_b', 'us-east-1_c')) tryCatch({",
    "    tries <- tries + 1; svc$get_user_pool_mfa_config(UserPoolId = p)",
    "  }, error = function(e) cat('failed\\n'))",
    "  'finished'",
    "}, interrupt = function(e) paste('interrupted', class(e)[1]))",
    "cat('caught loop', ended, tries, '\\n')",
    "cat('second', svc$get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration, '\\n')",
    "cat('batch\\n')",
    "call(function() call_concurrently(svc$get_user_pool_mfa_config, rep(list(list(UserPoolId = 'us-east-1_x')), 4), progress = FALSE))",
    "cat('third', svc$get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration, '\\n')",
    "cat('pages\\n')",
    "call(function() paginate(svc$list_users(UserPoolId = 'us-east-1_x')))",
    "cat('fourth', svc$get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration, '\\n')"
  ))
  out <- read_until(process, "^calling", timeout = 30)
  expect_true(out$found, info = paste(out$lines, collapse = "\n"))
  # The request is in flight (the server has it) and R waits in the call.
  expect_true(wait_for_count(1))
  Sys.sleep(0.3)
  sent <- Sys.time()
  process$interrupt()
  out <- read_until(process, "^(caught|error|failed)", timeout = 10, lines = out$lines)
  expect_true(out$found, info = paste(out$lines, collapse = "\n"))
  expect_lt(as.numeric(difftime(out$at, sent, units = "secs")), 1)
  # The interrupt is not an error: the handler for errors did not see it, and
  # the loop stopped at its first pool.
  expect_identical(grep("^(caught|error|failed)", out$lines, value = TRUE), "caught loop interrupted interrupt 1 ")

  out <- read_until(process, "^second", timeout = 10, lines = out$lines)
  expect_identical(grep("^second", out$lines, value = TRUE), "second OFF ")
  # (The process goes on to the batch meanwhile.)
  requests <- fault_requests()[1:2]
  # The abandoned connection was not used again.
  expect_false(identical(requests[[1]]$connection, requests[[2]]$connection))

  interrupt_at <- function(count, then) {
    expect_true(wait_for_count(count))
    Sys.sleep(0.3)
    sent <- Sys.time()
    process$interrupt()
    out <- read_until(process, "^(caught|error)", timeout = 10)
    expect_true(out$found, info = paste(out$lines, collapse = "\n"))
    expect_lt(as.numeric(difftime(out$at, sent, units = "secs")), 1)
    expect_identical(grep("^(caught|error)", out$lines, value = TRUE), "caught interrupt ")
    out <- read_until(process, paste0("^", then), timeout = 10, lines = out$lines)
    expect_identical(grep(paste0("^", then), out$lines, value = TRUE), paste(then, "OFF "))
  }
  # The same for a batch, all four in flight, and for a pagination.
  interrupt_at(6, "third")
  interrupt_at(8, "fourth")
  expect_identical(fault_count(), 9L)
})

test_that("after the parent made calls, mclapply() children make calls too, on connections of their own", {
  skip_expected_on_windows("mclapply() forks")
  server <- fault_server()
  fault_reset()
  withr::local_envvar(AWS_ACCESS_KEY_ID = unique_name("AKIDFORKENV"), AWS_SECRET_ACCESS_KEY = "s",
                      AWS_REGION = "us-east-1", AWS_ENDPOINT_URL = server$endpoint)
  result <- run_r_lines(c(
    svc_lines(server$endpoint, unique_name("AKIDFORK"), "timeout = 10"),
    "get <- function() svc$get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration",
    "parent <- c(replicate(4, get()), cognitoidentityprovider_get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration)",
    "kids <- parallel::mclapply(1:8, function(i) tryCatch(",
    "  c(get(), get(), cognitoidentityprovider_get_user_pool_mfa_config('us-east-1_x')$MfaConfiguration),",
    "  error = function(e) paste(class(e)[1], conditionMessage(e))), mc.cores = 4)",
    "after <- get()",
    "cat('result', jsonlite::toJSON(list(parent = parent, kids = kids, after = after)), '\\n')"
  ), timeout = 60)
  expect_identical(result$status, 0L, info = paste(result$output, collapse = "\n"))
  value <- tagged_value(result$output, "result", simplify = FALSE)
  expect_identical(unlist(value$parent), rep("OFF", 5))
  expect_identical(lapply(value$kids, unlist), rep(list(rep("OFF", 3)), 8))
  expect_identical(unlist(value$after), "OFF")
  requests <- fault_requests()
  expect_length(requests, 5 + 24 + 1)
  connections <- vapply(requests, function(r) r$connection, integer(1))
  # No child wrote on a connection of the parent's.
  expect_false(any(connections[6:29] %in% connections[1:5]))
})

test_that("PSOCK workers make calls, and a service object sent to one is a classed error", {
  server <- fault_server()
  fault_reset()
  lib <- installed_library()
  cl <- parallel::makePSOCKcluster(2, master = "127.0.0.1", setup_timeout = 60, timeout = 120)
  on.exit(parallel::stopCluster(cl), add = TRUE)
  loaded <- parallel::clusterCall(cl, function(lib) {
    .libPaths(c(lib, .libPaths()))
    suppressPackageStartupMessages(library(cognitoidp))
    TRUE
  }, lib)
  expect_identical(loaded, list(TRUE, TRUE))
  key <- unique_name("AKIDPSOCK")
  answers <- parallel::parLapply(cl, 1:6, function(i, endpoint, key) {
    svc <- cognitoidentityprovider(config = list(
      endpoint = endpoint, region = "us-east-1", timeout = 10,
      credentials = list(creds = list(access_key_id = key, secret_access_key = "s"))
    ))
    svc$get_user_pool_mfa_config("us-east-1_x")
  }, server$endpoint, key)
  expect_identical(answers, rep(list(fault_ok_answer()), 6))
  expect_identical(fault_count(), 6L)

  # A service object made here works there too: the worker builds its own
  # client from the object's configuration on its first call.
  svc <- fault_svc(server)
  shipped <- parallel::clusterCall(cl, function(svc) {
    tryCatch(svc$get_user_pool_mfa_config("us-east-1_x"), error = function(e) class(e))
  }, svc)
  expect_identical(shipped, rep(list(fault_ok_answer()), 2))
  expect_identical(fault_count(), 8L)
})

test_that("50,000 calls in one session do not grow resident memory by more than a few MB", {
  server <- fault_server()
  fault_reset()
  result <- run_r_lines(c(
    svc_lines(server$endpoint, unique_name("AKIDMEMORY"), "max_retries = 0", "timeout = 10"),
    "rss <- function() {",
    "  line <- grep('^VmRSS:', readLines('/proc/self/status'), value = TRUE)",
    "  as.numeric(gsub('[^0-9]', '', line)) / 1024",
    "}",
    "set <- function() svc$set_user_pool_mfa_config('us-east-1_x', SoftwareTokenMfaConfiguration = list(Enabled = TRUE), MfaConfiguration = 'ON')",
    "get <- function() svc$get_user_pool_mfa_config('us-east-1_x')",
    # R's own heap grows to a plateau over the first thousands of calls that
    # build lists (about 8 MB, as with curl and plain R lists instead of the
    # package): warm up past it, so that what follows measures the package.
    "for (i in 1:5000) { set(); get() }",
    "invisible(gc()); start <- rss(); sizes <- numeric()",
    "ok <- 0",
    "for (block in 1:10) {",
    "  for (i in 1:2500) { ok <- ok + identical(set()$MfaConfiguration, 'OFF') + identical(get()$MfaConfiguration, 'OFF') }",
    "  invisible(gc()); sizes <- c(sizes, rss())",
    "}",
    "cat('result', jsonlite::toJSON(list(start = start, sizes = sizes, ok = ok, r_heap_mb = sum(gc()[, 2])), digits = 6), '\\n')"
  ), timeout = 150)
  expect_identical(result$status, 0L, info = paste(result$output, collapse = "\n"))
  value <- tagged_value(result$output, "result")
  expect_identical(value$ok, 50000L)
  expect_identical(fault_count(), 60000L)
  growth <- max(value$sizes) - value$start
  # The failure shows the resident size (MB) after each 5,000 calls.
  expect(growth <= 8, sprintf(
    "resident memory grew by %.1f MB: VmRSS %.1f MB after the warm-up, then %s MB; R's heap %.1f MB at the end",
    growth, value$start, paste(round(value$sizes, 1), collapse = ", "), value$r_heap_mb
  ))
})

test_that("with no credentials anywhere, the error says so and where it looked, without a stall", {
  server <- fault_server()
  fault_reset()
  local_clean_aws_env(AWS_REGION = "us-east-1", AWS_ENDPOINT_URL = server$endpoint,
                      AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA)
  expect_identical(Sys.getenv("AWS_EC2_METADATA_DISABLED"), "true")
  result <- run_in_fresh_r(quote({
    timed <- function(f) {
      start <- Sys.time()
      e <- tryCatch(f(), error = function(e) e)
      list(class = class(e), message = conditionMessage(e),
           seconds = as.numeric(difftime(Sys.time(), start, units = "secs")))
    }
    list(
      package_level = timed(function() cognitoidentityprovider_get_user_pool_mfa_config("us-east-1_x")),
      service_object = timed(function() cognitoidentityprovider()$set_user_pool_mfa_config("us-east-1_x", MfaConfiguration = "OFF"))
    )
  }))
  for (name in names(result)) {
    r <- result[[name]]
    expect_identical(r$class, c("cognitoidp_credentials_error", "cognitoidp_error", "error", "condition"), info = name)
    expect_lt(r$seconds, 10)
    expect_match(r$message, "No usable AWS credentials", fixed = TRUE, info = name)
    # Where it looked.
    for (place in c("config$credentials", "environment", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "shared files",
                    "~/.aws/credentials", "SSO", "web identity", "container", "instance")) {
      expect_match(r$message, place, fixed = TRUE, info = paste(name, place))
    }
  }
  expect_identical(fault_count(), 0L)
})
