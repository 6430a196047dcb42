# Servers for the sign-in tests, each started on first use on a free loopback
# port and stopped when the run ends:
# - ministack (PyPI, pinned in .ci/setup.sh, in its own virtualenv), which
#   checks SRP proofs, the TIMESTAMP's format and secret hashes (AUTH=true);
# - fixtures/srp_server.py, the server side of the remembered-device flows,
#   which no emulator has.
# moto (helper-moto.R) serves the challenge chains. Without them the tests
# are skipped, unless COGNITOIDP_REQUIRE_MOTO=true (as on CI).

.signin <- new.env(parent = emptyenv())

ministack_binary <- function() {
  candidates <- c(Sys.getenv("COGNITOIDP_MINISTACK"), "/opt/ministack-venv/bin/ministack")
  candidates <- candidates[nzchar(candidates) & file.exists(candidates)]
  if (length(candidates) == 0) moto_unavailable("ministack was not found (set COGNITOIDP_MINISTACK)")
  candidates[[1]]
}

ministack_server <- function() {
  if (!is.null(.signin$ministack) && .signin$ministack$process$is_alive()) return(.signin$ministack)
  binary <- ministack_binary()
  dir <- tempfile("ministack-")
  dir.create(file.path(dir, "state"), recursive = TRUE)
  dir.create(file.path(dir, "tmp"))
  port <- free_port()
  env <- python_env()
  # Its own state and temporary directories (it shares /tmp/ministack-state
  # otherwise), only loopback, secret hashes checked.
  env[c("BIND_HOST", "GATEWAY_PORT", "IOT_MTLS_ENABLED", "AUTH", "STATE_DIR", "TMPDIR")] <-
    c("127.0.0.1", as.character(port), "false", "true", file.path(dir, "state"), file.path(dir, "tmp"))
  log <- file.path(dir, "ministack.log")
  process <- processx::process$new(binary, env = env, wd = dir, stdout = log, stderr = "2>&1",
                                   cleanup = TRUE, cleanup_tree = TRUE)
  endpoint <- paste0("http://127.0.0.1:", port)
  deadline <- Sys.time() + 30
  repeat {
    up <- tryCatch(curl::curl_fetch_memory(paste0(endpoint, "/_ministack/health"), handle = local_handle(2))$status_code == 200,
                   error = function(e) FALSE)
    if (up) break
    if (!process$is_alive() || Sys.time() > deadline) {
      process$kill_tree()
      moto_unavailable(paste("ministack did not start:", read_text_file(log)))
    }
    Sys.sleep(0.2)
  }
  .signin$ministack <- list(process = process, endpoint = endpoint, dir = dir)
  withr::defer({
    process$kill_tree()
    unlink(dir, recursive = TRUE)
  }, envir = testthat::teardown_env())
  .signin$ministack
}

# A service object for ministack: an administrator's (its account's
# credentials) or, with `anonymous = TRUE`, an app's, with no credentials.
ministack_svc <- function(anonymous = FALSE) {
  credentials <- if (anonymous) list(anonymous = TRUE) else list(creds = list(access_key_id = "test", secret_access_key = "test"))
  cognitoidentityprovider(config = list(endpoint = ministack_server()$endpoint, region = "us-east-1",
                                        credentials = credentials))
}

# A user pool with an app client (with a secret unless `secret = FALSE`) and
# a confirmed user; returns what signing in needs.
ministack_user <- function(secret = TRUE, password = "Corr3ct-Horse!", flows = NULL) {
  admin <- ministack_svc()
  pool <- admin$create_user_pool(PoolName = unique_name("signin"))$UserPool$Id
  client <- admin$create_user_pool_client(
    UserPoolId = pool, ClientName = "app", GenerateSecret = secret,
    ExplicitAuthFlows = flows %||% c("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
  )$UserPoolClient
  username <- unique_name("ada")
  admin$admin_create_user(UserPoolId = pool, Username = username, MessageAction = "SUPPRESS",
                          UserAttributes = list(list(Name = "email", Value = paste0(username, "@example.com"))))
  admin$admin_set_user_password(UserPoolId = pool, Username = username, Password = password, Permanent = TRUE)
  list(admin = admin, app = ministack_svc(anonymous = TRUE), pool = pool, client = client$ClientId,
       secret = if (secret) client$ClientSecret, username = username, password = password)
}

# A user pool with a domain, a resource server ("my-api", scope "read"), an
# app client for the code flow ("web"), one for client credentials ("job"),
# and a user "ada"; returns them, with the domain's URL and the key set's.
ministack_oauth_pool <- function() {
  admin <- ministack_svc()
  pool <- admin$create_user_pool(PoolName = unique_name("oauth"))$UserPool$Id
  admin$create_user_pool_domain(Domain = unique_name("dom"), UserPoolId = pool)
  admin$create_resource_server(UserPoolId = pool, Identifier = "my-api", Name = "API",
                               Scopes = list(list(ScopeName = "read", ScopeDescription = "Read")))
  web <- admin$create_user_pool_client(
    UserPoolId = pool, ClientName = "web", GenerateSecret = TRUE, AllowedOAuthFlows = "code",
    AllowedOAuthScopes = c("openid", "email"), AllowedOAuthFlowsUserPoolClient = TRUE,
    CallbackURLs = "http://localhost:8100/callback", LogoutURLs = "http://localhost:8100/bye",
    SupportedIdentityProviders = "COGNITO", ExplicitAuthFlows = c("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
  )$UserPoolClient
  job <- admin$create_user_pool_client(
    UserPoolId = pool, ClientName = "job", GenerateSecret = TRUE, AllowedOAuthFlows = "client_credentials",
    AllowedOAuthScopes = "my-api/read", AllowedOAuthFlowsUserPoolClient = TRUE
  )$UserPoolClient
  admin$admin_create_user(UserPoolId = pool, Username = "ada", MessageAction = "SUPPRESS",
                          UserAttributes = list(list(Name = "email", Value = "ada@example.com")))
  admin$admin_set_user_password(UserPoolId = pool, Username = "ada", Password = "Correct-Horse-42", Permanent = TRUE)
  list(domain = ministack_server()$endpoint, pool = pool, web = web, job = job,
       jwks = paste0(ministack_server()$endpoint, "/", pool, "/.well-known/jwks.json"))
}

# What the browser does on the hosted sign-in page: the form, with the
# authorization request's parameters; the answer redirects with the code.
hosted_sign_in <- function(domain, auth, username, password) {
  query <- sub("^[^?]*\\?", "", auth$url)
  handle <- curl::new_handle(followlocation = FALSE, post = TRUE, noproxy = "*",
                             postfields = paste0("username=", username, "&password=", utils::URLencode(password, reserved = TRUE), "&", query))
  answer <- curl::curl_fetch_memory(paste0(domain, "/login"), handle = handle)
  expect_identical(answer$status_code, 302L)
  location <- curl::parse_headers_list(answer$headers)$location
  expect_match(location, paste0("state=", auth$state), fixed = TRUE)
  sub(".*[?&]code=([^&]+).*", "\\1", location)
}

# The device server of fixtures/srp_server.py. With `signed = TRUE`, another
# instance, whose tokens are signed and whose key set is served, as a Shiny
# app that verifies them needs: started with Debian's Python (the one the
# browser tests use), which has the `cryptography` package.
srp_server <- function(signed = FALSE) {
  slot <- if (signed) "srp_signed" else "srp"
  if (!is.null(.signin[[slot]]) && .signin[[slot]]$process$is_alive()) return(.signin[[slot]])
  fixture <- if (signed) {
    start_fixture("srp_server.py", c("--port", "0", "--sign"), python = browser_python(), env = browser_child_env())
  } else {
    start_fixture("srp_server.py", c("--port", "0"))
  }
  fixture$endpoint <- paste0("http://127.0.0.1:", fixture$port)
  .signin[[slot]] <- fixture
  withr::defer(stop_fixture(fixture), envir = testthat::teardown_env())
  fixture
}

srp_server_control <- function(path, body = NULL, server = srp_server()) {
  handle <- local_handle()
  if (!is.null(body)) {
    curl::handle_setheaders(handle, "Content-Type" = "application/json")
    curl::handle_setopt(handle, post = TRUE, postfields = jsonlite::toJSON(body, auto_unbox = TRUE, null = "null"))
  }
  response <- curl::curl_fetch_memory(paste0(server$endpoint, path), handle = handle)
  jsonlite::fromJSON(rawToChar(response$content), simplifyVector = FALSE)
}

# A user of the device test server; returns what signing in needs.
srp_server_user <- function(secret = NULL, password = "Corr3ct-Horse!") {
  pool <- "eu-west-1_DevicePool"
  client <- unique_name("client")
  username <- unique_name("ada")
  srp_server_control("/__control/user", list(UserPoolId = pool, ClientId = client, ClientSecret = secret,
                                             Username = username, Password = password))
  app <- cognitoidentityprovider(config = list(endpoint = srp_server()$endpoint, region = "eu-west-1",
                                               credentials = list(anonymous = TRUE)))
  list(app = app, pool = pool, client = client, secret = secret, username = username, password = password)
}

srp_server_requests <- function() srp_server_control("/__control/requests")

`%||%` <- function(x, y) if (is.null(x) || length(x) == 0) y else x
