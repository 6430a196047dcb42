# A real, headless Chromium for the tests of the Shiny sign-in: what a user
# does (type, click, follow redirects, keep cookies) done by a real browser,
# so the tests see the JavaScript, cookies and redirects users get.
#
# fixtures/browser.py drives Chromium through chromedriver with Debian's
# python3-selenium; it speaks JSON lines on its stdin and stdout, one reply
# per request. Each call here is bounded twice: by the command's own timeout
# in browser.py, and by a deadline on the reply here (a hung browser is
# killed, never waited for).
#
# Missing Chromium, chromedriver or selenium skips the test locally and fails
# it under COGNITOIDP_REQUIRE_MOTO=true (as on CI), like a missing moto.

.browser <- new.env(parent = emptyenv())

browser_default_timeout <- 15

# Time for browser.py to answer beyond the command's own timeout: its JSON
# round trip and one chromedriver call.
browser_reply_margin <- 10

browser_unavailable <- function(reason) {
  if (moto_required()) {
    stop("the browser tests are required (COGNITOIDP_REQUIRE_MOTO=true) but cannot run: ", reason, call. = FALSE)
  }
  testthat::skip(paste("no headless browser:", reason))
}

# Debian's Python: selenium from python3-selenium imports only into it (not
# into a pyenv python3 that may come first on PATH).
browser_python <- function() Sys.getenv("COGNITOIDP_BROWSER_PYTHON", "/usr/bin/python3")

# The environment of the child Pythons: python_env() without what would
# make /usr/bin/python3 load another Python's modules, and without proxies
# (everything the browser and chromedriver talk to is on loopback).
browser_child_env <- function() {
  env <- python_env()
  drop <- c("PYTHONHOME", "PYTHONPATH",
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
  env[!names(env) %in% drop]
}

# NULL if the browser can run here, else why not. Checked once per run.
browser_missing <- function() {
  if (!is.null(.browser$missing)) return(if (identical(.browser$missing, "")) NULL else .browser$missing)
  problems <- character()
  for (pkg in c("processx", "jsonlite", "withr")) {
    if (!requireNamespace(pkg, quietly = TRUE)) problems <- c(problems, paste("the R package", pkg, "is not installed"))
  }
  files <- c(python = browser_python(), chromium = "/usr/bin/chromium", chromedriver = "/usr/bin/chromedriver")
  for (what in names(files)) {
    if (!file.exists(files[[what]])) problems <- c(problems, sprintf("%s is not at %s", what, files[[what]]))
  }
  if (length(problems) == 0) {
    probe <- tryCatch(
      processx::run(browser_python(), c("-c", "import selenium"), env = browser_child_env(),
                    error_on_status = FALSE, timeout = 20),
      error = function(e) list(status = -1, stderr = conditionMessage(e))
    )
    if (probe$status != 0) {
      problems <- c(problems, paste(browser_python(), "cannot import selenium (Debian: python3-selenium):", trimws(probe$stderr)))
    }
  }
  .browser$missing <- paste(problems, collapse = "; ")
  browser_missing()
}

browser_fixture <- function() testthat::test_path("fixtures", "browser.py")

browser_error <- function(message) {
  structure(class = c("browser_error", "error", "condition"), list(message = message, call = NULL))
}

# Starts a headless Chromium and returns a session: an environment of
# functions, one per browser.py command (see there). Each returns the
# command's value or raises an error of class "browser_error". `timeout` is
# each wait's default (seconds); the session quits when `.local_envir` ends
# (pass testthat::teardown_env() to share one across a file's tests).
browser_session <- function(timeout = browser_default_timeout, .local_envir = parent.frame()) {
  missing <- browser_missing()
  if (!is.null(missing)) browser_unavailable(missing)

  dir <- tempfile("browser-")
  dir.create(dir)
  log_file <- file.path(dir, "browser.log")
  driver_log <- file.path(dir, "chromedriver.log")
  process <- processx::process$new(
    browser_python(),
    c(normalizePath(browser_fixture()),
      "--driver-log", driver_log, "--page-load-timeout", as.character(timeout)),
    env = browser_child_env(), stdin = "|", stdout = "|", stderr = log_file,
    cleanup = TRUE, cleanup_tree = TRUE
  )

  session <- new.env(parent = emptyenv())
  session$process <- process
  session$dir <- dir
  session$timeout <- timeout

  # Both logs, for error messages. They never hold typed text: browser.py
  # does not log command arguments, and chromedriver logs only warnings (its
  # INFO level would record the keys sent).
  session$log <- function() {
    paste0("browser.py:\n", read_text_file(log_file), "\nchromedriver:\n", read_text_file(driver_log))
  }

  # The next reply line, waiting at most `seconds`.
  read_reply <- function(what, seconds) {
    deadline <- Sys.time() + seconds
    repeat {
      lines <- process$read_output_lines(n = 1)
      if (length(lines) == 1) {
        return(tryCatch(jsonlite::fromJSON(lines, simplifyVector = FALSE), error = function(e) {
          list(ok = FALSE, error = paste("unreadable reply from browser.py:", conditionMessage(e)))
        }))
      }
      if (!process$is_alive()) {
        # Output written just before it exited.
        lines <- process$read_output_lines(n = 1)
        if (length(lines) == 1) next
        stop(browser_error(sprintf("the browser exited during %s (status %s).\n%s",
                                   what, format(process$get_exit_status()), session$log())))
      }
      remaining <- as.numeric(difftime(deadline, Sys.time(), units = "secs"))
      if (remaining <= 0) {
        process$kill_tree()
        stop(browser_error(sprintf("the browser did not answer %s within %g s; it was stopped.\n%s",
                                   what, seconds, session$log())))
      }
      process$poll_io(as.integer(ceiling(min(remaining, 1) * 1000)))
    }
  }

  # Sends one command and returns its value. `args` is a named list; NULL
  # entries are left out (browser.py then uses its default).
  session$call <- function(cmd, args = list(), wait = timeout) {
    if (!process$is_alive()) stop(browser_error(sprintf("the browser is not running (%s).", cmd)))
    args <- Filter(Negate(is.null), args)
    request <- jsonlite::toJSON(list(cmd = cmd, args = if (length(args)) args else structure(list(), names = character())),
                                auto_unbox = TRUE, digits = NA)
    process$write_input(paste0(request, "\n"))
    answer <- read_reply(cmd, wait + browser_reply_margin)
    if (!isTRUE(answer$ok)) stop(browser_error(paste("browser:", answer$error)))
    answer$value
  }

  one_string <- function(x, what) {
    if (!is.character(x) || length(x) != 1 || is.na(x)) stop(what, " must be one string", call. = FALSE)
    x
  }

  session$goto <- function(url) session$call("goto", list(url = one_string(url, "url")))
  session$url <- function() session$call("url")
  session$title <- function() session$call("title")
  session$reload <- function() session$call("reload")
  session$back <- function() session$call("back")
  session$click <- function(css, timeout = session$timeout) {
    invisible(session$call("click", list(css = one_string(css, "css"), timeout = timeout), wait = timeout))
  }
  # Types `text` into the element (after clearing it, if `clear`). Nothing
  # about `text` appears in any reply, log or error.
  session$type <- function(css, text, clear = TRUE, timeout = session$timeout) {
    invisible(session$call("type", list(css = one_string(css, "css"), text = one_string(text, "text"),
                                        clear = isTRUE(clear), timeout = timeout), wait = timeout))
  }
  session$text <- function(css, timeout = session$timeout) {
    session$call("text", list(css = one_string(css, "css"), timeout = timeout), wait = timeout)
  }
  session$html <- function(css, timeout = session$timeout) {
    session$call("html", list(css = one_string(css, "css"), timeout = timeout), wait = timeout)
  }
  session$exists <- function(css) isTRUE(session$call("exists", list(css = one_string(css, "css"))))
  # NULL if the element has no such attribute.
  session$attr <- function(css, name, timeout = session$timeout) {
    session$call("attr", list(css = one_string(css, "css"), name = one_string(name, "name"), timeout = timeout),
                 wait = timeout)
  }
  session$wait_text <- function(css, regex, timeout = session$timeout) {
    session$call("wait_text", list(css = one_string(css, "css"), regex = one_string(regex, "regex"), timeout = timeout),
                 wait = timeout)
  }
  session$wait_url <- function(regex, timeout = session$timeout) {
    session$call("wait_url", list(regex = one_string(regex, "regex"), timeout = timeout), wait = timeout)
  }
  # Runs `js` (a function body) until it returns a true value; returns it.
  session$wait_js <- function(js, timeout = session$timeout) {
    session$call("wait_js", list(js = one_string(js, "js"), timeout = timeout), wait = timeout)
  }
  # Waits until the page's Shiny session is connected and idle (after a
  # goto() or reload(), before reading outputs or clicking).
  session$wait_shiny <- function(timeout = session$timeout) {
    invisible(session$wait_js(paste(
      "return !!(window.Shiny && Shiny.shinyapp && Shiny.shinyapp.isConnected() &&",
      "!document.documentElement.classList.contains('shiny-busy'));"
    ), timeout = timeout))
  }
  session$set_value <- function(css, value, timeout = session$timeout) {
    invisible(session$call("set_value", list(css = one_string(css, "css"), value = one_string(value, "value"),
                                             timeout = timeout), wait = timeout))
  }
  # The cookies of the current page's site: a list of lists with name,
  # value, path, domain, secure, httpOnly, sameSite and (unless a session
  # cookie) expiry.
  session$cookies <- function() session$call("cookies")
  # The cookie called `name` (a list as in cookies()), or NULL.
  session$cookie <- function(name) {
    for (cookie in session$cookies()) if (identical(cookie$name, name)) return(cookie)
    NULL
  }
  # For the current page's site (goto() it first), as a browser would store it.
  session$add_cookie <- function(name, value, path = "/", domain = NULL, secure = NULL, httpOnly = NULL,
                                 sameSite = NULL, expiry = NULL) {
    invisible(session$call("add_cookie", list(
      name = one_string(name, "name"), value = one_string(value, "value"), path = path, domain = domain,
      secure = secure, httpOnly = httpOnly, sameSite = sameSite, expiry = expiry
    )))
  }
  session$delete_cookies <- function() invisible(session$call("delete_cookies"))
  # Runs `js` as a function body in the page: `return x;` gives x back.
  session$eval <- function(js) session$call("eval", list(js = one_string(js, "js")))
  # A PNG of the viewport; returns the path.
  session$screenshot <- function(path = tempfile(fileext = ".png", tmpdir = dir)) {
    session$call("screenshot", list(path = normalizePath(one_string(path, "path"), mustWork = FALSE)))
  }
  session$alive <- function() process$is_alive()
  session$quit <- function() {
    if (process$is_alive()) {
      tryCatch(session$call("quit", wait = 5), error = function(e) NULL)
      process$wait(2000)
    }
    process$kill_tree()
    invisible(NULL)
  }

  started <- tryCatch(read_reply("start", 30 + timeout), error = function(e) list(ok = FALSE, error = conditionMessage(e)))
  if (!isTRUE(started$ok)) {
    process$kill_tree()
    stop(browser_error(paste0("the browser did not start: ", started$error, "\n", session$log())))
  }
  withr::defer(session$quit(), envir = .local_envir)
  class(session) <- "browser_session"
  session
}

print.browser_session <- function(x, ...) {
  cat("<browser_session: ", if (x$alive()) "running" else "stopped", ">\n", sep = "")
  invisible(x)
}

# ---- QR codes ------------------------------------------------------------------

# The text of the QR code in an image (PNG, or anything ImageMagick reads),
# decoded by zbarimg (Debian: zbar-tools). An error if there is none.
qr_decode <- function(image_path, timeout = 20) {
  zbarimg <- Sys.which("zbarimg")
  if (!nzchar(zbarimg)) browser_unavailable("zbarimg was not found (Debian: zbar-tools)")
  result <- processx::run(zbarimg, c("-q", "--raw", "-Sdisable", "-Sqrcode.enable", normalizePath(image_path)),
                          error_on_status = FALSE, timeout = timeout)
  # zbarimg exits with 4 when it finds no code.
  if (result$status != 0 || !nzchar(result$stdout)) {
    stop(sprintf("no QR code found in %s (zbarimg status %d) %s", image_path, result$status, trimws(result$stderr)),
         call. = FALSE)
  }
  # --raw ends each code's text with a newline.
  sub("\n$", "", result$stdout)
}
