# The test every service's operations get: each one's smallest valid
# arguments (cip_minimal_args) pass the local checks and reach moto in one
# request; a wrong type on a required member is refused before sending.
# Returns how moto answered each: "answered" or the condition's first class.
# `check` runs on each request moto received, with the operation's name.
expect_operations_reach_moto <- function(svc, service, operations, check = function(request, op) NULL) {
  outcomes <- character()
  for (op in operations) {
    args <- cognitoidp:::cip_minimal_args(service, op)
    expect_false(cognitoidp:::is_failure(args), info = op)
    before <- moto_request_count()
    result <- tryCatch(do.call(svc[[op]], args), error = function(e) e)
    # Any answer from the server will do (moto lacks some operations and
    # refuses placeholder values); an error raised before sending will not.
    expect_false(inherits(result, "cognitoidp_param_error"), info = paste(op, conditionMessage(result)))
    expect_false(inherits(result, "cognitoidp_request_error"), info = op)
    expect_identical(moto_request_count(), before + 1L, info = op)
    check(moto_requests()[[before + 1L]], op)
    outcomes[[op]] <- if (inherits(result, "error")) class(result)[[1]] else "answered"

    required <- names(formals(svc[[op]]))[vapply(formals(svc[[op]]), identical, logical(1), quote(expr = ))]
    if (length(required) > 0) {
      bad <- args
      bad[[required[[1]]]] <- function() NULL
      before <- moto_request_count()
      err <- catch_error(do.call(svc[[op]], bad))
      expect_s3_class(err, "cognitoidp_param_error")
      expect_identical(err$path, required[[1]], info = op)
      expect_identical(moto_request_count(), before, info = op)
    }
  }
  outcomes
}

# The operations moto lacks among `outcomes`.
moto_lacks <- function(outcomes) names(outcomes)[outcomes %in% c("UnknownError", "cognitoidp_response_error")]
