# One side of an interleaved A/B run (bench/ab.sh): in a fresh process with
# one build of the package on R_LIBS, `BENCH_AB_CALLS` calls (3,000) of the
# benchmarks' call against the stub after a warm-up; prints one line:
# "<median µs per call> <CPU µs per call>".

bench_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg) == 1) dirname(normalizePath(sub("^--file=", "", file_arg))) else "bench"
})
source(file.path(bench_dir, "common.R"))

calls <- as.integer(Sys.getenv("BENCH_AB_CALLS", "3000"))
svc <- bench_service(stub_url(0))
stopifnot(identical(bench_call(svc)$MfaConfiguration, "ON"))
for (i in seq_len(500)) bench_call(svc)
times <- numeric(calls)
cpu0 <- proc.time()
for (i in seq_len(calls)) {
  t0 <- now()
  bench_call(svc)
  times[i] <- now() - t0
}
cpu <- proc.time() - cpu0
cat(sprintf("%.1f %.1f\n", stats::median(times) * 1e6, (cpu[["user.self"]] + cpu[["sys.self"]]) / calls * 1e6))
