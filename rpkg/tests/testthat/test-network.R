# Networks people really have: refused connections, names that do not
# resolve, TLS with a private CA (AWS_CA_BUNDLE, a profile's ca_bundle), and
# proxies (HTTPS_PROXY / HTTP_PROXY / NO_PROXY). All on loopback, with the
# fault server (fixtures/faultserver.py) and a CONNECT proxy
# (fixtures/connect_proxy.py).

tls_classes <- c("cognitoidp_tls_error", "cognitoidp_connection_error", "cognitoidp_error", "error", "condition")
connection_classes <- c("cognitoidp_connection_error", "cognitoidp_error", "error", "condition")

# A failure of the TLS handshake: a connection error about the certificate
# (its exact classes are checked once, below).
expect_tls_failure <- function(e) {
  expect_s3_class(e, "cognitoidp_connection_error")
  expect_match(conditionMessage(e), "certificate", fixed = TRUE)
}

local_network_env <- function(..., .local_envir = parent.frame()) {
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA, AWS_CA_BUNDLE = NA, .local_envir = .local_envir)
  local_no_proxy_env(..., .local_envir = .local_envir)
}

test_that("a refused connection is retried, then a connection error that says what was tried", {
  local_network_env()
  refill_retry_quota()
  endpoint <- closed_endpoint()
  e <- catch_error(fault_svc(endpoint = endpoint)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), connection_classes)
  expect_match(conditionMessage(e), sprintf("Could not send the request to %s", endpoint), fixed = TRUE)
  expect_match(conditionMessage(e), "Connection refused", fixed = TRUE)
  expect(endsWith(conditionMessage(e), "(after 3 attempts)") && identical(e$attempts, 3L),
         sprintf("expected attempts = 3L and the message to end so; got %s: %s", deparse(e$attempts), conditionMessage(e)))
})

test_that("a name that does not resolve is a connection error naming the endpoint, without a stall", {
  local_network_env()
  endpoint <- "http://cognitoidp-test.invalid:8080"
  start <- Sys.time()
  e <- catch_error(fault_svc(endpoint = endpoint, max_retries = 0, timeout = 5)$get_user_pool_mfa_config("us-east-1_x"))
  elapsed <- as.numeric(difftime(Sys.time(), start, units = "secs"))
  # A resolver that does not answer would end as a timeout (bounded by
  # config$timeout); one that answers "no such name" as a connection error.
  expect_s3_class(e, "cognitoidp_error")
  expect_true(inherits(e, "cognitoidp_connection_error") || inherits(e, "cognitoidp_timeout_error"))
  expect_false(inherits(e, "cognitoidp_tls_error"))
  expect_match(conditionMessage(e), endpoint, fixed = TRUE)
  if (inherits(e, "cognitoidp_connection_error")) expect_match(conditionMessage(e), "dns error", fixed = TRUE)
  expect_lt(elapsed, 15)
})

test_that("an https server whose CA is not trusted is a cognitoidp_tls_error, and nothing is sent", {
  local_network_env()
  server <- fault_server(tls = TRUE)
  fault_reset(server)
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), tls_classes)
  expect_match(conditionMessage(e), server$endpoint, fixed = TRUE)
  expect_match(conditionMessage(e), "certificate", fixed = TRUE)
  expect_identical(fault_count(server), 0L)

  # A bundle of another CA does not help.
  withr::local_envvar(AWS_CA_BUNDLE = test_certs()$other_ca)
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_tls_failure(e)
  expect_identical(fault_count(server), 0L)
})

test_that("AWS_CA_BUNDLE makes the call succeed", {
  local_network_env(AWS_CA_BUNDLE = test_certs()$ca)
  server <- fault_server(tls = TRUE)
  fault_reset(server)
  expect_identical(fault_svc(server)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(server), 1L)
  # A bundle with several certificates, ours among them.
  both <- withr::local_tempfile(fileext = ".pem")
  writeLines(c(readLines(test_certs()$other_ca), readLines(test_certs()$ca)), both)
  withr::local_envvar(AWS_CA_BUNDLE = both)
  expect_identical(fault_svc(server)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(server), 2L)
})

test_that("ca_bundle in the default profile of AWS_CONFIG_FILE makes the call succeed", {
  local_network_env()
  server <- fault_server(tls = TRUE)
  local_aws_files(character(), c("[default]", paste("ca_bundle =", test_certs()$ca)))
  fault_reset(server)
  expect_identical(fault_svc(server)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(server), 1L)
})

test_that("ca_bundle of the profile in config$credentials$profile is used, with that profile's credentials", {
  local_network_env()
  server <- fault_server(tls = TRUE)
  profile <- unique_name("tls")
  key <- unique_name("AKIDTLS")
  local_aws_files(
    c(sprintf("[%s]", profile), paste("aws_access_key_id =", key), "aws_secret_access_key = tls-secret"),
    c("[default]", paste("ca_bundle =", test_certs()$other_ca), "",
      sprintf("[profile %s]", profile), "region = us-east-1", paste("ca_bundle =", test_certs()$ca))
  )
  fault_reset(server)
  svc <- cognitoidentityprovider(config = list(endpoint = server$endpoint, credentials = list(profile = profile)))
  expect_identical(svc$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(fault_count(server), 1L)
  # The default profile's bundle is of the other CA: without the profile, TLS fails.
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_tls_failure(e)
  expect_identical(fault_count(server), 1L)
})

test_that("AWS_CA_BUNDLE wins over a profile's ca_bundle, as in the AWS CLI", {
  local_network_env(AWS_CA_BUNDLE = test_certs()$other_ca)
  server <- fault_server(tls = TRUE)
  local_aws_files(character(), c("[default]", paste("ca_bundle =", test_certs()$ca)))
  fault_reset(server)
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_tls_failure(e)
  expect_identical(fault_count(server), 0L)
})

test_that("a CA bundle that cannot be read is a classed error naming the file", {
  missing_bundle <- file.path(tempdir(), "no-such-dir", "ca.pem")
  local_network_env(AWS_CA_BUNDLE = missing_bundle)
  server <- fault_server(tls = TRUE)
  fault_reset(server)
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_s3_class(e, "cognitoidp_error")
  expect_match(conditionMessage(e), missing_bundle, fixed = TRUE)
  expect_identical(fault_count(server), 0L)
})

test_that("the CA bundle replaces the system's roots", {
  # The system's roots are read once per process, so this runs in a fresh
  # one. SSL_CERT_FILE makes the throwaway CA a "system" root there.
  server <- fault_server(tls = TRUE)
  local_network_env(SSL_CERT_FILE = test_certs()$ca)
  fault_reset(server)
  result <- run_in_fresh_r(bquote({
    call <- function() {
      svc <- cognitoidentityprovider(config = list(
        endpoint = .(server$endpoint), region = "us-east-1", max_retries = 0,
        credentials = list(creds = list(access_key_id = paste0("AKIDROOTS", Sys.getenv("ROUND")), secret_access_key = "s"))
      ))
      tryCatch(svc$get_user_pool_mfa_config("us-east-1_x")$MfaConfiguration, error = function(e) class(e))
    }
    Sys.setenv(ROUND = "1")
    system_roots <- call()
    Sys.setenv(ROUND = "2", AWS_CA_BUNDLE = .(test_certs()$other_ca))
    bundle_of_other_ca <- call()
    list(system_roots = system_roots, bundle_of_other_ca = bundle_of_other_ca)
  }))
  expect_identical(result$system_roots, "OFF")
  expect_true("cognitoidp_connection_error" %in% result$bundle_of_other_ca,
              info = paste(result$bundle_of_other_ca, collapse = "/"))
  expect_identical(fault_count(server), 1L)
})

test_that("HTTPS_PROXY is honoured: the call goes through the proxy's CONNECT tunnel", {
  server <- fault_server(tls = TRUE)
  proxy <- local_connect_proxy()
  local_network_env(HTTPS_PROXY = proxy$url, AWS_CA_BUNDLE = test_certs()$ca)
  fault_reset(server)
  expect_identical(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(proxy_log(proxy), sprintf("CONNECT 127.0.0.1:%d HTTP/1.1", server$port))
  expect_identical(fault_count(server), 1L)
})

test_that("NO_PROXY bypasses the proxy", {
  server <- fault_server(tls = TRUE)
  proxy <- local_connect_proxy()
  local_network_env(HTTPS_PROXY = proxy$url, NO_PROXY = "127.0.0.1", AWS_CA_BUNDLE = test_certs()$ca)
  fault_reset(server)
  expect_identical(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(proxy_log(proxy), character())
  expect_identical(fault_count(server), 1L)
})

test_that("HTTP_PROXY is honoured for an http endpoint (absolute-form request)", {
  server <- fault_server()
  proxy <- local_connect_proxy()
  local_network_env(HTTP_PROXY = proxy$url)
  fault_reset(server)
  expect_identical(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"), fault_ok_answer())
  expect_identical(proxy_log(proxy), sprintf("POST http://127.0.0.1:%d/ HTTP/1.1", server$port))
  expect_identical(fault_count(server), 1L)
})

test_that("a proxy that cannot be reached is a connection error, and nothing reaches the server", {
  server <- fault_server(tls = TRUE)
  local_network_env(HTTPS_PROXY = closed_endpoint(), AWS_CA_BUNDLE = test_certs()$ca)
  fault_reset(server)
  e <- catch_error(fault_svc(server, max_retries = 0)$get_user_pool_mfa_config("us-east-1_x"))
  expect_identical(class(e), connection_classes)
  expect_match(conditionMessage(e), server$endpoint, fixed = TRUE)
  expect_identical(fault_count(server), 0L)
})
