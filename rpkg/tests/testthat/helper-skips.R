# Skips by design. Under CI=true, .ci/testthat.R fails the run on any skipped
# test (a skip there means something the suite needs was missing), except
# those whose reason starts with "[expected] ": a test that cannot run on a
# platform by design says so with skip_expected(), and only that way.

expected_skip_prefix <- "[expected] "

skip_expected <- function(reason) testthat::skip(paste0(expected_skip_prefix, reason))

# For tests of what Windows lacks (fork, Unix signals).
skip_expected_on_windows <- function(why) {
  if (.Platform$OS.type == "windows") skip_expected(paste("not on Windows:", why))
}
