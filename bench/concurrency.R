# 1,000 calls against the stub: a plain sequential R loop over
# svc$set_user_pool_mfa_config() against call_concurrently() at concurrency
# 1, 4, 16 and 64. Run against the stub answering at once and against one
# that holds every answer for a few milliseconds (asynchronously, so that
# requests overlap, like a remote service's latency).
#
#   Rscript bench/concurrency.R   (BENCH_CONC_CALLS: 1000; BENCH_CONC_REPS: 3
#                                  repetitions, the median is shown;
#                                  BENCH_CONC_DELAY_MS: 5)
#
# Prints numbers only; never fails on a timing. It does check that every
# result is a success and says so.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

n_calls <- as.integer(Sys.getenv("BENCH_CONC_CALLS", "1000"))
reps <- as.integer(Sys.getenv("BENCH_CONC_REPS", "3"))
delay_ms <- as.numeric(Sys.getenv("BENCH_CONC_DELAY_MS", "5"))
levels <- c(1L, 4L, 16L, 64L)

is_success <- function(r) {
  is.list(r) && !inherits(r, "condition") && identical(r$MfaConfiguration, "ON") &&
    isTRUE(r$SoftwareTokenMfaConfiguration$Enabled)
}

run_sequential <- function(svc, n) {
  out <- vector("list", n)
  for (i in seq_len(n)) {
    out[[i]] <- tryCatch(bench_call(svc), error = function(e) e)
  }
  out
}

run_concurrent <- function(svc, requests, k) {
  call_concurrently(svc$set_user_pool_mfa_config, requests, concurrency = k, progress = FALSE)
}

bench_endpoint <- function(url, label) {
  svc <- bench_service(url)
  requests <- rep(list(bench_args), n_calls)
  # Warm-up: open the connections every variant will use.
  invisible(run_sequential(svc, 50))
  invisible(run_concurrent(svc, requests[seq_len(min(n_calls, 256))], max(levels)))

  variants <- c("sequential", paste0("concurrent k=", levels))
  times <- matrix(NA_real_, reps, length(variants), dimnames = list(NULL, variants))
  failures <- stats::setNames(integer(length(variants)), variants)
  example <- NULL
  for (r in seq_len(reps)) {
    # Rotate the order so that no variant always runs first.
    order <- (seq_along(variants) + r - 2) %% length(variants) + 1
    for (v in order) {
      invisible(gc())
      t0 <- now()
      results <- if (v == 1) run_sequential(svc, n_calls) else run_concurrent(svc, requests, levels[v - 1])
      times[r, v] <- now() - t0
      ok <- vapply(results, is_success, logical(1))
      failures[v] <- failures[v] + sum(!ok) + (n_calls - length(results))
      if (any(!ok) && is.null(example)) example <- results[[which(!ok)[1]]]
    }
  }

  med <- apply(times, 2, stats::median)
  header(sprintf("%d calls, %s (stub %s; median of %d repetitions)", n_calls, label, url, reps))
  cat(sprintf("%-22s %10s %12s %22s %s\n", "", "wall s", "calls/s", "speed-up vs sequential", "all succeeded"))
  for (v in seq_along(variants)) {
    cat(sprintf("%-22s %10.3f %12.0f %22.2f %s\n", variants[v], med[v], n_calls / med[v], med[1] / med[v],
                if (failures[v] == 0) "yes" else sprintf("NO: %d failures", failures[v])))
  }
  if (!is.null(example)) {
    cat("first failure: ", if (inherits(example, "condition")) conditionMessage(example) else utils::capture.output(str(example))[1], "\n")
  }
  best <- which.max(med[1] / med)
  cat(sprintf("best: %s, %.2fx the sequential throughput\n", variants[best], med[1] / med[best]))
  invisible(med)
}

bench_endpoint(stub_url(0), "stub answering at once (0 ms)")
bench_endpoint(stub_url(delay_ms), sprintf("stub answering after %g ms", delay_ms))
