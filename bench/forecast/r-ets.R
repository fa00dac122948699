#!/usr/bin/env Rscript
# One job: the R side of bench/forecast. Fits forecast::ets() (and, when asked, auto.arima()) to
# each series' training part, forecasts the held-out horizon, times fit + forecast per series, and
# prints JSON on stdout for bench/forecast/run.ts. Nothing here computes accuracy: run.ts scores
# both sides with the same MASE code.
#   Rscript bench/forecast/r-ets.R <series.json> <repetitions> [arima]
# Needs r-cran-forecast and r-cran-jsonlite.

suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: r-ets.R <series.json> <repetitions> [arima]")
doc <- fromJSON(args[1], simplifyVector = TRUE, simplifyDataFrame = FALSE)
reps <- as.integer(args[2])
with_arima <- length(args) >= 3 && args[3] == "arima"
if (is.na(reps) || reps < 1) stop("repetitions must be a positive integer")

training <- function(s) ts(head(s$values, length(s$values) - s$horizon), frequency = s$frequency)

# Wall and CPU time of one fit + forecast, in ms; level 95 as opsloop is asked for. CPU time is
# kept too because the machine is shared: it is what the fit costs, whatever else is running.
cpu_ms <- function() sum(proc.time()[c("user.self", "sys.self")]) * 1000
timed <- function(fit_fn, y, h) {
  started <- Sys.time()
  cpu <- cpu_ms()
  fc <- forecast(fit_fn(y), h = h, level = 95)
  list(ms = as.numeric(difftime(Sys.time(), started, units = "secs")) * 1000, cpuMs = cpu_ms() - cpu, fc = fc)
}

run_model <- function(fit_fn) {
  # Warm-up: the first call pays for loading compiled code, which no later call pays.
  invisible(timed(fit_fn, training(doc$series[[1]]), doc$series[[1]]$horizon))
  ms <- matrix(NA_real_, nrow = length(doc$series), ncol = reps)
  cpu <- ms
  last <- vector("list", length(doc$series))
  # Repetitions outermost, so background load spreads over all series rather than hitting one.
  for (r in seq_len(reps)) {
    for (i in seq_along(doc$series)) {
      s <- doc$series[[i]]
      t <- timed(fit_fn, training(s), s$horizon)
      ms[i, r] <- t$ms
      cpu[i, r] <- t$cpuMs
      last[[i]] <- t$fc
    }
  }
  lapply(seq_along(doc$series), function(i) list(
    name = doc$series[[i]]$name,
    model = last[[i]]$method,
    point = I(as.numeric(last[[i]]$mean)),
    msMedian = median(ms[i, ]),
    ms = I(ms[i, ]),
    cpuMsMedian = median(cpu[i, ])
  ))
}

out <- list(
  r = R.version.string,
  forecastVersion = as.character(packageVersion("forecast")),
  repetitions = reps,
  ets = run_model(function(y) ets(y))
)
if (with_arima) out$arima <- run_model(function(y) auto.arima(y))
cat(toJSON(out, auto_unbox = TRUE, digits = NA))
