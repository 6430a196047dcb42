# A short, real workflow, the paws way: a user pool with an app client and a
# user, the user signing in by SRP as the AWS apps do (no AWS credentials at
# all; the password never leaves the machine), a refresh, the ID token
# verified, the user's AWS credentials from an identity pool, a paginated
# listing, and the pool's MFA configuration set and read back.
#
# With COGNITOIDP_DEMO_ENDPOINT set (as .ci/demo.sh does) it talks to that
# local Cognito emulator, which accepts any credentials. Otherwise it uses
# your AWS account through the usual configuration (AWS_PROFILE, AWS_REGION,
# ...): it then creates a pool named "cognitoidp-demo-<time>" and deletes it
# at the end.
library(cognitoidp)

endpoint <- Sys.getenv("COGNITOIDP_DEMO_ENDPOINT")
if (nzchar(endpoint)) {
  config <- list(endpoint = endpoint, region = "us-east-1")
  admin_config <- c(config, list(credentials = list(creds = list(access_key_id = "demo", secret_access_key = "demo"))))
} else {
  config <- list()
  admin_config <- list()
}
svc <- cognitoidentityprovider(config = admin_config)

cat("== create_user_pool, create_user_pool_client\n")
pool <- svc$create_user_pool(
  PoolName = paste0("cognitoidp-demo-", format(Sys.time(), "%Y%m%d%H%M%S")),
  Policies = list(PasswordPolicy = list(MinimumLength = 10, RequireNumbers = TRUE)),
  UserPoolTags = list(purpose = "demo")
)$UserPool
pool_id <- pool$Id
cat("Pool", pool_id, "created at", format(pool$CreationDate), "(a POSIXct in GMT)\n")
client_id <- svc$create_user_pool_client(
  UserPoolId = pool_id, ClientName = "demo-app",
  ExplicitAuthFlows = c("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
)$UserPoolClient$ClientId

cat("\n== admin_create_user, admin_set_user_password\n")
svc$admin_create_user(UserPoolId = pool_id, Username = "ada", MessageAction = "SUPPRESS",
                      UserAttributes = list(list(Name = "email", Value = "ada@example.com")))
svc$admin_set_user_password(UserPoolId = pool_id, Username = "ada", Password = "Analytical-Engine-1843",
                            Permanent = TRUE)

cat("\n== cognito_sign_in() by SRP, get_user, cognito_refresh(), with no AWS credentials (a public app)\n")
app <- cognitoidentityprovider(config = c(config, list(credentials = list(anonymous = TRUE))))
tokens <- cognito_sign_in(app, UserPoolId = pool_id, ClientId = client_id,
                          Username = "ada", Password = "Analytical-Engine-1843")
print(tokens)
me <- app$get_user(AccessToken = tokens$AccessToken)
cat("get_user says:", me$Username, "with", length(me$UserAttributes), "attributes\n")
print(cognito_refresh(app, tokens))

cat("\n== cognito_verify_token(): the ID token's signature (the pool's keys), expiry, issuer, use and client\n")
# A local emulator serves the pool's keys itself; against AWS, the pool's own
# key set is fetched.
jwks <- if (nzchar(endpoint)) paste0(endpoint, "/", pool_id, "/.well-known/jwks.json")
claims <- cognito_verify_token(tokens$IdToken, UserPoolId = pool_id, TokenUse = "id", ClientId = client_id,
                               JwksUri = jwks)
cat("Trusted: the token of", claims$`cognito:username`, "for", claims$aud, "until", format(claims$exp, usetz = TRUE), "\n")
wrong <- tryCatch(cognito_verify_token(tokens$IdToken, UserPoolId = pool_id, TokenUse = "access",
                                       ClientId = client_id, JwksUri = jwks),
                  cognitoidp_token_error = function(e) e)
cat("As an access token:", class(wrong)[1], "\n")

cat("\n== cognito_aws_credentials(): from the signed-in user to AWS credentials, through an identity pool\n")
# Identity pools are paws's second Cognito client: cognitoidentity(). The
# exchange itself needs no AWS credentials. Against AWS the pool's users need
# a role: set COGNITOIDP_DEMO_ROLE_ARN to one that trusts
# cognito-identity.amazonaws.com, else this step is left out there.
role_arn <- Sys.getenv("COGNITOIDP_DEMO_ROLE_ARN")
identity_pool_id <- NULL
if (nzchar(endpoint) || nzchar(role_arn)) {
  ids <- cognitoidentity(config = admin_config)
  identity_pool_id <- ids$create_identity_pool(
    IdentityPoolName = paste0("cognitoidp_demo_", format(Sys.time(), "%Y%m%d%H%M%S")),
    AllowUnauthenticatedIdentities = FALSE,
    CognitoIdentityProviders = list(list(ProviderName = sub("^https://", "", claims$iss), ClientId = client_id))
  )$IdentityPoolId
  if (nzchar(role_arn)) ids$set_identity_pool_roles(IdentityPoolId = identity_pool_id, Roles = list(authenticated = role_arn))
  creds <- cognito_aws_credentials(identity_pool_id, tokens, config = config)
  print(creds)
  cat("For paws: paws::s3(config = list(credentials = list(creds = cognito_paws_creds(creds))))\n")
}

cat("\n== paginate(): 12 more users, listed 5 to a page\n")
for (i in 1:12) svc$admin_create_user(UserPoolId = pool_id, Username = sprintf("user%02d", i), MessageAction = "SUPPRESS")
pages <- paginate(svc$list_users(UserPoolId = pool_id), PageSize = 5)
cat(length(pages), "pages of", paste(vapply(pages, function(p) length(p$Users), 1L), collapse = ", "), "users\n")

cat("\n== set_user_pool_mfa_config: TOTP on, MFA required; read back\n")
svc$set_user_pool_mfa_config(UserPoolId = pool_id, SoftwareTokenMfaConfiguration = list(Enabled = TRUE),
                             MfaConfiguration = "ON")
after <- svc$get_user_pool_mfa_config(UserPoolId = pool_id)
str(after[c("SoftwareTokenMfaConfiguration", "MfaConfiguration")])

cat("\n== Errors: a bad argument is refused before sending; service errors are classed\n")
err <- tryCatch(svc$set_user_pool_mfa_config(UserPoolId = pool_id, SoftwareTokenMfaConfiguration = list(Enabled = "yes")),
                cognitoidp_param_error = function(e) e)
cat(class(err)[1], ":", conditionMessage(err), "\n")
err <- tryCatch(app$initiate_auth(AuthFlow = "USER_PASSWORD_AUTH", ClientId = client_id,
                                  AuthParameters = list(USERNAME = "ada", PASSWORD = "wrong")),
                NotAuthorizedException = function(e) e)
cat(paste(class(err)[1:3], collapse = ", "), ":", conditionMessage(err), "\n")

cat("\n== delete_user_pool", if (!is.null(identity_pool_id)) "and delete_identity_pool", "\n")
svc$delete_user_pool(UserPoolId = pool_id)
if (!is.null(identity_pool_id)) ids$delete_identity_pool(IdentityPoolId = identity_pool_id)
cat("Done.\n")
