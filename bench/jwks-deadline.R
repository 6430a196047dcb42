# How long cognito_verify_token() waits for a key-set host that never
# finishes, and how long the calls after it take: against the test suite's
# fault server (rpkg/tests/testthat/fixtures/faultserver.py) on loopback, a
# host that sends its headers and then one byte a second ("dribble"), and
# one that accepts the request and never answers ("hang"), with the default
# deadline (options(cognitoidp.jwks_timeout), 5 s) and with 1 s.
#
#   Rscript bench/jwks-deadline.R
#
# Needs processx, curl and python3. Prints numbers only; never fails on a timing.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

fault <- start_fault_server()
endpoint <- fault$endpoint
control <- fault$control
b64url <- function(text) gsub("=+$", "", chartr("+/", "-_", jsonlite::base64_enc(charToRaw(text))))
token <- paste(b64url('{"alg":"RS256","kid":"k1"}'), b64url('{"sub":"x"}'), b64url("sig"), sep = ".")

measure <- function(action, timeout) {
  options(cognitoidp.jwks_timeout = timeout)
  control("/__reset", "{}")
  control("/__script", sprintf('{"default": %s}', action))
  url <- sprintf("%s/bench-%d/jwks.json", endpoint, sample.int(1e9, 1))
  verify <- function() {
    started <- proc.time()[["elapsed"]]
    e <- tryCatch(cognito_verify_token(token, UserPoolId = "eu-west-1_Bench", TokenUse = "id", ClientId = "c",
                                       JwksUri = url), error = function(e) e)
    c(seconds = proc.time()[["elapsed"]] - started, class = class(e)[[1]])
  }
  first <- verify()
  n <- 1000
  again <- system.time(for (i in seq_len(n)) verify())[["elapsed"]] / n
  cat(sprintf("  %-52s deadline %g s: first call %s after %.2f s; the next %d (penalty window): %.0f us each\n",
              action, timeout, first[["class"]], as.numeric(first[["seconds"]]), n, 1e6 * again))
}

cat("\n== Key-set deadline (time to a classed error against a host that never finishes)\n")
measure('{"action": "dribble", "seconds": 60, "interval": 1}', 5)
measure('{"action": "hang", "seconds": 60}', 5)
measure('{"action": "dribble", "seconds": 60, "interval": 1}', 1)
