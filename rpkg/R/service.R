# The service objects of every service (the constructors, generated into
# <service>_operations.R, call new_service()): as in paws, a plain list of
# the operations, each the package-level function bound to the object's
# configuration, and `.internal$config` with the secrets redacted.
#
# The handle the operations share keeps the configuration in the Rust core
# and, for serialization, as the external pointer's protected value: a
# service object sent to a parallel worker or saved with saveRDS() works
# there too (explicit credentials travel with it, as in paws; otherwise the
# worker's own environment and files supply them). The handle holds no
# service: each operation names its own.

new_service <- function(service, operations, config = list(), credentials = list(), endpoint = NULL, region = NULL) {
  config <- merge_config(config, credentials = credentials, endpoint = endpoint, region = region)
  handle <- stop_on_failure(cip_settings_handle(config_settings(config)))
  svc <- lapply(operations, bind_operation, handle = handle)
  svc$.internal <- list(config = redact_config(config))
  svc
}
