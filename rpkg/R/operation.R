# How every operation is sent: one code path for all of them.

# The service handle of package-level functions: NULL is the default
# configuration (environment variables and shared AWS files). Operations
# bound to a service object see that object's handle instead, through their
# enclosing environment (see bind_operation()).
.cip_handle <- NULL

send_operation <- function(service, operation, args, handle) {
  stop_on_failure(take_log(cip_call(handle, service, operation, args)))
}

# With options(paws.log_level) set, the log lines of what the core sent come
# along with its result: writes them out and returns the result without them.
take_log <- function(result) {
  lines <- attr(result, "log", exact = TRUE)
  if (!is.null(lines)) {
    attr(result, "log") <- NULL
    write_log(lines)
  }
  result
}

# A copy of operation function `f` that sends with `handle`.
bind_operation <- function(f, handle) {
  env <- new.env(parent = environment(f))
  env$.cip_handle <- handle
  environment(f) <- env
  f
}

# Writes log lines where paws writes them: to the file named by
# options(paws.log_file), else to R's message stream (so suppressMessages()
# and sink(type = "message") work).
write_log <- function(lines) {
  file <- getOption("paws.log_file")
  if (is.character(file) && length(file) == 1 && !is.na(file) && nzchar(file)) {
    cat(lines, file = file, sep = "\n", append = TRUE)
  } else {
    for (line in lines) message(line)
  }
}
