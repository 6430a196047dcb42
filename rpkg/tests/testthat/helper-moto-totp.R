# Authenticator-app (TOTP) codes for the MFA tests, and a second moto server
# that checks them.
#
# moto checks TOTP codes only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true
# (it accepts any code otherwise), for the whole server; so that setting gets
# a server of its own and the other moto tests keep theirs. Its
# AssociateSoftwareToken always answers one static secret,
# moto_totp_secret, and it accepts only the current 30-second step's code.

moto_totp_secret <- "asdfasdfasdf"

.moto_totp <- new.env(parent = emptyenv())

# RFC 4648 base32 (as authenticator apps and Cognito's SecretCode use it):
# case-insensitive, "=" padding and spaces ignored, trailing bits that do not
# make a whole byte dropped. Returns raw.
base32_decode <- function(text) {
  stopifnot(is.character(text), length(text) == 1, !is.na(text))
  chars <- strsplit(toupper(gsub("[ =]", "", text)), "")[[1]]
  values <- match(chars, strsplit("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "")[[1]]) - 1L
  if (anyNA(values)) stop("not base32: it has characters outside A-Z and 2-7", call. = FALSE)
  if (length(values) == 0) return(raw(0))
  # Five bits per character, most significant first.
  bits <- as.vector(vapply(values, function(v) as.integer(bitwAnd(v, c(16L, 8L, 4L, 2L, 1L)) > 0), integer(5)))
  whole <- (length(bits) %/% 8L) * 8L
  if (whole == 0) return(raw(0))
  bytes <- matrix(bits[seq_len(whole)], nrow = 8L)
  as.raw(colSums(bytes * c(128L, 64L, 32L, 16L, 8L, 4L, 2L, 1L)))
}

# HMAC-SHA1 of `message` under `key` (both raw), as raw. R has no SHA-1 of
# its own (and the package none to offer); Debian's Python does it. Key and
# message go through a private file to its stdin, never its command line.
hmac_sha1 <- function(key, message, timeout = 20) {
  input <- withr::local_tempfile()
  file.create(input)
  Sys.chmod(input, "0600")
  writeLines(c(paste(as.character(key), collapse = ""), paste(as.character(message), collapse = "")), input)
  script <- paste(
    "import hmac, hashlib, sys",
    "key, message = (bytes.fromhex(line.strip()) for line in sys.stdin.read().splitlines()[:2])",
    "print(hmac.new(key, message, hashlib.sha1).hexdigest())",
    sep = "\n"
  )
  result <- processx::run(browser_python(), c("-c", script), stdin = input, env = browser_child_env(),
                          error_on_status = FALSE, timeout = timeout)
  if (result$status != 0) stop("HMAC-SHA1 in ", browser_python(), " failed: ", trimws(result$stderr), call. = FALSE)
  hex <- trimws(result$stdout)
  as.raw(strtoi(substring(hex, seq(1, 39, 2), seq(2, 40, 2)), 16L))
}

# The TOTP code (RFC 6238: HMAC-SHA1, `period`-second steps from the Unix
# epoch) of a base32 secret at `time` (POSIXct or Unix seconds), as a string
# of `digits` digits.
totp_code <- function(secret_base32, time = Sys.time(), digits = 6L, period = 30) {
  stopifnot(digits >= 6, digits <= 8)
  counter <- floor(as.numeric(time) / period)
  # The step counter as 8 bytes, most significant first.
  counter_bytes <- as.raw(floor(counter / 256^(7:0)) %% 256)
  mac <- as.integer(hmac_sha1(base32_decode(secret_base32), counter_bytes))
  # RFC 4226's dynamic truncation: 31 bits at the offset the last nibble names.
  offset <- bitwAnd(mac[20], 15L)
  value <- bitwAnd(mac[offset + 1], 127L) * 2^24 + mac[offset + 2] * 2^16 + mac[offset + 3] * 2^8 + mac[offset + 4]
  sprintf("%0*.0f", as.integer(digits), value %% 10^digits)
}

# The current code, computed at least `min_remaining` seconds before its step
# ends (waiting for the next step if need be, so at most `min_remaining` s):
# moto accepts only the current step's code, and a request must get there
# before the step turns.
totp_code_fresh <- function(secret_base32, min_remaining = 5, period = 30) {
  stopifnot(min_remaining < period)
  now <- as.numeric(Sys.time())
  remaining <- period - (now %% period)
  if (remaining < min_remaining) Sys.sleep(remaining + 0.05)
  totp_code(secret_base32, Sys.time(), period = period)
}

# The moto server that checks TOTP codes, started on first use (it is not
# moto_server()'s): list(process, endpoint, record_file, dir).
moto_totp_server <- function() {
  moto_server(.moto_totp, env = c(MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP = "true"))
}

moto_totp_endpoint <- function() moto_totp_server()$endpoint

# A configuration for the package's clients (cognitoidentityprovider(config
# = ...)) that talks to the TOTP-checking moto; `...` adds or replaces fields.
moto_totp_config <- function(...) {
  utils::modifyList(moto_config(endpoint = moto_totp_endpoint()), list(...))
}

# One Cognito call straight over HTTP to the TOTP-checking moto (not through
# the package): list(status, body) with the parsed JSON body. Signed for
# `region` only as far as moto looks (the credential scope).
moto_totp_call <- function(operation, body, region = "us-east-1") {
  handle <- local_handle()
  curl::handle_setheaders(handle,
    "X-Amz-Target" = paste0("AWSCognitoIdentityProviderService.", operation),
    "Content-Type" = "application/x-amz-json-1.1",
    "Authorization" = sprintf(
      "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/%s/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
      region
    )
  )
  curl::handle_setopt(handle, post = TRUE, postfields = jsonlite::toJSON(body, auto_unbox = TRUE))
  response <- curl::curl_fetch_memory(moto_totp_endpoint(), handle = handle)
  text <- rawToChar(response$content)
  list(status = response$status_code,
       body = if (nzchar(text)) jsonlite::fromJSON(text, simplifyVector = FALSE) else NULL)
}

# A user pool on the TOTP-checking moto whose users must set up an
# authenticator app (MFA ON, software tokens only), with an app client for
# ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH and USER_SRP_AUTH.
# Returns list(pool_id, client_id).
moto_totp_pool <- function(name = "cognitoidp-totp") {
  expect_ok <- function(answer, what) {
    if (answer$status != 200) stop(what, " failed on moto: HTTP ", answer$status, ": ",
                                   jsonlite::toJSON(answer$body, auto_unbox = TRUE), call. = FALSE)
    answer$body
  }
  pool <- expect_ok(moto_totp_call("CreateUserPool", list(PoolName = name)), "CreateUserPool")$UserPool$Id
  expect_ok(moto_totp_call("SetUserPoolMfaConfig", list(
    UserPoolId = pool, MfaConfiguration = "ON", SoftwareTokenMfaConfiguration = list(Enabled = TRUE)
  )), "SetUserPoolMfaConfig")
  client <- expect_ok(moto_totp_call("CreateUserPoolClient", list(
    UserPoolId = pool, ClientName = paste0(name, "-client"),
    ExplicitAuthFlows = c("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                          "ALLOW_REFRESH_TOKEN_AUTH")
  )), "CreateUserPoolClient")$UserPoolClient$ClientId
  list(pool_id = pool, client_id = client)
}
