# The installed package's NEWS.md, as news() reads it (with commonmark and
# xml2): one entry per version, the installed version's first.

test_that("news() lists what each version brought, the installed one first", {
  skip_if_not_installed("commonmark")
  skip_if_not_installed("xml2")
  db <- utils::news(package = "cognitoidp")
  expect_s3_class(db, "news_db")
  versions <- unique(db$Version)
  expect_identical(versions, c("0.4.0", "0.3.0", "0.2.0", "0.1.0"))
  expect_identical(versions[[1]], as.character(utils::packageVersion("cognitoidp")))
  # What each version brought, as its text says.
  text <- function(v) paste(db$Text[db$Version == v], collapse = "\n")
  for (f in c("cognito_sign_in()", "cognito_verify_token()", "cognito_authorize_url()", "GraceSeconds", "JwksUri",
              "ClientSecret", "skip_expected()", "cognitoidentity()", "cognito_aws_credentials()", "Makevars.win")) {
    expect_true(grepl(f, text("0.3.0"), fixed = TRUE), info = f)
  }
  for (f in c("cognito_login_ui()", "cognito_login_server()", "PKCE", "CookieKey", "RequireGroups", "shiny-cognito")) {
    expect_true(grepl(f, text("0.4.0"), fixed = TRUE), info = f)
  }
  for (f in c("132 operations", "paginate()", "without the internet")) expect_true(grepl(f, text("0.2.0"), fixed = TRUE), info = f)
  for (f in c("set_user_pool_mfa_config()", "call_concurrently()")) expect_true(grepl(f, text("0.1.0"), fixed = TRUE), info = f)
  # 0.4.0 and 0.3.0 in sections.
  expect_identical(unique(db$Category[db$Version == "0.4.0"]), "Signing users in to Shiny apps")
  expect_identical(db$Category[db$Version == "0.3.0"],
                   c("Exactly paws", "Identity pools", "Signing users in", "Trusting tokens", "Hardening", "Platforms"))
})
