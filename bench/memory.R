# Memory: R memory allocated per call (bench::mark's mem_alloc, which needs R
# built with memory profiling) and the growth of the resident set over
# 50,000 calls after a warm-up, with the calls per second of that loop.
#
#   Rscript bench/memory.R     (BENCH_MEM_CALLS to change 50,000; the loop
#                               also stops after BENCH_MEM_SECONDS, 300)
#
# Prints numbers only; never fails on a timing.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

n_calls <- as.integer(Sys.getenv("BENCH_MEM_CALLS", "50000"))
max_seconds <- as.numeric(Sys.getenv("BENCH_MEM_SECONDS", "300"))
warmup <- 1000L

url <- stub_url(0)
svc <- bench_service(url)
invisible(bench_call(svc))

header(sprintf("Memory (stub %s)", url))

# Resident memory first, in a process that has made only these calls:
# bench::mark and Rprofmem below leave allocations of their own behind.
# Resident memory growth over n_calls calls.
for (i in seq_len(warmup)) bench_call(svc)
invisible(gc(full = TRUE))
rss0 <- rss_bytes()
t0 <- now()
done <- 0L
deadline <- t0 + max_seconds
while (done < n_calls) {
  for (i in seq_len(min(1000L, n_calls - done))) bench_call(svc)
  done <- done + min(1000L, n_calls - done)
  if (now() > deadline) break
}
elapsed <- now() - t0
invisible(gc(full = TRUE))
rss1 <- rss_bytes()
growth <- rss1 - rss0
cat(sprintf("Resident memory over %d calls (after %d warm-up calls; VmRSS, after gc()):\n", done, warmup))
cat(sprintf("  before %s, after %s, growth %s   (goal < 10 MB: %s)\n", mb(rss0), mb(rss1), mb(growth),
            if (is.na(growth)) "unknown" else if (growth < 10 * 1024^2) "met" else "NOT met"))
cat(sprintf("  %.0f calls/s in that loop (%.1f us per call, %.1f s)%s\n", done / elapsed, elapsed / done * 1e6, elapsed,
            if (done < n_calls) sprintf("; stopped after %.0f s", max_seconds) else ""))

# R memory allocated per call. bench::mark's mem_alloc comes from
# Rprofmem, which records each allocation of a large vector (over 128 bytes)
# but small vectors only as the pages they are carved from; so the size of
# the result (object.size) and the count of new small-vector pages are
# shown too. Warm-up calls first, so the byte-compilation of the wrapper
# functions is not counted.
iterations <- 2000L
if (isTRUE(capabilities("profmem"))) {
  body <- '{"UserPoolId":"us-east-1_bench","SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}'
  handle <- curl::new_handle()
  curl::handle_setopt(handle, post = TRUE, copypostfields = body)
  curl::handle_setheaders(handle, `Content-Type` = "application/x-amz-json-1.1",
                          `X-Amz-Target` = "AWSCognitoIdentityProviderService.SetUserPoolMfaConfig")
  floor_call <- function() curl::curl_fetch_memory(url, handle = handle)
  for (i in 1:200) {
    bench_call(svc)
    floor_call()
  }
  marks <- bench::mark(
    svc = bench_call(svc), floor_curl = floor_call(),
    iterations = iterations, check = FALSE, filter_gc = FALSE, memory = TRUE
  )
  # mem_alloc is the total over all iterations: divide for one call.
  per_call <- as.numeric(marks$mem_alloc) / iterations
  cat(sprintf("R memory allocated per call (bench::mark mem_alloc / %d iterations; capabilities('profmem') is TRUE):\n", iterations))
  cat(sprintf("  svc$set_user_pool_mfa_config()     %8.1f bytes   (goal <= 5 KB: %s)\n",
              per_call[1], if (per_call[1] <= 5 * 1024) "met" else "NOT met"))
  cat(sprintf("  for comparison, curl_fetch_memory() %7.1f bytes\n", per_call[2]))
  cat(sprintf("  (bench::mark medians: svc %s, curl %s)\n", format(marks$median[1]), format(marks$median[2])))

  profile <- tempfile()
  utils::Rprofmem(profile, threshold = 0)
  for (i in 1:1000) bench_call(svc)
  utils::Rprofmem(NULL)
  lines <- readLines(profile)
  unlink(profile)
  pages <- sum(startsWith(lines, "new page"))
  large <- suppressWarnings(as.numeric(sub(" *:.*$", "", lines[!startsWith(lines, "new page")])))
  result_size <- as.numeric(utils::object.size(bench_call(svc)))
  cat(sprintf("  Rprofmem(threshold = 0) over 1000 svc calls: %.1f bytes of large vectors and %.2f new small-vector pages per call\n",
              sum(large, na.rm = TRUE) / 1000, pages / 1000))
  if (any(!is.na(large))) {
    sizes <- sort(table(large[!is.na(large)]), decreasing = TRUE)
    cat("    large vectors, bytes x count over the 1000 calls:",
        paste(sprintf("%s x %d", names(sizes), as.integer(sizes)), collapse = ", "), "\n")
  }
  cat(sprintf("  the result of one call occupies %.0f bytes (object.size): the R objects each call must build\n", result_size))
} else {
  cat("R memory allocated per call: NOT AVAILABLE, this R was built without memory profiling",
      "(capabilities('profmem') is FALSE), so bench::mark cannot report mem_alloc.\n")
}

