# The R wrappers and the routines the Rust library registers agree: every
# .Call here names a registered routine with the same number of arguments,
# and every registered routine of the package (not extendr's own) is used.

test_that("the .Call wrappers match the registered routines", {
  registered <- getDLLRegisteredRoutines("cognitoidp")$.Call
  ns <- asNamespace("cognitoidp")
  wrappers <- ls(ns, pattern = "^cip_")
  wrappers <- wrappers[vapply(wrappers, function(n) is.function(ns[[n]]), logical(1))]
  used <- character()
  for (name in wrappers) {
    calls <- Filter(function(e) is.call(e) && identical(e[[1]], as.name(".Call")), as.list(body(ns[[name]])))
    # A one-line wrapper's body is the call itself, or sits in invisible().
    b <- body(ns[[name]])
    if (is.call(b) && identical(b[[1]], as.name("invisible"))) b <- b[[2]]
    if (is.call(b) && identical(b[[1]], as.name(".Call"))) calls <- list(b)
    for (call in calls) {
      routine <- as.character(call[[2]])
      used <- c(used, routine)
      expect_true(routine %in% names(registered), info = name)
      expect_identical(registered[[routine]]$numParameters, length(call) - 2L, info = name)
    }
  }
  own <- grep("^wrap__(get_.*_metadata|make_.*_wrappers)$", names(registered), value = TRUE, invert = TRUE)
  expect_setequal(used, own)
})
