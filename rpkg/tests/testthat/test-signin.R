# Signing users in: SRP proofs checked by a server that verifies them
# (ministack), the challenge loop against moto, remembered devices against
# the test server that implements them (fixtures/srp_server.py), secret
# hashes and refresh (what the objects show: test-secrets.R). The SRP math itself is tested
# with the published vectors in the Rust core (src/auth/srp.rs).

expect_no_secret <- function(text, secrets, info = NULL) {
  for (secret in secrets[nzchar(secrets)]) {
    expect_false(any(grepl(secret, text, fixed = TRUE)), info = paste(info, "shows a secret"))
  }
}

test_that("a user of an app client with a secret signs in by SRP against a server that checks the proof", {
  u <- ministack_user(secret = TRUE)
  tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                            Password = u$password, ClientSecret = u$secret)
  expect_s3_class(tokens, "cognitoidp_tokens")
  expect_named(tokens, c("AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType", "NewDeviceMetadata"))
  expect_identical(tokens$TokenType, "Bearer")
  expect_true(nzchar(tokens$AccessToken) && nzchar(tokens$IdToken) && nzchar(tokens$RefreshToken))
  # The tokens work: the access token reads the user back.
  expect_identical(u$app$get_user(AccessToken = tokens$AccessToken)$Username, u$username)

  # The password never went over the wire.
  # (ministack records nothing; the device server below checks it.)
  # A wrong password, and a wrong client secret, are refused by the server.
  e <- catch_error(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                                   Password = "Not-the-passw0rd", ClientSecret = u$secret))
  expect_s3_class(e, "NotAuthorizedException")
  expect_no_secret(conditionMessage(e), c("Not-the-passw0rd", u$password, u$secret))
  e <- catch_error(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                                   Password = u$password, ClientSecret = "not-the-client-secret"))
  expect_s3_class(e, "NotAuthorizedException")
  expect_match(conditionMessage(e), "secret hash")
  e <- catch_error(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                                   Password = u$password))
  expect_s3_class(e, "NotAuthorizedException")
})

test_that("the TIMESTAMP is signed unpadded; a padded day fails the proof at the checking server", {
  u <- ministack_user(secret = FALSE)
  attempt <- function(timestamp) {
    srp <- cognitoidp:::cip_srp_start()
    challenge <- u$app$initiate_auth(AuthFlow = "USER_SRP_AUTH", ClientId = u$client,
                                     AuthParameters = list(USERNAME = u$username, SRP_A = srp$srp_a))
    p <- challenge$ChallengeParameters
    signature <- cognitoidp:::cip_srp_claim(srp$handle, sub(".*_", "", u$pool), p$USER_ID_FOR_SRP, p$SALT, p$SRP_B,
                                            p$SECRET_BLOCK, u$password, timestamp)
    u$app$respond_to_auth_challenge(
      ClientId = u$client, ChallengeName = "PASSWORD_VERIFIER",
      Session = if (length(challenge$Session) == 1) challenge$Session,
      ChallengeResponses = list(USERNAME = p$USERNAME, PASSWORD_CLAIM_SECRET_BLOCK = p$SECRET_BLOCK,
                                TIMESTAMP = timestamp, PASSWORD_CLAIM_SIGNATURE = signature)
    )
  }
  # A day of the month below 10, as Cognito writes it and with a leading zero.
  expect_true(nzchar(attempt("Tue Nov 3 01:02:03 UTC 2026")$AuthenticationResult$AccessToken))
  expect_error(attempt("Tue Nov 03 01:02:03 UTC 2026"), class = "NotAuthorizedException")
  expect_error(attempt("Wed Nov 3 01:02:03 UTC 2026"), class = "NotAuthorizedException")
  # The package's own: "EEE MMM d HH:mm:ss UTC yyyy", in English, the day unpadded.
  expect_match(cognitoidp:::cip_srp_timestamp(),
               "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9][0-9]? [0-9]{2}:[0-9]{2}:[0-9]{2} UTC [0-9]{4}$")
})

test_that("USER_PASSWORD_AUTH goes through the same loop, and refresh hashes the user's internal name", {
  u <- ministack_user(secret = TRUE)
  tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                            Password = u$password, ClientSecret = u$secret, AuthFlow = "USER_PASSWORD_AUTH")
  expect_s3_class(tokens, "cognitoidp_tokens")
  # Refresh from the tokens alone (the sign-in kept a secret hash, not the secret).
  fresh <- cognito_refresh(u$app, tokens)
  expect_s3_class(fresh, "cognitoidp_tokens")
  expect_identical(fresh$RefreshToken, tokens$RefreshToken)
  expect_false(identical(fresh$AccessToken, tokens$AccessToken) && identical(fresh$IdToken, tokens$IdToken))
  # Or from a refresh token and the secret: the user name comes from Username.
  fresh <- cognito_refresh(u$app, RefreshToken = tokens$RefreshToken, ClientId = u$client,
                           ClientSecret = u$secret, Username = u$username)
  expect_true(nzchar(fresh$AccessToken))
  e <- catch_error(cognito_refresh(u$app, RefreshToken = tokens$RefreshToken, ClientId = u$client,
                                   ClientSecret = u$secret, Username = "someone-else"))
  expect_s3_class(e, "NotAuthorizedException")
})

test_that("cognito_secret_hash() is what the self-service operations need", {
  # python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b"client-secret",
  #   b"ada@example.com" + b"client-id", hashlib.sha256).digest()).decode())'
  expect_identical(cognito_secret_hash("ada@example.com", "client-id", "client-secret"),
                   "j91lPRnmFiw7H8DcHgy8tnvbdZiQHe1DEUkCVZkHRQM=")
  u <- ministack_user(secret = TRUE)
  name <- unique_name("grace")
  signed_up <- u$app$sign_up(ClientId = u$client, Username = name, Password = "An0ther-passw0rd!",
                             SecretHash = cognito_secret_hash(name, u$client, u$secret),
                             UserAttributes = list(list(Name = "email", Value = paste0(name, "@example.com"))))
  expect_true(nzchar(signed_up$UserSub))
  e <- catch_error(u$app$sign_up(ClientId = u$client, Username = unique_name("eve"), Password = "An0ther-passw0rd!",
                                 SecretHash = cognito_secret_hash("someone", u$client, u$secret)))
  expect_s3_class(e, "NotAuthorizedException")
  expect_error(cognito_secret_hash(c("a", "b"), "c", "s"), class = "cognitoidp_param_error")
})

test_that("names and secrets are hashed as UTF-8 whatever R's encoding, and strings that are not text are refused", {
  # python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new("s\u00e9cret".encode(),
  #   "zo\u00eb".encode() + b"client-id", hashlib.sha256).digest()).decode())'
  expected <- "zWCSJz4KIvmScGyUeBnIfz1HGKLxW1rrkDi0//l0IGw="
  name <- "zo\u00eb"
  secret <- "s\u00e9cret"
  expect_identical(cognito_secret_hash(name, "client-id", secret), expected)
  expect_identical(cognito_secret_hash(iconv(name, "UTF-8", "latin1"), "client-id", iconv(secret, "UTF-8", "latin1")),
                   expected)
  marked_bytes <- rawToChar(as.raw(c(0x61, 0xe9, 0x62)))
  Encoding(marked_bytes) <- "bytes"
  # Malformed bytes are native text where the locale is not UTF-8.
  malformed <- if (l10n_info()[["UTF-8"]]) rawToChar(as.raw(c(0x61, 0xff, 0x62)))
  for (bad in c(list(marked_bytes), if (!is.null(malformed)) list(malformed))) {
    e <- catch_error(cognito_secret_hash("ada", "client-id", bad))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_match(conditionMessage(e), "`ClientSecret`: it is not valid text")
    e <- catch_error(cognito_sign_in(cognitoidentityprovider(config = list(region = "eu-west-1")),
                                     UserPoolId = "eu-west-1_abc", ClientId = "client-id", Username = "ada",
                                     Password = bad))
    expect_s3_class(e, "cognitoidp_param_error")
    expect_match(conditionMessage(e), "`Password`")
  }
})

test_that("challenges chain: a new password, then MFA, answered with cognito_respond()", {
  admin <- moto_svc()
  pool <- admin$create_user_pool(PoolName = unique_name("chain"), MfaConfiguration = "OPTIONAL")$UserPool$Id
  client <- admin$create_user_pool_client(UserPoolId = pool, ClientName = "app")$UserPoolClient$ClientId
  admin$admin_create_user(UserPoolId = pool, Username = "lin", TemporaryPassword = "Temp0rary-pass!",
                          MessageAction = "SUPPRESS")
  app <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(anonymous = TRUE)))
  challenge <- cognito_sign_in(app, UserPoolId = pool, ClientId = client, Username = "lin",
                               Password = "Temp0rary-pass!")
  expect_s3_class(challenge, "cognitoidp_challenge")
  expect_identical(challenge$ChallengeName, "NEW_PASSWORD_REQUIRED")
  expect_match(format(challenge), "NewPassword = ")
  # What a challenge needs is checked before anything is sent.
  expect_error(cognito_respond(app, challenge, Code = "123456"), class = "cognitoidp_param_error")
  tokens <- cognito_respond(app, challenge, NewPassword = "N3w-passw0rd!!")
  expect_s3_class(tokens, "cognitoidp_tokens")

  # Software-token MFA, then a sign-in that asks for its code.
  secret <- app$associate_software_token(AccessToken = tokens$AccessToken)$SecretCode
  expect_true(nzchar(secret))
  app$verify_software_token(AccessToken = tokens$AccessToken, UserCode = "123456")
  app$set_user_mfa_preference(AccessToken = tokens$AccessToken,
                              SoftwareTokenMfaSettings = list(Enabled = TRUE, PreferredMfa = TRUE))
  challenge <- cognito_sign_in(app, UserPoolId = pool, ClientId = client, Username = "lin", Password = "N3w-passw0rd!!")
  expect_identical(challenge$ChallengeName, "SOFTWARE_TOKEN_MFA")
  tokens <- cognito_respond(app, challenge, Code = "123456")
  expect_s3_class(tokens, "cognitoidp_tokens")
  expect_identical(app$get_user(AccessToken = tokens$AccessToken)$Username, "lin")
  # A refused step raises the API's own condition (moto's code for an unknown session).
  stale <- challenge
  stale$Session <- "not-a-session"
  e <- catch_error(cognito_respond(app, stale, Code = "123456"))
  expect_s3_class(e, "paws_error")
  expect_match(class(e)[[1]], "^[A-Za-z]+Exception$")
})

test_that("a remembered device signs in by device SRP, and refreshes with its key", {
  for (secret in list(NULL, "device-flow-client-secret")) {
    u <- srp_server_user(secret = secret)
    tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                              Password = u$password, ClientSecret = secret)
    expect_true(nzchar(tokens$NewDeviceMetadata$DeviceKey))
    device <- cognito_remember_device(u$app, tokens, DeviceName = "laptop")
    expect_s3_class(device, "cognitoidp_device")
    expect_identical(device$DeviceKey, tokens$NewDeviceMetadata$DeviceKey)
    confirm <- Filter(function(r) r$target == "AWSCognitoIdentityProviderService.ConfirmDevice", srp_server_requests())
    config <- confirm[[length(confirm)]]$body$DeviceSecretVerifierConfig
    expect_named(config, c("PasswordVerifier", "Salt"))

    before <- length(srp_server_requests())
    again <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                             Password = u$password, ClientSecret = secret, Device = device)
    expect_s3_class(again, "cognitoidp_tokens")
    expect_length(again$NewDeviceMetadata$DeviceKey, 0)
    sent <- srp_server_requests()[-seq_len(before)]
    challenges <- vapply(sent, function(r) r$body$ChallengeName %||% r$body$AuthFlow, "")
    expect_identical(challenges, c("USER_SRP_AUTH", "PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"))
    expect_identical(sent[[1]]$body$AuthParameters$DEVICE_KEY, device$DeviceKey)
    # The passwords never went over the wire.
    expect_no_secret(jsonlite::toJSON(sent, auto_unbox = TRUE), c(u$password, device$DevicePassword, secret))

    fresh <- cognito_refresh(u$app, again)
    expect_true(nzchar(fresh$AccessToken))
    refresh <- srp_server_requests()
    expect_identical(refresh[[length(refresh)]]$body$AuthParameters$DEVICE_KEY, device$DeviceKey)

    # The wrong device password fails the device proof.
    forged <- device
    forged$DevicePassword <- "not-the-device-password"
    expect_error(cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                                 Password = u$password, ClientSecret = secret, Device = forged),
                 class = "NotAuthorizedException")
  }
})

test_that("choice-based sign-in (USER_AUTH): the password by SRP straight away, or after a choice", {
  u <- srp_server_user()
  tokens <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                            Password = u$password, AuthFlow = "USER_AUTH")
  expect_s3_class(tokens, "cognitoidp_tokens")
  sent <- srp_server_requests()
  expect_identical(sent[[length(sent) - 1]]$body$AuthParameters$PREFERRED_CHALLENGE, "PASSWORD_SRP")

  challenge <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                               AuthFlow = "USER_AUTH")
  expect_identical(challenge$ChallengeName, "SELECT_CHALLENGE")
  expect_identical(challenge$AvailableChallenges, c("PASSWORD_SRP", "PASSWORD"))
  expect_error(cognito_respond(u$app, challenge, Choice = "PASSWORD_SRP"), class = "cognitoidp_param_error")
  tokens <- cognito_respond(u$app, challenge, Choice = "PASSWORD_SRP", Password = u$password)
  expect_s3_class(tokens, "cognitoidp_tokens")
  challenge <- cognito_sign_in(u$app, UserPoolId = u$pool, ClientId = u$client, Username = u$username,
                               AuthFlow = "USER_AUTH")
  expect_error(cognito_respond(u$app, challenge, Choice = "PASSWORD", Password = "wrong-password"),
               class = "NotAuthorizedException")
})

test_that("bad arguments are refused before anything is sent", {
  svc <- moto_svc(endpoint = closed_endpoint(), max_retries = 0)
  expect_error(cognito_sign_in(list(), UserPoolId = "eu-west-1_x", ClientId = "c", Username = "u", Password = "p"),
               class = "cognitoidp_param_error")
  expect_error(cognito_sign_in(svc, UserPoolId = "no-underscore", ClientId = "c", Username = "u", Password = "p"),
               class = "cognitoidp_param_error")
  expect_error(cognito_sign_in(svc, UserPoolId = "eu-west-1_x", ClientId = "c", Username = "u"),
               class = "cognitoidp_param_error")
  expect_error(cognito_sign_in(svc, UserPoolId = "eu-west-1_x", ClientId = "c", Username = "u", Password = "p",
                               AuthFlow = "CUSTOM"), class = "cognitoidp_param_error")
  expect_error(cognito_sign_in(svc, UserPoolId = "eu-west-1_x", ClientId = "c", Username = "u", Password = "p",
                               Device = list(DeviceKey = "k")), class = "cognitoidp_param_error")
  expect_error(cognito_respond(svc, list(ChallengeName = "SMS_MFA"), Code = "1"), class = "cognitoidp_param_error")
  expect_error(cognito_refresh(svc), class = "cognitoidp_param_error")
  expect_error(cognito_remember_device(svc, list()), class = "cognitoidp_param_error")
})

# ---- secret hashes follow the name they are sent with (issue 16, item 7) ----

# Every SECRET_HASH a request carried, with the name it must be made for: a
# challenge response's USERNAME, a refresh's token owner (`owner`).
sent_hashes <- function(requests, owner = NA_character_) {
  lapply(requests, function(r) {
    body <- r$body
    if (identical(r$operation, "RespondToAuthChallenge")) {
      list(name = body$ChallengeResponses$USERNAME, hash = body$ChallengeResponses$SECRET_HASH)
    } else if (identical(body$AuthFlow, "REFRESH_TOKEN_AUTH")) {
      list(name = owner, hash = body$AuthParameters$SECRET_HASH)
    } else {
      list(name = body$AuthParameters$USERNAME, hash = body$AuthParameters$SECRET_HASH)
    }
  })
}

test_that("after a first challenge that names nobody, no hash is sent with a name it was not made for", {
  admin <- moto_svc()
  pool <- admin$create_user_pool(PoolName = unique_name("alias"), UsernameAttributes = "email",
                                 MfaConfiguration = "OPTIONAL")$UserPool$Id
  app_client <- admin$create_user_pool_client(UserPoolId = pool, ClientName = "app", GenerateSecret = TRUE)$UserPoolClient
  client <- app_client$ClientId
  secret <- app_client$ClientSecret
  email <- paste0(unique_name("lin"), "@example.com")
  admin$admin_create_user(UserPoolId = pool, Username = email, MessageAction = "SUPPRESS")
  admin$admin_set_user_password(UserPoolId = pool, Username = email, Password = "N3w-passw0rd!!", Permanent = TRUE)
  app <- cognitoidentityprovider(config = list(endpoint = moto_endpoint(), region = "us-east-1",
                                               credentials = list(anonymous = TRUE)))
  sign_in <- function() cognito_sign_in(app, UserPoolId = pool, ClientId = client, Username = email,
                                        Password = "N3w-passw0rd!!", ClientSecret = secret, AuthFlow = "USER_PASSWORD_AUTH")
  tokens <- sign_in()
  # The user's internal name (a UUID in a pool that signs in by e-mail) is not the name signed in with.
  internal <- cognitoidp:::cip_token_claims(tokens$IdToken)[["cognito:username"]]
  expect_true(is.character(internal) && nzchar(internal) && internal != email)
  app$associate_software_token(AccessToken = tokens$AccessToken)
  app$verify_software_token(AccessToken = tokens$AccessToken, UserCode = "123456")
  app$set_user_mfa_preference(AccessToken = tokens$AccessToken,
                              SoftwareTokenMfaSettings = list(Enabled = TRUE, PreferredMfa = TRUE))

  challenge <- sign_in()
  expect_identical(challenge$ChallengeName, "SOFTWARE_TOKEN_MFA")
  expect_length(challenge$ChallengeParameters, 0)

  # Without the secret: the response goes with the name signed in with and
  # its hash; the tokens then know the internal name, whose hash a refresh
  # needs, so the refresh asks for the secret before sending anything.
  before <- moto_request_count()
  tokens <- cognito_respond(app, challenge, Code = "123456")
  expect_s3_class(tokens, "cognitoidp_tokens")
  sent <- sent_hashes(moto_requests_since(before))
  expect_identical(sent, list(list(name = email, hash = cognito_secret_hash(email, client, secret))))
  before <- moto_request_count()
  e <- catch_error(cognito_refresh(app, tokens))
  expect_s3_class(e, "cognitoidp_param_error")
  expect_identical(e$path, "ClientSecret")
  expect_false(grepl(email, conditionMessage(e), fixed = TRUE) || grepl(internal, conditionMessage(e), fixed = TRUE))
  expect_identical(moto_request_count(), before)
  # Given the secret again, the refresh sends the internal name's hash.
  # (moto checks a refresh's hash against the name signed in with, which AWS
  # and ministack do not: its answer is not what is tested here.)
  try(cognito_refresh(app, tokens, ClientSecret = secret), silent = TRUE)
  expect_identical(sent_hashes(moto_requests_since(before), owner = internal),
                   list(list(name = internal, hash = cognito_secret_hash(internal, client, secret))))

  # With the secret given to cognito_respond(): the tokens carry the internal
  # name's hash, and refresh without it.
  challenge <- sign_in()
  tokens <- cognito_respond(app, challenge, Code = "123456", ClientSecret = secret)
  before <- moto_request_count()
  try(cognito_refresh(app, tokens), silent = TRUE)
  expect_identical(sent_hashes(moto_requests_since(before), owner = internal),
                   list(list(name = internal, hash = cognito_secret_hash(internal, client, secret))))
  # The objects keep no secret, whatever was given.
  kept <- rawToChar(serialize(list(tokens, challenge), NULL, ascii = TRUE))
  expect_false(grepl(secret, kept, fixed = TRUE))

  # A challenge whose flow learnt another name than the hash's (as a chain
  # does when a later challenge names the user): refused before sending;
  # with the secret, the step and the tokens' refresh carry the internal
  # name's hash.
  challenge <- sign_in()
  flow <- attr(challenge, "cognitoidp")
  flow$InternalUsername <- internal
  relabelled <- structure(unclass(challenge), class = "cognitoidp_challenge", cognitoidp = flow)
  before <- moto_request_count()
  e <- catch_error(cognito_respond(app, relabelled, Code = "123456"))
  expect_s3_class(e, "cognitoidp_param_error")
  expect_identical(e$path, "ClientSecret")
  expect_identical(moto_request_count(), before)
  tokens <- cognito_respond(app, relabelled, Code = "123456", ClientSecret = secret)
  expect_s3_class(tokens, "cognitoidp_tokens")
  try(cognito_refresh(app, tokens), silent = TRUE)
  expect_identical(sent_hashes(moto_requests_since(before), owner = internal),
                   rep(list(list(name = internal, hash = cognito_secret_hash(internal, client, secret))), 2))
})

test_that("a pool that signs in by e-mail: the refresh hash is the internal name's, at a server that checks it", {
  admin <- ministack_svc()
  pool <- admin$create_user_pool(PoolName = unique_name("alias"), UsernameAttributes = "email")$UserPool$Id
  app_client <- admin$create_user_pool_client(
    UserPoolId = pool, ClientName = "app", GenerateSecret = TRUE,
    ExplicitAuthFlows = c("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
  )$UserPoolClient
  client <- app_client$ClientId
  secret <- app_client$ClientSecret
  email <- paste0(unique_name("ada"), "@example.com")
  admin$admin_create_user(UserPoolId = pool, Username = email, MessageAction = "SUPPRESS")
  admin$admin_set_user_password(UserPoolId = pool, Username = email, Password = "Corr3ct-Horse!", Permanent = TRUE)
  app <- ministack_svc(anonymous = TRUE)
  for (flow in c("USER_SRP_AUTH", "USER_PASSWORD_AUTH")) {
    tokens <- cognito_sign_in(app, UserPoolId = pool, ClientId = client, Username = email, Password = "Corr3ct-Horse!",
                              ClientSecret = secret, AuthFlow = flow)
    internal <- cognitoidp:::cip_token_claims(tokens$IdToken)[["cognito:username"]]
    expect_true(nzchar(internal) && internal != email, info = flow)
    fresh <- cognito_refresh(app, tokens)
    expect_true(nzchar(fresh$AccessToken), info = flow)
    # The alias's hash, which the refresh used to send after a nameless first
    # challenge, is refused.
    e <- catch_error(cognito_refresh(app, RefreshToken = tokens$RefreshToken, ClientId = client, ClientSecret = secret,
                                     Username = email))
    expect_s3_class(e, "NotAuthorizedException")
  }
})
