# How every operation is sent: one code path for all of them.

# The service handle of package-level functions: NULL is the default
# configuration (environment variables and shared AWS files). Operations
# bound to a service object see that object's handle instead, through their
# enclosing environment (see bind_operation()).
.cip_handle <- NULL

send_operation <- function(operation, args, handle) {
  stop_on_failure(cip_call(handle, operation, args))
}

# A copy of operation function `f` that sends with `handle`.
bind_operation <- function(f, handle) {
  env <- new.env(parent = environment(f))
  env$.cip_handle <- handle
  environment(f) <- env
  f
}
