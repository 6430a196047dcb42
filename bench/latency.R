# Warm per-call latency of svc$set_user_pool_mfa_config() against the stub,
# and in the same run the floor: curl::curl_fetch_memory() with one reused
# handle POSTing the same body with the same headers. Rounds alternate which
# of the two goes first; every call is timed on its own.
#
#   Rscript bench/latency.R      (BENCH_ROUNDS, BENCH_CALLS to change 20 x 200)
#
# Prints numbers only; never fails on a timing.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

rounds <- as.integer(Sys.getenv("BENCH_ROUNDS", "20"))
calls <- as.integer(Sys.getenv("BENCH_CALLS", "200"))
warmup <- 500L

url <- stub_url(0)
svc <- bench_service(url)
first <- bench_call(svc)
stopifnot(identical(first$MfaConfiguration, "ON"), isTRUE(first$SoftwareTokenMfaConfiguration$Enabled))

# The floor copies the request the SDK just sent, as the stub saw it:
# every header (including the SigV4 Authorization, X-Amz-Date, the user
# agents and the invocation id) and the body. Host and Content-Length are
# set by curl itself; curl's own Accept header is removed.
last <- tryCatch(
  jsonlite::fromJSON(rawToChar(curl::curl_fetch_memory(paste0(url, "/__last"))$content), simplifyVector = FALSE),
  error = function(e) NULL
)
if (!is.null(last) && length(last$headers) > 0) {
  hname <- vapply(last$headers, `[[`, "", 1)
  hvalue <- vapply(last$headers, `[[`, "", 2)
  keep <- !tolower(hname) %in% c("host", "content-length")
  headers <- stats::setNames(hvalue[keep], hname[keep])
  body <- last$body
  source_of_headers <- "copied from the SDK's request"
} else {
  # Another stub: the same headers, with an Authorization of a SigV4 length.
  stamp <- format(Sys.time(), "%Y%m%dT%H%M%SZ", tz = "UTC")
  headers <- c(
    `content-type` = "application/x-amz-json-1.1",
    `x-amz-target` = "AWSCognitoIdentityProviderService.SetUserPoolMfaConfig",
    `x-amz-date` = stamp,
    authorization = paste0(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/", substr(stamp, 1, 8),
      "/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-length;content-type;host;",
      "x-amz-date;x-amz-target;x-amz-user-agent, Signature=", strrep("0", 64)
    )
  )
  body <- '{"UserPoolId":"us-east-1_bench","SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}'
  source_of_headers <- "built here (the stub did not report the SDK's request)"
}
handle <- curl::new_handle()
curl::handle_setopt(handle, post = TRUE, copypostfields = body)
curl::handle_setheaders(handle, .list = c(as.list(headers), Accept = ""))
floor_call <- function() curl::curl_fetch_memory(url, handle = handle)
check <- floor_call()
stopifnot(check$status_code == 200)

svc_call <- function() bench_call(svc)

# The stub's own CPU seconds (GET /__stats), on a connection of its own, so
# that the server's share of each round trip can be shown.
control <- curl::new_handle()
stub_cpu <- function() {
  tryCatch(
    jsonlite::fromJSON(rawToChar(curl::curl_fetch_memory(paste0(url, "/__stats"), handle = control)$content))$cpu_seconds,
    error = function(e) NA_real_
  )
}

# Times `n` calls of `f`, one by one; returns seconds per call, the CPU
# seconds (user + system, all threads of this process) of the whole block
# and the stub's CPU seconds meanwhile.
time_calls <- function(f, n) {
  times <- numeric(n)
  stub0 <- stub_cpu()
  cpu0 <- proc.time()
  for (i in seq_len(n)) {
    t0 <- now()
    f()
    times[i] <- now() - t0
  }
  cpu <- proc.time() - cpu0
  list(times = times, cpu = cpu[["user.self"]] + cpu[["sys.self"]], stub = stub_cpu() - stub0)
}

# Warm-up of both paths (connections open, code paged in, caches filled).
invisible(time_calls(svc_call, warmup))
invisible(time_calls(floor_call, warmup))
invisible(gc())

svc_times <- floor_times <- numeric()
svc_cpu <- floor_cpu <- svc_stub <- floor_stub <- 0
round_ratio <- numeric(rounds)
for (r in seq_len(rounds)) {
  if (r %% 2 == 1) {
    a <- time_calls(svc_call, calls)
    b <- time_calls(floor_call, calls)
  } else {
    b <- time_calls(floor_call, calls)
    a <- time_calls(svc_call, calls)
  }
  svc_times <- c(svc_times, a$times)
  floor_times <- c(floor_times, b$times)
  svc_cpu <- svc_cpu + a$cpu
  floor_cpu <- floor_cpu + b$cpu
  svc_stub <- svc_stub + a$stub
  floor_stub <- floor_stub + b$stub
  round_ratio[r] <- stats::median(a$times) / stats::median(b$times)
}

# The request the stub saw last is the floor's: check it is the same body.
last_floor <- tryCatch(
  jsonlite::fromJSON(rawToChar(curl::curl_fetch_memory(paste0(url, "/__last"))$content))$body,
  error = function(e) NA
)

n <- length(svc_times)
header(sprintf("Warm per-call latency (%d rounds x %d calls each, after %d warm-up calls; stub %s)", rounds, calls, warmup, url))
cat(sprintf("floor headers: %s; %d headers, Authorization %d chars, body %d bytes%s\n",
            source_of_headers, length(headers), nchar(headers[tolower(names(headers)) == "authorization"][1]),
            nchar(body, "bytes"),
            if (identical(last_floor, body)) ", identical to the SDK's" else ""))
cat(sprintf("%-34s %10s %10s %10s %12s %14s\n", "", "median us", "p90 us", "mean us", "CPU us/call", "stub CPU us/req"))
row <- function(label, x, cpu, stub) {
  cat(sprintf("%-34s %10.1f %10.1f %10.1f %12.1f %14.1f\n", label, stats::median(x) * 1e6,
              quantile1(x, 0.9) * 1e6, mean(x) * 1e6, cpu / length(x) * 1e6, stub / length(x) * 1e6))
}
row("svc$set_user_pool_mfa_config()", svc_times, svc_cpu, svc_stub)
row("floor: curl_fetch_memory()", floor_times, floor_cpu, floor_stub)
ratio <- stats::median(svc_times) / stats::median(floor_times)
cat(sprintf("median ratio svc / floor:  %.2f   (goal <= 1.5: %s)\n", ratio, if (ratio <= 1.5) "met" else "NOT met"))
cat(sprintf("p90 ratio svc / floor:     %.2f\n", quantile1(svc_times, 0.9) / quantile1(floor_times, 0.9)))
cat(sprintf("per-round median ratios:   median %.2f, min %.2f, max %.2f\n",
            stats::median(round_ratio), min(round_ratio), max(round_ratio)))
cat(sprintf("median svc - floor:        %.1f us per call above the floor\n",
            (stats::median(svc_times) - stats::median(floor_times)) * 1e6))

# Indicative: the in-process parts that are not the SDK, through the
# package's internal entry points (skipped if they are renamed).
ns <- asNamespace("cognitoidp")
if (all(c("cip_check_args", "cip_output_template") %in% names(ns))) {
  full_args <- list(
    UserPoolId = "us-east-1_bench", SmsMfaConfiguration = NULL,
    SoftwareTokenMfaConfiguration = list(Enabled = TRUE), EmailMfaConfiguration = NULL,
    MfaConfiguration = "ON", WebAuthnConfiguration = NULL
  )
  part <- function(f, n = 2000) {
    for (i in 1:200) f()
    t <- numeric(n)
    for (i in seq_len(n)) {
      t0 <- now()
      f()
      t[i] <- now() - t0
    }
    stats::median(t) * 1e6
  }
  check_us <- tryCatch(part(function() ns$cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", full_args)), error = function(e) NA)
  template_us <- tryCatch(part(function() ns$cip_output_template("set_user_pool_mfa_config")), error = function(e) NA)
  cat(sprintf(paste0(
    "in-process parts (median, indicative): arguments R -> Rust and checked (cip_check_args) %.1f us; ",
    "an output tree of typed empties Rust -> R (cip_output_template) %.1f us\n"), check_us, template_us))
}
