# One identity-pool exchange's local work: what cognito_aws_credentials()
# costs this process, without the two round trips' waiting. Against the test
# suite's fault server on loopback, which answers every request at once with
# one body that holds both an IdentityId (GetId) and Credentials
# (GetCredentialsForIdentity). Process CPU time of R (this process only; the
# server's is its own) per exchange, for a first exchange (GetId, then
# GetCredentialsForIdentity: each new login is a new identity here) and for a
# renewal (the identity id remembered: one call), beside the clock.
#
#   Rscript bench/exchange.R [N]     (N exchanges of each kind, default 2000)
#
# Needs processx, curl, jsonlite and python3. Prints numbers only.

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

n <- as.integer(commandArgs(TRUE)[1])
if (is.na(n)) n <- 2000L
fault <- start_fault_server()
fault$control("/__script", jsonlite::toJSON(auto_unbox = TRUE, list(default = list(action = "ok", body = list(
  IdentityId = "us-east-1:00000000-0000-0000-0000-000000000000",
  Credentials = list(AccessKeyId = "ASIABENCH", SecretKey = "bench-secret", SessionToken = strrep("s", 800),
                     Expiration = as.numeric(Sys.time()) + 3600)
)))))

b64url <- function(text) gsub("[=\n]", "", chartr("+/", "-_", jsonlite::base64_enc(charToRaw(text))))
# An ID token of a user pool's form, `sub` varying: the fault server does not
# verify it (the identity pool would).
id_token <- function(sub) {
  claims <- sprintf(paste0('{"sub":"%s","iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Bench",',
                           '"token_use":"id","aud":"client","exp":%d}'), sub, as.integer(Sys.time()) + 3600)
  paste(b64url('{"alg":"RS256","kid":"k1"}'), b64url(claims), b64url(strrep("x", 256)), sep = ".")
}
config <- list(endpoint = fault$endpoint, region = "us-east-1", max_retries = 0)
pool <- "us-east-1:11111111-2222-3333-4444-555555555555"
exchange <- function(token) cognito_aws_credentials(pool, Tokens = token, config = config)

measure <- function(label, tokens) {
  exchange(tokens[[1]])  # warm: the client, the connection
  gc()
  before <- proc.time()
  for (token in tokens) exchange(token)
  spent <- proc.time() - before
  cpu <- (spent[["user.self"]] + spent[["sys.self"]]) / length(tokens)
  cat(sprintf("  %-46s %s us CPU, %s us by the clock per exchange (%d exchanges)\n", label, us(cpu),
              us(spent[["elapsed"]] / length(tokens)), length(tokens)))
}

header("Identity-pool exchange, local work (cognito_aws_credentials against a loopback server)")
measure("first exchange (GetId + GetCredentialsForIdentity)", lapply(seq_len(n), function(i) id_token(paste0("new-", i))))
same <- id_token("returning-user")
measure("renewal (identity id remembered: one call)", rep(list(same), n))
