# cognito_verify_token() from R, with the key set preloaded (the test
# fixtures: a 2048-bit key and a Cognito-shaped ID token): one token per
# call, and 20,000 tokens in one call (tokens per second, the median of
# BENCH_TOKENS_REPEATS runs, default 5, by the clock and by the CPU time of
# the process, which a busy machine disturbs less). With BENCH_JWT_TOKENS
# naming a file of distinct tokens, one a line (bench/run.sh makes 4,000
# with `jwt --mint 4000`, the cargo example of bench/jwt.rs), also 20,000
# tokens made of those. Beside it, bench/jwt.rs measures the Rust core
# alone, and bench/pyjwt.py PyJWT with the same token and key.
#
#   Rscript bench/tokens.R
#
# Prints numbers only; never fails on a timing.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
suppressPackageStartupMessages(library(cognitoidp))
fixtures <- file.path(bench_dir, "..", "tests", "fixtures", "jwt")
token <- readLines(file.path(fixtures, "id_token.txt"), warn = FALSE)
pool <- "eu-west-1_Fixture1"
cognito_preload_keys(pool, Jwks = paste(readLines(file.path(fixtures, "jwks.json"), warn = FALSE), collapse = "\n"))
verify <- function(tokens) cognito_verify_token(tokens, UserPoolId = pool, TokenUse = "id", ClientId = "client-one")
stopifnot(identical(verify(token)$aud, "client-one"))

single_calls <- 5000L
for (i in seq_len(500)) verify(token)
times <- numeric(single_calls)
for (i in seq_len(single_calls)) {
  t0 <- bench::hires_time()
  verify(token)
  times[i] <- bench::hires_time() - t0
}
repeats <- as.integer(Sys.getenv("BENCH_TOKENS_REPEATS", "5"))
# Clock and CPU seconds of one call verifying `tokens`.
timed <- function(tokens) {
  cpu0 <- proc.time()
  t0 <- bench::hires_time()
  results <- verify(tokens)
  wall <- bench::hires_time() - t0
  cpu <- proc.time() - cpu0
  stopifnot(length(results) == length(tokens), !any(vapply(results, inherits, logical(1), "error")))
  c(wall = wall, cpu = cpu[["user.self"]] + cpu[["sys.self"]])
}
many_calls <- function(tokens) {
  invisible(verify(tokens[1:1000]))
  runs <- vapply(seq_len(repeats), function(i) timed(tokens), numeric(2))
  length(tokens) / apply(runs, 1, stats::median)
}
many <- rep(token, 20000)
same <- many_calls(many)
tokens_file <- Sys.getenv("BENCH_JWT_TOKENS")
distinct <- if (nzchar(tokens_file)) readLines(tokens_file, warn = FALSE)
mixed <- if (length(distinct)) many_calls(rep_len(distinct, 20000))

cat("\n== Verifying a token from R (cognito_verify_token, keys preloaded; 2048-bit RSA)\n")
cat(sprintf("one token per call:        median %.1f us per call, %.0f tokens/s\n",
            stats::median(times) * 1e6, 1 / stats::median(times)))
cat(sprintf("20000 tokens in one call, all the same:  %.0f tokens/s by the clock, %.0f per CPU second (median of %d; goal: >= 30,000 per second on one core)\n",
            same[["wall"]], same[["cpu"]], repeats))
if (!is.null(mixed)) {
  cat(sprintf("20000 tokens in one call, %d distinct:  %.0f tokens/s by the clock, %.0f per CPU second (median of %d)\n",
              length(distinct), mixed[["wall"]], mixed[["cpu"]], repeats))
}
