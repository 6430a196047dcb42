# Sets a user pool's MFA configuration and reads it back, the paws way.
#
# With COGNITOIDP_DEMO_ENDPOINT set (as .ci/demo.sh does) it talks to that
# local Cognito emulator and first creates a pool there. Otherwise it uses
# your AWS account through the usual configuration (AWS_PROFILE, AWS_REGION,
# ...) and the pool named by COGNITOIDP_DEMO_POOL_ID: beware, it changes that
# pool's MFA settings.
library(cognitoidp)

endpoint <- Sys.getenv("COGNITOIDP_DEMO_ENDPOINT")
pool_id <- Sys.getenv("COGNITOIDP_DEMO_POOL_ID")

if (nzchar(endpoint)) {
  # The emulator accepts any credentials.
  svc <- cognitoidentityprovider(config = list(
    endpoint = endpoint,
    region = "us-east-1",
    credentials = list(creds = list(access_key_id = "demo", secret_access_key = "demo"))
  ))
  if (!nzchar(pool_id)) {
    # CreateUserPool is not (yet) an operation of the package: ask the emulator directly.
    handle <- curl::new_handle(postfields = '{"PoolName": "cognitoidp-demo"}')
    curl::handle_setheaders(handle,
      "X-Amz-Target" = "AWSCognitoIdentityProviderService.CreateUserPool",
      "Content-Type" = "application/x-amz-json-1.1"
    )
    answer <- curl::curl_fetch_memory(endpoint, handle = handle)
    pool_id <- jsonlite::fromJSON(rawToChar(answer$content))$UserPool$Id
    cat("Created user pool", pool_id, "on", endpoint, "\n\n")
  }
} else {
  if (!nzchar(pool_id)) stop("Set COGNITOIDP_DEMO_POOL_ID to the user pool to configure.")
  svc <- cognitoidentityprovider()
}

cat("== Before\n")
str(svc$get_user_pool_mfa_config(UserPoolId = pool_id))

cat("\n== set_user_pool_mfa_config: TOTP on, MFA required\n")
result <- svc$set_user_pool_mfa_config(
  UserPoolId = pool_id,
  SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
  MfaConfiguration = "ON"
)
str(result)

cat("\n== Read back with get_user_pool_mfa_config\n")
after <- svc$get_user_pool_mfa_config(UserPoolId = pool_id)
str(after)
cat("\nRead back as set:", identical(after$MfaConfiguration, "ON") &&
  identical(after$SoftwareTokenMfaConfiguration$Enabled, TRUE), "\n")

cat("\n== A bad argument is refused before anything is sent\n")
err <- tryCatch(
  svc$set_user_pool_mfa_config(UserPoolId = pool_id, SoftwareTokenMfaConfiguration = list(Enabled = "yes")),
  cognitoidp_param_error = function(e) e
)
cat(class(err)[1], ":", conditionMessage(err), "\n")

cat("\n== A service error is a classed condition, as in paws\n")
err <- tryCatch(
  svc$get_user_pool_mfa_config(UserPoolId = "us-east-1_doesnotexist"),
  ResourceNotFoundException = function(e) e
)
cat(paste(class(err), collapse = ", "), "\n", conditionMessage(err), "\n")
