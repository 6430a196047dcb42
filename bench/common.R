# Shared by the benchmark scripts: where the stub is, the service object
# pointed at it, the one call every benchmark makes, and small helpers.
#
# The stub's address comes from BENCH_STUB_URL (BENCH_STUB_DELAY_URL for the
# stub with an artificial delay), as bench/run.sh sets them. A script run on
# its own starts its own stub with processx and stops it when R exits.

suppressPackageStartupMessages(library(cognitoidp))

# The scripts set `bench_dir` (this directory) before sourcing this file.
if (!exists("bench_dir")) bench_dir <- Sys.getenv("BENCH_DIR", "bench")

.bench_stubs <- new.env()
reg.finalizer(.bench_stubs, function(e) {
  for (s in ls(e, pattern = "^pid_")) try(tools::pskill(e[[s]], tools::SIGTERM), silent = TRUE)
  for (s in ls(e, pattern = "^stub_")) try(e[[s]]$kill_tree(), silent = TRUE)
}, onexit = TRUE)

# What server process `p` printed once it was listening (its first output,
# matching `ready`), within 10 s.
ready_line <- function(p, ready, what) {
  line <- ""
  deadline <- Sys.time() + 10
  while (!grepl(ready, line) && Sys.time() < deadline) {
    p$poll_io(200)
    line <- paste0(line, p$read_output())
  }
  if (!grepl(ready, line)) stop(what, " did not start: ", p$read_error())
  line
}

# Starts bench/stub.py on a free loopback port; returns its URL.
start_stub <- function(delay_ms = 0) {
  if (!requireNamespace("processx", quietly = TRUE)) stop("processx is needed to start the stub")
  args <- c(file.path(bench_dir, "stub.py"), "0")
  if (delay_ms > 0) args <- c(args, "--delay-ms", format(delay_ms))
  # cleanup_tree: `python3` may be a wrapper (a pyenv shim) whose child is the server.
  p <- processx::process$new("python3", args, stdout = "|", stderr = "|", cleanup = TRUE, cleanup_tree = TRUE)
  line <- ready_line(p, "^ready [0-9]+ [0-9]+\\s", "the stub")
  assign(paste0("stub_", delay_ms), p, envir = .bench_stubs)
  assign(paste0("pid_", delay_ms), as.integer(sub("^ready [0-9]+ ([0-9]+).*$", "\\1", line)), envir = .bench_stubs)
  sprintf("http://127.0.0.1:%s", sub("^ready ([0-9]+).*$", "\\1", line))
}

# Starts the test suite's fault server (rpkg/tests/testthat/fixtures/
# faultserver.py), whose answers a script of actions sets, on a free loopback
# port; returns its URL and `control(path, body)`, which posts JSON to its
# control API (/__script, /__reset, ...).
start_fault_server <- function() {
  script <- file.path(bench_dir, "..", "rpkg", "tests", "testthat", "fixtures", "faultserver.py")
  # A Python started from R must not load R's libraries.
  env <- Sys.getenv()
  env <- env[names(env) != "LD_LIBRARY_PATH"]
  p <- processx::process$new("python3", c(script, "--port", "0"), env = env, stdout = "|", stderr = "|",
                             cleanup = TRUE, cleanup_tree = TRUE)
  assign("stub_fault", p, envir = .bench_stubs)
  line <- ready_line(p, "^ready [0-9]+", "the fault server")
  endpoint <- sprintf("http://127.0.0.1:%s", sub("^ready ([0-9]+).*$", "\\1", line))
  control <- function(path, body) {
    handle <- curl::new_handle(noproxy = "*", post = TRUE, postfields = body)
    curl::handle_setheaders(handle, "Content-Type" = "application/json")
    invisible(curl::curl_fetch_memory(paste0(endpoint, path), handle = handle))
  }
  list(endpoint = endpoint, control = control)
}

stub_url <- function(delay_ms = 0) {
  var <- if (delay_ms > 0) "BENCH_STUB_DELAY_URL" else "BENCH_STUB_URL"
  url <- Sys.getenv(var)
  if (!nzchar(url)) url <- start_stub(delay_ms)
  if (!grepl("^http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?/?$", url)) {
    stop(var, " must be a loopback address, got ", url)
  }
  url
}

# Static example credentials, as in the AWS documentation.
bench_service <- function(endpoint) {
  cognitoidentityprovider(config = list(
    endpoint = endpoint,
    region = "us-east-1",
    credentials = list(creds = list(
      access_key_id = "AKIAIOSFODNN7EXAMPLE",
      secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    ))
  ))
}

# The call every benchmark makes.
bench_call <- function(svc) {
  svc$set_user_pool_mfa_config(
    UserPoolId = "us-east-1_bench",
    SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
    MfaConfiguration = "ON"
  )
}

bench_args <- list(
  UserPoolId = "us-east-1_bench",
  SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
  MfaConfiguration = "ON"
)

# Seconds (a plain number) from a monotonic high-resolution clock.
now <- bench::hires_time

us <- function(seconds) sprintf("%8.1f", seconds * 1e6)

quantile1 <- function(x, p) unname(stats::quantile(x, p, type = 7, names = FALSE))

header <- function(title) cat("\n== ", title, " ==\n", sep = "")

# Resident set size of this process in bytes, from /proc (Linux).
rss_bytes <- function() {
  status <- tryCatch(readLines("/proc/self/status"), error = function(e) character())
  line <- grep("^VmRSS:", status, value = TRUE)
  if (length(line) != 1) return(NA_real_)
  as.numeric(sub("^VmRSS:\\s*([0-9]+)\\s*kB.*$", "\\1", line)) * 1024
}

mb <- function(bytes) sprintf("%.2f MB", bytes / 1024^2)
