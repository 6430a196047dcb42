# Sets up a user pool for the example app in a local Cognito emulator, for
# trying the app without an AWS account: ministack (pip install ministack),
# started with AUTH=true, serves the hosted sign-in page and checks SRP
# proofs. Writes the app's settings to standard output, as .Renviron lines:
#
#   Rscript emulator-setup.R http://127.0.0.1:4566 http://127.0.0.1:8100/ > .Renviron
#   R -e 'shiny::runApp(port = 8100)'     # in this folder; then open http://127.0.0.1:8100/
#
# The first argument is the emulator's URL, the second the app's URL (a
# comma-separated list for several); the users are "ada" (in the group
# "staff") and "bob", both with the password "Correct-Horse-42". The hosted
# page is reached by the name "localhost", the app by 127.0.0.1: two sites,
# as a real user pool's domain and an app are.

library(cognitoidp)

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript emulator-setup.R <emulator URL> <app URL>[,<app URL>...]")
emulator <- sub("/+$", "", args[[1]])
app_urls <- strsplit(args[[2]], ",", fixed = TRUE)[[1]]

# The emulator's administrator: any fixed credentials.
admin <- cognitoidentityprovider(config = list(
  endpoint = emulator, region = "us-east-1",
  credentials = list(creds = list(access_key_id = "test", secret_access_key = "test"))
))
pool <- admin$create_user_pool(PoolName = "shiny-example")$UserPool$Id
invisible(admin$create_user_pool_domain(Domain = paste0("shiny-example-", tolower(substr(pool, 11, 18))),
                                        UserPoolId = pool))
client <- admin$create_user_pool_client(
  UserPoolId = pool, ClientName = "shiny-example", GenerateSecret = TRUE,
  ExplicitAuthFlows = c("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
  AllowedOAuthFlows = "code", AllowedOAuthFlowsUserPoolClient = TRUE,
  AllowedOAuthScopes = c("openid", "email", "profile"), SupportedIdentityProviders = "COGNITO",
  CallbackURLs = app_urls, LogoutURLs = app_urls
)$UserPoolClient
invisible(admin$create_group(GroupName = "staff", UserPoolId = pool))
for (user in c("ada", "bob")) {
  admin$admin_create_user(UserPoolId = pool, Username = user, MessageAction = "SUPPRESS",
                          UserAttributes = list(list(Name = "email", Value = paste0(user, "@example.com"))))
  admin$admin_set_user_password(UserPoolId = pool, Username = user, Password = "Correct-Horse-42", Permanent = TRUE)
}
invisible(admin$admin_add_user_to_group(UserPoolId = pool, Username = "ada", GroupName = "staff"))

# A cookie key for this trial only; for a real app, make one with
# `openssl rand -base64 32` and keep it with the app's other secrets.
key <- paste(sample(c(letters, LETTERS, 0:9), 48, replace = TRUE), collapse = "")
hosted <- sub("//127\\.0\\.0\\.1", "//localhost", emulator)
cat(sprintf("%s=%s\n", c(
  "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "COGNITO_CLIENT_SECRET", "COGNITO_MODE", "COGNITO_DOMAIN",
  "COGNITO_ENDPOINT", "COGNITO_JWKS_URI", "COGNITOIDP_COOKIE_KEY"
), c(
  pool, client$ClientId, client$ClientSecret, "hosted", hosted,
  emulator, paste0(emulator, "/", pool, "/.well-known/jwks.json"), key
)), sep = "")
