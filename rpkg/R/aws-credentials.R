# From a signed-in user to AWS credentials: an identity pool exchanges the
# user's ID token (or nothing, for a guest) for the temporary credentials of
# one of its roles. The Rust core (src/identity.rs) makes the unsigned calls
# and remembers the identity id per pool and login; this layer checks the
# arguments, finds the login in the tokens, and shapes the result.

cognito_aws_credentials <- function(IdentityPoolId, Tokens = NULL, CustomRoleArn = NULL, RoleArn = NULL,
                                    AccountId = NULL, config = list()) {
  if (missing(IdentityPoolId)) param_error("Invalid argument `IdentityPoolId`: is required but missing", "IdentityPoolId")
  check_identity_pool_id(IdentityPoolId)
  check_string(CustomRoleArn, "CustomRoleArn")
  check_string(RoleArn, "RoleArn")
  check_string(AccountId, "AccountId")
  if (!is.null(CustomRoleArn) && !is.null(RoleArn)) {
    param_error(paste(
      "Invalid argument `RoleArn`: give RoleArn for the basic flow or CustomRoleArn for the enhanced",
      "flow, not both"
    ), "RoleArn")
  }
  login <- identity_login(Tokens)
  config <- merge_config(config)
  # The region is the identity pool's own unless config names one.
  if (is.null(config$region) || identical(config$region, "")) config$region <- sub(":.*$", "", IdentityPoolId)
  handle <- stop_on_failure(cip_settings_handle(config_settings(config)))
  answer <- stop_on_failure(take_log(cip_aws_credentials(
    handle, IdentityPoolId, login$provider, login$token, login$subject %||% "", CustomRoleArn, AccountId, RoleArn,
    "CognitoIdentityCredentials"
  )))
  attr(answer$expiration, "tzone") <- "GMT"
  structure(unclass(answer)[c("access_key_id", "secret_access_key", "session_token", "expiration", "identity_id")],
            class = "cognitoidp_aws_credentials")
}

# An identity pool id, "<region>:<uuid>": its region is the one its calls go to.
check_identity_pool_id <- function(id) {
  check_string(id, "IdentityPoolId")
  if (is.null(id) || !grepl("^[a-z]+(-[a-z]+)+-[0-9]+:[0-9a-f-]+$", id)) {
    param_error(sprintf(
      "Invalid argument `IdentityPoolId`: expected an identity pool id such as \"us-east-1:1a2b...\", got %s",
      if (is.null(id)) "NULL" else show_string(id)
    ), "IdentityPoolId")
  }
  invisible(id)
}

# The login an identity pool takes from `Tokens`: the user pool's provider
# name (the ID token's issuer without https://), the ID token, and who it is
# (its sub); NULL for a guest. The token is read, not verified: the identity
# pool verifies it.
identity_login <- function(Tokens) {
  if (is.null(Tokens)) return(NULL)
  token <- if (is.character(Tokens)) Tokens else if (is.list(Tokens)) Tokens$IdToken
  if (!is.character(token) || length(token) != 1 || is.na(token) || !nzchar(token)) {
    param_error(paste(
      "Invalid argument `Tokens`: expected the tokens of a sign-in (with an IdToken) or an ID token,",
      "got", describe_secret(Tokens)
    ), "Tokens")
  }
  claims <- cip_token_claims(token)
  issuer <- if (is.list(claims)) claims$iss
  if (!is.character(issuer) || length(issuer) != 1 || !grepl("^https://cognito-idp\\.[^/]+/[^/]+$", issuer)) {
    param_error(paste(
      "Invalid argument `Tokens`: expected an ID token of a Cognito user pool (its issuer",
      "https://cognito-idp.<region>.amazonaws.com/<user pool id>); this one is not"
    ), "Tokens")
  }
  if (!identical(claims$token_use, "id")) {
    param_error(sprintf(
      "Invalid argument `Tokens`: identity pools take the ID token, not the %s token",
      if (is.character(claims$token_use)) claims$token_use[[1]] else "other"
    ), "Tokens")
  }
  list(provider = sub("^https://", "", issuer), token = token,
       subject = if (is.character(claims$sub)) claims$sub[[1]] else "")
}

# What a bad Tokens argument is, without its value.
describe_secret <- function(x) {
  if (is.null(x)) return("NULL")
  sprintf("%s of length %d (not shown)", paste(class(x), collapse = "/"), length(x))
}

format.cognitoidp_aws_credentials <- function(x, ...) {
  expiration <- x$expiration
  left <- as.numeric(difftime(expiration, Sys.time(), units = "mins"))
  when <- if (length(left) == 1 && !is.na(left)) {
    if (left >= 0) sprintf("in %.0f min", left) else sprintf("%.0f min ago", -left)
  } else {
    "unknown"
  }
  sprintf("<AWS credentials %s of identity %s, expiring %s (%s)>", x$access_key_id, x$identity_id,
          format(expiration, "%Y-%m-%d %H:%M:%S %Z", tz = "GMT"), when)
}

print.cognitoidp_aws_credentials <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

str.cognitoidp_aws_credentials <- function(object, ...) {
  cat("List of 5 (cognitoidp_aws_credentials; the secret key and session token not shown)\n")
  cat(" $ access_key_id    : chr ", encodeString(object$access_key_id, quote = "\""), "\n", sep = "")
  cat(" $ secret_access_key: <secret>\n")
  cat(" $ session_token    : <secret>\n")
  cat(" $ expiration       : POSIXct ", format(object$expiration, "%Y-%m-%d %H:%M:%S", tz = "GMT"), " GMT\n", sep = "")
  cat(" $ identity_id      : chr ", encodeString(object$identity_id, quote = "\""), "\n", sep = "")
  invisible()
}

# The `creds` of a paws configuration, for paws's clients and this
# package's: paws::s3(config = list(credentials = list(creds = cognito_paws_creds(x)))).
cognito_paws_creds <- function(x) {
  check_aws_credentials(x)
  list(access_key_id = x$access_key_id, secret_access_key = x$secret_access_key,
       session_token = x$session_token, expiration = x$expiration)
}

# Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
# AWS_CREDENTIAL_EXPIRATION for this process and the processes it starts;
# returns the previous values (NA where unset), for Sys.setenv() or
# withr::local_envvar() to put back.
cognito_set_aws_env <- function(x) {
  check_aws_credentials(x)
  values <- c(
    AWS_ACCESS_KEY_ID = x$access_key_id,
    AWS_SECRET_ACCESS_KEY = x$secret_access_key,
    AWS_SESSION_TOKEN = x$session_token,
    AWS_CREDENTIAL_EXPIRATION = format(x$expiration, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
  )
  previous <- Sys.getenv(names(values), unset = NA, names = TRUE)
  do.call(Sys.setenv, as.list(values))
  invisible(previous)
}

check_aws_credentials <- function(x) {
  if (!inherits(x, "cognitoidp_aws_credentials")) {
    param_error(sprintf(
      "Invalid argument `x`: expected the result of cognito_aws_credentials(), got %s", describe_secret(x)
    ), "x")
  }
  invisible(x)
}

# ---- credentials that stay fresh -------------------------------------------------

# A credentials source for this package's service objects that renews
# itself: before the credentials expire, the SDK asks it for new ones, and
# it refreshes the user's tokens (refresh token, secret hash, device key, as
# cognito_refresh() does) and exchanges them again, in the Rust core. Use it
# as config$credentials$provider.
cognito_credentials_source <- function(svc, Tokens, IdentityPoolId, ClientSecret = NULL, CustomRoleArn = NULL,
                                       RoleArn = NULL, AccountId = NULL, config = list()) {
  new_credentials_source(svc, Tokens, IdentityPoolId, ClientSecret, CustomRoleArn, RoleArn, AccountId, config)
}

# `max_lifetime` (seconds) makes the credentials expire sooner than the pool
# says: the tests see renewals without waiting an hour.
new_credentials_source <- function(svc, Tokens, IdentityPoolId, ClientSecret = NULL, CustomRoleArn = NULL,
                                   RoleArn = NULL, AccountId = NULL, config = list(), max_lifetime = NULL) {
  check_service(svc)
  if (!inherits(Tokens, "cognitoidp_tokens")) {
    param_error(sprintf("Invalid argument `Tokens`: expected tokens from cognito_sign_in(), got %s", describe(Tokens)),
                "Tokens")
  }
  if (length(Tokens$RefreshToken) != 1) {
    param_error("Invalid argument `Tokens`: these tokens hold no refresh token", "Tokens")
  }
  check_identity_pool_id(IdentityPoolId)
  check_string(CustomRoleArn, "CustomRoleArn")
  check_string(RoleArn, "RoleArn")
  check_string(AccountId, "AccountId")
  if (!is.null(ClientSecret)) check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  login <- identity_login(Tokens)
  flow <- flow_of(Tokens)
  secret_hash <- flow$SecretHash
  if (!is.null(ClientSecret)) {
    internal <- flow$InternalUsername %||% token_username(Tokens)
    if (is.null(internal)) param_error("Invalid argument `Tokens`: the user's name is not in them", "Tokens")
    secret_hash <- secret_hash_of(internal, flow$ClientId, ClientSecret)
  }
  config <- merge_config(config)
  if (is.null(config$region) || identical(config$region, "")) config$region <- sub(":.*$", "", IdentityPoolId)
  identity_handle <- stop_on_failure(cip_settings_handle(config_settings(config)))
  made <- stop_on_failure(cip_credentials_source(
    environment(svc$initiate_auth)$.cip_handle, identity_handle, IdentityPoolId, login$provider, login$subject,
    flow$ClientId, Tokens$RefreshToken, secret_hash, flow$DeviceKey, CustomRoleArn, AccountId, RoleArn,
    "CognitoIdentityCredentials", max_lifetime
  ))
  structure(list(id = made$id, identity_pool_id = IdentityPoolId, client_id = flow$ClientId, handle = made$handle),
            class = "cognitoidp_credentials_source")
}

format.cognitoidp_credentials_source <- function(x, ...) {
  sprintf("<credentials source: identity pool %s, user-pool app client %s, renewed as needed>",
          x$identity_pool_id, x$client_id)
}

print.cognitoidp_credentials_source <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

str.cognitoidp_credentials_source <- function(object, ...) {
  cat(format(object), "\n", sep = "")
  invisible()
}
