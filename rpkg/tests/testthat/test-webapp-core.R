# The Rust core of the Shiny sign-in module, through the package's .Call
# wrappers: sealed cookie values (what the browser must neither read nor
# alter, nor replay after their expiry), random tokens, and the QR code of
# MFA setup, rasterised from the SVG we emit and read by a real decoder
# (zbarimg, Debian's zbar-tools).

key <- cognitoidp:::cip_random_token(32)

test_that("a sealed value opens with its key and purpose, and hides its payload", {
  payload <- '{"state":"s-1","verifier":"v_2-secret","nonce":"n3","note":"\u00e9 \u2713"}'
  sealed <- cognitoidp:::cip_seal(key, "cognitoidp_flow", payload, 600)
  expect_type(sealed, "character")
  expect_length(sealed, 1L)
  expect_match(sealed, "^[A-Za-z0-9_-]+$")
  expect_false(grepl("secret", sealed, fixed = TRUE))
  expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", sealed), list(payload = payload, problem = NULL))
  # A fresh nonce every time: the same payload seals differently.
  again <- cognitoidp:::cip_seal(key, "cognitoidp_flow", payload, 600)
  expect_false(identical(again, sealed))
  expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", again)$payload, payload)
  expect_identical(cognitoidp:::cip_open(key, "p", cognitoidp:::cip_seal(key, "p", "", 60)), list(payload = "", problem = NULL))
})

test_that("another key, another purpose or an altered value is forged", {
  sealed <- cognitoidp:::cip_seal(key, "cognitoidp_flow", "payload", 600)
  forged <- list(payload = NULL, problem = "forged")
  expect_identical(cognitoidp:::cip_open(cognitoidp:::cip_random_token(32), "cognitoidp_flow", sealed), forged)
  expect_identical(cognitoidp:::cip_open(key, "cognitoidp_device", sealed), forged)
  # Each character from the nonce on, changed (a character's bits span bytes,
  # so the first two may also touch the version byte: malformed then).
  for (i in 3:(nchar(sealed) - 1)) {
    ch <- substr(sealed, i, i)
    altered <- sealed
    substr(altered, i, i) <- if (ch == "A") "B" else "A"
    expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", altered), forged, info = i)
  }
})

test_that("malformed text is an answer, never an error", {
  malformed <- list(payload = NULL, problem = "malformed")
  sealed <- cognitoidp:::cip_seal(key, "cognitoidp_flow", "payload", 600)
  cases <- c("", "A", "not base64!", "====", paste0(sealed, "="), substr(sealed, 1, 20),
             strrep("A", 20000), "\u00e9\u00e9\u00e9\u00e9")
  for (case in cases) {
    expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", case), malformed, info = substr(case, 1, 30))
  }
})

test_that("a sealed value expires after its lifetime", {
  # Whole seconds, rounded down: a 1-second value is expired 1.2 s later.
  sealed <- cognitoidp:::cip_seal(key, "cognitoidp_flow", "payload", 1)
  Sys.sleep(1.2)
  expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", sealed), list(payload = NULL, problem = "expired"))
  # An altered expired value is forged, not expired: authenticity comes first.
  substr(sealed, 20, 20) <- if (substr(sealed, 20, 20) == "A") "B" else "A"
  expect_identical(cognitoidp:::cip_open(key, "cognitoidp_flow", sealed)$problem, "forged")
})

test_that("bad keys and lifetimes are failures that do not quote the key", {
  short <- "short-key-123"
  for (result in list(cognitoidp:::cip_seal(short, "p", "x", 60), cognitoidp:::cip_open(short, "p", "AAAA"))) {
    expect_s3_class(result, "cognitoidp_failure")
    expect_match(result$message, "at least 16 bytes")
    expect_false(grepl(short, result$message, fixed = TRUE))
  }
  for (lifetime in list(0, -1, NaN, Inf, 400 * 86400 * 366)) {
    result <- cognitoidp:::cip_seal(key, "p", "x", lifetime)
    expect_s3_class(result, "cognitoidp_failure")
    expect_match(result$message, "lifetime")
  }
  long <- cognitoidp:::cip_seal(key, "p", strrep("x", 20000), 60)
  expect_s3_class(long, "cognitoidp_failure")
  expect_match(long$message, "too long")
  expect_false(grepl("xxxx", long$message, fixed = TRUE))
})

test_that("random tokens have the asked length, the base64url alphabet and do not repeat", {
  expect_identical(nchar(cognitoidp:::cip_random_token(1L)), 2L)
  expect_identical(nchar(cognitoidp:::cip_random_token(32)), 43L)
  expect_identical(nchar(cognitoidp:::cip_random_token(1024L)), 1366L)
  tokens <- vapply(1:200, function(i) cognitoidp:::cip_random_token(16L), character(1))
  expect_true(all(grepl("^[A-Za-z0-9_-]{22}$", tokens)))
  expect_identical(anyDuplicated(tokens), 0L)
  # Every one of the 64 characters turns up in 200 x 22 of them.
  expect_length(unique(unlist(strsplit(tokens, ""))), 64L)
  for (bytes in list(0L, -1L, 1025L)) {
    result <- cognitoidp:::cip_random_token(bytes)
    expect_s3_class(result, "cognitoidp_failure")
    expect_match(result$message, "from 1 to 1024")
  }
})

# The pixels of an SVG from cip_qr_svg(), read from its markup: its width and
# viewBox, the white background, and each subpath of its one <path> (absolute
# M, relative h and v, z) filled as the rectangle it outlines. Written as a
# binary PGM, which zbarimg reads.
qr_svg_to_pgm <- function(svg, path) {
  attr <- function(name) {
    m <- regmatches(svg, regexec(paste0(" ", name, "=\"([^\"]*)\""), svg))[[1]]
    expect_length(m, 2L)
    m[2]
  }
  pixels <- as.integer(attr("width"))
  expect_identical(as.integer(attr("height")), pixels)
  view <- as.numeric(strsplit(attr("viewBox"), " ")[[1]])
  expect_identical(view[1:2], c(0, 0))
  scale <- pixels / view[3]
  dark <- matrix(FALSE, pixels, pixels)
  tokens <- regmatches(attr("d"), gregexpr("[MhvzHVL]|-?[0-9.]+", attr("d")))[[1]]
  i <- 1
  x <- y <- 0
  corners <- NULL
  while (i <= length(tokens)) {
    command <- tokens[i]
    if (command == "M") {
      xy <- as.numeric(strsplit(tokens[i + 1], ",")[[1]])
      if (length(xy) == 1) {
        xy <- c(xy, as.numeric(tokens[i + 2]))
        i <- i + 1
      }
      x <- xy[1]; y <- xy[2]
      corners <- cbind(c(x, y))
      i <- i + 2
    } else if (command %in% c("h", "v")) {
      step <- as.numeric(tokens[i + 1])
      if (command == "h") x <- x + step else y <- y + step
      corners <- cbind(corners, c(x, y))
      i <- i + 2
    } else if (command == "z") {
      cols <- (min(corners[1, ]) * scale + 1):(max(corners[1, ]) * scale)
      rows <- (min(corners[2, ]) * scale + 1):(max(corners[2, ]) * scale)
      dark[rows, cols] <- TRUE
      i <- i + 1
    } else {
      stop("unexpected path command ", command)
    }
  }
  grey <- ifelse(t(dark), 0L, 255L)  # row-major for writeBin
  con <- file(path, "wb")
  on.exit(close(con))
  writeChar(sprintf("P5\n%d %d\n255\n", pixels, pixels), con, eos = NULL)
  writeBin(as.raw(grey), con)
}

zbar_decode <- function(image) {
  zbarimg <- Sys.which("zbarimg")
  if (!nzchar(zbarimg)) moto_unavailable("zbarimg (Debian's zbar-tools) is not installed")
  # A Debian program: none of R's library paths.
  out <- suppressWarnings(system2("env", c("-u", "LD_LIBRARY_PATH", zbarimg, "-q", "--raw", shQuote(image)),
                                  stdout = TRUE, stderr = FALSE, timeout = 30))
  expect_identical(attr(out, "status"), NULL)
  paste(out, collapse = "\n")
}

test_that("the QR code's SVG has the promised form and decodes to the text", {
  text <- "otpauth://totp/cognitoidp:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=cognitoidp"
  for (scale in c(2L, 5L)) {
    svg <- cognitoidp:::cip_qr_svg(text, scale)
    expect_type(svg, "character")
    expect_match(svg, "^<svg xmlns=\"http://www.w3.org/2000/svg\" ")
    expect_match(svg, "</svg>$")
    expect_match(svg, "shape-rendering=\"crispEdges\"", fixed = TRUE)
    expect_identical(lengths(regmatches(svg, gregexpr("<path ", svg))), 1L)
    expect_false(grepl("JBSWY3DP", svg, fixed = TRUE))
    side <- as.integer(sub(".*viewBox=\"0 0 ([0-9]+) .*", "\\1", svg))
    expect_identical(as.integer(sub("^<svg[^>]* width=\"([0-9]+)\".*", "\\1", svg)), side * scale)
    image <- tempfile(fileext = ".pgm")
    on.exit(unlink(image), add = TRUE)
    qr_svg_to_pgm(svg, image)
    expect_identical(zbar_decode(image), text)
  }
})

test_that("text too long for a QR code, or a bad scale, is a failure", {
  long <- cognitoidp:::cip_qr_svg(strrep("a", 2332), 4L)
  expect_s3_class(long, "cognitoidp_failure")
  expect_match(long$message, "too long for a QR code: 2332 bytes")
  expect_type(cognitoidp:::cip_qr_svg(strrep("a", 2331), 1L), "character")
  for (scale in list(0L, 65L, -3L)) {
    expect_s3_class(cognitoidp:::cip_qr_svg("x", scale), "cognitoidp_failure")
  }
})
