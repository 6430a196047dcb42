# A whole sign-in from R, end to end, against ministack (the local Cognito
# emulator that checks SRP proofs and secret hashes): cognito_sign_in() by
# SRP with a client secret (InitiateAuth, the proof, RespondToAuthChallenge),
# beside USER_PASSWORD_AUTH (one round trip, no SRP math) and
# cognito_refresh(). bench/srp.rs measures the SRP math alone.
#
#   Rscript bench/signin.R        (BENCH_SIGNIN_RUNS, default 50)
#
# Needs ministack (BENCH_MINISTACK, default /opt/ministack-venv/bin/ministack,
# as .ci/setup.sh installs it) and processx. Prints numbers only; never fails
# on a timing.

suppressPackageStartupMessages(library(cognitoidp))

runs <- as.integer(Sys.getenv("BENCH_SIGNIN_RUNS", "50"))
binary <- Sys.getenv("BENCH_MINISTACK", "/opt/ministack-venv/bin/ministack")
if (!file.exists(binary)) {
  cat("\n== Signing in end to end: ministack not found at", binary, "(set BENCH_MINISTACK); left out\n")
  quit(status = 0)
}

# A free loopback port, as the operating system gives one.
port <- system2("env", c("-u", "LD_LIBRARY_PATH", "python3", "-c",
                         shQuote("import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")),
                stdout = TRUE)
dir <- tempfile("ministack-bench-")
dir.create(file.path(dir, "state"), recursive = TRUE)
dir.create(file.path(dir, "tmp"))
# A Python started from R must not inherit R's LD_LIBRARY_PATH (it would load
# the wrong libpython).
env <- Sys.getenv()
env <- env[names(env) != "LD_LIBRARY_PATH"]
env[c("BIND_HOST", "GATEWAY_PORT", "IOT_MTLS_ENABLED", "AUTH", "STATE_DIR", "TMPDIR")] <-
  c("127.0.0.1", as.character(port), "false", "true", file.path(dir, "state"), file.path(dir, "tmp"))
server <- processx::process$new(binary, env = env, wd = dir, stdout = file.path(dir, "log"), stderr = "2>&1",
                                cleanup = TRUE, cleanup_tree = TRUE)
on_exit <- function() {
  server$kill_tree()
  unlink(dir, recursive = TRUE)
}
endpoint <- paste0("http://127.0.0.1:", port)
deadline <- Sys.time() + 30
repeat {
  up <- tryCatch(curl::curl_fetch_memory(paste0(endpoint, "/_ministack/health"),
                                         handle = curl::new_handle(timeout = 2, noproxy = "*"))$status_code == 200,
                 error = function(e) FALSE)
  if (up) break
  if (!server$is_alive() || Sys.time() > deadline) {
    on_exit()
    stop("ministack did not start: ", paste(readLines(file.path(dir, "log"), warn = FALSE), collapse = "\n"))
  }
  Sys.sleep(0.2)
}

admin <- cognitoidentityprovider(config = list(endpoint = endpoint, region = "us-east-1",
                                               credentials = list(creds = list(access_key_id = "test", secret_access_key = "test"))))
app <- cognitoidentityprovider(config = list(endpoint = endpoint, region = "us-east-1",
                                             credentials = list(anonymous = TRUE)))
pool <- admin$create_user_pool(PoolName = "bench")$UserPool$Id
client <- admin$create_user_pool_client(
  UserPoolId = pool, ClientName = "bench", GenerateSecret = TRUE,
  ExplicitAuthFlows = c("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
)$UserPoolClient
invisible(admin$admin_create_user(UserPoolId = pool, Username = "ada", MessageAction = "SUPPRESS"))
invisible(admin$admin_set_user_password(UserPoolId = pool, Username = "ada", Password = "Corr3ct-Horse!", Permanent = TRUE))

sign_in <- function(flow) {
  cognito_sign_in(app, UserPoolId = pool, ClientId = client$ClientId, Username = "ada", Password = "Corr3ct-Horse!",
                  ClientSecret = client$ClientSecret, AuthFlow = flow)
}
time_it <- function(work) {
  work()
  vapply(seq_len(runs), function(i) {
    t0 <- proc.time()[["elapsed"]]
    cpu0 <- sum(proc.time()[c("user.self", "sys.self")])
    work()
    c(proc.time()[["elapsed"]] - t0, sum(proc.time()[c("user.self", "sys.self")]) - cpu0)
  }, numeric(2))
}
srp <- time_it(function() sign_in("USER_SRP_AUTH"))
password <- time_it(function() sign_in("USER_PASSWORD_AUTH"))
tokens <- sign_in("USER_SRP_AUTH")
stopifnot(inherits(tokens, "cognitoidp_tokens"))
refresh <- time_it(function() cognito_refresh(app, tokens, ClientSecret = client$ClientSecret))
# Where an SRP sign-in's time goes: the log's time of each of its two calls.
options(paws.log_level = 3L)
steps <- utils::capture.output(sign_in("USER_SRP_AUTH"), type = "message")
options(paws.log_level = 0L)
on_exit()

cat(sprintf("\n== Signing in end to end from R against ministack (%s; %d runs each; client with a secret)\n",
            endpoint, runs))
cat("                                        median ms   p90 ms   R CPU ms (median)\n")
row <- function(label, m) {
  cat(sprintf("%-40s %9.1f %8.1f %10.1f\n", label, stats::median(m[1, ]) * 1000,
              stats::quantile(m[1, ], 0.9) * 1000, stats::median(m[2, ]) * 1000))
}
row("cognito_sign_in(), USER_SRP_AUTH", srp)
row("cognito_sign_in(), USER_PASSWORD_AUTH", password)
row("cognito_refresh()", refresh)
cat("one SRP sign-in's calls:", paste(sub(".*cognitoidp: ", "", grep("done in", steps, value = TRUE)), collapse = "; "), "\n")
cat("(SRP: two round trips, the proof computed locally; the server's own SRP work is in the wall time.)\n")
