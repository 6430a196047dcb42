# Runs the package's testthat suite against the installed package and ends
# with one summary line ("testthat: N passed, N failed, N skipped") that CI
# reads; exits non-zero on any failure or error.
#
# Under CI=true (as CI runs), a skipped test fails the run too: a skip there
# means a server, package or fixture the suite needs was missing, and the
# tests that needed it checked nothing. A test that cannot run on a platform
# by design declares it with skip_expected() (helper-skips.R), whose reason
# starts with "[expected] "; those skips are counted apart and allowed.
#
# Usage: Rscript .ci/testthat.R [DIR]   (DIR: rpkg/tests/testthat)
library(testthat)
library(cognitoidp)
# Report every failure rather than stopping the run at the tenth.
options(testthat.progress.max_fails = Inf)
dir <- c(commandArgs(trailingOnly = TRUE), "rpkg/tests/testthat")[[1]]
run <- test_dir(
  dir,
  package = "cognitoidp",
  load_package = "installed",
  reporter = ProgressReporter$new(show_praise = FALSE, verbose_skips = TRUE),
  stop_on_failure = FALSE
)
results <- as.data.frame(run)
# The reasons of each test's skips (testthat writes "Reason: <message>").
skip_reasons <- lapply(run, function(test) {
  skips <- Filter(function(e) inherits(e, "expectation_skip"), test$results)
  sub("^Reason: ", "", vapply(skips, conditionMessage, ""))
})
expected_skip <- vapply(skip_reasons, function(r) length(r) > 0 && all(startsWith(r, "[expected] ")), logical(1))
# One row per test: a test fails on any failed expectation or error.
failed_tests <- results$failed > 0 | results$error
skipped_tests <- !failed_tests & results$skipped
unexpected <- skipped_tests & !expected_skip
passed <- sum(!failed_tests & !skipped_tests)
failed <- sum(failed_tests)
skipped <- sum(skipped_tests)
on_ci <- identical(tolower(Sys.getenv("CI")), "true")
if (on_ci && any(unexpected)) {
  cat("\nSkipped tests fail the run under CI=true (declare a skip by design with skip_expected()):\n")
  for (i in which(unexpected)) {
    cat(sprintf("- %s: %s: %s\n", results$file[[i]], results$test[[i]], paste(skip_reasons[[i]], collapse = "; ")))
  }
}
# The failed tests again, at the end: CI shows only the end of the output,
# and the reporter's details come before the summary of every file.
if (failed > 0) {
  cat("\nFailed tests:\n")
  for (i in which(failed_tests)) {
    problems <- Filter(function(e) inherits(e, c("expectation_failure", "expectation_error")), run[[i]]$results)
    first <- if (length(problems) > 0) strtrim(gsub("\\s+", " ", conditionMessage(problems[[1]])), 400) else ""
    cat(sprintf("- %s: %s: %s\n", results$file[[i]], results$test[[i]], first))
  }
}
# The summary line alone, as CI reads it; the expected skips on the line before.
cat(sprintf("%d of the skipped tests skipped by design (skip_expected())\n", sum(skipped_tests & expected_skip)))
cat(sprintf("testthat: %d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0 || (on_ci && any(unexpected))) 1 else 0)
