# The in-app sign-in form of the Shiny module (login-module.R): user name
# and password, signed in by SRP on the server (cognito_sign_in(); the
# password is used once, cleared from the form and not kept), then every
# challenge the pool asks, rendered and answered in the form: a new password
# (with the attributes the pool requires), a code (authenticator app, SMS,
# e-mail), a choice of MFA, MFA set-up for an authenticator app (the
# otpauth:// URI as a QR code drawn on the server, src/webapp/qr.rs) or for
# e-mail. Devices are remembered where the pool tracks them: their secrets
# sealed in a cookie bound to the user's name (login-cookies.R).

login_form <- function(settings, input, session, here, challenge, notice, view, cookie_name, cookie, sign_in_with,
                       fail) {
  ns <- session$ns
  svc <- settings$svc
  secret <- settings$secret

  sign_in_ui <- function() {
    shiny::div(
      class = "cognitoidp-form",
      shiny::textInput(ns("username"), "User name"),
      shiny::passwordInput(ns("password"), "Password"),
      shiny::actionButton(ns("sign_in"), "Sign in", class = "btn-primary")
    )
  }

  code_input <- function() {
    shiny::tagAppendAttributes(shiny::textInput(ns("code"), "Code"), autocomplete = "one-time-code")
  }

  challenge_ui <- function(ch) {
    if (is.null(ch)) return(NULL)
    parameters <- ch$ChallengeParameters
    where <- parameters$CODE_DELIVERY_DESTINATION
    to_where <- if (!is.null(where)) paste(" to", where) else ""
    fields <- switch(ch$ChallengeName,
      NEW_PASSWORD_REQUIRED = c(
        list(shiny::p("Choose a new password."), shiny::passwordInput(ns("new_password"), "New password")),
        lapply(required_attributes(parameters), function(a) shiny::textInput(ns(paste0("attribute_", a)), attribute_label(a)))
      ),
      SOFTWARE_TOKEN_MFA = list(shiny::p("Enter the code your authenticator app shows."), code_input()),
      SMS_MFA = , SMS_OTP = list(shiny::p(sprintf("Enter the code sent by text message%s.", to_where)), code_input()),
      EMAIL_OTP = list(shiny::p(sprintf("Enter the code sent by e-mail%s.", to_where)), code_input()),
      SELECT_MFA_TYPE = list(shiny::radioButtons(ns("choice"), "How do you want to confirm it is you?",
                                                 choices = mfa_choices(parameters$MFAS_CAN_CHOOSE))),
      MFA_SETUP = if (length(ch$SecretCode) == 1) totp_setup_ui(ch) else list(
        shiny::p("This account needs a second step at sign-in. Choose how to receive codes."),
        shiny::radioButtons(ns("choice"), NULL, choices = mfa_choices(parameters$MFAS_CAN_SETUP, setup = TRUE)),
        shiny::textInput(ns("email"), "E-mail address (for codes by e-mail)")
      ),
      CUSTOM_CHALLENGE = list(shiny::textInput(ns("answer"), "Answer")),
      list(shiny::p("This sign-in step cannot be answered here. Please contact the app's administrator."))
    )
    shiny::div(
      class = "cognitoidp-challenge", `data-challenge` = ch$ChallengeName, fields,
      shiny::actionButton(ns("respond"), "Continue", class = "btn-primary"),
      shiny::actionButton(ns("restart"), "Start again", class = "btn-link")
    )
  }

  totp_setup_ui <- function(ch) {
    label <- paste0(settings$app_name, ":", here$username %||% "")
    uri <- paste0("otpauth://totp/", percent_encode(label), "?",
                  encode_query(c(secret = ch$SecretCode, issuer = settings$app_name)))
    list(
      shiny::p("Scan this QR code with your authenticator app, then enter the code it shows."),
      shiny::div(class = "cognitoidp-qr", shiny::HTML(stop_on_failure(cip_qr_svg(uri, 4L)))),
      shiny::p("Or type this key into the app: ", shiny::tags$code(class = "cognitoidp-secret", ch$SecretCode)),
      code_input()
    )
  }

  remembered_device <- function(username) {
    if (!is.null(here$device) && identical(here$device_user, username)) return(here$device)
    fields <- open_fields(settings$key, "cognitoidp device", request_cookies(session$request)[[cookie_name("device")]])
    if (!is.null(attr(fields, "problem")) || !identical(fields$user, username) || !identical(fields$pool, settings$pool)) {
      return(NULL)
    }
    structure(list(DeviceKey = fields$key, DeviceGroupKey = fields$group, DevicePassword = fields$password,
                   UserPoolId = settings$pool, Username = fields$internal),
              class = "cognitoidp_device")
  }

  # Tokens: remember the device if the pool gave one, then sign in.
  # A challenge: show it (an authenticator app set up at once when it is
  # the only choice). An error: say what went wrong, as a person would.
  proceed <- function(result, what) {
    if (inherits(result, "error")) {
      fail(result, what)
      # A challenge's session that ended cannot be answered again.
      if (inherits(result, c("NotAuthorizedException", "ExpiredCodeException")) && !is.null(challenge())) {
        challenge(NULL)
        view("signin")
      }
      return(invisible())
    }
    notice(NULL)
    if (inherits(result, "cognitoidp_challenge")) {
      if (identical(result$ChallengeName, "MFA_SETUP") && length(result$SecretCode) == 0 &&
          identical(setup_options(result$ChallengeParameters$MFAS_CAN_SETUP), "SOFTWARE_TOKEN_MFA")) {
        result <- tryCatch(cognito_respond(svc, result, Choice = "SOFTWARE_TOKEN_MFA", ClientSecret = secret),
                           error = function(e) e)
        if (inherits(result, "error")) return(proceed(result, "starting the authenticator set-up"))
      }
      challenge(result)
      view("challenge")
      return(invisible())
    }
    cookies <- list()
    if (length(result$NewDeviceMetadata$DeviceKey) == 1) {
      device <- tryCatch(cognito_remember_device(svc, result, DeviceName = settings$app_name), error = function(e) e)
      if (inherits(device, "error")) {
        log_login(2L, sprintf("remembering the device failed: %s", condition_summary(device)))
      } else {
        here$device <- device
        here$device_user <- here$username
        sealed <- seal_fields(settings$key, "cognitoidp device", c(
          user = here$username, pool = settings$pool, key = device$DeviceKey, group = device$DeviceGroupKey,
          password = device$DevicePassword, internal = device$Username %||% ""
        ), login_cookie_lifetime[["device"]])
        cookies <- list(cookie("device", sealed, login_cookie_lifetime[["device"]]))
      }
    }
    challenge(NULL)
    sign_in_with(result, cookies = cookies)
  }

  shiny::observeEvent(input$sign_in, {
    username <- trimws(input$username %||% "")
    password <- input$password %||% ""
    shiny::updateTextInput(session, "password", value = "")
    if (!nzchar(username) || !nzchar(password)) return(notice("Enter your user name and password."))
    here$username <- username
    device <- remembered_device(username)
    attempt <- function(device) {
      tryCatch(cognito_sign_in(svc, settings$pool, settings$client, username, password, secret, Device = device),
               error = function(e) e)
    }
    result <- attempt(device)
    if (!is.null(device) && inherits(result, "ResourceNotFoundException")) {
      # The pool forgot the device: sign in without it (a new one may come).
      log_login(3L, "the remembered device is unknown to the user pool: signing in without it")
      here$device <- NULL
      result <- attempt(NULL)
    }
    rm(password)
    proceed(result, "signing in")
  })

  shiny::observeEvent(input$respond, {
    ch <- challenge()
    if (is.null(ch)) return()
    name <- ch$ChallengeName
    text <- function(id) trimws(input[[id]] %||% "")
    missing_answer <- function(what) notice(paste0("Enter ", what, "."))
    answer <- function(...) tryCatch(cognito_respond(svc, ch, ..., ClientSecret = secret), error = function(e) e)
    result <- switch(name,
      NEW_PASSWORD_REQUIRED = {
        password <- input$new_password %||% ""
        wanted <- required_attributes(ch$ChallengeParameters)
        values <- vapply(wanted, function(a) text(paste0("attribute_", a)), "")
        if (!nzchar(password)) return(missing_answer("a new password"))
        if (any(!nzchar(values))) return(missing_answer(paste(attribute_label(wanted[!nzchar(values)]), collapse = ", ")))
        shiny::updateTextInput(session, "new_password", value = "")
        answer(NewPassword = password, Attributes = if (length(wanted) > 0) as.list(stats::setNames(values, wanted)))
      },
      SELECT_MFA_TYPE = answer(Choice = input$choice %||% ""),
      MFA_SETUP = if (length(ch$SecretCode) == 1) {
        if (!nzchar(text("code"))) return(missing_answer("the code your authenticator app shows"))
        answer(Code = text("code"))
      } else if (identical(input$choice, "EMAIL_OTP")) {
        if (!nzchar(text("email"))) return(missing_answer("your e-mail address"))
        answer(Choice = "EMAIL_OTP", Answer = text("email"))
      } else {
        answer(Choice = "SOFTWARE_TOKEN_MFA")
      },
      CUSTOM_CHALLENGE = answer(Answer = input$answer %||% ""),
      {
        if (!nzchar(text("code"))) return(missing_answer("the code"))
        answer(Code = text("code"))
      }
    )
    proceed(result, sprintf("answering %s", name))
  })

  shiny::observeEvent(input$restart, {
    challenge(NULL)
    notice(NULL)
    view("signin")
  })

  list(sign_in_ui = sign_in_ui, challenge_ui = challenge_ui)
}

# The attributes a NEW_PASSWORD_REQUIRED challenge asks for: its
# requiredAttributes, a JSON list of "userAttributes.<name>".
required_attributes <- function(parameters) {
  text <- parameters$requiredAttributes %||% ""
  found <- regmatches(text, gregexpr("userAttributes\\.[A-Za-z0-9_:.-]+", text))[[1]]
  unique(sub("^userAttributes\\.", "", found))
}

attribute_label <- function(attribute) {
  labels <- c(email = "E-mail address", name = "Name", given_name = "Given name", family_name = "Family name",
              phone_number = "Phone number", birthdate = "Date of birth", preferred_username = "Preferred user name")
  ifelse(attribute %in% names(labels), labels[attribute], attribute)
}

# The MFA types of MFAS_CAN_CHOOSE / MFAS_CAN_SETUP (a JSON list from AWS;
# some emulators write it otherwise): the names found, in a fixed order.
setup_options <- function(text) {
  found <- regmatches(text %||% "", gregexpr("[A-Z_]+", text %||% ""))[[1]]
  intersect(c("SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SMS_MFA"), found)
}

mfa_choices <- function(text, setup = FALSE) {
  options <- setup_options(text)
  # SMS is set up with the user's phone number, outside sign-in.
  if (setup) options <- setdiff(options, "SMS_MFA")
  labels <- c(SOFTWARE_TOKEN_MFA = "Authenticator app", EMAIL_OTP = "A code by e-mail", SMS_MFA = "A code by text message")
  stats::setNames(options, labels[options])
}
