# How the objects of signing in show themselves: never a token, password,
# secret, session or secret hash; tokens by their subject and expiry, a
# challenge by what it asks for, a device by its key. print(), format() and
# str() all come here (str() would otherwise list every member and the
# attribute that carries the flow's state).

format.cognitoidp_tokens <- function(x, ...) {
  claims <- cip_token_claims(c(x$IdToken, x$AccessToken, "")[[1]])
  subject <- claims$sub
  expires <- token_expiry(x)
  parts <- c(
    if (length(subject) == 1) paste("subject", subject) else "subject unknown",
    if (length(expires) == 1) {
      left <- as.numeric(difftime(expires, Sys.time(), units = "mins"))
      sprintf("%s %s (%s)", if (left > 0) "expire" else "expired",
              format(expires, "%Y-%m-%d %H:%M:%S UTC", tz = "UTC"),
              if (left > 0) sprintf("in %.0f min", left) else sprintf("%.0f min ago", -left))
    } else {
      "expiry unknown"
    },
    if (length(x$RefreshToken) == 1) "with a refresh token",
    if (length(x$NewDeviceMetadata$DeviceKey) == 1) "with a new device to remember"
  )
  paste0("<Cognito tokens: ", paste(parts, collapse = "; "), ">")
}

# When the access token expires: its `exp` claim, or the time it came plus
# ExpiresIn.
token_expiry <- function(tokens) {
  exp <- if (length(tokens$AccessToken) == 1) cip_token_claims(tokens$AccessToken)$exp
  if (inherits(exp, "POSIXct") && length(exp) == 1) return(exp)
  received <- attr(tokens, "cognitoidp", exact = TRUE)$ReceivedAt
  if (length(received) == 1 && length(tokens$ExpiresIn) == 1) return(received + tokens$ExpiresIn)
  NULL
}

format.cognitoidp_challenge <- function(x, ...) {
  answers <- c(
    SMS_MFA = "Code", SOFTWARE_TOKEN_MFA = "Code", EMAIL_OTP = "Code", SMS_OTP = "Code",
    SELECT_MFA_TYPE = "Choice", SELECT_CHALLENGE = "Choice", NEW_PASSWORD_REQUIRED = "NewPassword",
    CUSTOM_CHALLENGE = "Answer", MFA_SETUP = if (length(x$SecretCode) == 1) "Code" else "Choice"
  )
  name <- x$ChallengeName
  how <- if (name %in% names(answers)) sprintf("; answer with cognito_respond(svc, challenge, %s = )", answers[[name]]) else ""
  # Parameters that say where a code went or what can be chosen; no other
  # parameter values are shown.
  shown <- c("CODE_DELIVERY_DESTINATION", "CODE_DELIVERY_DELIVERY_MEDIUM", "MFAS_CAN_SETUP", "MFAS_CAN_CHOOSE",
             "AvailableChallenges", "availableChallenges", "requiredAttributes")
  parameters <- x$ChallengeParameters
  details <- vapply(intersect(names(parameters), shown), function(n) paste0(n, " ", parameters[[n]]), "")
  if (length(x$AvailableChallenges) > 0) details <- c(details, paste(x$AvailableChallenges, collapse = " "))
  paste0("<Cognito challenge: ", name, if (length(details) > 0) paste0(" (", paste(details, collapse = ", "), ")"),
         how, ">")
}

format.cognitoidp_device <- function(x, ...) {
  sprintf("<Cognito device %s, group %s; its password is kept in the object and not shown>",
          x$DeviceKey, x$DeviceGroupKey)
}

print.cognitoidp_tokens <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}
print.cognitoidp_challenge <- print.cognitoidp_tokens
print.cognitoidp_device <- print.cognitoidp_tokens

str.cognitoidp_tokens <- function(object, ...) cat(format(object), "\n", sep = "")
str.cognitoidp_challenge <- str.cognitoidp_tokens
str.cognitoidp_device <- str.cognitoidp_tokens
