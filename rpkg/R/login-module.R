# Signing users in to a Shiny app: a module, cognito_login_ui() and
# cognito_login_server(), that puts the package's parts together. Two modes:
# - "hosted": the user pool's hosted sign-in page, by the authorization-code
#   flow with PKCE (S256); the state, verifier and nonce are sealed in a
#   cookie (login-cookies.R), the state and the ID token's nonce checked on
#   return, the code exchanged here;
# - "form": a form in the app, signed in by SRP here, every challenge asked
#   of the user in the form (login-form.R).
# Either way the tokens stay in the R process: the browser holds a random
# session id. They are refreshed before they expire (and the user's AWS
# credentials with them, when an identity pool is given), and revoked at
# sign-out. shiny is in Suggests: the functions say so when it is missing.

cognito_login_ui <- function(id) {
  need_shiny()
  check_arg_string(id, "id")
  ns <- shiny::NS(id)
  script <- htmltools::htmlDependency(
    "cognitoidp-login", as.character(utils::packageVersion("cognitoidp")),
    src = system.file("www", package = "cognitoidp"), script = "cognitoidp-login.js"
  )
  shiny::tagList(script, shiny::div(id = ns("login"), class = "cognitoidp-login", shiny::uiOutput(ns("panel"))))
}

cognito_login_server <- function(id, UserPoolId, ClientId, ClientSecret = NULL, Mode = c("hosted", "form"),
                                 Domain = NULL, RedirectUri = NULL, LogoutUri = NULL,
                                 Scopes = c("openid", "email", "profile"), RequireGroups = NULL,
                                 IdentityPoolId = NULL, CookieKey = Sys.getenv("COGNITOIDP_COOKIE_KEY"),
                                 JwksUri = NULL, AppName = NULL, config = list()) {
  need_shiny()
  check_arg_string(id, "id")
  if (missing(UserPoolId)) param_error("Invalid argument `UserPoolId`: is required but missing", "UserPoolId")
  if (missing(ClientId)) param_error("Invalid argument `ClientId`: is required but missing", "ClientId")
  settings <- login_settings(UserPoolId, ClientId, ClientSecret, if (missing(Mode)) "hosted" else Mode, Domain,
                             RedirectUri, LogoutUri, Scopes, RequireGroups, IdentityPoolId, CookieKey, JwksUri,
                             AppName, config)
  settings$id <- id
  shiny::moduleServer(id, function(input, output, session) login_session(settings, input, output, session))
}

need_shiny <- function() {
  for (package in c("shiny", "htmltools")) {
    if (!has_package(package)) {
      stop(failure_condition(list(kind = "param", message = sprintf(
        "The Shiny sign-in module needs the package '%s': install it (install.packages(\"%s\"))", package, package
      ))))
    }
  }
}

has_package <- function(package) requireNamespace(package, quietly = TRUE)

# Every argument checked before the app starts; the service object for the
# sign-in calls (they need no AWS credentials) and the identity pool's
# settings made once.
login_settings <- function(pool, client, secret, mode, domain, redirect_uri, logout_uri, scopes, groups,
                           identity_pool, cookie_key, jwks_uri, app_name, config) {
  issuer <- pool_issuer(pool)
  check_arg_string(client, "ClientId")
  if (!is.null(secret)) check_arg_string(secret, "ClientSecret", sensitive = TRUE)
  check_choice(mode, "Mode", c("hosted", "form"))
  if (mode == "hosted") {
    if (is.null(domain)) param_error("Invalid argument `Domain`: the hosted mode needs the user pool's domain", "Domain")
    domain <- check_domain(domain)
    check_scopes(scopes)
    if (!"openid" %in% scopes) {
      param_error("Invalid argument `Scopes`: the hosted mode needs \"openid\" (the ID token and its nonce)", "Scopes")
    }
  }
  if (!is.null(redirect_uri)) redirect_uri <- check_url(redirect_uri, "RedirectUri", query = FALSE)
  if (!is.null(logout_uri)) logout_uri <- check_url(logout_uri, "LogoutUri", query = FALSE)
  if (!is.null(groups) && (!is.character(groups) || length(groups) == 0 || anyNA(groups))) {
    param_error(sprintf("Invalid argument `RequireGroups`: expected a character vector or NULL, got %s", describe(groups)),
                "RequireGroups")
  }
  if (!is.null(identity_pool)) check_identity_pool_id(identity_pool)
  if (!is.null(jwks_uri)) jwks_uri <- check_url(jwks_uri, "JwksUri")
  if (!is.null(app_name)) check_arg_string(app_name, "AppName")
  config <- merge_config(config)
  user_pool_config <- config
  if (is.null(user_pool_config$credentials) || length(user_pool_config$credentials) == 0) {
    user_pool_config$credentials <- list(anonymous = TRUE)
  }
  if (is.null(user_pool_config$region) || identical(user_pool_config$region, "")) {
    user_pool_config$region <- sub("_.*$", "", pool)
  }
  list(pool = pool, issuer = issuer, client = client, secret = secret, mode = mode, domain = domain,
       redirect_uri = redirect_uri, logout_uri = logout_uri, scopes = scopes, groups = groups,
       identity_pool = identity_pool, key = login_cookie_key(cookie_key), jwks_uri = jwks_uri,
       app_name = app_name %||% "Cognito", identity_config = config,
       svc = cognitoidentityprovider(config = user_pool_config))
}

# One browser session of the module. `user` is what the app sees; `here`
# holds what it must not: the tokens, the challenge under way, the session id.
login_session <- function(settings, input, output, session) {
  ns <- session$ns
  user <- shiny::reactiveValues(signed_in = FALSE, claims = NULL, username = NULL, groups = character(0),
                                credentials = NULL, expires_at = NULL)
  view <- shiny::reactiveVal("starting")
  notice <- shiny::reactiveVal(NULL)
  challenge <- shiny::reactiveVal(NULL)
  refresh_due <- shiny::reactiveVal(NULL)
  here <- new.env(parent = emptyenv())
  cookie_name <- function(kind) paste0("cognitoidp_", kind, "_", gsub("[^A-Za-z0-9]", "_", settings$id))

  page <- function() {
    data <- session$clientData
    list(url = paste0(data$url_protocol, "//", data$url_hostname,
                      if (nzchar(data$url_port %||% "")) paste0(":", data$url_port), data$url_pathname),
         path = sub("[^/]*$", "", data$url_pathname), secure = identical(data$url_protocol, "https:"),
         search = data$url_search %||% "")
  }
  cookie <- function(kind, value, lifetime = NULL) {
    here_page <- page()
    cookie_header(cookie_name(kind), value, here_page$path, here_page$secure, lifetime)
  }
  tell_browser <- function(cookies = list(), search = NULL, go = NULL, ack = FALSE) {
    message <- list(cookies = lapply(cookies, function(c) cookie_url(session, c)))
    if (!is.null(search)) message$search <- search
    if (!is.null(go)) message$go <- go
    if (ack) {
      here$ack <- stop_on_failure(cip_random_token(16L))
      message$ack <- ns("ready")
      message$token <- here$ack
    }
    session$sendCustomMessage("cognitoidp-login", message)
  }
  fail <- function(e, what) {
    log_login(3L, sprintf("%s failed: %s", what, condition_summary(e)))
    notice(person_message(e))
  }

  # ---- signed in -----------------------------------------------------------------

  # Verifies the ID token (its nonce too, on a hosted return) and makes the
  # user's session; `new_session = FALSE` keeps the browser's session id
  # (a reload, a refresh).
  sign_in_with <- function(tokens, nonce = NULL, new_session = TRUE, cookies = list(), search = NULL) {
    check <- if (!is.null(nonce)) function(claims) identical(claims$nonce, nonce)
    claims <- tryCatch(cognito_verify_token(tokens$IdToken, settings$pool, "id", settings$client,
                                            JwksUri = settings$jwks_uri, Check = check),
                       error = function(e) e)
    if (inherits(claims, "error")) {
      log_login(3L, sprintf("sign-in refused: the ID token failed verification: %s", condition_summary(claims)))
      notice("The sign-in could not be verified. Please sign in again.")
      view("signin")
      return(invisible(FALSE))
    }
    here$tokens <- tokens
    groups <- as.character(unlist(claims[["cognito:groups"]]))
    if (!is.null(settings$groups) && !any(settings$groups %in% groups)) {
      log_login(3L, "signed in, but not a member of the groups the app requires: shown the refusal")
      here$denied_user <- claims[["cognito:username"]]
      tell_browser(cookies, search = search)
      view("denied")
      return(invisible(FALSE))
    }
    credentials <- NULL
    if (!is.null(settings$identity_pool)) {
      credentials <- tryCatch(cognito_aws_credentials(settings$identity_pool, tokens, config = settings$identity_config),
                              error = function(e) e)
      if (inherits(credentials, "error")) {
        log_login(2L, sprintf("no AWS credentials for the user: %s", condition_summary(credentials)))
        credentials <- NULL
      }
    }
    here$pending <- list(claims = claims, groups = groups, credentials = credentials)
    if (new_session) {
      here$session_id <- stop_on_failure(cip_random_token(32L))
      cookies <- c(cookies, list(cookie("session", here$session_id)))
    }
    login_session_put(here$session_id, list(tokens = tokens, client = settings$client, credentials = credentials))
    schedule_refresh(tokens, credentials)
    if (length(cookies) > 0 || !is.null(search)) {
      # Shown signed in once the browser holds its cookie: a reload then finds it.
      tell_browser(cookies, search = search, ack = TRUE)
    } else {
      publish()
    }
    invisible(TRUE)
  }
  publish <- function() {
    got <- here$pending
    if (is.null(got)) return()
    user$claims <- got$claims
    user$username <- got$claims[["cognito:username"]] %||% got$claims$sub
    user$groups <- got$groups
    user$credentials <- got$credentials
    user$expires_at <- token_expiry(here$tokens)
    user$signed_in <- TRUE
    notice(NULL)
    view("signed_in")
  }
  shiny::observeEvent(input$ready, {
    if (identical(input$ready, "cookie-failed")) {
      log_login(2L, "the browser did not take the session cookie: a reload will ask to sign in again")
    } else if (!identical(input$ready, here$ack)) {
      return()
    }
    here$ack <- NULL
    publish()
  })

  schedule_refresh <- function(tokens, credentials) {
    expiry <- token_expiry(tokens) %||% (Sys.time() + 3600)
    if (!is.null(credentials)) expiry <- min(expiry, credentials$expiration)
    margin <- getOption("cognitoidp.login_refresh_margin", 300)
    refresh_due(expiry - margin)
  }
  shiny::observe({
    due <- refresh_due()
    if (is.null(due)) return()
    wait <- as.numeric(difftime(due, Sys.time(), units = "secs"))
    if (wait > 0) {
      shiny::invalidateLater(min(wait, 3600) * 1000)
      return()
    }
    shiny::isolate(refresh_now())
  })
  refresh_now <- function() {
    tokens <- here$tokens
    if (is.null(tokens)) return(invisible(FALSE))
    started <- Sys.time()
    fresh <- tryCatch(cognito_refresh(settings$svc, tokens, ClientSecret = settings$secret), error = function(e) e)
    if (inherits(fresh, "error")) {
      log_login(3L, sprintf("refresh failed, the user is signed out: %s", condition_summary(fresh)))
      end_session()
      notice("Your session has ended. Please sign in again.")
      return(invisible(FALSE))
    }
    ok <- sign_in_with(fresh, new_session = FALSE)
    log_login(3L, sprintf("refreshed a session's tokens%s in %.0f ms",
                          if (!is.null(settings$identity_pool)) " and AWS credentials" else "",
                          1000 * as.numeric(difftime(Sys.time(), started, units = "secs"))))
    invisible(ok)
  }

  # Forgets the user here and in the browser's cookie; revokes the refresh
  # token (the user's other sessions with it end too).
  end_session <- function(revoke = FALSE) {
    tokens <- here$tokens
    if (revoke && length(tokens$RefreshToken) == 1) {
      revoked <- tryCatch(settings$svc$revoke_token(Token = tokens$RefreshToken, ClientId = settings$client,
                                                    ClientSecret = settings$secret),
                          error = function(e) e)
      if (inherits(revoked, "error")) log_login(2L, sprintf("revoking the refresh token failed: %s", condition_summary(revoked)))
    }
    login_session_drop(here$session_id)
    here$tokens <- NULL
    here$session_id <- NULL
    here$pending <- NULL
    refresh_due(NULL)
    challenge(NULL)
    user$signed_in <- FALSE
    user$claims <- NULL
    user$username <- NULL
    user$groups <- character(0)
    user$credentials <- NULL
    user$expires_at <- NULL
    view("signin")
  }
  sign_out <- function() {
    end_session(revoke = TRUE)
    log_login(3L, "signed out")
    go <- if (settings$mode == "hosted") {
      cognito_logout_url(settings$domain, settings$client, settings$logout_uri %||% page()$url)
    }
    tell_browser(list(cookie("session", "", lifetime = 0)), go = go)
    invisible(TRUE)
  }
  shiny::observeEvent(input$sign_out, sign_out())

  # ---- hosted UI -----------------------------------------------------------------

  shiny::observeEvent(input$hosted, {
    redirect <- settings$redirect_uri %||% page()$url
    auth <- tryCatch(cognito_authorize_url(settings$domain, settings$client, redirect, settings$scopes),
                     error = function(e) e)
    if (inherits(auth, "error")) return(fail(auth, "starting the hosted sign-in"))
    flow <- seal_fields(settings$key, "cognitoidp flow",
                        c(state = auth$state, verifier = auth$code_verifier, nonce = auth$nonce, redirect = redirect),
                        login_cookie_lifetime[["flow"]])
    # The browser gets the cookie and the way to the hosted page in one answer.
    go <- cookie_url(session, cookie("flow", flow, login_cookie_lifetime[["flow"]]), location = auth$url)
    tell_browser(go = go)
  })

  # The return from the hosted UI: the state must be the sealed one, the
  # flow not used before; then the code is exchanged and the ID token's
  # nonce checked. A refusal is logged at INFO and the user asked again.
  hosted_return <- function(query) {
    search <- without_sign_in_parameters(page()$search)
    refuse <- function(why) {
      log_login(3L, paste("sign-in return refused:", why))
      notice("The sign-in could not be completed. Please sign in again.")
      tell_browser(search = search)
      view("signin")
    }
    if (!is.null(query$error)) {
      return(refuse(sprintf("the user pool answered with the error %s", show_string(query$error))))
    }
    flow <- open_fields(settings$key, "cognitoidp flow", request_cookies(session$request)[[cookie_name("flow")]])
    problem <- attr(flow, "problem")
    if (!is.null(problem)) {
      return(refuse(switch(problem,
        missing = "no sign-in was started in this browser, or it was finished already (a missing or replayed state)",
        expired = "the sign-in was started too long ago",
        "the sign-in cookie was not sealed by this app"
      )))
    }
    if (is.null(query$state) || !identical(query$state, flow$state)) {
      return(refuse("the state is not the one this browser's sign-in sent (tampered, or another browser's)"))
    }
    if (is.null(query$code)) return(refuse("no code came back"))
    if (!login_flow_first_use(flow$state)) return(refuse("the state was used already (a replay)"))
    tokens <- tryCatch(cognito_token(settings$domain, settings$client, settings$secret, Code = query$code,
                                     RedirectUri = flow$redirect, CodeVerifier = flow$verifier),
                       error = function(e) e)
    if (inherits(tokens, "error")) {
      return(refuse(sprintf("the code exchange failed: %s", condition_summary(tokens))))
    }
    sign_in_with(tokens, nonce = flow$nonce, cookies = list(cookie("flow", "", lifetime = 0)), search = search)
  }

  # ---- in-app form ---------------------------------------------------------------

  form <- if (settings$mode == "form") login_form(settings, input, session, here, challenge, notice, view,
                                                  cookie_name, cookie, sign_in_with, fail)

  # ---- start: a sign-in return, a session cookie, or the sign-in -------------------

  shiny::observeEvent(session$clientData$url_search, once = TRUE, ignoreNULL = FALSE, {
    query <- shiny::parseQueryString(page()$search)
    if (settings$mode == "hosted" && any(c("code", "state", "error") %in% names(query))) {
      return(hosted_return(query))
    }
    here$session_id <- request_cookies(session$request)[[cookie_name("session")]]
    entry <- login_session_get(here$session_id, settings$client)
    if (is.null(entry)) {
      here$session_id <- NULL
      return(view("signin"))
    }
    here$tokens <- entry$tokens
    expiry <- token_expiry(entry$tokens)
    if (is.null(expiry) || as.numeric(difftime(expiry, Sys.time(), units = "secs")) < 60) return(refresh_now())
    sign_in_with(entry$tokens, new_session = FALSE)
  })

  output$panel <- shiny::renderUI({
    shown <- notice()
    body <- switch(view(),
      starting = NULL,
      signin = if (settings$mode == "hosted") {
        shiny::actionButton(ns("hosted"), "Sign in", class = "btn-primary")
      } else {
        form$sign_in_ui()
      },
      challenge = form$challenge_ui(challenge()),
      signed_in = shiny::div(
        class = "cognitoidp-signed-in", "Signed in as ", shiny::strong(user$username), " ",
        shiny::actionButton(ns("sign_out"), "Sign out", class = "btn-sm")
      ),
      denied = shiny::div(
        class = "cognitoidp-denied",
        shiny::p(sprintf("You are signed in as %s, but this app is only for members of %s.",
                         here$denied_user %||% "this user", paste(settings$groups, collapse = " or "))),
        shiny::p("Ask the app's administrator for access, or sign in as someone else."),
        shiny::actionButton(ns("sign_out"), "Sign out", class = "btn-sm")
      )
    )
    shiny::tagList(
      if (!is.null(shown)) shiny::div(class = "alert alert-warning cognitoidp-notice", role = "alert", shown),
      body
    )
  })

  user$sign_out <- sign_out
  user$refresh <- refresh_now
  user
}

# The page's query string without what the hosted UI added ("" when nothing is left).
without_sign_in_parameters <- function(search) {
  pairs <- strsplit(sub("^\\?", "", search), "&", fixed = TRUE)[[1]]
  keep <- pairs[nzchar(pairs) & !sub("=.*$", "", pairs) %in% c("code", "state", "error", "error_description")]
  if (length(keep) == 0) "" else paste0("?", paste(keep, collapse = "&"))
}

# A log line at `level` (2 WARN, 3 INFO), as the core writes them, when
# options(paws.log_level) is at least that.
log_login <- function(level, text) {
  wanted <- getOption("paws.log_level", 0)
  if (!is.numeric(wanted) || length(wanted) != 1 || is.na(wanted) || wanted < level) return(invisible())
  stamp <- format(Sys.time(), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
  write_log(sprintf("%s [%s]: cognitoidp: sign-in module: %s", c("ERROR", "WARN", "INFO", "DEBUG")[[level]], stamp, text))
}

# A condition in a log line: its first class, and the service's message
# (AWS messages hold no secrets; this package's never do).
condition_summary <- function(e) {
  paste0(class(e)[[1]], ": ", conditionMessage(e))
}

# What a person should read for a failed sign-in step. The user's existence
# is not revealed (no "user not found").
person_message <- function(e) {
  is <- function(...) any(c(...) %in% class(e))
  text <- conditionMessage(e)
  if (is("NotAuthorizedException")) {
    if (grepl("disabled", text, ignore.case = TRUE)) return("This account is disabled. Contact the app's administrator.")
    if (grepl("session", text, ignore.case = TRUE)) return("The sign-in took too long. Please start again.")
    return("Incorrect user name or password.")
  }
  if (is("UserNotFoundException")) return("Incorrect user name or password.")
  if (is("CodeMismatchException", "EnableSoftwareTokenMFAException")) {
    return("That code is not right. Check it and try again.")
  }
  if (is("ExpiredCodeException")) return("That code has expired. Please sign in again.")
  if (is("InvalidPasswordException")) {
    return(paste("The new password does not meet the password rules:", sub("^.*?\\)\\. ", "", text)))
  }
  if (is("PasswordResetRequiredException")) return("Your password must be reset before you can sign in.")
  if (is("UserNotConfirmedException")) return("This account is not confirmed yet.")
  if (is("TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException")) {
    return("Too many attempts. Please wait a moment and try again.")
  }
  if (is("InvalidParameterException", "cognitoidp_param_error")) return("Some of the details entered are not valid.")
  if (is("cognitoidp_connection_error", "cognitoidp_timeout_error")) {
    return("The sign-in service cannot be reached. Please try again later.")
  }
  "The sign-in failed. Please try again."
}
