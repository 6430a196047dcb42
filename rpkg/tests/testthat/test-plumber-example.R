# The worked example of the vignette and inst/examples/plumber-cognito.R: a
# plumber API that checks the bearer token of each request, and a
# machine-to-machine job that gets a token by client credentials (from
# ministack) and calls it.

test_that("the plumber API lets in the job's valid token, and nothing else", {
  skip_if_not_installed("plumber")
  s <- ministack_oauth_pool()
  port <- free_port()
  api <- system.file("examples", "plumber-cognito.R", package = "cognitoidp")
  expect_true(file.exists(api))
  withr::local_envvar(COGNITO_USER_POOL_ID = s$pool, COGNITO_CLIENT_ID = s$job$ClientId,
                      COGNITO_SCOPE = "my-api/read", COGNITO_JWKS_URI = s$jwks)
  process <- local_r_process(c(
    sprintf("pr <- plumber::pr(%s)", deparse(api)),
    "cat('serving\\n')",
    sprintf("plumber::pr_run(pr, host = '127.0.0.1', port = %d, docs = FALSE, quiet = TRUE)", port)
  ))
  url <- sprintf("http://127.0.0.1:%d/whoami", port)
  call_api <- function(token = NULL) {
    handle <- local_handle()
    if (!is.null(token)) curl::handle_setheaders(handle, Authorization = paste("Bearer", token))
    for (i in 1:50) {
      answer <- tryCatch(curl::curl_fetch_memory(url, handle = handle), error = function(e) NULL)
      if (!is.null(answer)) return(list(status = answer$status_code, body = jsonlite::fromJSON(rawToChar(answer$content))))
      if (!process$is_alive()) stop("the API stopped: ", paste(process$read_output_lines(), collapse = "\n"))
      Sys.sleep(0.2)
    }
    stop("the API did not answer")
  }

  # The job: a token by client credentials, then the call.
  tokens <- cognito_token(s$domain, s$job$ClientId, s$job$ClientSecret, GrantType = "client_credentials",
                          Scopes = "my-api/read")
  answer <- call_api(tokens$AccessToken)
  expect_identical(answer$status, 200L)
  expect_identical(answer$body$client[[1]], s$job$ClientId)
  expect_identical(answer$body$scope[[1]], "my-api/read")

  expect_identical(call_api()$status, 401L)
  expect_identical(call_api("not-a-token")$body$reason[[1]], "cognitoidp_token_malformed_error")
  # A user's token from another app client of the pool: valid, but not for this API.
  auth <- cognito_authorize_url(s$domain, s$web$ClientId, "http://localhost:8100/callback")
  user_tokens <- cognito_token(s$domain, s$web$ClientId, s$web$ClientSecret,
                               Code = hosted_sign_in(s$domain, auth, "ada", "Correct-Horse-42"),
                               RedirectUri = "http://localhost:8100/callback", CodeVerifier = auth$code_verifier)
  refused <- call_api(user_tokens$AccessToken)
  expect_identical(refused$status, 401L)
  expect_identical(refused$body$reason[[1]], "cognitoidp_token_client_error")
  # Its ID token is not an access token.
  expect_identical(call_api(user_tokens$IdToken)$body$reason[[1]], "cognitoidp_token_use_error")
})
