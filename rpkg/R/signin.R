# Signing users in as the AWS apps do: SRP password proofs, client secret
# hashes, the challenge loop, refresh and remembered devices. The exchanges
# go through the service object's own operations (initiate_auth,
# respond_to_auth_challenge, confirm_device, ...), so they need no AWS
# credentials, log and fail as every call does, and raise the API's classed
# conditions. The big integers, keys and hashes are in the Rust core
# (auth_calls.rs); the SRP private value never leaves it.
#
# The objects given back (tokens, challenges, devices) are lists of the
# API's members; what later steps need (the user's internal name, the secret
# hash and the name it was made for, the device) rides along in the attribute
# "cognitoidp" and is never printed (see signin-objects.R). Client secrets are
# not kept: a secret hash is, and it is sent only with the name it was made
# for. When the user's internal name is learnt after the sign-in (a first
# challenge that names nobody, then the ID token) and differs from the name
# given, the next step needs the secret again (ClientSecret).

sign_in_flows <- c("USER_SRP_AUTH", "USER_PASSWORD_AUTH", "USER_AUTH")

cognito_sign_in <- function(svc, UserPoolId, ClientId, Username, Password = NULL, ClientSecret = NULL,
                            Device = NULL, AuthFlow = "USER_SRP_AUTH") {
  check_service(svc)
  pool <- check_arg_string(UserPoolId, "UserPoolId")
  check_arg_string(ClientId, "ClientId")
  check_arg_string(Username, "Username", sensitive = TRUE)
  if (!is.null(Password)) check_arg_string(Password, "Password", sensitive = TRUE)
  if (!is.null(ClientSecret)) check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  if (!is.null(Device)) check_device(Device)
  check_choice(AuthFlow, "AuthFlow", sign_in_flows)
  if (AuthFlow != "USER_AUTH" && is.null(Password)) {
    param_error(sprintf("Invalid argument `Password`: %s signs in with a password; give one", AuthFlow), "Password")
  }
  if (!grepl("_", pool, fixed = TRUE)) {
    param_error("Invalid argument `UserPoolId`: expected a user pool id such as \"eu-west-1_AbC123\"", "UserPoolId")
  }

  flow <- new_flow(pool, ClientId, Username, ClientSecret, Device)
  parameters <- list(USERNAME = Username)
  if (!is.null(ClientSecret)) parameters$SECRET_HASH <- flow$SecretHash
  if (!is.null(Device)) parameters$DEVICE_KEY <- Device$DeviceKey
  srp <- NULL
  if (AuthFlow == "USER_PASSWORD_AUTH") {
    parameters$PASSWORD <- Password
  } else if (!is.null(Password)) {
    # USER_SRP_AUTH, or USER_AUTH with the password by SRP: it never leaves.
    srp <- srp_start()
    parameters$SRP_A <- srp$srp_a
    if (AuthFlow == "USER_AUTH") parameters$PREFERRED_CHALLENGE <- "PASSWORD_SRP"
  }
  answer <- svc$initiate_auth(AuthFlow = AuthFlow, ClientId = ClientId, AuthParameters = parameters)
  continue_flow(svc, flow, answer, password = Password, srp = srp, secret = ClientSecret)
}

cognito_respond <- function(svc, Challenge, Code = NULL, NewPassword = NULL, Choice = NULL, Answer = NULL,
                            Password = NULL, Attributes = NULL, ClientSecret = NULL) {
  check_service(svc)
  if (!inherits(Challenge, "cognitoidp_challenge")) {
    param_error(sprintf("Invalid argument `Challenge`: expected a challenge from cognito_sign_in() or cognito_respond(), got %s",
                        describe(Challenge)), "Challenge")
  }
  for (arg in c("Code", "NewPassword", "Choice", "Answer", "Password", "ClientSecret")) {
    value <- get(arg)
    if (!is.null(value)) {
      check_arg_string(value, arg, sensitive = arg %in% c("NewPassword", "Password", "Code", "ClientSecret"))
    }
  }
  if (!is.null(Attributes)) check_attributes(Attributes)
  flow <- flow_of(Challenge)
  # Given the secret, the flow's hash is made afresh for the name this step
  # sends, and the tokens at the end keep that one.
  if (!is.null(ClientSecret)) flow <- hash_name(flow, flow$InternalUsername %||% flow$Username, ClientSecret)
  name <- Challenge$ChallengeName
  session <- Challenge$Session
  need <- function(value, arg, what) {
    if (is.null(value)) param_error(sprintf("Invalid argument `%s`: the %s challenge needs %s", arg, name, what), arg)
    value
  }
  srp <- NULL
  responses <- switch(name,
    SMS_MFA = list(SMS_MFA_CODE = need(Code, "Code", "the code sent by SMS")),
    SOFTWARE_TOKEN_MFA = list(SOFTWARE_TOKEN_MFA_CODE = need(Code, "Code", "the code of the authenticator app")),
    EMAIL_OTP = list(EMAIL_OTP_CODE = need(Code, "Code", "the code sent by e-mail")),
    SMS_OTP = list(SMS_OTP_CODE = need(Code, "Code", "the code sent by SMS")),
    SELECT_MFA_TYPE = list(ANSWER = need(Choice, "Choice", "the MFA type chosen")),
    NEW_PASSWORD_REQUIRED = c(list(NEW_PASSWORD = need(NewPassword, "NewPassword", "the new password")),
                              attribute_responses(Attributes)),
    CUSTOM_CHALLENGE = list(ANSWER = need(Answer, "Answer", "the answer")),
    SELECT_CHALLENGE = {
      choice <- need(Choice, "Choice", "the challenge chosen")
      responses <- list(ANSWER = choice)
      if (choice == "PASSWORD_SRP") {
        need(Password, "Password", "the password to sign in with it")
        srp <- srp_start()
        responses$SRP_A <- srp$srp_a
      } else if (choice == "PASSWORD") {
        responses$PASSWORD <- need(Password, "Password", "the password to sign in with it")
      }
      responses
    },
    MFA_SETUP = return(setup_mfa(svc, Challenge, flow, Code, Choice, Answer, ClientSecret)),
    DEVICE_SRP_AUTH = param_error(
      "Invalid argument `Challenge`: DEVICE_SRP_AUTH is answered with the device; sign in with cognito_sign_in(Device = )",
      "Challenge"
    ),
    list(ANSWER = need(Answer, "Answer", "an answer"))
  )
  answer <- respond(svc, flow, name, responses, session, ClientSecret)
  continue_flow(svc, flow, answer, password = Password, srp = srp, secret = ClientSecret)
}

cognito_refresh <- function(svc, Tokens = NULL, ClientSecret = NULL, RefreshToken = NULL, ClientId = NULL,
                            Username = NULL) {
  check_service(svc)
  flow <- NULL
  if (!is.null(Tokens)) {
    if (!inherits(Tokens, "cognitoidp_tokens")) {
      param_error(sprintf("Invalid argument `Tokens`: expected tokens from cognito_sign_in(), got %s", describe(Tokens)),
                  "Tokens")
    }
    flow <- flow_of(Tokens)
    if (is.null(RefreshToken)) RefreshToken <- Tokens$RefreshToken
  }
  if (length(RefreshToken) == 0) {
    param_error("Invalid argument `RefreshToken`: give tokens that hold one, or the refresh token", "RefreshToken")
  }
  check_arg_string(RefreshToken, "RefreshToken", sensitive = TRUE)
  if (is.null(ClientId)) ClientId <- flow$ClientId
  check_arg_string(ClientId, "ClientId")
  if (!is.null(Username)) check_arg_string(Username, "Username", sensitive = TRUE)
  if (!is.null(ClientSecret)) check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  if (is.null(flow)) flow <- new_flow(NA_character_, ClientId, Username, NULL, NULL)

  parameters <- list(REFRESH_TOKEN = RefreshToken)
  # The hash of the user's internal name (not an alias): the one the
  # sign-in made for it, or a new one from the secret.
  internal <- Username %||% flow$InternalUsername %||% if (!is.null(Tokens)) token_username(Tokens)
  if (!is.null(ClientSecret) && is.null(internal)) {
    param_error("Invalid argument `Username`: a client secret's hash needs the user's name; give Username", "Username")
  }
  parameters$SECRET_HASH <- secret_hash(flow, internal %||% flow$HashedName, ClientSecret)
  if (!is.null(flow$DeviceKey)) parameters$DEVICE_KEY <- flow$DeviceKey
  answer <- svc$initiate_auth(AuthFlow = "REFRESH_TOKEN_AUTH", ClientId = ClientId, AuthParameters = parameters)
  tokens <- continue_flow(svc, flow, answer)
  # The service sends no new refresh token here: the old one stays good.
  if (inherits(tokens, "cognitoidp_tokens") && length(tokens$RefreshToken) == 0) tokens$RefreshToken <- RefreshToken
  tokens
}

cognito_remember_device <- function(svc, Tokens, DeviceName = NULL) {
  check_service(svc)
  if (!inherits(Tokens, "cognitoidp_tokens")) {
    param_error(sprintf("Invalid argument `Tokens`: expected tokens from cognito_sign_in(), got %s", describe(Tokens)),
                "Tokens")
  }
  metadata <- Tokens$NewDeviceMetadata
  if (length(metadata$DeviceKey) == 0 || length(metadata$DeviceGroupKey) == 0) {
    param_error(paste("Invalid argument `Tokens`: these tokens bring no new device (NewDeviceMetadata);",
                      "the user pool must track devices"), "Tokens")
  }
  if (!is.null(DeviceName)) check_arg_string(DeviceName, "DeviceName")
  secret <- stop_on_failure(cip_device_secret(metadata$DeviceGroupKey, metadata$DeviceKey))
  confirmed <- svc$confirm_device(
    AccessToken = Tokens$AccessToken, DeviceKey = metadata$DeviceKey,
    DeviceSecretVerifierConfig = list(PasswordVerifier = secret$verifier, Salt = secret$salt),
    DeviceName = DeviceName
  )
  # A pool that remembers devices only on the user's say-so waits for this.
  if (isTRUE(confirmed$UserConfirmationNecessary)) {
    svc$update_device_status(AccessToken = Tokens$AccessToken, DeviceKey = metadata$DeviceKey,
                             DeviceRememberedStatus = "remembered")
  }
  flow <- flow_of(Tokens)
  structure(
    list(DeviceKey = metadata$DeviceKey, DeviceGroupKey = metadata$DeviceGroupKey, DevicePassword = secret$password,
         UserPoolId = flow$UserPoolId, Username = flow$InternalUsername %||% character(0)),
    class = "cognitoidp_device"
  )
}

cognito_secret_hash <- function(Username, ClientId, ClientSecret) {
  check_arg_string(Username, "Username", sensitive = TRUE)
  check_arg_string(ClientId, "ClientId")
  check_arg_string(ClientSecret, "ClientSecret", sensitive = TRUE)
  secret_hash_of(Username, ClientId, ClientSecret)
}

# The hash of UTF-8 strings, as the service makes it, whatever R's encoding.
secret_hash_of <- function(name, client_id, secret) {
  cip_secret_hash(enc2utf8(name), enc2utf8(client_id), enc2utf8(secret))
}

# ---- the loop ------------------------------------------------------------------

# What later steps of one user's sign-in need. The internal user name is
# learnt from the first challenge (or the ID token); the secret hash is made
# for the name given, and again for the internal name where the secret is at
# hand. HashedName is the name the hash was made for.
new_flow <- function(pool, client, username, secret, device) {
  flow <- list(UserPoolId = pool, ClientId = client, Username = username, InternalUsername = NULL,
               SecretHash = NULL, HashedName = NULL, DeviceKey = device$DeviceKey, Device = device)
  if (!is.null(secret) && !is.null(username)) flow <- hash_name(flow, username, secret)
  flow
}

hash_name <- function(flow, name, secret) {
  flow$SecretHash <- secret_hash_of(name, flow$ClientId, secret)
  flow$HashedName <- name
  flow
}

# The SECRET_HASH to send with `name`: made from the secret when it is given,
# else the flow's if it was made for that very name; NULL for an app client
# without a secret. A hash of another name is never sent: that needs the
# secret again.
secret_hash <- function(flow, name, secret) {
  if (!is.null(secret)) return(secret_hash_of(name, flow$ClientId, secret))
  if (is.null(flow$SecretHash) || identical(flow$HashedName, name)) return(flow$SecretHash)
  param_error(paste(
    "Invalid argument `ClientSecret`: the user's internal name, learnt after the sign-in, is not the name",
    "signed in with, and the client secret's hash must be made for it; give the app client's secret",
    "again as ClientSecret (it is not kept)"
  ), "ClientSecret")
}

flow_of <- function(x) {
  flow <- attr(x, "cognitoidp", exact = TRUE)
  if (is.null(flow)) param_error("Invalid argument: the object does not come from a sign-in of this package", "Challenge")
  flow
}

# The challenges' USERNAME is the user's internal name (USER_ID_FOR_SRP too,
# where the USERNAME is missing): the one challenge responses and refreshes
# carry, and hash with the client secret.
learn_username <- function(flow, parameters, secret) {
  if (!is.null(flow$InternalUsername)) return(flow)
  internal <- parameters[["USERNAME"]] %||% parameters[["USER_ID_FOR_SRP"]]
  if (length(internal) != 1) return(flow)
  flow$InternalUsername <- internal
  if (!is.null(secret)) flow <- hash_name(flow, internal, secret)
  flow
}

# Answers what needs no one (the password and device proofs) and returns
# tokens, or the challenge that needs the user.
continue_flow <- function(svc, flow, answer, password = NULL, srp = NULL, secret = NULL) {
  repeat {
    flow <- learn_username(flow, answer$ChallengeParameters, secret)
    if (length(answer$AuthenticationResult$AccessToken) == 1) {
      return(new_tokens(answer$AuthenticationResult, flow, secret))
    }
    name <- answer$ChallengeName
    parameters <- answer$ChallengeParameters
    if (identical(name, "PASSWORD_VERIFIER") && !is.null(srp) && !is.null(password)) {
      responses <- password_claim(srp, flow, parameters, sub("^[^_]*_", "", flow$UserPoolId), password)
      if (!is.null(flow$DeviceKey)) responses$DEVICE_KEY <- flow$DeviceKey
    } else if (identical(name, "DEVICE_SRP_AUTH") && !is.null(flow$Device)) {
      srp <- srp_start()
      responses <- list(DEVICE_KEY = flow$DeviceKey, SRP_A = srp$srp_a)
    } else if (identical(name, "DEVICE_PASSWORD_VERIFIER") && !is.null(flow$Device) && !is.null(srp)) {
      responses <- password_claim(srp, flow, parameters, flow$Device$DeviceGroupKey, flow$Device$DevicePassword,
                                  user_id = flow$DeviceKey)
      responses$DEVICE_KEY <- flow$DeviceKey
    } else {
      return(new_challenge(answer, flow))
    }
    srp <- if (identical(name, "DEVICE_SRP_AUTH")) srp else NULL
    answer <- respond(svc, flow, name, responses, answer$Session, secret)
  }
}

respond <- function(svc, flow, name, responses, session, secret = NULL) {
  username <- flow$InternalUsername %||% flow$Username
  hash <- secret_hash(flow, username, secret)
  responses <- c(list(USERNAME = username), responses)
  if (!is.null(hash)) responses$SECRET_HASH <- hash
  # A challenge may come without a session (its typed empty, character(0)).
  svc$respond_to_auth_challenge(ClientId = flow$ClientId, ChallengeName = name,
                                Session = if (length(session) == 1) session, ChallengeResponses = responses)
}

srp_start <- function() stop_on_failure(cip_srp_start())

# The PASSWORD_VERIFIER answer: the proof that the password is known, for
# `pool_name` (the part of the pool id after "_"; a device's group key) and
# the challenge's user id (a device's key).
password_claim <- function(srp, flow, parameters, pool_name, password, user_id = NULL) {
  field <- function(name) {
    value <- parameters[[name]]
    if (!is.character(value) || length(value) != 1) {
      stop(failure_condition(list(kind = "response", message = sprintf(
        "The password verifier challenge came without its %s", name
      ))))
    }
    value
  }
  user_id <- user_id %||% field("USER_ID_FOR_SRP")
  timestamp <- cip_srp_timestamp()
  signature <- stop_on_failure(cip_srp_claim(srp$handle, pool_name, user_id, field("SALT"), field("SRP_B"),
                                             field("SECRET_BLOCK"), enc2utf8(password), timestamp))
  list(PASSWORD_CLAIM_SECRET_BLOCK = field("SECRET_BLOCK"), TIMESTAMP = timestamp,
       PASSWORD_CLAIM_SIGNATURE = signature)
}

# MFA_SETUP: a choice of "SOFTWARE_TOKEN_MFA" fetches the secret for the
# user's authenticator app (the challenge given back holds it, as
# SecretCode); the app's first code then finishes the setup. E-mail MFA is
# set up with Choice = "EMAIL_OTP" and the address as Answer.
setup_mfa <- function(svc, challenge, flow, code, choice, answer, secret) {
  if (identical(choice, "SOFTWARE_TOKEN_MFA")) {
    associated <- svc$associate_software_token(Session = if (length(challenge$Session) == 1) challenge$Session)
    challenge$Session <- associated$Session
    challenge$SecretCode <- associated$SecretCode
    return(challenge)
  }
  if (identical(choice, "EMAIL_OTP")) {
    if (is.null(answer)) param_error("Invalid argument `Answer`: setting up e-mail MFA needs the address", "Answer")
    return(continue_flow(svc, flow, respond(svc, flow, "MFA_SETUP", list(EMAIL = answer), challenge$Session, secret),
                         secret = secret))
  }
  if (is.null(code)) {
    param_error(paste("Invalid argument `Code`: the MFA_SETUP challenge needs Choice = \"SOFTWARE_TOKEN_MFA\"",
                      "(then the app's first code as Code), or Choice = \"EMAIL_OTP\""), "Code")
  }
  # The hash is checked before the code is spent.
  secret_hash(flow, flow$InternalUsername %||% flow$Username, secret)
  verified <- svc$verify_software_token(Session = challenge$Session, UserCode = code)
  continue_flow(svc, flow, respond(svc, flow, "MFA_SETUP", list(), verified$Session, secret), secret = secret)
}

attribute_responses <- function(attributes) {
  if (is.null(attributes)) return(list())
  stats::setNames(as.list(unlist(attributes)), paste0("userAttributes.", names(attributes)))
}

# ---- the objects ------------------------------------------------------------------

new_tokens <- function(result, flow, secret = NULL) {
  if (is.null(flow$InternalUsername)) {
    # No challenge named the user: the ID token does.
    internal <- token_username(result)
    if (!is.null(internal)) {
      flow$InternalUsername <- internal
      if (!is.null(secret)) flow <- hash_name(flow, internal, secret)
    }
  }
  flow$Device <- NULL
  flow$ReceivedAt <- Sys.time()
  tokens <- result[c("AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType", "NewDeviceMetadata")]
  names(tokens) <- c("AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType", "NewDeviceMetadata")
  structure(tokens, class = "cognitoidp_tokens", cognitoidp = flow)
}

new_challenge <- function(answer, flow) {
  challenge <- list(ChallengeName = answer$ChallengeName, ChallengeParameters = answer$ChallengeParameters,
                    Session = answer$Session)
  # What choice-based sign-in (USER_AUTH) offers to choose from.
  if (length(answer$AvailableChallenges) > 0) challenge$AvailableChallenges <- answer$AvailableChallenges
  structure(challenge, class = "cognitoidp_challenge", cognitoidp = flow)
}

# The internal user name in an ID token (read, not verified: it only names
# whose hash to make).
token_username <- function(tokens) {
  token <- tokens$IdToken
  if (!is.character(token) || length(token) != 1) return(NULL)
  claims <- cip_token_claims(token)
  claims[["cognito:username"]]
}

# ---- argument checks ---------------------------------------------------------------

check_service <- function(svc) {
  if (!is.list(svc) || !is.function(svc$initiate_auth)) {
    param_error(sprintf("Invalid argument `svc`: expected a service object from cognitoidentityprovider(), got %s",
                        describe(svc)), "svc")
  }
}

check_arg_string <- function(x, path, sensitive = FALSE) {
  if (!is.character(x) || length(x) != 1 || is.na(x)) {
    shown <- if (sensitive) paste(describe(x), "(the value is sensitive and not shown)") else describe(x)
    param_error(sprintf("Invalid argument `%s`: expected a single string, got %s", path, shown), path)
  }
  # The core reads strings as UTF-8: "bytes" and malformed strings cannot be
  # made so (a password must reach the proofs as the user typed it).
  if (!is_text(x)) {
    param_error(sprintf("Invalid argument `%s`: it is not valid text (UTF-8)%s", path,
                        if (sensitive) " (the value is sensitive and not shown)" else ""), path)
  }
  x
}

check_choice <- function(x, path, choices) {
  check_arg_string(x, path)
  if (!x %in% choices) {
    param_error(sprintf("Invalid argument `%s`: expected one of %s, got %s", path,
                        paste(choices, collapse = ", "), show_string(x)), path)
  }
  x
}

check_device <- function(device) {
  ok <- inherits(device, "cognitoidp_device") &&
    all(vapply(device[c("DeviceKey", "DeviceGroupKey", "DevicePassword")],
               function(v) is.character(v) && length(v) == 1 && !is.na(v), logical(1)))
  if (!ok) {
    param_error(sprintf("Invalid argument `Device`: expected a device from cognito_remember_device(), got %s",
                        describe(device)), "Device")
  }
}

check_attributes <- function(attributes) {
  ok <- is.list(attributes) && !is.null(names(attributes)) && all(nzchar(names(attributes))) &&
    all(vapply(attributes, function(v) is.character(v) && length(v) == 1 && !is.na(v), logical(1)))
  if (!ok) {
    param_error("Invalid argument `Attributes`: expected a named list of single strings, such as list(name = \"Ada\")",
                "Attributes")
  }
}

`%||%` <- function(x, y) if (is.null(x) || length(x) == 0) y else x
