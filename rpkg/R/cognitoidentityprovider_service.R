
# The operations a service object offers, by their paws names. Each is the
# package-level function, bound to the object's configuration.
.cognitoidentityprovider_operations <- function() {
  list(
    get_user_pool_mfa_config = cognitoidentityprovider_get_user_pool_mfa_config,
    set_user_pool_mfa_config = cognitoidentityprovider_set_user_pool_mfa_config
  )
}

cognitoidentityprovider <- function(config = list(), credentials = list(), endpoint = NULL, region = NULL) {
  config <- merge_config(config, credentials = credentials, endpoint = endpoint, region = region)
  handle <- stop_on_failure(cip_settings_handle(config_settings(config)))
  svc <- lapply(.cognitoidentityprovider_operations(), bind_operation, handle = handle)
  svc$.internal <- list(config = redact_config(config))
  svc
}
