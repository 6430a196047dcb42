# Many calls of one operation at once: what paws, calling from R's single
# thread, cannot do. The Rust core keeps up to `concurrency` requests in
# flight; R only asks it for progress (run_job()) and draws the progress bar.

call_concurrently <- function(operation, requests, concurrency = 16L, progress = interactive()) {
  op <- operation_of(operation)
  name <- op[["name"]]
  if (!is.list(requests)) {
    param_error(sprintf("Invalid argument `requests`: expected a list of argument lists, got %s", describe(requests)), "requests")
  }
  if (is.null(concurrency)) param_error("Invalid argument `concurrency`: expected a whole number, got NULL", "concurrency")
  concurrency <- check_number(concurrency, "concurrency", min = 1, max = 10000, whole = TRUE)
  check_flag(progress, "progress")
  if (length(requests) == 0) return(list())

  arg_names <- names(formals(operation))
  requests <- lapply(requests, name_arguments, arg_names = arg_names)
  job <- stop_on_failure(cip_batch_start(environment(operation)$.cip_handle, op[["service"]], name, requests,
                                         as.integer(concurrency)))
  results <- run_job(job, name, total = length(requests), progress = progress)
  lapply(results, function(r) if (is_failure(r)) failure_condition(r) else r)
}

# Polls a job of the Rust core (a batch or a pagination) until it is done,
# with a progress bar (cli) when `progress` is TRUE, and returns its results.
# On an interrupt or error, what is still waiting or in flight is dropped.
run_job <- function(job, name, total = NA, progress = FALSE) {
  on.exit(cip_job_cancel(job), add = TRUE)
  bar <- NULL
  if (isTRUE(progress) && requireNamespace("cli", quietly = TRUE)) {
    bar <- cli::cli_progress_bar(name = name, total = total, .envir = environment())
  }
  repeat {
    state <- stop_on_failure(cip_job_poll(job, 0.1))
    if (length(state$log) > 0) write_log(state$log)
    if (!is.null(bar)) cli::cli_progress_update(id = bar, set = state$finished, .envir = environment())
    if (state$done) break
  }
  if (!is.null(bar)) cli::cli_progress_done(id = bar, .envir = environment())
  stop_on_failure(cip_job_results(job))
}

# The service and paws name of an operation function (package-level or from
# a service object), c(service = , name = ): the generated functions end in
# send_operation("<service>", "<name>", ...).
operation_of <- function(operation) {
  if (is.function(operation)) {
    b <- body(operation)
    last <- if (is.call(b) && identical(b[[1]], as.name("{"))) b[[length(b)]] else b
    if (is.call(last) && identical(last[[1]], as.name("send_operation")) && length(last) >= 3 &&
        is.character(last[[2]]) && is.character(last[[3]])) {
      service <- last[[2]]
      name <- last[[3]]
      own <- get0(paste0(service, "_", name), envir = topenv(), mode = "function", inherits = FALSE)
      if (!is.null(own) && identical(body(own), b)) return(c(service = service, name = name))
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
