# A Shiny app whose users sign in with Amazon Cognito, through
# cognitoidp's sign-in module. Copy this folder and set the environment
# variables below (in .Renviron, or your host's settings), then
#   shiny::runApp("shiny-cognito")
# The vignette's section "Signing users in to a Shiny app" explains each
# setting and the app client the user pool needs.
#
#   COGNITO_USER_POOL_ID     the user pool, "eu-west-1_AbC123"
#   COGNITO_CLIENT_ID        its app client (ALLOW_USER_SRP_AUTH and
#                            ALLOW_REFRESH_TOKEN_AUTH; for the hosted mode,
#                            the code grant and this app's URL as callback
#                            and sign-out URL)
#   COGNITO_CLIENT_SECRET    the client's secret, if it has one
#   COGNITO_MODE             "hosted" (the user pool's sign-in page) or
#                            "form" (a sign-in form in the app)
#   COGNITO_DOMAIN           the user pool's domain, for the hosted mode:
#                            "https://<prefix>.auth.<region>.amazoncognito.com"
#   COGNITO_REDIRECT_URI     this app's URL as the browser sees it, behind a
#                            proxy path (Posit Connect, ShinyProxy,
#                            shinyapps.io); by default, the page's own URL
#   COGNITO_LOGOUT_URI       where the browser lands after sign-out (one of
#                            the client's sign-out URLs); by default the page
#   COGNITO_REQUIRE_GROUPS   groups whose members may use the app, "a,b"
#   COGNITO_IDENTITY_POOL_ID an identity pool, for AWS credentials per user
#   COGNITOIDP_COOKIE_KEY    a random secret of 32 characters or more, the
#                            same for all the app's R processes
#   COGNITO_ENDPOINT, COGNITO_JWKS_URI
#                            only for a local emulator: its URL, and the URL
#                            of the pool's key set there
#
# To try it without an AWS account, emulator-setup.R (beside this file)
# makes a user pool in a local emulator and writes these settings.

library(shiny)
library(cognitoidp)

setting <- function(name, default = NULL) {
  value <- Sys.getenv(name)
  if (nzchar(value)) value else default
}
groups <- setting("COGNITO_REQUIRE_GROUPS")
endpoint <- setting("COGNITO_ENDPOINT")

# `ui` may be a function of the request, or a page: the module works with both.
ui <- function(request) {
  fluidPage(
    titlePanel("Signed in with Amazon Cognito"),
    cognito_login_ui("login"),
    uiOutput("content")
  )
}

server <- function(input, output, session) {
  user <- cognito_login_server(
    "login",
    UserPoolId = setting("COGNITO_USER_POOL_ID"), ClientId = setting("COGNITO_CLIENT_ID"),
    ClientSecret = setting("COGNITO_CLIENT_SECRET"), Mode = setting("COGNITO_MODE", "hosted"),
    Domain = setting("COGNITO_DOMAIN"), RedirectUri = setting("COGNITO_REDIRECT_URI"),
    LogoutUri = setting("COGNITO_LOGOUT_URI"),
    RequireGroups = if (!is.null(groups)) strsplit(groups, ",", fixed = TRUE)[[1]],
    IdentityPoolId = setting("COGNITO_IDENTITY_POOL_ID"), JwksUri = setting("COGNITO_JWKS_URI"),
    AppName = "cognitoidp example",
    config = if (!is.null(endpoint)) list(endpoint = endpoint) else list()
  )

  # What only a signed-in member sees: the claims of the verified ID token,
  # and (with an identity pool) the user's own AWS credentials, renewed
  # before they expire. Pass cognito_paws_creds(user$credentials) to a paws
  # client to act as the user.
  output$content <- renderUI({
    req(user$signed_in)
    tagList(
      h3("Hello, ", span(id = "username", user$username)),
      p("Groups: ", span(id = "groups", paste(user$groups, collapse = ", "))),
      p("Signed in until ", span(id = "expires", format(user$expires_at, "%Y-%m-%d %H:%M:%S %Z")),
        " (renewed before then)"),
      if (!is.null(user$credentials)) {
        p("AWS: ", span(id = "aws", format(user$credentials)))
      },
      h4("The ID token's claims"),
      tableOutput("claims")
    )
  })
  output$claims <- renderTable({
    req(user$signed_in)
    claims <- user$claims
    data.frame(claim = names(claims),
               value = vapply(claims, function(v) paste(format(unlist(v)), collapse = ", "), ""))
  })
}

shinyApp(ui, server)
