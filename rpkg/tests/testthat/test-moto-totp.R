# The TOTP helpers (helper-moto-totp.R) that the MFA sign-in tests rely on.

rfc6238_secret <- "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" # base32 of ASCII "12345678901234567890"

test_that("base32_decode() follows RFC 4648", {
  expect_identical(base32_decode(rfc6238_secret), charToRaw("12345678901234567890"))
  # RFC 4648's test vectors, lower case and unpadded too.
  expect_identical(base32_decode("MZXW6YTBOI======"), charToRaw("foobar"))
  expect_identical(base32_decode("mzxw6ytboi"), charToRaw("foobar"))
  expect_identical(base32_decode("MZXW6==="), charToRaw("foo"))
  expect_identical(base32_decode("MY"), charToRaw("f"))
  expect_identical(base32_decode(""), raw(0))
  expect_error(base32_decode("MZXW1"), "not base32")
})

test_that("totp_code() gives RFC 6238's SHA-1 test values", {
  # RFC 6238, appendix B (SHA-1 rows): time in Unix seconds -> 8 digits.
  vectors <- c("59" = "94287082", "1111111109" = "07081804", "1111111111" = "14050471",
               "1234567890" = "89005924", "2000000000" = "69279037", "20000000000" = "65353130")
  for (time in names(vectors)) {
    expect_identical(totp_code(rfc6238_secret, as.numeric(time), digits = 8), vectors[[time]], label = time)
  }
  # 6 digits (Cognito's): the last 6 of the same number.
  expect_identical(totp_code(rfc6238_secret, 59), "287082")
  expect_identical(totp_code(rfc6238_secret, as.POSIXct(59, origin = "1970-01-01", tz = "UTC")), "287082")
  # One step is 30 s: 59 and 30 share a step, 60 does not.
  expect_identical(totp_code(rfc6238_secret, 30), "287082")
  expect_false(identical(totp_code(rfc6238_secret, 60), "287082"))
})

test_that("totp_code() agrees with moto's own TOTP for its static secret", {
  binaries <- moto_binaries()
  if (length(binaries) == 0) moto_unavailable("moto_server was not found")
  python <- file.path(dirname(binaries[[1]]), "python")
  if (!file.exists(python)) moto_unavailable(paste("no python next to", binaries[[1]]))
  times <- c(59, 1700000000, 1700000029, 1700000030)
  script <- paste(
    "import sys",
    "from moto.cognitoidp.models import COGNITO_TOTP_MFA_SECRET",
    "from moto.cognitoidp.utils import cognito_totp",
    "totp = cognito_totp(COGNITO_TOTP_MFA_SECRET)",
    "print(COGNITO_TOTP_MFA_SECRET)",
    "for t in sys.argv[1:]: print(totp.generate(int(t)).decode())",
    sep = "\n"
  )
  result <- processx::run(python, c("-c", script, format(times, scientific = FALSE)), env = moto_env(tempfile()),
                          error_on_status = FALSE, timeout = 30)
  expect_identical(result$status, 0L, info = result$stderr)
  lines <- strsplit(trimws(result$stdout), "\n")[[1]]
  expect_identical(lines[[1]], moto_totp_secret)
  expect_identical(lines[-1], vapply(times, function(t) totp_code(moto_totp_secret, t), ""))
})

test_that("the TOTP moto server asks for an authenticator app and checks its codes", {
  pool <- moto_totp_pool()
  user <- "totp-user"
  moto_ok <- function(operation, body) {
    answer <- moto_totp_call(operation, body)
    expect_identical(answer$status, 200L, info = paste(operation, jsonlite::toJSON(answer$body, auto_unbox = TRUE)))
    answer$body
  }
  moto_ok("AdminCreateUser", list(UserPoolId = pool$pool_id, Username = user, TemporaryPassword = "Temp-Passw0rd!",
                                  MessageAction = "SUPPRESS"))
  first <- moto_ok("AdminInitiateAuth", list(
    UserPoolId = pool$pool_id, ClientId = pool$client_id, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters = list(USERNAME = user, PASSWORD = "Temp-Passw0rd!")
  ))
  expect_identical(first$ChallengeName, "NEW_PASSWORD_REQUIRED")
  setup <- moto_ok("RespondToAuthChallenge", list(
    ClientId = pool$client_id, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = first$Session,
    ChallengeResponses = list(USERNAME = user, NEW_PASSWORD = "New-Passw0rd!")
  ))
  expect_identical(setup$ChallengeName, "MFA_SETUP")
  associated <- moto_ok("AssociateSoftwareToken", list(Session = setup$Session))
  expect_identical(associated$SecretCode, moto_totp_secret)

  # A wrong code is refused: this server checks codes (the default moto
  # accepts anything).
  code <- totp_code_fresh(associated$SecretCode)
  wrong <- sprintf("%06d", (as.integer(code) + 1L) %% 1000000L)
  refused <- moto_totp_call("VerifySoftwareToken", list(Session = associated$Session, UserCode = wrong))
  expect_identical(refused$status, 400L)
  expect_identical(refused$body[["__type"]], "CodeMismatchException")

  verified <- moto_ok("VerifySoftwareToken", list(Session = associated$Session,
                                                  UserCode = totp_code_fresh(associated$SecretCode)))
  expect_identical(verified$Status, "SUCCESS")
})

test_that("totp_code_fresh() leaves at least min_remaining seconds of its step", {
  started <- Sys.time()
  code <- totp_code_fresh(rfc6238_secret, min_remaining = 3)
  now <- as.numeric(Sys.time())
  expect_gte(30 - now %% 30, 3 - 0.5)
  expect_lt(as.numeric(difftime(Sys.time(), started, units = "secs")), 3 + 2)
  expect_identical(code, totp_code(rfc6238_secret, now))
})
