# Runs the package's testthat suite against the installed package and ends
# with one summary line ("testthat: N passed, N failed, N skipped") that CI
# reads; exits non-zero on any failure or error.
library(testthat)
library(cognitoidp)
results <- as.data.frame(test_dir(
  "rpkg/tests/testthat",
  package = "cognitoidp",
  load_package = "installed",
  reporter = ProgressReporter$new(show_praise = FALSE),
  stop_on_failure = FALSE
))
passed <- sum(results$passed)
failed <- sum(results$failed) + sum(results$error)
skipped <- sum(results$skipped)
cat(sprintf("testthat: %d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0) 1 else 0)
