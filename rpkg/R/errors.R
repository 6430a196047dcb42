# Failures come back from Rust as a list of class "cognitoidp_failure"
# (extendr cannot raise classed conditions); here they become conditions.
#
# Service errors carry paws's classes, with the AWS error code first so that
# tryCatch(ResourceNotFoundException = ...) works. Failures without an HTTP
# answer are classed under "cognitoidp_error":
#   cognitoidp_param_error        a bad argument; nothing was sent
#   cognitoidp_credentials_error  no usable credentials
#   cognitoidp_connection_error   the request could not be sent
#   cognitoidp_tls_error          the TLS handshake failed (also a connection error)
#   cognitoidp_timeout_error      no answer in time (for a key set or an OAuth
#                                 endpoint: no complete answer by the deadline,
#                                 options cognitoidp.jwks_timeout / oauth_timeout)
#   cognitoidp_response_error     an answer that could not be read (or over 1 MiB)
#   cognitoidp_request_error      the request could not be built (no region, ...);
#                                 also a bug caught in the Rust core ("internal
#                                 error"), which never crosses into R as a panic
#   cognitoidp_token_error        a token that is not to be trusted, with the
#                                 failed check's class first (cognitoidp_token_expired_error, ...)
# A Ctrl-C while a call waits is not an error: the request is dropped and R's
# own interrupt is raised, as for a Ctrl-C during Sys.sleep().

is_failure <- function(x) inherits(x, "cognitoidp_failure")

failure_condition <- function(failure) {
  if (identical(failure$kind, "service")) {
    return(service_error(failure))
  }
  fields <- list(message = failure$message, call = NULL)
  if (!is.null(failure$path)) fields$path <- failure$path
  if (!is.null(failure$attempts)) fields$attempts <- failure$attempts
  kinds <- if (identical(failure$kind, "tls")) c("tls", "connection") else failure$kind
  classes <- paste0("cognitoidp_", kinds, "_error")
  # A token that is not to be trusted says which check failed, first.
  if (identical(failure$kind, "token")) classes <- unique(c(failure$class, classes))
  structure(fields, class = c(classes, "cognitoidp_error", "error", "condition"))
}

service_error <- function(failure) {
  code <- failure$code
  status <- failure$status_code
  error_response <- list(`__type` = code, message = failure$message)
  message <- sprintf("%s (HTTP %d). %s", code, status, failure$message)
  attempts <- failure$attempts
  if (!is.na(attempts) && attempts > 1) message <- sprintf("%s (after %d attempts)", message, attempts)
  structure(
    list(
      message = message,
      call = NULL,
      status_code = status,
      error_response = error_response,
      request_id = failure$request_id,
      attempts = attempts
    ),
    class = unique(c(code, "paws_error", paste0("http_", status), "http_error", "error", "condition"))
  )
}

# Raises the condition for `result` if it is a failure; returns it otherwise.
stop_on_failure <- function(result) {
  if (is_failure(result)) {
    if (identical(result$kind, "interrupt")) raise_interrupt()
    stop(failure_condition(result))
  }
  result
}

# R's own interrupt, as a Ctrl-C gives it: the Rust core has consumed the
# user's SIGINT while it waited, so the process signals itself again and R
# raises the `interrupt` condition (which `tryCatch(error = )` does not catch)
# at its next check, inside the sleep. Where interrupts are suspended the
# sleep ends instead; then the condition is signalled and R returns to the
# top level, which is what R itself does with an interrupt.
raise_interrupt <- function() {
  tools::pskill(Sys.getpid(), tools::SIGINT)
  Sys.sleep(2)
  signalCondition(structure(list(message = "", call = NULL), class = c("interrupt", "condition")))
  invokeRestart("abort")
}

param_error <- function(message, path = NULL) {
  stop(failure_condition(list(kind = "param", message = message, path = path)))
}
