# Shiny apps for the browser tests, each in its own R process (a test's
# process cannot serve an app and drive a browser against it at once).
#
# The app's R finds the packages of this test run (the installed cognitoidp
# among them) through R_LIBS set to this process's .libPaths().

# Writes `code` (a character vector of lines) as app.R in a new temporary
# directory, removed when `.local_envir` ends; returns the directory.
shiny_app_dir <- function(code, .local_envir = parent.frame()) {
  dir <- withr::local_tempdir("shiny-app-", .local_envir = .local_envir)
  writeLines(code, file.path(dir, "app.R"))
  dir
}

shiny_app_answers <- function(url) {
  response <- tryCatch(curl::curl_fetch_memory(url, handle = local_handle(2)), error = function(e) NULL)
  !is.null(response) && response$status_code < 500
}

# Runs the app in `app` (a directory with app.R, or ui.R and server.R, or an
# app .R file) with shiny::runApp() on 127.0.0.1:`port`, its environment
# this process's plus `env` (a named character vector: variables the app
# reads, e.g. its own URL for a redirect URI). Waits at most `timeout`
# seconds until GET / answers. `prelude`: R code run first (options). Returns list(url, port, process, log): `log`
# is the path of the app's output (stdout and stderr). The app is stopped
# when `.local_envir` ends. If it does not start, the error carries its log.
shiny_app_start <- function(app, env = character(), port = free_port(), timeout = 30, prelude = NULL,
                            .local_envir = parent.frame()) {
  if (!requireNamespace("shiny", quietly = TRUE)) browser_unavailable("the R package shiny is not installed")
  if (!requireNamespace("curl", quietly = TRUE)) browser_unavailable("the R package curl is not installed")
  stopifnot(is.character(env), length(env) == 0 || (!is.null(names(env)) && all(nzchar(names(env)))))
  app <- normalizePath(app, winslash = "/", mustWork = TRUE)
  log <- tempfile("shiny-app-", fileext = ".log")
  child_env <- Sys.getenv()
  child_env <- stats::setNames(as.character(child_env), names(child_env))
  # R_TESTS (set by R CMD check) names a startup file relative to the check's
  # directory, which the app's R would fail to find.
  child_env <- child_env[names(child_env) != "R_TESTS"]
  child_env[["R_LIBS"]] <- paste(.libPaths(), collapse = .Platform$path.sep)
  child_env[names(env)] <- env
  expr <- sprintf("%sshiny::runApp(%s, port = %dL, host = \"127.0.0.1\", launch.browser = FALSE)",
                  if (is.null(prelude)) "" else paste0(prelude, "; "), deparse(app), as.integer(port))
  process <- processx::process$new(
    file.path(R.home("bin"), "Rscript"), c("--vanilla", "-e", expr),
    env = child_env, stdout = log, stderr = "2>&1", wd = if (dir.exists(app)) app else dirname(app),
    cleanup = TRUE, cleanup_tree = TRUE
  )
  url <- sprintf("http://127.0.0.1:%d", as.integer(port))
  deadline <- Sys.time() + timeout
  while (process$is_alive() && Sys.time() < deadline && !shiny_app_answers(paste0(url, "/"))) Sys.sleep(0.1)
  if (!process$is_alive() || !shiny_app_answers(paste0(url, "/"))) {
    what <- if (process$is_alive()) sprintf("did not answer on %s within %g s", url, timeout) else "exited"
    process$kill_tree()
    stop(sprintf("the Shiny app %s %s. Its output:\n%s", app, what, read_text_file(log)), call. = FALSE)
  }
  withr::defer(process$kill_tree(), envir = .local_envir)
  list(url = url, port = as.integer(port), process = process, log = log)
}

# The app's output so far (for a failing test's message).
shiny_app_log <- function(app) read_text_file(app$log)
