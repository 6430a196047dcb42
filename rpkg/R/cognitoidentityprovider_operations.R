# The operations. Each builds the named list of its arguments, in the order of
# the API's input shape, and sends it; the Rust core checks every member
# against the SDK's schema before anything goes on the wire.

cognitoidentityprovider_set_user_pool_mfa_config <- function(UserPoolId, SmsMfaConfiguration = NULL,
                                                             SoftwareTokenMfaConfiguration = NULL,
                                                             MfaConfiguration = NULL,
                                                             EmailMfaConfiguration = NULL,
                                                             WebAuthnConfiguration = NULL) {
  # A missing required argument is reported like any other missing member.
  if (missing(UserPoolId)) UserPoolId <- NULL
  args <- list(
    UserPoolId = UserPoolId,
    SmsMfaConfiguration = SmsMfaConfiguration,
    SoftwareTokenMfaConfiguration = SoftwareTokenMfaConfiguration,
    EmailMfaConfiguration = EmailMfaConfiguration,
    MfaConfiguration = MfaConfiguration,
    WebAuthnConfiguration = WebAuthnConfiguration
  )
  send_operation("set_user_pool_mfa_config", args, .cip_handle)
}

cognitoidentityprovider_get_user_pool_mfa_config <- function(UserPoolId) {
  if (missing(UserPoolId)) UserPoolId <- NULL
  send_operation("get_user_pool_mfa_config", list(UserPoolId = UserPoolId), .cip_handle)
}
