# A plumber API that trusts only requests carrying a valid Cognito access
# token (`Authorization: Bearer <token>`), checked with cognitoidp's
# cognito_verify_token(): the signature with the user pool's keys (fetched
# once, then cached), expiry, issuer, token use, app client and scope.
#
#   plumber::pr_run(plumber::pr(system.file("examples", "plumber-cognito.R",
#                                           package = "cognitoidp")), port = 8000)
#
# Configuration, from the environment: COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID
# (the app clients allowed to call, comma-separated), COGNITO_SCOPE (a scope
# every token must have, optional) and COGNITO_JWKS_URI (only for a local
# emulator, which serves the pool's keys itself).

pool <- Sys.getenv("COGNITO_USER_POOL_ID")
clients <- strsplit(Sys.getenv("COGNITO_CLIENT_ID"), ",", fixed = TRUE)[[1]]
scope <- Sys.getenv("COGNITO_SCOPE")
jwks_uri <- Sys.getenv("COGNITO_JWKS_URI")

#* Every request: a valid access token, or 401.
#* @filter cognito
function(req, res) {
  header <- req$HTTP_AUTHORIZATION
  if (!is.character(header) || length(header) != 1 || !startsWith(header, "Bearer ")) {
    res$status <- 401
    return(list(error = "a bearer token is needed"))
  }
  claims <- tryCatch(
    cognitoidp::cognito_verify_token(
      sub("^Bearer ", "", header), UserPoolId = pool, TokenUse = "access", ClientId = clients,
      Scopes = if (nzchar(scope)) scope, JwksUri = if (nzchar(jwks_uri)) jwks_uri
    ),
    cognitoidp_token_error = function(e) e
  )
  if (inherits(claims, "error")) {
    res$status <- 401
    # Which check failed (expired, wrong client, ...), never the token.
    return(list(error = "the token is not valid", reason = class(claims)[[1]]))
  }
  req$claims <- claims
  plumber::forward()
}

#* Who called.
#* @get /whoami
function(req) {
  list(subject = req$claims$sub, client = req$claims$client_id, scope = req$claims$scope)
}
