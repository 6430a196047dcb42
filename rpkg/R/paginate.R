# Pagination as in paws.common: paginate(), paginate_lapply(),
# paginate_sapply() and list_paginators(), with the same arguments and
# results. `Operation` is the unevaluated call of a paginated operation,
# `svc$list_users(UserPoolId = id)` or `do.call(svc$list_users, args)`; the
# Rust core then fetches every page in one go (no R round trip per page).

paginate <- function(Operation, PageSize = NULL, MaxItems = NULL, StartingToken = NULL, StopOnSameToken = FALSE) {
  request <- paginated_request(substitute(Operation), parent.frame(), PageSize, StartingToken)
  fetch_pages(request, MaxItems, StopOnSameToken)
}

paginate_lapply <- function(Operation, FUN, ..., PageSize = NULL, MaxItems = NULL, StartingToken = NULL,
                            StopOnSameToken = FALSE) {
  FUN <- match.fun(FUN)
  request <- paginated_request(substitute(Operation), parent.frame(), PageSize, StartingToken)
  lapply(fetch_pages(request, MaxItems, StopOnSameToken), FUN, ...)
}

paginate_sapply <- function(Operation, FUN, ..., simplify = TRUE, PageSize = NULL, MaxItems = NULL,
                            StartingToken = NULL, StopOnSameToken = FALSE) {
  FUN <- match.fun(FUN)
  request <- paginated_request(substitute(Operation), parent.frame(), PageSize, StartingToken)
  result <- lapply(fetch_pages(request, MaxItems, StopOnSameToken), FUN, ...)
  if (isFALSE(simplify)) result else simplify2array(result, higher = identical(simplify, "array"))
}

# The operations of service object `svc` that can be paginated.
list_paginators <- function(svc) {
  is_op <- vapply(svc, is.function, logical(1))
  if (!any(is_op)) return(character(0))
  service <- operation_of(svc[is_op][[1]])[["service"]]
  intersect(names(svc)[is_op], names(paginators_of(service)))
}

# The paginators of a service, as its generated file declares them.
paginators_of <- function(service) {
  get(paste0(".", service, "_paginators"), envir = topenv(), inherits = FALSE)
}

# The operation, its arguments (evaluated in `env`) and its paginator, from
# the unevaluated call `call`. PageSize and StartingToken fill the limit and
# input token members unless the call gives them.
paginated_request <- function(call, env, PageSize, StartingToken) {
  if (!is.call(call)) {
    param_error("Invalid argument `Operation`: expected a call such as svc$list_users(UserPoolId = id)", "Operation")
  }
  if (identical(call[[1]], as.name("do.call"))) {
    fn <- eval(call[[2]], env)
    args <- as.list(eval(call[[3]], env))
  } else {
    fn <- eval(call[[1]], env)
    if (!is.function(fn)) param_error("Invalid argument `Operation`: expected a call of an operation", "Operation")
    matched <- match.call(fn, call, expand.dots = FALSE)
    args <- lapply(as.list(matched)[-1], eval, envir = env)
  }
  op <- operation_of(fn)
  name <- op[["name"]]
  paginators <- paginators_of(op[["service"]])
  paginator <- paginators[[name]]
  if (is.null(paginator)) {
    param_error(sprintf("Invalid argument `Operation`: `%s` cannot be paginated; these can: %s", name,
                        paste(names(paginators), collapse = ", ")), "Operation")
  }
  args <- name_arguments(args, names(formals(fn)))
  if (is.null(args[[paginator$input_token]]) && !is.null(StartingToken)) {
    args[[paginator$input_token]] <- StartingToken
  }
  if (!is.null(paginator$limit_key) && is.null(args[[paginator$limit_key]]) && !is.null(PageSize)) {
    args[[paginator$limit_key]] <- PageSize
  }
  list(service = op[["service"]], name = name, handle = environment(fn)$.cip_handle, args = args)
}

# Every page (a whole answer each), fetched by the Rust core.
fetch_pages <- function(request, MaxItems, StopOnSameToken) {
  if (!is.null(MaxItems)) MaxItems <- check_number(MaxItems, "MaxItems", min = 1, whole = TRUE)
  check_flag(StopOnSameToken, "StopOnSameToken")
  job <- stop_on_failure(cip_paginate_start(request$handle, request$service, request$name, request$args, MaxItems,
                                            isTRUE(StopOnSameToken)))
  result <- run_job(job, request$name, progress = interactive())[[1]]
  stop_on_failure(result)
}
