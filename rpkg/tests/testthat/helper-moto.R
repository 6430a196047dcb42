# A real moto server for the tests: one per test run, started on first use on
# a free loopback port and stopped when the run ends. Its request recorder is
# on, so tests can read exactly what went over the wire (and prove that
# nothing did).
#
# moto_server is found through COGNITOIDP_MOTO_SERVER, then the virtualenv
# .ci/setup.sh makes ($MOTO_VENV, by default /opt/moto-venv), then PATH.
# Without it the moto tests are skipped, unless COGNITOIDP_REQUIRE_MOTO=true
# (as on CI), where they fail instead.

.moto <- new.env(parent = emptyenv())

moto_required <- function() {
  identical(tolower(Sys.getenv("COGNITOIDP_REQUIRE_MOTO")), "true")
}

moto_unavailable <- function(reason) {
  if (moto_required()) {
    stop("moto is required (COGNITOIDP_REQUIRE_MOTO=true) but unavailable: ", reason, call. = FALSE)
  }
  testthat::skip(paste("moto is not available:", reason))
}

# The moto_server programs to try, in order of preference. A later one is
# tried only if an earlier one cannot start (say, a stale moto_server on PATH
# whose Python has no moto). The pinned moto comes before PATH: another
# version answers differently (moto 5.2.1 sends MFA_SETUP's MFAS_CAN_SETUP as
# a JSON list, where Cognito and moto 5.2.5 send a string, and the SDK
# refuses the list).
moto_binaries <- function() {
  venv <- Sys.getenv("MOTO_VENV", "/opt/moto-venv")
  candidates <- c(
    Sys.getenv("COGNITOIDP_MOTO_SERVER"),
    file.path(venv, "bin", "moto_server"),
    "/opt/moto-venv/bin/moto_server",
    unname(Sys.which("moto_server"))
  )
  candidates <- candidates[nzchar(candidates)]
  unique(candidates[file.exists(candidates)])
}

# A loopback TCP port nobody listens on right now.
free_port <- function(tries = 50) {
  for (i in seq_len(tries)) {
    port <- sample(20000:60000, 1)
    socket <- tryCatch(serverSocket(port), error = function(e) NULL)
    if (!is.null(socket)) {
      close(socket)
      return(port)
    }
  }
  stop("no free TCP port found in 20000-60000")
}

# An endpoint on which nothing listens: connections are refused at once.
closed_endpoint <- function() {
  paste0("http://127.0.0.1:", free_port())
}

# A curl handle for the local server, never through a proxy.
local_handle <- function(timeout = 10) {
  curl::new_handle(timeout = timeout, connecttimeout = min(timeout, 2), noproxy = "*")
}

moto_answers <- function(endpoint) {
  response <- tryCatch(
    curl::curl_fetch_memory(paste0(endpoint, "/"), handle = local_handle(2)),
    error = function(e) NULL
  )
  !is.null(response)
}

# A child Python's environment: this process's, without the LD_LIBRARY_PATH
# that R sets (with it, a Python built with a shared libpython can load the
# system's libpython instead of its own and fail to import ssl).
python_env <- function() {
  env <- Sys.getenv()
  env <- stats::setNames(as.character(env), names(env))
  env[names(env) != "LD_LIBRARY_PATH"]
}

# A file's text ("" when there is none yet): a server's log, for the
# message of one that did not start.
read_text_file <- function(path) {
  if (!file.exists(path)) return("")
  paste(readLines(path, warn = FALSE), collapse = "\n")
}

# moto's environment: python_env() with moto's request recorder on; `extra`
# adds or replaces variables.
moto_env <- function(record_file, extra = character()) {
  env <- python_env()
  env[["MOTO_ENABLE_RECORDING"]] <- "true"
  env[["MOTO_RECORDER_FILEPATH"]] <- record_file
  env[names(extra)] <- extra
  env
}

moto_start <- function(binary, wait = 20, env = character()) {
  dir <- tempfile("moto-")
  dir.create(dir)
  record_file <- file.path(dir, "recording.jsonl")
  log_file <- file.path(dir, "moto.log")
  for (attempt in 1:3) {
    port <- free_port()
    process <- processx::process$new(
      binary, c("-H", "127.0.0.1", "-p", as.character(port)),
      env = moto_env(record_file, env),
      wd = dir, stdout = log_file, stderr = "2>&1",
      cleanup = TRUE, cleanup_tree = TRUE
    )
    endpoint <- paste0("http://127.0.0.1:", port)
    deadline <- Sys.time() + wait
    while (process$is_alive() && Sys.time() < deadline) {
      if (moto_answers(endpoint)) {
        return(list(process = process, endpoint = endpoint, record_file = record_file, dir = dir))
      }
      Sys.sleep(0.1)
    }
    alive <- process$is_alive()
    process$kill_tree()
    log <- read_text_file(log_file)
    # A process that died may have lost a race for the port: try another
    # port, unless it died for another reason.
    if (alive || !grepl("in use", log, ignore.case = TRUE)) break
  }
  what <- if (alive) sprintf("did not answer within %d s", wait) else "exited"
  stop(sprintf("%s %s. Its output:\n%s", binary, what, log), call. = FALSE)
}

moto_stop <- function(state = .moto) {
  server <- state$server
  if (!is.null(server)) {
    server$process$kill_tree()
    unlink(server$dir, recursive = TRUE)
    state$server <- NULL
  }
}

# The running server kept in `state`, started on first use (or a skip /
# failure) with `env` added to its environment: list(process, endpoint,
# record_file, dir).
moto_server <- function(state = .moto, env = character()) {
  if (!is.null(state$server) && state$server$process$is_alive()) {
    return(state$server)
  }
  if (!is.null(state$failure)) moto_unavailable(state$failure)
  binaries <- moto_binaries()
  if (length(binaries) == 0) {
    state$failure <- "moto_server was not found (set COGNITOIDP_MOTO_SERVER or put it on PATH)"
    moto_unavailable(state$failure)
  }
  for (pkg in c("processx", "curl", "jsonlite")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      state$failure <- paste("the R package", pkg, "is not installed")
      moto_unavailable(state$failure)
    }
  }
  failures <- character()
  server <- NULL
  for (binary in binaries) {
    server <- tryCatch(moto_start(binary, env = env), error = function(e) {
      failures <<- c(failures, conditionMessage(e))
      NULL
    })
    if (!is.null(server)) break
  }
  if (is.null(server)) {
    state$failure <- paste(failures, collapse = "\n")
    moto_unavailable(state$failure)
  }
  state$server <- server
  # Stopped when the test run ends; outside a test run (helpers sourced by
  # hand), when R exits. processx also kills it if its handle is collected.
  stopped_at_teardown <- tryCatch({
    withr::defer(moto_stop(state), envir = testthat::teardown_env())
    TRUE
  }, error = function(e) FALSE)
  if (!stopped_at_teardown) reg.finalizer(state, function(e) moto_stop(state), onexit = TRUE)
  server
}

moto_endpoint <- function() moto_server()$endpoint

# Creates a user pool straight through moto's HTTP API (not through the
# package) and returns its Id. moto keeps pools per region, taken from the
# credential scope of the Authorization header.
moto_create_pool <- function(name = "cognitoidp-test", region = "us-east-1") {
  endpoint <- moto_endpoint()
  handle <- local_handle()
  curl::handle_setheaders(handle,
    "X-Amz-Target" = "AWSCognitoIdentityProviderService.CreateUserPool",
    "Content-Type" = "application/x-amz-json-1.1",
    "Authorization" = sprintf(
      "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/%s/cognito-idp/aws4_request, SignedHeaders=host, Signature=0",
      region
    )
  )
  curl::handle_setopt(handle, post = TRUE,
                      postfields = jsonlite::toJSON(list(PoolName = name), auto_unbox = TRUE))
  response <- curl::curl_fetch_memory(endpoint, handle = handle)
  body <- rawToChar(response$content)
  if (response$status_code != 200) {
    stop("moto could not create a user pool: HTTP ", response$status_code, ": ", body)
  }
  id <- jsonlite::fromJSON(body)$UserPool$Id
  stopifnot(is.character(id), length(id) == 1, startsWith(id, paste0(region, "_")))
  id
}

# Whether this moto answers SmsConfiguration$EumsSms. moto stores
# SmsMfaConfiguration as sent, but writes its answers through botocore's
# model of the service: a botocore older than EumsSms (e.g. moto 5.2.1 with
# botocore 1.43) drops it. Asked once, straight over HTTP, not through the
# package.
moto_echoes_eums_sms <- function() {
  if (is.null(.moto$echoes_eums_sms)) {
    pool <- moto_create_pool("eums-probe")
    post <- function(target, body) {
      handle <- local_handle()
      curl::handle_setheaders(handle,
        "X-Amz-Target" = paste0("AWSCognitoIdentityProviderService.", target),
        "Content-Type" = "application/x-amz-json-1.1"
      )
      curl::handle_setopt(handle, post = TRUE, postfields = jsonlite::toJSON(body, auto_unbox = TRUE))
      jsonlite::fromJSON(rawToChar(curl::curl_fetch_memory(moto_endpoint(), handle = handle)$content),
                         simplifyVector = FALSE)
    }
    post("SetUserPoolMfaConfig", list(
      UserPoolId = pool, MfaConfiguration = "OFF",
      SmsMfaConfiguration = list(SmsConfiguration = list(SnsCallerArn = "arn:aws:iam::1:role/probe",
                                                         EumsSms = list(CallerArn = "probe")))
    ))
    answer <- post("GetUserPoolMfaConfig", list(UserPoolId = pool))
    .moto$echoes_eums_sms <- identical(answer$SmsMfaConfiguration$SmsConfiguration$EumsSms, list(CallerArn = "probe"))
  }
  .moto$echoes_eums_sms
}

# `expected` as this moto answers it: without EumsSms values if it drops them.
as_moto_answers <- function(expected) {
  if (!moto_echoes_eums_sms()) {
    expected$SmsMfaConfiguration$SmsConfiguration$EumsSms <-
      expected_only_mfa(character(0))$SmsMfaConfiguration$SmsConfiguration$EumsSms
  }
  expected
}

moto_config <- function(...) {
  extra <- list(...)
  config <- list(
    region = "us-east-1",
    credentials = list(creds = list(access_key_id = "AKIDTEST", secret_access_key = "test-secret"))
  )
  # moto is started only if the endpoint is not replaced (say, by a closed one).
  if (is.null(extra$endpoint)) config$endpoint <- moto_endpoint()
  utils::modifyList(config, extra)
}

# A service object talking to moto; `...` adds or replaces config fields.
moto_svc <- function(...) {
  cognitoidentityprovider(config = moto_config(...))
}

# ---- what moto received ------------------------------------------------------

# Every request moto has received so far, oldest first: its operation
# (the part of X-Amz-Target after the dot), lower-cased headers, and body
# (parsed JSON, lists not simplified).
moto_requests <- function() {
  file <- moto_server()$record_file
  if (!file.exists(file)) return(list())
  lines <- readLines(file, warn = FALSE, encoding = "UTF-8")
  lapply(lines[nzchar(lines)], function(line) {
    entry <- jsonlite::fromJSON(line, simplifyVector = FALSE)
    headers <- entry$headers
    names(headers) <- tolower(names(headers))
    body <- entry$body
    if (isTRUE(entry$body_encoded)) {
      body <- rawToChar(jsonlite::base64_dec(body))
      Encoding(body) <- "UTF-8"
    }
    target <- headers[["x-amz-target"]]
    list(
      operation = if (is.null(target)) NA_character_ else sub("^.*\\.", "", target),
      headers = headers,
      raw_body = if (is.null(body)) "" else body,
      body = if (is.null(body) || !nzchar(body)) NULL else jsonlite::fromJSON(body, simplifyVector = FALSE)
    )
  })
}

moto_request_count <- function() length(moto_requests())

# The requests received since there were `since` of them.
moto_requests_since <- function(since) {
  requests <- moto_requests()
  if (length(requests) <= since) return(list())
  requests[(since + 1):length(requests)]
}

# The last request for `operation` (e.g. "SetUserPoolMfaConfig").
moto_last_request <- function(operation) {
  requests <- Filter(function(r) identical(r$operation, operation), moto_requests())
  if (length(requests) == 0) stop("moto has received no ", operation, " request")
  requests[[length(requests)]]
}

# The access key id and region a recorded request was signed with.
signed_with <- function(request) {
  auth <- request$headers[["authorization"]]
  if (is.null(auth)) return(c(access_key_id = NA_character_, region = NA_character_))
  scope <- regmatches(auth, regexec("Credential=([^/]+)/[0-9]+/([^/]+)/", auth))[[1]]
  c(access_key_id = scope[2], region = scope[3])
}

# ---- environment and fresh clients -------------------------------------------

aws_env_vars <- c(
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
  "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_SDK_LOAD_CONFIG", "AWS_CA_BUNDLE"
)

# Requests to the local moto server never go through a proxy.
no_proxy_value <- function(name) {
  current <- Sys.getenv(name)
  paste(c("127.0.0.1", "localhost", if (nzchar(current)) current), collapse = ",")
}

# An AWS environment with nothing in it: no variables, shared files that do
# not exist, no instance metadata. `...` sets variables on top (NA unsets).
local_clean_aws_env <- function(..., .local_envir = parent.frame()) {
  dir <- tempfile("no-aws-")
  unset <- stats::setNames(rep(NA_character_, length(aws_env_vars)), aws_env_vars)
  withr::local_envvar(
    c(unset,
      AWS_EC2_METADATA_DISABLED = "true",
      NO_PROXY = no_proxy_value("NO_PROXY"),
      no_proxy = no_proxy_value("no_proxy"),
      AWS_CONFIG_FILE = file.path(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE = file.path(dir, "credentials")),
    .local_envir = .local_envir
  )
  extra <- c(...)
  if (length(extra) > 0) withr::local_envvar(extra, .local_envir = .local_envir)
  invisible(dir)
}

# Writes a shared credentials file and a config file (each a character
# vector of lines) and points AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE
# at them for the caller's scope.
local_aws_files <- function(credentials, config, .local_envir = parent.frame()) {
  dir <- withr::local_tempdir("aws-files-", .local_envir = .local_envir)
  paths <- c(credentials = file.path(dir, "credentials"), config = file.path(dir, "config"))
  writeLines(credentials, paths[["credentials"]])
  writeLines(config, paths[["config"]])
  withr::local_envvar(
    AWS_SHARED_CREDENTIALS_FILE = paths[["credentials"]],
    AWS_CONFIG_FILE = paths[["config"]],
    .local_envir = .local_envir
  )
  invisible(paths)
}

# The package keeps one SDK client per distinct configuration for the whole
# R session, built (reading the environment and shared files) on first use.
# A configuration never used before in this process gets a fresh client:
# tests that depend on the environment use a unique name or key.
unique_name <- function(prefix) {
  .moto$counter <- (if (is.null(.moto$counter)) 0L else .moto$counter) + 1L
  sprintf("%s%d%s", prefix, .moto$counter, paste(sample(LETTERS, 6, replace = TRUE), collapse = ""))
}

# ---- a fresh R process -------------------------------------------------------

# Package-level functions use the process-wide default client, built from the
# environment on first use; so each environment gets its own R process.
installed_library <- function() {
  path <- system.file(package = "cognitoidp")
  if (!nzchar(path) || !file.exists(file.path(path, "Meta", "package.rds"))) {
    testthat::skip("cognitoidp is not installed (the subprocess tests need an installed package)")
  }
  normalizePath(dirname(path), winslash = "/")
}

# Evaluates `expr` (a quoted expression, e.g. from bquote()) in a new R
# process with the package attached and the caller's environment variables;
# returns its value, or the condition it raised.
run_in_fresh_r <- function(expr, timeout = 60) {
  lib <- installed_library()
  withr::local_envvar(R_TESTS = NA)
  script <- withr::local_tempfile(fileext = ".R")
  out <- withr::local_tempfile(fileext = ".rds")
  writeLines(c(
    sprintf("library(cognitoidp, lib.loc = %s)", deparse(lib)),
    "value <- tryCatch({",
    deparse(expr, width.cutoff = 500L),
    "}, error = function(e) e)",
    sprintf("saveRDS(value, %s)", deparse(normalizePath(out, winslash = "/", mustWork = FALSE)))
  ), script)
  result <- processx::run(
    file.path(R.home("bin"), "Rscript"), c("--vanilla", script),
    error_on_status = FALSE, timeout = timeout
  )
  if (!file.exists(out)) {
    stop("the R subprocess failed (status ", result$status, "):\n", result$stdout, result$stderr, call. = FALSE)
  }
  readRDS(out)
}

# ---- expected values -----------------------------------------------------------

# The answer paws gives when the server sends only MfaConfiguration.
expected_only_mfa <- function(mfa) {
  s0 <- character(0)
  list(
    SmsMfaConfiguration = list(
      SmsAuthenticationMessage = s0,
      SmsConfiguration = list(
        SnsCallerArn = s0, ExternalId = s0, SnsRegion = s0,
        EumsSms = list(
          CallerArn = s0, ExternalId = s0, OriginationIdentity = s0,
          ConfigurationSetName = s0, InEntityId = s0, InTemplateId = s0, Region = s0
        )
      )
    ),
    SoftwareTokenMfaConfiguration = list(Enabled = logical(0)),
    EmailMfaConfiguration = list(Message = s0, Subject = s0),
    MfaConfiguration = mfa,
    WebAuthnConfiguration = list(RelyingPartyId = s0, UserVerification = s0, FactorConfiguration = s0)
  )
}

# The condition `expr` raises (fails the test if it raises none).
catch_error <- function(expr) {
  condition <- tryCatch({
    expr
    NULL
  }, error = function(e) e)
  if (is.null(condition)) stop("expected an error, but there was none", call. = FALSE)
  condition
}
