# Runs the package's testthat suite against the installed package and ends
# with one summary line ("testthat: N passed, N failed, N skipped") that CI
# reads; exits non-zero on any failure or error.
library(testthat)
library(cognitoidp)
# Report every failure rather than stopping the run at the tenth.
options(testthat.progress.max_fails = Inf)
results <- as.data.frame(test_dir(
  "rpkg/tests/testthat",
  package = "cognitoidp",
  load_package = "installed",
  reporter = ProgressReporter$new(show_praise = FALSE, verbose_skips = TRUE),
  stop_on_failure = FALSE
))
# One row per test: a test fails on any failed expectation or error.
failed_tests <- results$failed > 0 | results$error
skipped_tests <- !failed_tests & results$skipped
passed <- sum(!failed_tests & !skipped_tests)
failed <- sum(failed_tests)
skipped <- sum(skipped_tests)
cat(sprintf("testthat: %d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0) 1 else 0)
