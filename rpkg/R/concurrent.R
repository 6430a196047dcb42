# Many calls of one operation at once: what paws, calling from R's single
# thread, cannot do. The Rust core keeps up to `concurrency` requests in
# flight; this loop only asks it for progress and draws the progress bar.

call_concurrently <- function(operation, requests, concurrency = 16L, progress = interactive()) {
  name <- operation_name(operation)
  if (!is.list(requests)) {
    param_error(sprintf("Invalid argument `requests`: expected a list of argument lists, got %s", describe(requests)), "requests")
  }
  if (is.null(concurrency)) param_error("Invalid argument `concurrency`: expected a whole number, got NULL", "concurrency")
  concurrency <- check_number(concurrency, "concurrency", min = 1, max = 10000, whole = TRUE)
  check_flag(progress, "progress")
  if (length(requests) == 0) return(list())

  arg_names <- names(formals(operation))
  requests <- lapply(requests, name_arguments, arg_names = arg_names)
  job <- stop_on_failure(cip_batch_start(environment(operation)$.cip_handle, name, requests, as.integer(concurrency)))
  # On an interrupt or error, drop what is still waiting or in flight.
  on.exit(cip_batch_cancel(job), add = TRUE)

  bar <- NULL
  if (isTRUE(progress) && requireNamespace("cli", quietly = TRUE)) {
    bar <- cli::cli_progress_bar(name = name, total = length(requests), .envir = environment())
  }
  repeat {
    finished <- stop_on_failure(cip_batch_poll(job, 0.1))
    if (!is.null(bar)) cli::cli_progress_update(id = bar, set = finished, .envir = environment())
    if (finished >= length(requests)) break
  }
  if (!is.null(bar)) cli::cli_progress_done(id = bar, .envir = environment())
  results <- stop_on_failure(cip_batch_results(job))
  lapply(results, function(r) if (is_failure(r)) failure_condition(r) else r)
}

# The paws name of an operation function (package-level or from a service
# object): they share their body.
operation_name <- function(operation) {
  if (is.function(operation)) {
    operations <- .cognitoidentityprovider_operations()
    for (name in names(operations)) {
      if (identical(body(operations[[name]]), body(operation))) return(name)
    }
  }
  param_error(paste(
    "Invalid argument `operation`: expected an operation of this package,",
    "such as svc$set_user_pool_mfa_config"
  ), "operation")
}

# Names unnamed arguments by position, as a call would match them.
name_arguments <- function(args, arg_names) {
  if (!is.list(args)) return(args) # reported for this request by the Rust core
  nms <- names(args)
  if (is.null(nms)) nms <- rep("", length(args))
  unnamed <- which(!nzchar(nms) | is.na(nms))
  nms[unnamed] <- setdiff(arg_names, nms)[seq_along(unnamed)]
  names(args) <- nms
  args
}
