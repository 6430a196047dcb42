# Tokens with real signatures for the token tests: fixtures/mint_tokens.py,
# run with the Python of moto's virtualenv (it has `cryptography`, and moto's
# static signing key, whose private half moto ships).

mint_tokens <- function(spec) {
  binaries <- moto_binaries()
  if (length(binaries) == 0) moto_unavailable("moto's virtualenv was not found")
  python <- file.path(dirname(binaries[[1]]), "python")
  spec_file <- tempfile(fileext = ".json")
  on.exit(unlink(spec_file))
  writeLines(jsonlite::toJSON(spec, auto_unbox = TRUE, null = "null", digits = NA), spec_file)
  out <- processx::run(python, c(fixture_path("mint_tokens.py"), spec_file), env = python_env(), error_on_status = FALSE)
  if (out$status != 0) stop("mint_tokens.py failed: ", out$stderr, call. = FALSE)
  minted <- jsonlite::fromJSON(out$stdout, simplifyVector = FALSE)
  minted$jwks <- lapply(minted$jwks, jsonlite::toJSON, auto_unbox = TRUE)
  minted$tokens <- unlist(minted$tokens)
  minted
}

# The claims of an ID or access token of `pool` for `client`, valid for an
# hour from now; `...` adds or replaces claims (NULL removes one).
token_claims <- function(pool, client, use = "id", ...) {
  now <- as.numeric(Sys.time())
  claims <- list(sub = "6f1b7a48-0f4e-4d1b-9a51-ae0b0c7e6a01", iss = sprintf("https://cognito-idp.%s.amazonaws.com/%s",
                 sub("_.*", "", pool), pool), token_use = use, auth_time = floor(now), iat = floor(now),
                 exp = floor(now) + 3600, `cognito:username` = "ada")
  if (use == "id") claims$aud <- client else claims$client_id <- client
  if (use == "access") claims$scope <- "openid my-api/read"
  changes <- list(...)
  for (name in names(changes)) claims[name] <- list(changes[[name]])
  claims[!vapply(claims, is.null, logical(1))]
}
