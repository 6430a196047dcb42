# The browser harness itself (helper-browser.R, helper-shiny.R), against a
# tiny Shiny app: if these fail, the Shiny sign-in tests cannot be believed.

# A QR code of `text` made by python3-qrcode (not by the package, whose QR
# code the sign-in tests check with these helpers): as a PNG, or as an SVG
# to inline in a page.
python_qr <- function(text, path, format = c("png", "svg")) {
  format <- match.arg(format)
  script <- paste(
    "import sys, qrcode",
    "text = sys.stdin.read()",
    if (format == "png") {
      "qrcode.make(text, box_size=8, border=4).save(sys.argv[1])"
    } else {
      "import qrcode.image.svg; qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4).save(sys.argv[1])"
    },
    sep = "\n"
  )
  input <- withr::local_tempfile()
  writeLines(text, input, sep = "")
  result <- processx::run(browser_python(), c("-c", script, path), stdin = input, env = browser_child_env(),
                          error_on_status = FALSE, timeout = 20)
  if (result$status != 0) browser_unavailable(paste("python3-qrcode could not make a QR code:", trimws(result$stderr)))
  path
}

smoke_app_code <- c(
  "library(shiny)",
  "# A QR code made by the test, inlined so that a screenshot shows it.",
  "qr_svg <- if (file.exists('qr.svg')) paste(readLines('qr.svg', warn = FALSE), collapse = '\\n') else ''",
  "ui <- function(req) {",
  "  query <- parseQueryString(req$QUERY_STRING)",
  "  # A cookie set by an HTTP response, as the sign-in sets its cookies.",
  "  if (!is.null(query$set_cookie)) {",
  "    return(httpResponse(302, content = '', headers = list(Location = '/',",
  "      'Set-Cookie' = paste0('smoke=', query$set_cookie, '; Path=/; HttpOnly; SameSite=Lax'))))",
  "  }",
  "  fluidPage(",
  "    textInput('name', 'Name'), passwordInput('secret', 'Secret'), actionButton('go', 'Go'),",
  "    div(id = 'greeting', textOutput('greeting')),",
  "    div(id = 'secret-length', textOutput('secret_length')),",
  "    div(id = 'cookie', textOutput('cookie')),",
  "    div(id = 'env', textOutput('env')),",
  "    div(id = 'qr', HTML(qr_svg))",
  "  )",
  "}",
  "server <- function(input, output, session) {",
  "  clicked <- eventReactive(input$go, list(name = input$name, secret = input$secret))",
  "  output$greeting <- renderText(paste0('Hello, ', clicked()$name, '!'))",
  "  output$secret_length <- renderText(paste('secret of', nchar(clicked()$secret), 'characters'))",
  "  output$cookie <- renderText(paste0('cookies: [', if (is.null(session$request$HTTP_COOKIE)) '' else session$request$HTTP_COOKIE, ']'))",
  "  output$env <- renderText(paste('env:', Sys.getenv('SMOKE_ENV_VALUE')))",
  "}",
  "shinyApp(ui, server)"
)

test_that("qr_decode() reads the text of a QR code in a PNG", {
  png <- python_qr("otpauth://totp/cognitoidp:ada?secret=GEZDGNBVGY3TQOJQ&issuer=cognitoidp",
                   withr::local_tempfile(fileext = ".png"))
  expect_identical(qr_decode(png), "otpauth://totp/cognitoidp:ada?secret=GEZDGNBVGY3TQOJQ&issuer=cognitoidp")
  # Text across lines survives too (--raw ends each code with a newline).
  png2 <- python_qr("line one\nline two", withr::local_tempfile(fileext = ".png"))
  expect_identical(qr_decode(png2), "line one\nline two")
})

test_that("qr_decode() fails on an image without a QR code", {
  png <- withr::local_tempfile(fileext = ".png")
  grDevices::png(png, width = 200, height = 200)
  graphics::plot.new()
  grDevices::dev.off()
  expect_error(qr_decode(png), "no QR code found")
})

test_that("a Shiny app that cannot start fails with its output", {
  dir <- shiny_app_dir(c("stop('the smoke app refuses: marker 7f3a')"))
  expect_error(shiny_app_start(dir, timeout = 20), "marker 7f3a")
})

test_that("the browser types, clicks, reads, reloads, keeps cookies and screenshots a Shiny app", {
  dir <- shiny_app_dir(smoke_app_code)
  python_qr("https://example.com/qr?x=1", file.path(dir, "qr.svg"), "svg")
  app <- shiny_app_start(dir, env = c(SMOKE_ENV_VALUE = "from-the-test"))
  browser <- browser_session()

  expect_match(browser$goto(paste0(app$url, "/")), "^http://127\\.0\\.0\\.1:[0-9]+/$")
  browser$wait_shiny()
  expect_true(browser$wait_js("return window.Shiny.shinyapp.isConnected();"))
  expect_identical(browser$wait_text("#env", "^env:"), "env: from-the-test")
  expect_true(browser$exists("#name"))
  expect_false(browser$exists("#no-such-element"))

  # Typing and clicking reach the server: the button's click sends the
  # values typed just before (the text field's change event fires as it
  # loses focus, not after Shiny's debounce).
  browser$type("#name", "Ada")
  browser$type("#secret", "correct horse battery")
  browser$click("#go")
  expect_identical(browser$wait_text("#greeting", "Hello"), "Hello, Ada!")
  expect_identical(browser$wait_text("#secret-length", "secret of"), "secret of 21 characters")
  expect_identical(browser$attr("#name", "value"), "Ada")
  # type() replaces (clear = TRUE) or appends.
  browser$type("#name", "Grace")
  browser$type("#name", " Hopper", clear = FALSE)
  browser$click("#go")
  expect_identical(browser$wait_text("#greeting", "Hopper"), "Hello, Grace Hopper!")
  browser$set_value("#name", "Set by script")
  browser$click("#go")
  expect_identical(browser$wait_text("#greeting", "script"), "Hello, Set by script!")

  # A reload starts a new Shiny session: the old outputs are gone.
  browser$reload()
  browser$wait_text("#env", "^env:")
  expect_identical(browser$text("#greeting"), "")
  expect_identical(browser$attr("#name", "value"), "")

  # A cookie set by an HTTP response (a redirect, as the sign-in does) is
  # kept by the browser with its attributes, and sent to the app again.
  browser$goto(paste0(app$url, "/?set_cookie=v123"))
  expect_match(browser$wait_url("/$"), "^http://127\\.0\\.0\\.1:[0-9]+/$")
  cookie <- browser$cookie("smoke")
  expect_identical(cookie$value, "v123")
  expect_true(cookie$httpOnly)
  expect_identical(cookie$sameSite, "Lax")
  expect_identical(browser$wait_text("#cookie", "^cookies: "), "cookies: [smoke=v123]")
  # HttpOnly: the page's JavaScript cannot see it.
  expect_identical(browser$eval("return document.cookie;"), "")
  browser$add_cookie("added", "by-the-test")
  browser$reload()
  expect_match(browser$wait_text("#cookie", "added"), "added=by-the-test")
  browser$delete_cookies()
  expect_null(browser$cookie("smoke"))
  browser$reload()
  browser$wait_shiny()
  expect_identical(browser$wait_text("#cookie", "^cookies: "), "cookies: []")
  browser$back()
  expect_match(browser$url(), "^http://127\\.0\\.0\\.1:[0-9]+/")

  # A screenshot shows what a user sees: the QR code in the page decodes.
  browser$goto(paste0(app$url, "/"))
  browser$wait_text("#env", "^env:")
  shot <- browser$screenshot()
  expect_identical(qr_decode(shot), "https://example.com/qr?x=1")
  expect_identical(browser$eval("return 6 * 7;"), 42L)
})

test_that("browser failures are errors that leave the browser usable and never carry typed text", {
  dir <- shiny_app_dir(smoke_app_code)
  app <- shiny_app_start(dir)
  browser <- browser_session()
  browser$goto(paste0(app$url, "/"))
  browser$wait_text("#env", "^env:")

  typed <- "typed-marker-Q9v2"
  started <- Sys.time()
  failure <- catch_error(browser$type("#no-such-input", typed, timeout = 1))
  expect_s3_class(failure, "browser_error")
  expect_match(conditionMessage(failure), "gave up after 1 s")
  expect_false(grepl(typed, conditionMessage(failure), fixed = TRUE))
  expect_lt(as.numeric(difftime(Sys.time(), started, units = "secs")), 10)

  expect_error(browser$wait_text("#greeting", "never", timeout = 0.5), class = "browser_error")
  expect_error(browser$wait_url("never-this-url", timeout = 0.5), "the URL is http://127")
  expect_error(browser$wait_js("return false;", timeout = 0.5), "gave up after 0.5 s")
  expect_error(browser$eval("throw new Error('from the page');"), "from the page")
  expect_error(browser$call("no_such_command"), "unknown command")

  # Still usable, and what was typed is in no log.
  browser$type("#secret", typed)
  browser$click("#go")
  expect_identical(browser$wait_text("#secret-length", "secret of"), "secret of 17 characters")
  expect_false(grepl(typed, browser$log(), fixed = TRUE))
  expect_false(grepl(typed, shiny_app_log(app), fixed = TRUE))

  browser$quit()
  expect_false(browser$alive())
  expect_error(browser$url(), "not running", class = "browser_error")
})
