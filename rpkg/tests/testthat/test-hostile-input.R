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
