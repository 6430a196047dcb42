# cognito_aws_credentials() against ministack with AUTH=true, which checks
# what AWS checks: it verifies the login token against the user pool, vends
# the credentials as an STS session of the pool's role, checks the SigV4
# signature of calls made with them and evaluates the role's IAM policy. The
# credentials are then used by an independent client (boto3, in a child
# process, through the AWS_* variables cognito_set_aws_env() sets).

probe_python <- function() {
  python <- file.path(Sys.getenv("MOTO_VENV", "/opt/moto-venv"), "bin", "python")
  if (!file.exists(python)) moto_unavailable("no Python with boto3 (moto's virtualenv)")
  python
}

aws_probe <- function(command, bucket, env = python_env()) {
  out <- processx::run(probe_python(), c(fixture_path("aws_probe.py"), command, ministack_server()$endpoint, bucket),
                       env = env, error_on_status = FALSE, timeout = 60)
  if (out$status != 0) stop("aws_probe.py ", command, " failed: ", out$stderr, call. = FALSE)
  jsonlite::fromJSON(out$stdout, simplifyVector = FALSE)
}

# A user pool with a signed-in user, an identity pool that trusts its app
# client with a role for users and one for guests, a bucket and the roles'
# policies (users read allowed/*, guests allowed/hello.txt; nobody private/).
identity_setup <- function(guests = TRUE, classic = FALSE) {
  u <- ministack_user(secret = TRUE)
  tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                            Password = u$password, ClientSecret = u$secret)
  bucket <- tolower(gsub("[^a-z0-9]", "", unique_name("bucket")))
  roles <- aws_probe("setup", bucket)
  admin <- cognitoidentity(config = list(endpoint = ministack_server()$endpoint, region = "us-east-1",
                                         credentials = list(creds = list(access_key_id = "test", secret_access_key = "test"))))
  provider <- paste0("cognito-idp.us-east-1.amazonaws.com/", u$pool)
  pool <- admin$create_identity_pool(
    IdentityPoolName = gsub("-", "_", unique_name("ids")), AllowUnauthenticatedIdentities = guests,
    AllowClassicFlow = classic, CognitoIdentityProviders = list(list(ProviderName = provider, ClientId = u$client))
  )$IdentityPoolId
  admin$set_identity_pool_roles(IdentityPoolId = pool,
                                Roles = list(authenticated = roles$role_arn, unauthenticated = roles$guest_role_arn))
  expect_identical(admin$get_identity_pool_roles(IdentityPoolId = pool)$Roles$authenticated, roles$role_arn)
  list(user = u, tokens = tokens, pool = pool, bucket = bucket, roles = roles, admin = admin,
       config = list(endpoint = ministack_server()$endpoint))
}

# What STS and S3 answer to `creds`, asked by boto3 in a child process that
# gets them through the variables cognito_set_aws_env() sets.
probe_with <- function(creds, bucket) {
  withr::local_envvar(c(AWS_ACCESS_KEY_ID = NA, AWS_SECRET_ACCESS_KEY = NA, AWS_SESSION_TOKEN = NA,
                        AWS_CREDENTIAL_EXPIRATION = NA))
  previous <- cognito_set_aws_env(creds)
  expect_true(all(is.na(previous)))
  expect_identical(Sys.getenv("AWS_ACCESS_KEY_ID"), creds$access_key_id)
  aws_probe("probe", bucket)
}

role_name <- function(arn) sub("^.*:role/", "", arn)

test_that("a user signed in by SRP reaches STS and S3 as the pool's role, within its policy", {
  s <- identity_setup()
  creds <- cognito_aws_credentials(s$pool, s$tokens, config = s$config)
  expect_s3_class(creds, "cognitoidp_aws_credentials")
  expect_identical(names(unclass(creds)), c("access_key_id", "secret_access_key", "session_token", "expiration",
                                            "identity_id"))
  expect_match(creds$access_key_id, "^ASIA")
  expect_match(creds$identity_id, "^us-east-1:")
  expect_s3_class(creds$expiration, "POSIXct")
  expect_identical(attr(creds$expiration, "tzone"), "GMT")
  expect_gt(as.numeric(creds$expiration), as.numeric(Sys.time()) + 600)

  seen <- probe_with(creds, s$bucket)
  expect_true(seen$caller$ok)
  expect_identical(seen$caller$value, sprintf("arn:aws:sts::000000000000:assumed-role/%s/CognitoIdentityCredentials",
                                              role_name(s$roles$role_arn)))
  expect_identical(seen$allowed, list(ok = TRUE, value = "hello from the allowed prefix"))
  expect_identical(seen$denied, list(ok = FALSE, code = "AccessDenied"))
  expect_identical(seen$damaged_caller, list(ok = FALSE, code = "SignatureDoesNotMatch"))
  expect_identical(seen$damaged_s3$ok, FALSE)
  expect_identical(seen$damaged_s3$code, "SignatureDoesNotMatch")
  expect_identical(seen$expiration_variable, format(creds$expiration, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"))

  # paws's credentials format, here in this package's own client: a call
  # signed with them is checked by ministack against the role's policy,
  # which grants nothing on user pools.
  idp <- cognitoidentityprovider(config = list(credentials = list(creds = cognito_paws_creds(creds)),
                                               endpoint = ministack_server()$endpoint, region = "us-east-1"))
  err <- catch_error(idp$list_user_pools(MaxResults = 1))
  expect_s3_class(err, "paws_error")
  expect_match(class(err)[[1]], "AccessDenied")
  expect_identical(names(cognito_paws_creds(creds)), c("access_key_id", "secret_access_key", "session_token",
                                                        "expiration"))
})

test_that("the identity id is remembered per pool and login: a renewal is one call", {
  s <- identity_setup()
  withr::local_options(paws.log_level = 3L, paws.log_file = NULL)
  calls <- function(expr) {
    lines <- character()
    value <- withCallingHandlers(expr, message = function(m) {
      lines <<- c(lines, conditionMessage(m))
      invokeRestart("muffleMessage")
    })
    list(value = value, ops = sub("^.*cognitoidp: ([a-z_]+): done.*\n?$", "\\1", grep(": done in", lines, value = TRUE)))
  }
  first <- calls(cognito_aws_credentials(s$pool, s$tokens, config = s$config))
  expect_identical(first$ops, c("get_id", "get_credentials_for_identity"))
  again <- calls(cognito_aws_credentials(s$pool, s$tokens, config = s$config))
  expect_identical(again$ops, "get_credentials_for_identity")
  expect_identical(again$value$identity_id, first$value$identity_id)
  expect_false(identical(again$value$access_key_id, first$value$access_key_id))
  # A refreshed sign-in of the same user is the same login.
  refreshed <- suppressMessages(cognito_refresh(s$user$app, s$tokens, ClientSecret = s$user$secret))
  third <- calls(cognito_aws_credentials(s$pool, refreshed, config = s$config))
  expect_identical(third$ops, "get_credentials_for_identity")
  expect_identical(third$value$identity_id, first$value$identity_id)
  # The ID token as a string will do too.
  expect_identical(suppressMessages(cognito_aws_credentials(s$pool, s$tokens$IdToken, config = s$config))$identity_id,
                   first$value$identity_id)
})

test_that("guests get the pool's guest role; the basic flow goes through STS", {
  s <- identity_setup(guests = TRUE, classic = TRUE)
  guest <- cognito_aws_credentials(s$pool, config = s$config)
  expect_false(identical(guest$identity_id, cognito_aws_credentials(s$pool, s$tokens, config = s$config)$identity_id))
  seen <- probe_with(guest, s$bucket)
  expect_identical(seen$caller$value, sprintf("arn:aws:sts::000000000000:assumed-role/%s/CognitoIdentityCredentials",
                                              role_name(s$roles$guest_role_arn)))
  expect_true(seen$allowed$ok)
  expect_identical(seen$denied$code, "AccessDenied")

  basic <- cognito_aws_credentials(s$pool, s$tokens, RoleArn = s$roles$role_arn, config = s$config)
  expect_s3_class(basic, "cognitoidp_aws_credentials")
  seen <- probe_with(basic, s$bucket)
  expect_identical(seen$caller$value, sprintf("arn:aws:sts::000000000000:assumed-role/%s/CognitoIdentityCredentials",
                                              role_name(s$roles$role_arn)))
  expect_true(seen$allowed$ok)
  expect_identical(seen$denied$code, "AccessDenied")
})

test_that("a wrong or tampered login token is refused by the pool with a classed error", {
  s <- identity_setup(guests = FALSE)
  token <- s$tokens$IdToken
  parts <- strsplit(token, ".", fixed = TRUE)[[1]]
  b64url <- function(x) gsub("=+$|\\s", "", chartr("+/", "-_", jsonlite::base64_enc(charToRaw(x))))
  unb64url <- function(x) rawToChar(jsonlite::base64_dec(chartr("-_", "+/", paste0(x, strrep("=", (4 - nchar(x) %% 4) %% 4)))))
  claims <- jsonlite::fromJSON(unb64url(parts[[2]]))
  claims$sub <- "00000000-0000-0000-0000-000000000000"
  tampered <- paste(parts[[1]], b64url(jsonlite::toJSON(claims, auto_unbox = TRUE)), parts[[3]], sep = ".")
  err <- catch_error(cognito_aws_credentials(s$pool, tampered, config = s$config))
  expect_s3_class(err, c("NotAuthorizedException", "paws_error"))
  expect_false(grepl(parts[[3]], conditionMessage(err), fixed = TRUE))
  # A damaged signature, and a token of another user pool's client.
  damaged <- paste(parts[[1]], parts[[2]], paste0(substr(parts[[3]], 1, 10), "AAAA", substring(parts[[3]], 15)), sep = ".")
  expect_s3_class(catch_error(cognito_aws_credentials(s$pool, damaged, config = s$config)), "NotAuthorizedException")
  other <- identity_setup(guests = FALSE)
  expect_s3_class(catch_error(cognito_aws_credentials(s$pool, other$tokens, config = s$config)), "NotAuthorizedException")
})

# The log lines of `expr` at level 3: which calls were made, in order.
calls_made <- function(expr) {
  withr::local_options(paws.log_level = 3L, paws.log_file = NULL)
  lines <- character()
  value <- withCallingHandlers(expr, message = function(m) {
    lines <<- c(lines, conditionMessage(m))
    invokeRestart("muffleMessage")
  })
  list(value = value, ops = sub("^.*cognitoidp: ([a-z_]+): (done|failed).*\n?$", "\\1",
                                grep(": (done in|failed)", lines, value = TRUE)))
}

test_that("a self-renewing credentials source keeps a service object working past expiry", {
  s <- identity_setup()
  endpoint <- ministack_server()$endpoint
  # Credentials that expire a second after they are made: the SDK, which
  # renews what expires within its buffer (longer than that), asks the
  # source at every call, and each renewal refreshes the user's tokens and
  # exchanges them again.
  src <- cognitoidp:::new_credentials_source(s$user$app, s$tokens, s$pool, ClientSecret = s$user$secret,
                                             config = s$config, max_lifetime = 1)
  shown <- c(capture.output(print(src)), format(src), capture.output(str(src)))
  for (secret in c(s$tokens$RefreshToken, s$tokens$IdToken, s$user$secret)) {
    expect_false(any(grepl(secret, shown, fixed = TRUE)))
  }
  expect_match(format(src), s$pool, fixed = TRUE)
  ids <- cognitoidentity(config = list(credentials = list(provider = src), endpoint = endpoint, region = "us-east-1"))
  for (i in 1:3) {
    made <- calls_made(ids$describe_identity_pool(IdentityPoolId = s$pool))
    expect_identical(made$value$IdentityPoolId, s$pool)
    # The identity id is remembered after the first exchange.
    expected <- c("initiate_auth", if (i == 1) "get_id", "get_credentials_for_identity", "describe_identity_pool")
    expect_identical(made$ops, expected, info = i)
  }
  # The role's policy is what decides, with the renewed credentials too.
  denied <- calls_made(catch_error(ids$list_identity_pools(MaxResults = 5)))
  expect_match(class(denied$value)[[1]], "AccessDenied")

  # With credentials that last (the pool's hour), one renewal serves many calls.
  lasting <- cognito_credentials_source(s$user$app, s$tokens, s$pool, ClientSecret = s$user$secret, config = s$config)
  svc <- cognitoidentity(config = list(credentials = list(provider = lasting), endpoint = endpoint, region = "us-east-1"))
  first <- calls_made(svc$describe_identity_pool(IdentityPoolId = s$pool))
  expect_identical(first$ops, c("initiate_auth", "get_credentials_for_identity", "describe_identity_pool"))
  second <- calls_made(svc$describe_identity_pool(IdentityPoolId = s$pool))
  expect_identical(second$ops, "describe_identity_pool")

  # A source whose refresh token the pool refuses: the call fails with a
  # credentials error that names the refusal, and no token.
  broken <- s$tokens
  broken$RefreshToken <- "not-a-refresh-token"
  bad <- cognito_credentials_source(s$user$app, broken, s$pool, ClientSecret = s$user$secret, config = s$config)
  svc <- cognitoidentity(config = list(credentials = list(provider = bad), endpoint = endpoint, region = "us-east-1"))
  err <- catch_error(suppressMessages(svc$describe_identity_pool(IdentityPoolId = s$pool)))
  expect_s3_class(err, "cognitoidp_credentials_error")
  expect_match(conditionMessage(err), "NotAuthorizedException", fixed = TRUE)
  expect_false(grepl("not-a-refresh-token", conditionMessage(err), fixed = TRUE))
})

test_that("bad arguments are refused before anything is sent, naming the argument and never the token", {
  secret_token <- "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.very-secret-signature"
  unreachable <- list(endpoint = closed_endpoint())
  cases <- list(
    list(args = list(IdentityPoolId = "not-a-pool"), path = "IdentityPoolId"),
    list(args = list(IdentityPoolId = c("us-east-1:1", "us-east-1:2")), path = "IdentityPoolId"),
    list(args = list(IdentityPoolId = NA_character_), path = "IdentityPoolId"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", Tokens = 42), path = "Tokens"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", Tokens = c(secret_token, secret_token)), path = "Tokens"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", Tokens = secret_token), path = "Tokens"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", Tokens = list(AccessToken = secret_token)), path = "Tokens"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", RoleArn = 1), path = "RoleArn"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", RoleArn = "arn:aws:iam::1:role/a", CustomRoleArn = "arn:aws:iam::1:role/b"),
         path = "RoleArn"),
    list(args = list(IdentityPoolId = "us-east-1:0a1b", config = list(regoin = "x")), path = "config$regoin")
  )
  for (case in cases) {
    args <- case$args
    if (is.null(args$config)) args$config <- unreachable
    err <- catch_error(do.call(cognito_aws_credentials, args))
    expect_s3_class(err, "cognitoidp_param_error")
    expect_identical(err$path, case$path)
    expect_false(grepl("very-secret", conditionMessage(err)), info = conditionMessage(err))
  }
  err <- catch_error(cognito_aws_credentials())
  expect_identical(err$path, "IdentityPoolId")
  expect_s3_class(catch_error(cognito_paws_creds(list(access_key_id = "a"))), "cognitoidp_param_error")
  expect_s3_class(catch_error(cognito_set_aws_env("x")), "cognitoidp_param_error")
})

test_that("the credentials never show their secret when printed, formatted or inspected", {
  creds <- structure(list(access_key_id = "ASIAEXAMPLE", secret_access_key = "do-not-show-this-secret",
                          session_token = "do-not-show-this-token", expiration = .POSIXct(2e9, tz = "GMT"),
                          identity_id = "us-east-1:abc"), class = "cognitoidp_aws_credentials")
  shown <- c(capture.output(print(creds)), format(creds), capture.output(str(creds)), capture.output(creds))
  expect_false(any(grepl("do-not-show", shown)))
  expect_true(any(grepl("ASIAEXAMPLE", shown)))
  expect_true(any(grepl("us-east-1:abc", shown)))
  expect_match(format(creds), "2033-05-18 03:33:20 GMT", fixed = TRUE)
})
