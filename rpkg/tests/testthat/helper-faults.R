# Fault injection for the reliability tests: a scriptable HTTP(S) server
# (fixtures/faultserver.py), a CONNECT proxy (fixtures/connect_proxy.py), and
# a throwaway certificate authority for https on loopback. Everything listens
# on 127.0.0.1 only; every wait is bounded.
#
# Like moto, these need Python 3 (and openssl for the certificates): without
# them the tests are skipped, unless COGNITOIDP_REQUIRE_MOTO=true (as on CI),
# where they fail instead.

.faults <- new.env(parent = emptyenv())

fixture_path <- function(name) {
  # test_path() knows the test directory during a run; sourced by hand, the
  # working directory is that directory.
  path <- tryCatch(testthat::test_path("fixtures", name), error = function(e) file.path("fixtures", name))
  if (!file.exists(path)) stop("fixture not found: ", path, call. = FALSE)
  normalizePath(path, winslash = "/")
}

fault_unavailable <- function(reason) {
  if (moto_required()) {
    stop("the fault-injection fixtures are required (COGNITOIDP_REQUIRE_MOTO=true) but unavailable: ",
         reason, call. = FALSE)
  }
  testthat::skip(paste("fault injection is not available:", reason))
}

python_binary <- function() {
  python <- unname(Sys.which("python3"))
  if (!nzchar(python)) fault_unavailable("python3 was not found on PATH")
  python
}

# Starts a fixture script with `python` in `env`; returns list(process,
# port, log) once it has printed "ready <port>", within `wait` seconds.
start_fixture <- function(script, args = character(), wait = 15, python = python_binary(), env = python_env()) {
  for (pkg in c("processx", "curl", "jsonlite")) {
    if (!requireNamespace(pkg, quietly = TRUE)) fault_unavailable(paste("the R package", pkg, "is not installed"))
  }
  log <- tempfile("fixture-", fileext = ".log")
  process <- processx::process$new(
    python, c("-u", fixture_path(script), args),
    env = env, stdout = "|", stderr = log,
    cleanup = TRUE, cleanup_tree = TRUE
  )
  deadline <- Sys.time() + wait
  seen <- character()
  while (Sys.time() < deadline) {
    process$poll_io(200)
    seen <- c(seen, process$read_output_lines())
    ready <- grep("^ready [0-9]+$", seen, value = TRUE)
    if (length(ready) > 0) {
      return(list(process = process, port = as.integer(sub("ready ", "", ready[[1]])), log = log))
    }
    if (!process$is_alive()) break
  }
  process$kill_tree()
  errors <- read_text_file(log)
  stop(sprintf("%s did not start within %d s:\n%s\n%s", script, wait,
               paste(seen, collapse = "\n"), errors), call. = FALSE)
}

stop_fixture <- function(fixture) {
  if (!is.null(fixture) && fixture$process$is_alive()) {
    fixture$process$signal(tools::SIGTERM)
    fixture$process$wait(2000)
    if (fixture$process$is_alive()) fixture$process$kill_tree()
  }
  invisible(NULL)
}

# Stops `fixture` when the test run ends (or when R exits, outside one).
stop_at_teardown <- function(fixture) {
  done <- tryCatch({
    withr::defer(stop_fixture(fixture), envir = testthat::teardown_env())
    TRUE
  }, error = function(e) FALSE)
  if (!done) reg.finalizer(environment(), function(e) stop_fixture(fixture), onexit = TRUE)
  invisible(fixture)
}

# ---- certificates ----------------------------------------------------------------

openssl <- function(args) {
  binary <- unname(Sys.which("openssl"))
  if (!nzchar(binary)) fault_unavailable("openssl was not found on PATH")
  result <- processx::run(binary, args, error_on_status = FALSE, timeout = 30, env = python_env())
  if (result$status != 0) {
    stop("openssl ", paste(args, collapse = " "), " failed:\n", result$stderr, call. = FALSE)
  }
  invisible(result)
}

# A throwaway CA and a server certificate it signed for IP 127.0.0.1, made
# once per test run: list(dir, ca, server_cert, server_key, other_ca).
# `other_ca` is a second CA that did not sign the server's certificate.
test_certs <- function() {
  if (!is.null(.faults$certs)) return(.faults$certs)
  dir <- tempfile("certs-")
  dir.create(dir)
  f <- function(name) file.path(dir, name)
  ec <- c("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
  for (ca in c("ca", "other-ca")) {
    openssl(c("req", "-x509", ec, "-keyout", f(paste0(ca, ".key")), "-out", f(paste0(ca, ".pem")),
              "-days", "2", "-subj", paste0("/CN=cognitoidp throwaway ", ca),
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"))
  }
  openssl(c("req", ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=127.0.0.1"))
  writeLines(c(
    "subjectAltName = IP:127.0.0.1",
    "basicConstraints = critical,CA:FALSE",
    "keyUsage = critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage = serverAuth"
  ), f("server.ext"))
  openssl(c("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"),
            "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("server.ext")))
  .faults$certs <- list(dir = dir, ca = f("ca.pem"), server_cert = f("server.pem"),
                        server_key = f("server.key"), other_ca = f("other-ca.pem"))
  .faults$certs
}

# ---- the fault server --------------------------------------------------------------

# The running fault server (plain http, or https with the throwaway CA's
# certificate), started on first use, shared by the tests of a run; each
# test resets it with fault_reset() or fault_script().
fault_server <- function(tls = FALSE) {
  key <- if (tls) "https" else "http"
  server <- .faults[[key]]
  if (!is.null(server) && server$process$is_alive()) return(server)
  args <- character()
  if (tls) {
    certs <- test_certs()
    args <- c("--cert", certs$server_cert, "--key", certs$server_key)
  }
  server <- start_fixture("faultserver.py", args)
  server$endpoint <- sprintf("%s://127.0.0.1:%d", key, server$port)
  server$tls <- tls
  .faults[[key]] <- stop_at_teardown(server)
  server
}

# A curl handle for the fault server's control API: never through a proxy,
# trusting the throwaway CA for https, on a connection of its own (a pooled
# one may have been closed by the server meanwhile).
control_handle <- function(server) {
  handle <- curl::new_handle(timeout = 10, connecttimeout = 2, noproxy = "*",
                             fresh_connect = TRUE, forbid_reuse = TRUE)
  if (isTRUE(server$tls)) curl::handle_setopt(handle, cainfo = test_certs()$ca)
  handle
}

fault_control <- function(server, path, body = NULL) {
  handle <- control_handle(server)
  if (!is.null(body)) {
    curl::handle_setheaders(handle, "Content-Type" = "application/json")
    curl::handle_setopt(handle, post = TRUE, postfields = jsonlite::toJSON(body, auto_unbox = TRUE, null = "null"))
  }
  response <- curl::curl_fetch_memory(paste0(server$endpoint, path), handle = handle)
  if (response$status_code != 200) stop("fault server control ", path, ": HTTP ", response$status_code)
  jsonlite::fromJSON(rawToChar(response$content), simplifyVector = FALSE)
}

# Forgets the script, the count and the recorded requests; then scripts
# `actions` (a list of actions, one per request) and, if given, `default`
# (the action once they are used up; "ok" otherwise).
fault_script <- function(actions = list(), default = NULL, server = fault_server()) {
  fault_control(server, "/__reset", list())
  spec <- list(actions = actions)
  if (!is.null(default)) spec$default <- default
  if (length(actions) > 0 || !is.null(default)) fault_control(server, "/__script", spec)
  invisible(server)
}

fault_reset <- function(server = fault_server()) fault_script(server = server)

fault_count <- function(server = fault_server()) fault_control(server, "/__count")$count

fault_requests <- function(server = fault_server()) fault_control(server, "/__requests")

# Actions (see fixtures/faultserver.py).
act_ok <- function() list(action = "ok")
act_status <- function(status, body = "", headers = NULL) {
  action <- list(action = "status", status = status, body = body)
  if (!is.null(headers)) action$headers <- headers
  action
}
act_service_error <- function(status, code, message = paste("injected", code)) {
  act_status(status, list(`__type` = code, message = message))
}
act_close <- function() list(action = "close")
act_hang <- function(seconds = 120) list(action = "hang", seconds = seconds)
act_delay <- function(seconds) list(action = "delay", seconds = seconds)
act_notjson <- function() list(action = "notjson")
act_truncated <- function(length = 1000) list(action = "truncated", length = length)
act_huge <- function(mb = 64, json = TRUE) list(action = "huge", mb = mb, json = json)
act_html <- function(status = 200) list(action = "html", status = status)
act_dribble <- function(seconds = 20, interval = 1, length = 1000) {
  list(action = "dribble", seconds = seconds, interval = interval, length = length)
}
act_chunked <- function(mb = 4) list(action = "chunked", mb = mb)

# How many connections carried the requests recorded since the last reset
# (the control API's own are not counted).
fault_connections <- function(server = fault_server()) {
  length(unique(vapply(fault_requests(server), function(r) as.integer(r$connection), 1L)))
}

# A service object for `server` with its own SDK client (a key id never used
# before), so that no connection, retry quota or setting is shared between
# tests; `...` adds or replaces config fields.
fault_svc <- function(server = fault_server(), ...) {
  config <- list(
    endpoint = server$endpoint, region = "us-east-1",
    credentials = list(creds = list(access_key_id = unique_name("AKIDFAULT"), secret_access_key = "fault-secret"))
  )
  cognitoidentityprovider(config = utils::modifyList(config, list(...)))
}

# The SDK's standard retry mode keeps a retry quota (a token bucket of 500,
# each retry costing 5 to 14, each first-attempt success giving 1 back) that
# all clients of the service share, process-wide. Tests that count retries
# first refill it with successful calls, so that what earlier tests spent
# cannot stop a retry.
refill_retry_quota <- function(calls = 100, server = fault_server()) {
  fault_reset(server)
  svc <- fault_svc(server, max_retries = 0)
  for (i in seq_len(calls)) svc$get_user_pool_mfa_config("us-east-1_refill")
  fault_reset(server)
  invisible(NULL)
}

# For tests that count attempts: no retry setting from the machine running
# the tests (`...` sets some), and a full retry quota.
local_retry_env <- function(..., .local_envir = parent.frame()) {
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA, .local_envir = .local_envir)
  extra <- c(...)
  if (length(extra) > 0) withr::local_envvar(extra, .local_envir = .local_envir)
  refill_retry_quota()
}

# The answer of the fault server's "ok" action, as the package returns it.
fault_ok_answer <- function() expected_only_mfa("OFF")

# ---- the proxy ------------------------------------------------------------------------

# A CONNECT / forwarding proxy for the calling test, stopped when it ends:
# list(process, port, url, log_file). proxy_log() reads its request lines.
local_connect_proxy <- function(.local_envir = parent.frame()) {
  log_file <- tempfile("proxy-", fileext = ".log")
  proxy <- start_fixture("connect_proxy.py", c("--log", log_file))
  proxy$log_file <- log_file
  proxy$url <- sprintf("http://127.0.0.1:%d", proxy$port)
  withr::defer(stop_fixture(proxy), envir = .local_envir)
  proxy
}

proxy_log <- function(proxy) {
  if (!file.exists(proxy$log_file)) return(character())
  readLines(proxy$log_file, warn = FALSE)
}

# No proxy variable of any spelling, for the caller's scope; `...` sets some.
local_no_proxy_env <- function(..., .local_envir = parent.frame()) {
  names <- c("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY",
             "https_proxy", "http_proxy", "all_proxy", "no_proxy")
  withr::local_envvar(stats::setNames(rep(NA_character_, length(names)), names), .local_envir = .local_envir)
  extra <- c(...)
  if (length(extra) > 0) withr::local_envvar(extra, .local_envir = .local_envir)
}

# ---- fresh R processes that are watched while they run -------------------------------

# Starts Rscript on `lines` (R code) with the package's library on the
# library path; stdout is a pipe, stderr goes to stdout. Killed (with its
# children) when the caller's scope ends.
local_r_process <- function(lines, .local_envir = parent.frame()) {
  lib <- installed_library()
  script <- tempfile("r-process-", fileext = ".R")
  writeLines(c(
    sprintf(".libPaths(c(%s, .libPaths()))", deparse(lib)),
    "suppressPackageStartupMessages(library(cognitoidp))",
    lines
  ), script)
  env <- Sys.getenv()
  env <- stats::setNames(as.character(env), names(env))
  env <- env[names(env) != "R_TESTS"]
  process <- processx::process$new(
    file.path(R.home("bin"), "Rscript"), c("--vanilla", script),
    env = env, stdout = "|", stderr = "2>&1", cleanup = TRUE, cleanup_tree = TRUE
  )
  withr::defer({
    if (process$is_alive()) process$kill_tree()
    unlink(script)
  }, envir = .local_envir)
  process
}

# Reads `process`'s output until a line matches `pattern` or `timeout`
# seconds pass; returns list(lines = all lines so far, found = TRUE/FALSE,
# at = the time the matching line was read).
read_until <- function(process, pattern, timeout = 10, lines = character()) {
  deadline <- Sys.time() + timeout
  repeat {
    hit <- grep(pattern, lines)
    if (length(hit) > 0) return(list(lines = lines, found = TRUE, at = Sys.time()))
    left <- as.numeric(difftime(deadline, Sys.time(), units = "secs"))
    if (left <= 0) break
    process$poll_io(as.integer(min(left, 0.05) * 1000) + 1L)
    lines <- c(lines, process$read_output_lines())
    if (!process$is_alive()) {
      lines <- c(lines, process$read_all_output_lines())
      if (length(grep(pattern, lines)) > 0) return(list(lines = lines, found = TRUE, at = Sys.time()))
      break
    }
  }
  list(lines = lines, found = FALSE, at = Sys.time())
}

# Runs R code `lines` in a fresh Rscript (as local_r_process()) to its end,
# within `timeout` seconds; returns list(status, output) where output is
# every line it printed.
run_r_lines <- function(lines, timeout = 60) {
  process <- local_r_process(lines)
  deadline <- Sys.time() + timeout
  output <- character()
  while (process$is_alive() && Sys.time() < deadline) {
    process$poll_io(200)
    output <- c(output, process$read_output_lines())
  }
  if (process$is_alive()) {
    process$kill_tree()
    stop(sprintf("the R process did not finish within %d s; its output:\n%s", timeout,
                 paste(output, collapse = "\n")), call. = FALSE)
  }
  output <- c(output, process$read_all_output_lines())
  list(status = process$get_exit_status(), output = output)
}

# The value of R code printed by a fresh process as a line "<tag> <json>".
tagged_value <- function(output, tag, simplify = TRUE) {
  line <- grep(paste0("^", tag, " "), output, value = TRUE)
  if (length(line) != 1) {
    stop(sprintf("expected one line tagged %s in the output:\n%s", tag, paste(output, collapse = "\n")), call. = FALSE)
  }
  jsonlite::fromJSON(sub(paste0("^", tag, " "), "", line), simplifyVector = simplify)
}
