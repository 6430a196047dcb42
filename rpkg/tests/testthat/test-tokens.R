# Trusting tokens: every failure class with real signatures (tokens minted
# with keys made for the run, and with moto's own key), the key cache's
# rules against a server that counts its fetches, moto's and ministack's own
# tokens and key sets end to end, and the OAuth endpoints of a user-pool
# domain against ministack. The checks themselves are also unit-tested in the
# Rust core (src/auth/jwt/tests.rs).

pool <- "eu-west-1_TokenTests"
client <- "3n4mp1ecl1entid"

# A key set URL on the scripted server, its own for each test (the cache is
# the process's, per URL).
jwks_url <- function(server, label) paste0(server$endpoint, "/", label, "-", sample.int(1e9, 1), "/jwks.json")

serve_jwks <- function(server, jwks) fault_script(default = list(action = "ok", body = jsonlite::fromJSON(jwks, simplifyVector = FALSE)),
                                                  server = server)

test_that("valid tokens verify, and every failed check has its class, with real signatures", {
  server <- fault_server()
  now <- as.numeric(Sys.time())
  cases <- list(
    ok_id = list(key = "a", claims = token_claims(pool, client, email = "ada@example.com", `cognito:groups` = I(c("admin", "ops")))),
    ok_access = list(key = "a", claims = token_claims(pool, client, "access")),
    expired = list(key = "a", claims = token_claims(pool, client, exp = floor(now) - 120)),
    just_expired = list(key = "a", claims = token_claims(pool, client, exp = floor(now) - 30)),
    not_yet = list(key = "a", claims = token_claims(pool, client, nbf = floor(now) + 600)),
    issuer = list(key = "a", claims = token_claims(pool, client, iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other")),
    client = list(key = "a", claims = token_claims(pool, "another-client")),
    unknown_kid = list(key = "b", claims = token_claims(pool, client)),
    rs512 = list(key = "a", claims = token_claims(pool, client), header = list(alg = "RS512")),
    none = list(key = "a", claims = token_claims(pool, client), header = list(alg = "none")),
    short = list(key = "short", claims = token_claims(pool, client))
  )
  minted <- mint_tokens(list(
    keys = list(a = list(bits = 2048), b = list(bits = 2048), short = list(bits = 1024)),
    jwks = list(a = list("a"), short = list("short")),
    tokens = unname(cases)
  ))
  tokens <- stats::setNames(minted$tokens, names(cases))
  url <- jwks_url(server, "classes")
  serve_jwks(server, minted$jwks$a)
  verify <- function(token, ...) cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                                      JwksUri = url, ...)

  claims <- verify(tokens[["ok_id"]])
  expect_identical(names(claims), names(token_claims(pool, client, email = "e", `cognito:groups` = "g")))
  expect_identical(claims$`cognito:groups`, c("admin", "ops"))
  expect_s3_class(claims$exp, "POSIXct")
  expect_identical(attr(claims$exp, "tzone"), "GMT")
  expect_identical(as.numeric(claims$exp), cases$ok_id$claims$exp)
  expect_identical(verify(tokens[["ok_id"]], Groups = c("nobody", "ops"))$sub, claims$sub)
  expect_identical(cognito_verify_token(tokens[["ok_access"]], UserPoolId = pool, TokenUse = "access",
                                        ClientId = client, Scopes = "my-api/read", JwksUri = url)$client_id, client)

  expect_class <- function(token, class, ...) {
    e <- catch_error(verify(token, ...))
    expect_s3_class(e, class)
    expect_s3_class(e, "cognitoidp_token_error")
    expect_false(grepl(token, conditionMessage(e), fixed = TRUE))
    e
  }
  expect_class(tokens[["expired"]], "cognitoidp_token_expired_error")
  expect_class(tokens[["just_expired"]], "cognitoidp_token_expired_error")
  expect_identical(verify(tokens[["just_expired"]], GraceSeconds = 60)$sub, claims$sub)
  expect_class(tokens[["not_yet"]], "cognitoidp_token_not_yet_valid_error")
  expect_class(tokens[["issuer"]], "cognitoidp_token_issuer_error")
  expect_class(tokens[["ok_access"]], "cognitoidp_token_use_error")
  expect_class(tokens[["client"]], "cognitoidp_token_client_error")
  expect_identical(cognito_verify_token(tokens[["client"]], UserPoolId = pool, TokenUse = "id", ClientId = NULL,
                                        JwksUri = url)$aud, "another-client")
  expect_class(tokens[["ok_id"]], "cognitoidp_token_group_error", Groups = "billing")
  e <- catch_error(cognito_verify_token(tokens[["ok_access"]], UserPoolId = pool, TokenUse = "access",
                                        ClientId = client, Scopes = "my-api/write", JwksUri = url))
  expect_s3_class(e, "cognitoidp_token_scope_error")
  expect_class(tokens[["unknown_kid"]], "cognitoidp_token_unknown_key_error")
  expect_class(tokens[["rs512"]], "cognitoidp_token_algorithm_error")
  expect_class(tokens[["none"]], "cognitoidp_token_algorithm_error")
  # A changed payload no longer matches the signature.
  parts <- strsplit(tokens[["ok_id"]], ".", fixed = TRUE)[[1]]
  other <- strsplit(tokens[["client"]], ".", fixed = TRUE)[[1]]
  expect_class(paste(parts[1], other[2], parts[3], sep = "."), "cognitoidp_token_signature_error")
  expect_class("not.a-token", "cognitoidp_token_malformed_error")
  # A key under 2048 bits is refused, however good the signature.
  short_url <- jwks_url(server, "short")
  cognito_preload_keys(pool, Jwks = minted$jwks$short, JwksUri = short_url)
  e <- catch_error(cognito_verify_token(tokens[["short"]], UserPoolId = pool, TokenUse = "id", ClientId = client,
                                        JwksUri = short_url))
  expect_s3_class(e, "cognitoidp_token_invalid_key_error")

  # Many tokens at once: a result each, errors in their places.
  results <- verify(tokens[c("ok_id", "expired", "client", "ok_id")])
  expect_named(results, c("ok_id", "expired", "client", "ok_id"))
  expect_identical(results[[1]], claims)
  expect_s3_class(results[[2]], "cognitoidp_token_expired_error")
  expect_s3_class(results[[3]], "cognitoidp_token_client_error")
  expect_identical(results[[4]], claims)

  # A custom check runs last, on the claims.
  expect_identical(verify(tokens[["ok_id"]], Check = function(claims) claims$email == "ada@example.com")$sub, claims$sub)
  e <- expect_class(tokens[["ok_id"]], "cognitoidp_token_check_error", Check = function(claims) FALSE)
  e <- expect_class(tokens[["ok_id"]], "cognitoidp_token_check_error",
                    Check = function(claims) stop("not an employee"))
  expect_match(conditionMessage(e), "not an employee")
})

test_that("keys are fetched once, again only for an unknown kid, at most once per 10 s after a miss", {
  server <- fault_server()
  minted <- mint_tokens(list(
    keys = list(a = list(bits = 2048), b = list(bits = 2048), c = list(bits = 2048)),
    jwks = list(a = list("a"), ab = list("a", "b")),
    tokens = list(list(key = "a", claims = token_claims(pool, client)),
                  list(key = "b", claims = token_claims(pool, client)),
                  list(key = "c", claims = token_claims(pool, client)))
  ))
  token_a <- minted$tokens[[1]]
  token_b <- minted$tokens[[2]]
  token_c <- minted$tokens[[3]]
  url <- jwks_url(server, "cache")
  serve_jwks(server, minted$jwks$a)
  verify <- function(tokens) cognito_verify_token(tokens, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                                  JwksUri = url)
  # Many verifications, one fetch.
  results <- verify(rep(token_a, 200))
  expect_true(all(vapply(results, is.list, logical(1))) && !any(vapply(results, inherits, logical(1), "error")))
  expect_identical(fault_count(server), 1L)
  verify(token_a)
  expect_identical(fault_count(server), 1L)
  # The keys rotate: a token of the new key makes one fetch, which finds it.
  serve_jwks(server, minted$jwks$ab)
  expect_identical(verify(token_b)$sub, token_claims(pool, client)$sub)
  expect_identical(fault_count(server), 1L)
  # A storm of tokens with a kid the set lacks: one fetch, then none for 10 s.
  results <- verify(rep(token_c, 50))
  expect_true(all(vapply(results, inherits, logical(1), "cognitoidp_token_unknown_key_error")))
  expect_identical(fault_count(server), 2L)
  expect_error(verify(token_c), class = "cognitoidp_token_unknown_key_error")
  expect_identical(fault_count(server), 2L)
  # The known keys still verify, without fetching.
  verify(c(token_a, token_b))
  expect_identical(fault_count(server), 2L)

  # A key set that cannot be fetched is a connection failure, not a token's.
  e <- catch_error(cognito_verify_token(token_a, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                        JwksUri = paste0(closed_endpoint(), "/jwks.json")))
  expect_s3_class(e, "cognitoidp_connection_error")
})

test_that("preloaded keys verify with no network", {
  minted <- mint_tokens(list(keys = list(a = list(bits = 2048)), jwks = list(a = list("a")),
                             tokens = list(list(key = "a", claims = token_claims(pool, client)))))
  cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = paste0(closed_endpoint(), "/preloaded.json"))
  # The pool's own URL (AWS's, not reachable here) also takes a preloaded set.
  cognito_preload_keys(pool, Jwks = minted$jwks$a)
  expect_identical(cognito_verify_token(minted$tokens[[1]], UserPoolId = pool, TokenUse = "id", ClientId = client)$sub,
                   token_claims(pool, client)$sub)
  expect_error(cognito_preload_keys(pool, Jwks = "{\"keys\": 1}"), class = "cognitoidp_request_error")
  expect_error(cognito_verify_token("a.b.c", UserPoolId = "not-a-pool", TokenUse = "id", ClientId = client),
               class = "cognitoidp_param_error")
  expect_error(cognito_verify_token("a.b.c", UserPoolId = pool, ClientId = client), class = "cognitoidp_param_error")
  expect_error(cognito_verify_token("a.b.c", UserPoolId = pool, TokenUse = "id"), class = "cognitoidp_param_error")
})

test_that("with TokenUse = NULL a token must still be an ID or access token, its client in the claim its use implies", {
  others <- list(missing = NULL, refresh = "refresh", upper = "ID", spaced = " id", empty = "", number = 1,
                 list = I(list("id")))
  id_in_client_id <- token_claims(pool, "another", client_id = client)
  access_in_aud <- token_claims(pool, "another", "access", aud = client)
  specs <- c(list(token_claims(pool, client), token_claims(pool, client, "access"), id_in_client_id, access_in_aud),
             lapply(others, function(use) token_claims(pool, client, token_use = use)))
  minted <- mint_tokens(list(keys = list(a = list(bits = 2048)), jwks = list(a = list("a")),
                             tokens = unname(lapply(specs, function(claims) list(key = "a", claims = claims)))))
  url <- paste0(closed_endpoint(), "/either-use.json")
  cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = url)
  either <- function(tokens, clients = client) {
    cognito_verify_token(tokens, UserPoolId = pool, TokenUse = NULL, ClientId = clients, JwksUri = url)
  }
  expect_identical(either(minted$tokens[[1]])$aud, client)
  expect_identical(either(minted$tokens[[2]])$client_id, client)
  # The client is where the token's use puts it, whatever the other claim says.
  expect_error(either(minted$tokens[[3]]), class = "cognitoidp_token_client_error")
  expect_error(either(minted$tokens[[4]]), class = "cognitoidp_token_client_error")
  expect_identical(either(minted$tokens[[3]], clients = "another")$aud, "another")
  # Any other token_use (or none) fails as the use, also without a client check.
  for (i in seq_along(others) + 4) {
    for (clients in list(client, NULL)) {
      e <- catch_error(either(minted$tokens[[i]], clients))
      expect_s3_class(e, "cognitoidp_token_use_error")
      expect_match(conditionMessage(e), "\"id\" or \"access\"")
    }
  }
  results <- either(unlist(minted$tokens))
  expect_identical(vapply(results, inherits, logical(1), "cognitoidp_token_use_error"), rep(c(FALSE, TRUE), c(4, length(others))))
})

test_that("verified claims are the claims as read, in R's shapes, and results do not share what R may change", {
  claims <- token_claims(pool, client, email_verified = TRUE, `cognito:groups` = "solo", nested = list(a = 1, b = list(c = "x")),
                         numbers = I(c(1.5, 2)), flags = I(c(TRUE, FALSE)), mixed = I(list(1, "a", NULL)),
                         empty_list = I(list()), empty_object = setNames(list(), character(0)), unicode = "\u00e9\u4e2d")
  specs <- list(claims, token_claims(pool, client, `cognito:groups` = I(list())), token_claims(pool, client, nbf = 1))
  minted <- mint_tokens(list(keys = list(a = list(bits = 2048)), jwks = list(a = list("a")),
                             tokens = unname(lapply(specs, function(claims) list(key = "a", claims = claims)))))
  url <- paste0(closed_endpoint(), "/shapes.json")
  cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = url)
  tokens <- rep(unlist(minted$tokens), 3)
  results <- cognito_verify_token(tokens, UserPoolId = pool, TokenUse = "id", ClientId = client, JwksUri = url)
  # The same shapes as the unverified reading (the value tree's builder).
  for (i in seq_along(tokens)) expect_identical(results[[i]], cognitoidp:::cip_token_claims(tokens[[i]]))
  first <- results[[1]]
  expect_identical(first$`cognito:groups`, "solo")
  expect_identical(first$nested, list(a = 1, b = list(c = "x")))
  expect_identical(first$numbers, c(1.5, 2))
  expect_identical(first$flags, c(TRUE, FALSE))
  expect_identical(first$mixed, list(1, "a", NULL))
  expect_identical(first$empty_list, list())
  expect_identical(first$empty_object, setNames(list(), character(0)))
  expect_identical(first$unicode, "\u00e9\u4e2d")
  expect_identical(Encoding(first$unicode), "UTF-8")
  expect_identical(results[[2]]$`cognito:groups`, character(0))
  expect_s3_class(results[[3]]$nbf, "POSIXct")
  # Changing one result's names, class or time zone leaves the others alone.
  again <- results[[4]]
  names(results[[1]])[1] <- "changed"
  attr(results[[1]]$exp, "tzone") <- "UTC"
  class(results[[1]]$iat) <- "numeric"
  expect_identical(results[[4]], again)
  expect_identical(names(results[[4]])[1], "sub")
  expect_identical(attr(results[[7]]$exp, "tzone"), "GMT")
  expect_s3_class(results[[7]]$iat, "POSIXct")
})

test_that("moto's tokens and key set verify end to end, and tokens minted with moto's key fail as they should", {
  admin <- moto_svc()
  moto_pool <- admin$create_user_pool(PoolName = unique_name("tokens"))$UserPool$Id
  app_client <- admin$create_user_pool_client(UserPoolId = moto_pool, ClientName = "app")$UserPoolClient$ClientId
  admin$admin_create_user(UserPoolId = moto_pool, Username = "ada", MessageAction = "SUPPRESS")
  admin$admin_set_user_password(UserPoolId = moto_pool, Username = "ada", Password = "Correct-Horse-42", Permanent = TRUE)
  app <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(anonymous = TRUE)))
  tokens <- cognito_sign_in(app, UserPoolId = moto_pool, ClientId = app_client, Username = "ada",
                            Password = "Correct-Horse-42")
  url <- paste0(moto_endpoint(), "/", moto_pool, "/.well-known/jwks.json")
  id <- cognito_verify_token(tokens$IdToken, UserPoolId = moto_pool, TokenUse = "id", ClientId = app_client, JwksUri = url)
  expect_identical(id$`cognito:username`, "ada")
  access <- cognito_verify_token(tokens$AccessToken, UserPoolId = moto_pool, TokenUse = "access", ClientId = app_client,
                                 JwksUri = url)
  expect_identical(access$token_use, "access")
  expect_error(cognito_verify_token(tokens$IdToken, UserPoolId = moto_pool, TokenUse = "id", ClientId = "other",
                                    JwksUri = url), class = "cognitoidp_token_client_error")

  minted <- mint_tokens(list(keys = list(moto = list(moto = TRUE)), tokens = list(
    list(key = "moto", claims = token_claims(moto_pool, app_client, exp = floor(as.numeric(Sys.time())) - 60)),
    list(key = "moto", claims = token_claims(moto_pool, "not-this-app"))
  )))
  verify <- function(token) cognito_verify_token(token, UserPoolId = moto_pool, TokenUse = "id", ClientId = app_client,
                                                 JwksUri = url)
  expect_error(verify(minted$tokens[[1]]), class = "cognitoidp_token_expired_error")
  expect_error(verify(minted$tokens[[2]]), class = "cognitoidp_token_client_error")
})

# ---- the OAuth 2.0 endpoints, against ministack (ministack_oauth_pool(): helper-signin.R) ----

test_that("the code flow with PKCE, refresh, userInfo and the logout URL work against ministack", {
  s <- ministack_oauth_pool()
  auth <- cognito_authorize_url(s$domain, s$web$ClientId, "http://localhost:8100/callback", Scopes = c("openid", "email"))
  expect_s3_class(auth, "cognitoidp_authorization")
  expect_match(auth$url, "code_challenge_method=S256", fixed = TRUE)
  expect_match(auth$url, "scope=openid%20email", fixed = TRUE)
  expect_true(nchar(auth$code_verifier) >= 43)
  code <- hosted_sign_in(s$domain, auth, "ada", "Correct-Horse-42")

  # The wrong verifier is refused (PKCE), then the right one gets the tokens.
  e <- catch_error(cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, Code = code,
                                 RedirectUri = "http://localhost:8100/callback", CodeVerifier = strrep("x", 43)))
  expect_s3_class(e, "cognitoidp_oauth_error")
  expect_s3_class(e, "http_400")
  code <- hosted_sign_in(s$domain, auth, "ada", "Correct-Horse-42")
  tokens <- cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, Code = code,
                          RedirectUri = "http://localhost:8100/callback", CodeVerifier = auth$code_verifier)
  expect_s3_class(tokens, "cognitoidp_tokens")
  expect_identical(tokens$TokenType, "Bearer")
  expect_type(tokens$ExpiresIn, "double")
  id <- cognito_verify_token(tokens$IdToken, UserPoolId = s$pool, TokenUse = "id", ClientId = s$web$ClientId,
                             JwksUri = s$jwks)
  expect_identical(id$nonce, auth$nonce)
  expect_identical(id$email, "ada@example.com")
  # A code works once.
  e <- catch_error(cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, Code = code,
                                 RedirectUri = "http://localhost:8100/callback", CodeVerifier = auth$code_verifier))
  expect_s3_class(e, "invalid_grant")

  fresh <- cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret, GrantType = "refresh_token",
                         RefreshToken = tokens$RefreshToken)
  expect_true(nzchar(fresh$AccessToken))
  expect_identical(fresh$RefreshToken, tokens$RefreshToken)
  me <- cognito_user_info(s$domain, fresh$AccessToken)
  expect_identical(me$email, "ada@example.com")
  expect_identical(me$sub, id$sub)
  expect_s3_class(catch_error(cognito_user_info(s$domain, "not-a-token")), "cognitoidp_oauth_error")

  logout <- cognito_logout_url(s$domain, s$web$ClientId, "http://localhost:8100/bye")
  expect_identical(logout, paste0(s$domain, "/logout?client_id=", s$web$ClientId,
                                  "&logout_uri=http%3A%2F%2Flocalhost%3A8100%2Fbye"))
  answer <- curl::curl_fetch_memory(logout, handle = curl::new_handle(followlocation = FALSE, noproxy = "*"))
  expect_identical(curl::parse_headers_list(answer$headers)$location, "http://localhost:8100/bye")
})

test_that("a machine-to-machine job gets a token by client credentials, with its scope", {
  s <- ministack_oauth_pool()
  tokens <- cognito_token(s$domain, s$job$ClientId, s$job$ClientSecret, GrantType = "client_credentials",
                          Scopes = "my-api/read")
  claims <- cognito_verify_token(tokens$AccessToken, UserPoolId = s$pool, TokenUse = "access",
                                 ClientId = s$job$ClientId, Scopes = "my-api/read", JwksUri = s$jwks)
  expect_identical(claims$scope, "my-api/read")
  expect_length(tokens$RefreshToken, 0)
  e <- catch_error(cognito_token(s$domain, s$job$ClientId, "not-the-secret", GrantType = "client_credentials",
                                 Scopes = "my-api/read"))
  expect_s3_class(e, "cognitoidp_oauth_error")
  expect_error(cognito_token(s$domain, s$job$ClientId, GrantType = "client_credentials"), class = "cognitoidp_param_error")
})

test_that("revocation posts the token with the client's credentials; endpoint errors are classed", {
  server <- fault_server()
  fault_script(list(list(action = "status", status = 200, body = "")))
  expect_true(cognito_revoke(server$endpoint, "the-client", "the-refresh-token", ClientSecret = "the-secret"))
  sent <- fault_requests(server)[[1]]
  expect_identical(sent$method, "POST")
  expect_identical(sent$path, "/oauth2/revoke")
  expect_identical(sent$body, "token=the-refresh-token&client_id=the-client")
  expect_identical(sent$headers$authorization, paste("Basic", jsonlite::base64_enc("the-client:the-secret")))
  expect_identical(sent$headers$`content-type`, "application/x-www-form-urlencoded")
  fault_script(list(act_status(400, list(error = "unsupported_token_type", error_description = "no"))))
  e <- catch_error(cognito_revoke(server$endpoint, "the-client", "the-refresh-token"))
  expect_s3_class(e, "unsupported_token_type")
  expect_s3_class(e, "cognitoidp_oauth_error")
  expect_identical(e$status_code, 400L)
  expect_error(cognito_revoke("not a url", "c", "t"), class = "cognitoidp_param_error")
})

test_that("GraceSeconds is a number from 0 to a day: Inf, negative, NaN, NA and the rest are refused", {
  now <- floor(as.numeric(Sys.time()))
  minted <- mint_tokens(list(keys = list(a = list(bits = 2048)), jwks = list(a = list("a")), tokens = list(
    list(key = "a", claims = token_claims(pool, client, exp = now - 7200)),
    list(key = "a", claims = token_claims(pool, client, exp = now - 2 * 86400))
  )))
  url <- paste0(closed_endpoint(), "/grace-", sample.int(1e9, 1), ".json")
  cognito_preload_keys(pool, Jwks = minted$jwks$a, JwksUri = url)
  verify <- function(token, grace) cognito_verify_token(token, UserPoolId = pool, TokenUse = "id", ClientId = client,
                                                        JwksUri = url, GraceSeconds = grace)
  for (grace in list(Inf, -Inf, -1, -1e-9, NaN, NA, NA_real_, NA_integer_, 86400.5, 1e10, .Machine$double.xmax, "60",
                     TRUE, c(1, 2), numeric(0), NULL, list(60))) {
    e <- catch_error(verify(minted$tokens[[1]], grace))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_identical(e$path, "GraceSeconds", info = deparse(grace))
  }
  # Within the bound it allows what it says: two hours late passes with a
  # grace of two hours or more, a day at most never lets two days through.
  expect_error(verify(minted$tokens[[1]], 3000), class = "cognitoidp_token_expired_error")
  expect_identical(verify(minted$tokens[[1]], 7300)$sub, token_claims(pool, client)$sub)
  expect_identical(verify(minted$tokens[[1]], 86400L)$sub, token_claims(pool, client)$sub)
  expect_error(verify(minted$tokens[[2]], 86400), class = "cognitoidp_token_expired_error")
  expect_error(verify(minted$tokens[[1]], 0), class = "cognitoidp_token_expired_error")
})
