# paws's configuration lists, checked and reduced to the settings the Rust
# core uses. The secret key and session token go to Rust once, when the
# service object is made, and are kept there; what stays in R is redacted.

# The fields of paws.common's Config, plus `timeout`. Those without an effect
# on Cognito calls are accepted so that paws code runs unchanged.
config_fields <- c(
  "credentials", "endpoint", "region", "close_connection", "max_retries",
  "timeout", "connect_timeout",
  "endpoint_resolver", "enforce_should_retry_check", "disable_ssl", "retryer",
  "disable_param_validation", "disable_compute_checksums", "s3_force_path_style",
  "s3_disable_100_continue", "s3_use_accelerate", "s3_disable_content_md5_validation",
  "ec2_metadata_disable_timeout_override", "use_dual_stack", "sleep_delay",
  "disable_rest_protocol_uri_cleaning", "sts_regional_endpoint", "signature_version",
  "partition_name"
)
credentials_fields <- c("creds", "profile", "anonymous", "force_refresh", "provider")
creds_fields <- c(
  "access_key_id", "secret_access_key", "session_token", "access_token",
  "expiration", "provider_name"
)
secret_fields <- c("secret_access_key", "session_token", "access_token")

# paws's merge of the constructor's shorthand arguments into `config`.
merge_config <- function(config, credentials = list(), endpoint = NULL, region = NULL) {
  check_named_list(config, "config", config_fields)
  shorthand <- list(endpoint = endpoint, region = region)
  if (length(credentials) > 0) shorthand$credentials <- credentials
  utils::modifyList(config, shorthand[!vapply(shorthand, is.null, logical(1))])
}

check_named_list <- function(x, path, fields) {
  if (!is.list(x) || (length(x) > 0 && is.null(names(x)))) {
    param_error(sprintf("Invalid argument `%s`: expected a named list, got %s", path, describe(x)), path)
  }
  unknown <- setdiff(names(x), fields)
  if (length(unknown) > 0) {
    bad <- paste0(path, "$", unknown[[1]])
    param_error(sprintf(
      "Invalid argument `%s`: unknown member; valid members are: %s",
      bad, paste(fields, collapse = ", ")
    ), bad)
  }
  invisible(x)
}

describe <- function(x) {
  if (is.null(x)) return("NULL")
  sprintf("%s of length %d", paste(class(x), collapse = "/"), length(x))
}

check_string <- function(x, path) {
  if (is.null(x)) return(NULL)
  if (!is.character(x) || length(x) != 1 || is.na(x)) {
    param_error(sprintf("Invalid argument `%s`: expected a single string, got %s", path, describe(x)), path)
  }
  x
}

check_flag <- function(x, path) {
  if (is.null(x)) return(NULL)
  if (!is.logical(x) || length(x) != 1 || is.na(x)) {
    param_error(sprintf("Invalid argument `%s`: expected TRUE or FALSE, got %s", path, describe(x)), path)
  }
  x
}

check_number <- function(x, path, min = 0, max = Inf, whole = FALSE) {
  if (is.null(x)) return(NULL)
  ok <- is.numeric(x) && length(x) == 1 && !is.na(x) && x >= min && x <= max &&
    (!whole || x == round(x))
  if (!ok) {
    what <- if (whole) "a single whole number" else "a single number"
    range <- if (is.finite(max)) sprintf("from %s to %s", min, max) else sprintf("of at least %s", min)
    param_error(sprintf("Invalid argument `%s`: expected %s %s, got %s", path, what, range, describe(x)), path)
  }
  as.numeric(x)
}

# The flat list `cip_settings_handle()` reads (see settings.rs).
config_settings <- function(config) {
  credentials <- config$credentials
  if (is.null(credentials)) credentials <- list()
  check_named_list(credentials, "config$credentials", credentials_fields)
  creds <- credentials$creds
  if (is.null(creds)) creds <- list()
  check_named_list(creds, "config$credentials$creds", creds_fields)
  settings <- list(
    region = check_string(config$region, "config$region"),
    endpoint = check_string(config$endpoint, "config$endpoint"),
    profile = check_string(credentials$profile, "config$credentials$profile"),
    access_key_id = check_string(creds$access_key_id, "config$credentials$creds$access_key_id"),
    secret_access_key = check_string(creds$secret_access_key, "config$credentials$creds$secret_access_key"),
    session_token = check_string(creds$session_token, "config$credentials$creds$session_token"),
    anonymous = check_flag(credentials$anonymous, "config$credentials$anonymous"),
    timeout = check_number(config$timeout, "config$timeout"),
    connect_timeout = check_number(config$connect_timeout, "config$connect_timeout"),
    max_retries = check_number(config$max_retries, "config$max_retries", max = 100, whole = TRUE),
    close_connection = check_flag(config$close_connection, "config$close_connection"),
    # paws's provider list has no effect here; a source of this package
    # (cognito_credentials_source()) supplies the credentials.
    credentials_source = if (inherits(credentials$provider, "cognitoidp_credentials_source")) credentials$provider$id
  )
  has_key <- nzchar(c(settings$access_key_id, "")[[1]])
  has_secret <- nzchar(c(settings$secret_access_key, "")[[1]])
  if (has_key != has_secret) {
    param_error(paste(
      "Invalid argument `config$credentials$creds`: give both access_key_id and",
      "secret_access_key, or neither"
    ), "config$credentials$creds")
  }
  settings[!vapply(settings, is.null, logical(1))]
}

# The config as shown in svc$.internal: secrets replaced by a marker.
redact_config <- function(config) {
  creds <- config$credentials$creds
  for (field in intersect(secret_fields, names(creds))) {
    if (length(creds[[field]]) == 1 && !is.na(creds[[field]]) && nzchar(creds[[field]])) {
      config$credentials$creds[[field]] <- "<redacted>"
    }
  }
  config
}
