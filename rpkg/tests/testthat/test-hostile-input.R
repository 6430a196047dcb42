# Hostile input, as a property test: random argument sets for
# set_user_pool_mfa_config (fixed seed), with what paws accepts (numbers and
# logicals for strings, "true"/"false" for booleans), wrong types at every depth, NA,
# NULL, zero-length and long vectors, factors, lists with unknown, duplicated,
# empty or non-UTF-8 names, unnamed lists, very long and non-UTF-8 strings,
# deep nesting, environments and functions. The generator knows where it put
# each fault, so each result is checked against it: valid sets are accepted,
# and the error of an invalid one names the path of one of its faults. No
# set may raise an R warning, crash or hang.

# ---- the shape of the input ---------------------------------------------------------------

shape_string <- list(type = "string")
shape_bool <- list(type = "bool")
shape_struct <- function(..., required = character()) list(type = "struct", members = list(...), required = required)

set_mfa_shape <- shape_struct(
  UserPoolId = shape_string,
  SmsMfaConfiguration = shape_struct(
    SmsAuthenticationMessage = shape_string,
    SmsConfiguration = shape_struct(
      SnsCallerArn = shape_string, ExternalId = shape_string, SnsRegion = shape_string,
      EumsSms = shape_struct(
        CallerArn = shape_string, ExternalId = shape_string, OriginationIdentity = shape_string,
        ConfigurationSetName = shape_string, InEntityId = shape_string, InTemplateId = shape_string,
        Region = shape_string,
        required = "CallerArn"
      ),
      required = "SnsCallerArn"
    )
  ),
  SoftwareTokenMfaConfiguration = shape_struct(Enabled = shape_bool),
  EmailMfaConfiguration = shape_struct(Message = shape_string, Subject = shape_string),
  MfaConfiguration = shape_string,
  WebAuthnConfiguration = shape_struct(
    RelyingPartyId = shape_string, UserVerification = shape_string, FactorConfiguration = shape_string
  ),
  required = "UserPoolId"
)

# ---- values ------------------------------------------------------------------------------------

long_string <- strrep("L", 1e5)
latin1_string <- iconv("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", from = "UTF-8", to = "latin1")
bytes_string <- local({
  x <- rawToChar(as.raw(c(0xff, 0xfe)))
  Encoding(x) <- "bytes"
  x
})
invalid_utf8 <- rawToChar(as.raw(c(0x61, 0xff, 0xfe, 0x62)))
bytes_name <- local({
  x <- rawToChar(as.raw(c(0x4e, 0xe9, 0xff)))
  Encoding(x) <- "bytes"
  x
})
deep <- function(levels, leaf = "x") Reduce(function(x, i) list(x), seq_len(levels), leaf)
deep_200 <- deep(200)
long_character <- rep("x", 1e5)
long_logical <- rep(TRUE, 1e4)

pick <- function(choices) choices[[sample.int(length(choices), 1)]]

valid_strings <- list(
  "us-east-1_abcDEF123", "", "ON", "OFF", "OPTIONAL", "MAYBE", "arn:aws:iam::123456789012:role/x",
  long_string, latin1_string, "\u00e9\u00e8\u4e2d\u6587 \U0001F600", "quote \" backslash \\ dollar $ `tick` \n newline",
  "NA", "NULL", c(id = "named"), "Invalid argument `X`: fake"
)

# Values that are never a valid string, nor a valid boolean.
never_scalar <- list(
  NA, NA_character_, NA_integer_, NA_real_, NaN, character(0), logical(0), integer(0), numeric(0),
  c("a", "b"), c(TRUE, FALSE), long_character, long_logical, 1i, as.raw(c(0, 1)), raw(0),
  factor("ON"), factor(c("a", "b")), list(), list("x"), list(a = "x"), list(TRUE), deep_200,
  bytes_string, invalid_utf8, as.Date("2024-01-01"), as.POSIXct("2024-01-01", tz = "UTC"),
  quote(symbol), quote(f(x)), expression(1), function(x) x, sum, "placeholder-env"
)

valid_bools <- list(TRUE, FALSE, c(flag = TRUE))
# As in paws: a single number or logical is a string (its as.character()),
# and "true" or "false" in any case is a boolean.
numbers <- list(1, 0L, 2.5, 99991231, -7L, 1e5, Inf)
bool_strings <- list("true", "FALSE", "True", "fAlSe")

hostile_scalar <- function(type) {
  value <- pick(never_scalar)
  if (identical(value, "placeholder-env")) value <- new.env()
  # A string other than true/false, or a number, is a wrong type for a boolean.
  if (type == "bool" && runif(1) < 0.1) value <- pick(c(valid_strings, numbers))
  value
}

valid_scalar <- function(type) {
  if (type == "bool") return(pick(c(valid_bools, valid_bools, bool_strings)))
  u <- runif(1)
  if (u < 0.1) pick(numbers) else if (u < 0.15) pick(valid_bools) else pick(valid_strings)
}

unknown_names <- c("Bogus", "enabled", "Enabled ", " ", "\u00c9nabled\u03a9", strrep("N", 500), "a$b",
                   "`tick`", "NA", "line\nbreak", "__type")

# ---- the generator ---------------------------------------------------------------------------------

# A value for `shape` at `path`: list(value, faults), where faults are the
# paths at which the value is certainly wrong (none for a valid value).
gen <- function(shape, path, depth = 1) {
  if (shape$type == "struct") return(gen_struct(shape, path, depth))
  if (runif(1) < 0.8) return(list(value = valid_scalar(shape$type), faults = character()))
  list(value = hostile_scalar(shape$type), faults = path)
}

child <- function(path, name) if (nzchar(path)) paste0(path, "$", name) else name

missing_required <- function(shape, path, present) {
  vapply(setdiff(shape$required, present), function(m) child(path, m), "")
}

gen_struct <- function(shape, path, depth) {
  r <- runif(1)
  if (nzchar(path) && r < 0.12) {
    # Not a structure at all.
    value <- hostile_scalar("struct")
    if (is.list(value) && !is.null(names(value)) && length(value) > 0) value <- unname(value)
    if (is.list(value) && length(value) == 0) {
      return(list(value = value, faults = missing_required(shape, path, character())))
    }
    return(list(value = value, faults = path))
  }
  if (nzchar(path) && r < 0.16) {
    # Deep nesting under a member's name.
    member <- pick(names(shape$members))
    inner <- shape$members[[member]]
    value <- stats::setNames(list(Reduce(function(x, i) stats::setNames(list(x), member), 1:150, "x")), member)
    fault <- if (inner$type == "struct") child(child(path, member), member) else child(path, member)
    return(list(value = value, faults = c(fault, missing_required(shape, path, member))))
  }
  value <- list()
  faults <- character()
  for (member in names(shape$members)) {
    is_required <- member %in% shape$required
    if (runif(1) < (if (is_required) 0.95 else if (depth == 1) 0.5 else 0.4)) {
      g <- gen(shape$members[[member]], child(path, member), depth + 1)
      if (is.null(g$value)) next
      value[member] <- list(g$value)
      faults <- c(faults, g$faults)
    }
  }
  # Absent required members; NULL given for them is absent too.
  if (runif(1) < 0.03 && length(shape$required) > 0) value[shape$required[[1]]] <- list(NULL)
  present <- names(value)[!vapply(value, is.null, logical(1))]
  faults <- c(faults, missing_required(shape, path, present))
  if (!nzchar(path)) {
    # The top level is the list the R function builds: every argument, by name.
    return(list(value = value, faults = faults))
  }
  u <- runif(1)
  if (u < 0.10) {
    name <- pick(unknown_names)
    value[name] <- list(pick(c(valid_strings, list(TRUE, list(Enabled = TRUE)))))
    faults <- c(faults, child(path, name))
  } else if (u < 0.15 && length(value) > 0) {
    value <- c(value, value[sample.int(length(value), 1)])
    faults <- c(faults, path)
  } else if (u < 0.19 && length(value) > 0) {
    names(value)[sample.int(length(value), 1)] <- pick(list("", NA_character_))
    faults <- c(faults, path)
  } else if (u < 0.22 && length(value) > 0) {
    value <- unname(value)
    faults <- c(faults, path)
  } else if (u < 0.25 && length(value) > 0) {
    names(value)[sample.int(length(value), 1)] <- bytes_name
    faults <- c(faults, path)
  } else if (u < 0.28) {
    # A classed list is still a list.
    class(value) <- "my_config"
  }
  if (length(value) > 1) value <- value[sample.int(length(value))]
  list(value = value, faults = faults)
}

# The arguments as the R function passes them: all six, in its order, NULL
# for those not given.
gen_set_args <- function() {
  g <- gen(set_mfa_shape, "")
  args <- stats::setNames(rep(list(NULL), 6), names(formals(cognitoidentityprovider_set_user_pool_mfa_config)))
  for (name in names(g$value)) args[name] <- list(g$value[[name]])
  list(args = args, faults = unique(g$faults))
}

# ---- the checks -----------------------------------------------------------------------------------

# Checks one argument set; returns NULL if all is well, else what is wrong.
check_one <- function(case, i) {
  warned <- character()
  failure <- withCallingHandlers(
    tryCatch(cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", case$args),
             error = function(e) structure(list(r_error = conditionMessage(e)), class = "r_error")),
    warning = function(w) {
      warned <<- c(warned, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  where <- sprintf("case %d (faults: %s)", i, paste(encodeString(case$faults), collapse = ", "))
  if (length(warned) > 0) return(paste(where, "warned:", warned[[1]]))
  if (inherits(failure, "r_error")) return(paste(where, "raised an R error:", failure$r_error))
  if (length(case$faults) == 0) {
    if (!is.null(failure)) return(paste(where, "valid, but refused:", failure$message))
    return(NULL)
  }
  if (is.null(failure)) return(paste(where, "accepted, but invalid"))
  if (!inherits(failure, "cognitoidp_failure") || !identical(failure$kind, "param")) {
    return(paste(where, "not a param failure:", paste(utils::capture.output(str(unclass(failure))), collapse = " ")))
  }
  path <- failure$path
  if (!is.character(path) || length(path) != 1 || is.na(path) || !nzchar(path)) {
    return(paste(where, "no path:", failure$message))
  }
  if (!grepl(path, failure$message, fixed = TRUE)) return(paste(where, "path not in the message:", failure$message))
  if (!startsWith(failure$message, sprintf("Invalid argument `%s`: ", path))) {
    return(paste(where, "message does not start with the path:", failure$message))
  }
  if (!path %in% case$faults) return(paste(where, "error at another path:", encodeString(path)))
  NULL
}

set.seed(20240501)
n_cases <- 10000
hostile_cases <- lapply(seq_len(n_cases), function(i) gen_set_args())

test_that("10,000 random argument sets are each accepted, or refused naming the path of a fault", {
  start <- Sys.time()
  problems <- character()
  for (i in seq_along(hostile_cases)) {
    problem <- check_one(hostile_cases[[i]], i)
    if (!is.null(problem)) problems <- c(problems, problem)
  }
  expect_identical(head(problems, 5), character(0), info = sprintf("%d of %d cases", length(problems), n_cases))
  expect_lt(as.numeric(difftime(Sys.time(), start, units = "secs")), 30)

  # The generator covered what it should: both outcomes, and faults deep down.
  valid <- vapply(hostile_cases, function(case) length(case$faults) == 0, logical(1))
  expect_gt(mean(valid), 0.15)
  expect_gt(mean(!valid), 0.4)
  fault_paths <- unique(unlist(lapply(hostile_cases, `[[`, "faults")))
  depth <- lengths(regmatches(fault_paths, gregexpr("$", fault_paths, fixed = TRUE)))
  expect_gt(sum(depth >= 3), 5)
  expect_gt(length(fault_paths), 40)
})

test_that("a sample of them through the real function: a param error, or a connection error if valid", {
  svc <- cognitoidentityprovider(config = list(
    endpoint = closed_endpoint(), region = "us-east-1", max_retries = 0, timeout = 5,
    credentials = list(creds = list(access_key_id = "AKIDHOSTILE", secret_access_key = "hostile-secret"))
  ))
  valid <- which(vapply(hostile_cases, function(case) length(case$faults) == 0, logical(1)))
  invalid <- setdiff(seq_along(hostile_cases), valid)
  set.seed(7)
  sample_ids <- c(sample(valid, 100), sample(invalid, 100))
  problems <- character()
  for (i in sample_ids) {
    case <- hostile_cases[[i]]
    warned <- character()
    e <- withCallingHandlers(
      tryCatch({
        do.call(svc$set_user_pool_mfa_config, case$args, quote = TRUE)
        NULL
      }, error = function(e) e),
      warning = function(w) {
        warned <<- c(warned, conditionMessage(w))
        invokeRestart("muffleWarning")
      }
    )
    expected_class <- if (length(case$faults) == 0) "cognitoidp_connection_error" else "cognitoidp_param_error"
    if (length(warned) > 0) {
      problems <- c(problems, sprintf("case %d warned: %s", i, warned[[1]]))
    } else if (is.null(e) || !identical(class(e), c(expected_class, "cognitoidp_error", "error", "condition"))) {
      problems <- c(problems, sprintf("case %d: expected %s, got %s", i, expected_class,
                                      if (is.null(e)) "a result" else paste(class(e), collapse = "/")))
    } else if (expected_class == "cognitoidp_param_error") {
      checked <- cognitoidp:::cip_check_args("cognitoidentityprovider", "set_user_pool_mfa_config", case$args)
      if (!identical(e$path, checked$path) || !identical(conditionMessage(e), checked$message)) {
        problems <- c(problems, sprintf("case %d: the call and cip_check_args disagree", i))
      }
    }
  }
  expect_identical(head(problems, 5), character(0), info = sprintf("%d of %d cases", length(problems), length(sample_ids)))
})

test_that("arguments that are not lists of arguments, given to call_concurrently, are refused naming the path", {
  svc <- cognitoidentityprovider(config = list(
    endpoint = closed_endpoint(), region = "us-east-1", max_retries = 0,
    credentials = list(creds = list(access_key_id = "AKIDHOSTILE", secret_access_key = "hostile-secret"))
  ))
  requests <- list(
    list(UserPoolId = "us-east-1_a", UserPoolId = "us-east-1_b"),
    list(UserPoolId = "us-east-1_a", Bogus = 1),
    "us-east-1_a",
    NULL,
    list(UserPoolId = "us-east-1_a", SoftwareTokenMfaConfiguration = deep_200)
  )
  results <- call_concurrently(svc$set_user_pool_mfa_config, requests, progress = FALSE)
  expect_length(results, length(requests))
  problems <- character()
  for (i in seq_along(results)) {
    e <- results[[i]]
    ok <- inherits(e, "cognitoidp_param_error") && is.character(e$path) && length(e$path) == 1 &&
      !is.na(e$path) && nzchar(e$path) && grepl(e$path, conditionMessage(e), fixed = TRUE)
    if (!ok) {
      problems <- c(problems, sprintf("request %d: %s, path %s: %s", i, class(e)[[1]], deparse(e$path),
                                      if (inherits(e, "condition")) conditionMessage(e) else ""))
    }
  }
  expect(length(problems) == 0, paste(c("not a param error naming its path:", problems), collapse = "\n"))
})

# ---- hostile strings to every function that sends a request ---------------------------------
#
# Each argument of each exported function that reaches the network (sign-in,
# respond, refresh, devices, the domain, token verification, the OAuth
# endpoints, the identity-pool exchange, and a sample of generated operations
# of both services) gets each hostile value
# in turn, the other arguments being valid, against the local fault server.
# Every call must end in a result or a classed condition of the package
# (never an unclassed error, never a panic's or unwrap's text, never a crash),
# and no condition may quote a secret given to it.

hostile_strings <- local({
  latin1 <- iconv("caf\u00e9", from = "UTF-8", to = "latin1")
  bytes <- rawToChar(as.raw(c(0x61, 0xff, 0xfe)))
  Encoding(bytes) <- "bytes"
  list(
    empty = "", na_character = NA_character_, na = NA, null = NULL, none = character(0), two = c("a", "b"),
    number = 1, flag = TRUE, list = list("x"),
    cr = "tok\r", lf = "tok\n", crlf_injection = "tok\r\nX-Injected: 1", tab = "\t", controls = "\001\002\033\177",
    huge = strrep("A", 2e6), long_percent = strrep("%", 1e5),
    percent_nul = "%00", percent_crlf = "%0d%0a", percent_bad = "%zz%", percent_encoded = "s%41&x=1",
    utf8 = "caf\u00e9 \u2028 \U0001F600", latin1 = latin1, invalid_utf8 = rawToChar(as.raw(c(0x61, 0xff, 0xfe, 0x62))),
    bytes = bytes, binaryish = rawToChar(as.raw(1:255)),
    dots = "..", jwt_like = "a.b.c", bearer = "Bearer x", huge_jwt_header = paste0(strrep("e", 1e5), ".e30.c2ln")
  )
})

is_package_condition <- function(e) {
  inherits(e, c("cognitoidp_error", "paws_error", "cognitoidp_oauth_error"))
}

test_that("hostile strings in every argument of every function that sends a request end in a result or a classed error", {
  server <- fault_server()
  withr::local_options(cognitoidp.jwks_timeout = 2, cognitoidp.oauth_timeout = 5)
  svc <- cognitoidentityprovider(config = list(
    endpoint = server$endpoint, region = "us-east-1", max_retries = 0, timeout = 5,
    credentials = list(creds = list(access_key_id = "AKIDHOSTILE", secret_access_key = "hostile-secret"))
  ))
  challenge_answer <- list(ChallengeName = "SOFTWARE_TOKEN_MFA", Session = "the-session",
                           ChallengeParameters = list(USERNAME = "the-user"))
  tokens_answer <- list(AuthenticationResult = list(
    AccessToken = "a.b.c", IdToken = "x.y.z", RefreshToken = "the-refresh", ExpiresIn = 3600, TokenType = "Bearer",
    NewDeviceMetadata = list(DeviceKey = "us-east-1_dev", DeviceGroupKey = "grp")
  ))
  answer_with <- function(body) fault_script(default = list(action = "ok", body = body), server = server)
  answer_with(challenge_answer)
  challenge <- cognito_sign_in(svc, "us-east-1_Pool", "the-client", "the-user", Password = "Pa55word!",
                               AuthFlow = "USER_PASSWORD_AUTH")
  answer_with(tokens_answer)
  tokens <- cognito_sign_in(svc, "us-east-1_Pool", "the-client", "the-user", Password = "Pa55word!",
                            AuthFlow = "USER_PASSWORD_AUTH")
  expect_s3_class(challenge, "cognitoidp_challenge")
  expect_s3_class(tokens, "cognitoidp_tokens")
  domain <- server$endpoint
  jwks <- paste0(server$endpoint, "/hostile/jwks.json")
  # The identity-pools side: an ID token of the pool's form (the identity
  # pool checks it; here the fault server answers whatever it is sent).
  b64url <- function(x) gsub("=+$", "", chartr("+/", "-_", jsonlite::base64_enc(x)))
  id_token <- paste(b64url('{"alg":"RS256","kid":"k"}'),
                    b64url('{"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool","token_use":"id","sub":"s"}'),
                    "c2ln", sep = ".")
  identity_config <- list(endpoint = server$endpoint, region = "us-east-1", max_retries = 0, timeout = 5)
  ids <- cognitoidentity(config = identity_config)
  identity_answer <- list(IdentityId = "us-east-1:0000", Credentials = list(
    AccessKeyId = "AKIDX", SecretKey = "the-secret", SessionToken = "the-session", Expiration = 2e9
  ))
  functions <- list(
    aws_credentials = list(f = cognito_aws_credentials, answer = identity_answer,
                           args = list(IdentityPoolId = "us-east-1:1a2b3c", Tokens = id_token,
                                       CustomRoleArn = "arn:aws:iam::123456789012:role/r", config = identity_config)),
    aws_credentials_basic = list(f = cognito_aws_credentials, answer = identity_answer,
                                 args = list(IdentityPoolId = "us-east-1:1a2b3c", Tokens = id_token,
                                             RoleArn = "arn:aws:iam::123456789012:role/r", AccountId = "123456789012",
                                             config = identity_config)),
    get_id = list(f = ids$get_id, answer = identity_answer,
                  args = list(IdentityPoolId = "us-east-1:1a2b3c", AccountId = "123456789012")),
    get_credentials_for_identity = list(f = ids$get_credentials_for_identity, answer = identity_answer,
                                        args = list(IdentityId = "us-east-1:0000", CustomRoleArn = "arn:aws:iam::1:role/r")),
    sign_in_srp = list(f = cognito_sign_in, answer = challenge_answer,
                       args = list(svc = svc, UserPoolId = "us-east-1_Pool", ClientId = "the-client", Username = "the-user",
                                   Password = "Pa55word!", ClientSecret = "the-secret")),
    sign_in_password = list(f = cognito_sign_in, answer = tokens_answer,
                            args = list(svc = svc, UserPoolId = "us-east-1_Pool", ClientId = "the-client",
                                        Username = "the-user", Password = "Pa55word!", AuthFlow = "USER_PASSWORD_AUTH")),
    respond = list(f = cognito_respond, answer = challenge_answer, args = list(svc = svc, Challenge = challenge, Code = "123456")),
    refresh = list(f = cognito_refresh, answer = tokens_answer,
                   args = list(svc = svc, RefreshToken = "the-refresh", ClientId = "the-client", Username = "the-user",
                               ClientSecret = "the-secret")),
    remember_device = list(f = cognito_remember_device, answer = tokens_answer,
                           args = list(svc = svc, Tokens = tokens, DeviceName = "laptop")),
    domain = list(f = cognito_domain, answer = list(UserPool = list(Domain = "my-app")),
                  args = list(svc = svc, UserPoolId = "us-east-1_Pool")),
    verify = list(f = cognito_verify_token, answer = list(keys = list()),
                  args = list(Token = "a.b.c", UserPoolId = "us-east-1_Pool", TokenUse = "id", ClientId = "the-client",
                              JwksUri = jwks)),
    token_code = list(f = cognito_token, answer = list(access_token = "a"),
                      args = list(Domain = domain, ClientId = "the-client", ClientSecret = "the-secret", Code = "the-code",
                                  RedirectUri = "https://app.example/cb", CodeVerifier = "v")),
    token_refresh = list(f = cognito_token, answer = list(access_token = "a"),
                         args = list(Domain = domain, ClientId = "the-client", GrantType = "refresh_token",
                                     RefreshToken = "the-refresh", Scopes = "openid")),
    user_info = list(f = cognito_user_info, answer = list(sub = "x"), args = list(Domain = domain, AccessToken = "the-token")),
    revoke = list(f = cognito_revoke, answer = list(),
                  args = list(Domain = domain, ClientId = "the-client", Token = "the-refresh", ClientSecret = "the-secret")),
    admin_get_user = list(f = svc$admin_get_user, answer = list(Username = "u"),
                          args = list(UserPoolId = "us-east-1_Pool", Username = "the-user")),
    get_user = list(f = svc$get_user, answer = list(Username = "u"), args = list(AccessToken = "the-token")),
    initiate_auth = list(f = svc$initiate_auth, answer = tokens_answer,
                         args = list(AuthFlow = "USER_PASSWORD_AUTH", ClientId = "the-client",
                                     AuthParameters = list(USERNAME = "u", PASSWORD = "p"))),
    list_users = list(f = svc$list_users, answer = list(Users = list()),
                      args = list(UserPoolId = "us-east-1_Pool", Filter = "email = \"x\"", PaginationToken = "t"))
  )
  problems <- character()
  calls <- 0
  for (name in names(functions)) {
    spec <- functions[[name]]
    answer_with(spec$answer)
    for (arg in setdiff(names(spec$args), "svc")) {
      for (what in names(hostile_strings)) {
        args <- spec$args
        args[arg] <- list(hostile_strings[[what]])
        calls <- calls + 1
        e <- withCallingHandlers(
          tryCatch({
            do.call(spec$f, args, quote = TRUE)
            NULL
          }, error = function(e) e),
          warning = function(w) invokeRestart("muffleWarning")
        )
        if (is.null(e)) next
        message <- tryCatch(conditionMessage(e), error = function(x) "")
        if (!is_package_condition(e)) {
          problems <- c(problems, sprintf("%s(%s = <%s>): unclassed %s: %s", name, arg, what,
                                          paste(class(e), collapse = "/"), substr(message, 1, 120)))
        } else if (grepl("panick|unwrap|called `|RUST_BACKTRACE|internal error", message)) {
          problems <- c(problems, sprintf("%s(%s = <%s>): %s", name, arg, what, substr(message, 1, 120)))
        } else if (grepl("the-secret|Pa55word", message, fixed = FALSE)) {
          problems <- c(problems, sprintf("%s(%s = <%s>): a secret in the message", name, arg, what))
        }
      }
    }
  }
  expect_gt(calls, 1000)
  expect(length(problems) == 0, paste(c(sprintf("%d of %d calls:", length(problems), calls), head(problems, 20)),
                                      collapse = "\n"))
})
