# cognito_verify_token() from R, with the key set preloaded (the test
# fixtures: a 2048-bit key and a Cognito-shaped ID token): one token per
# call, and many tokens in one call (tokens per second). Beside it,
# bench/jwt.rs measures the Rust core alone, and bench/pyjwt.py PyJWT with
# the same token and key.
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
many <- rep(token, 20000)
invisible(verify(many[1:1000]))
t0 <- bench::hires_time()
results <- verify(many)
vectorised <- bench::hires_time() - t0
stopifnot(length(results) == length(many), !any(vapply(results, inherits, logical(1), "error")))

cat("\n== Verifying a token from R (cognito_verify_token, keys preloaded; 2048-bit RSA)\n")
cat(sprintf("one token per call:        median %.1f us per call, %.0f tokens/s\n",
            stats::median(times) * 1e6, 1 / stats::median(times)))
cat(sprintf("%d tokens in one call:  %.3f s, %.0f tokens/s (goal: >= 20,000 per second on one core)\n",
            length(many), vectorised, length(many) / vectorised))
