# Reference numbers for the diagnostics of a CFA (issue 14, item 5), from lavaan.
# Re-run from the repository root:
#     Rscript bench/diagnostics_reference.R
# Writes:
#   flourish/stats/tests/data/underidentified.csv   two uncorrelated factors, the second with two
#       indicators (seed 1403): empirically under-identified when their covariance is free
#   flourish/stats/tests/diagnostics_reference.py   standardizedSolution(), R-square,
#       residuals(type = "cor") and modindices() as Python literals
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")
datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/diagnostics_reference.py"

set.seed(1403)
n <- 400
f1 <- rnorm(n); f2 <- rnorm(n)
ui <- data.frame(x1 = .7 * f1 + rnorm(n, 0, .7), x2 = .7 * f1 + rnorm(n, 0, .7), x3 = .7 * f1 + rnorm(n, 0, .7),
                 x4 = .7 * f2 + rnorm(n, 0, .7), x5 = .7 * f2 + rnorm(n, 0, .7))
write.csv(ui, file.path(datadir, "underidentified.csv"), row.names = FALSE)

HS <- read.csv(file.path(datadir, "holzinger_swineford_1939.csv"))
HSo <- read.csv(file.path(datadir, "hs_ordinal5.csv"))
model <- "
  visual  =~ x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + x8 + x9
"
model2 <- "
  visual  =~ NA*x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + 1*x8 + x9
  visual ~~ 1*visual
  speed ~~ NA*speed
  x7 ~~ x8
  textual ~~ 0*speed
"
fits <- list(
  hs_ml = cfa(model, data = HS),
  hs_custom = cfa(model2, data = HS),
  hs_configural = cfa(model, data = HS, group = "school"),
  hs_wlsmv = cfa(model, data = HSo, ordered = paste0("x", 1:9), estimator = "WLSMV")
)
calls <- list(hs_ml = "cfa(model, data = HS)", hs_custom = "cfa(model2, data = HS)",
              hs_configural = 'cfa(model, data = HS, group = "school")',
              hs_wlsmv = 'cfa(model, data = HSo, ordered = paste0("x", 1:9), estimator = "WLSMV")')
ui_fit <- tryCatch(cfa("f1 =~ x1 + x2 + x3\n f2 =~ x4 + x5", data = ui), warning = function(w) conditionMessage(w))

con <- file(out, "w")
write_header(con, "Reference diagnostics from lavaan (standardizedSolution, R-square, residuals, modindices)", calls)
mat <- function(m) paste0("[", paste(apply(m, 1, function(r) paste0("[", paste(num(r), collapse = ", "), "]")), collapse = ", "), "]")
cat("DIAGNOSTICS = {\n", file = con)
for (nm in names(fits)) {
  fit <- fits[[nm]]
  cat('    "', nm, '": {\n', file = con, sep = "")
  ss <- standardizedSolution(fit)
  if (is.null(ss$group)) ss$group <- 1L
  cat('        "standardized": [\n', file = con)
  for (i in seq_len(nrow(ss))) cat('            {"lhs": ', str(ss$lhs[i]), ', "op": ', str(ss$op[i]), ', "rhs": ', str(ss$rhs[i]),
      ', "group": ', ss$group[i], ', "est_std": ', num(ss$est.std[i]), ', "se": ', num(ss$se[i]), ', "z": ', num(ss$z[i]),
      ', "pvalue": ', num(ss$pvalue[i]), ', "ci_lower": ', num(ss$ci.lower[i]), ', "ci_upper": ', num(ss$ci.upper[i]), '},\n', file = con, sep = "")
  cat('        ],\n', file = con)
  r2 <- lavInspect(fit, "r2"); if (!is.list(r2)) r2 <- list(r2)
  cat('        "r2": [', paste(sapply(r2, function(v) paste0("{", paste0(str(names(v)), ": ", num(v), collapse = ", "), "}")), collapse = ", "), '],\n', file = con, sep = "")
  rc <- residuals(fit, type = "cor")
  if (!is.null(rc$type)) rc <- list(rc)
  cat('        "residual_cor": [', paste(sapply(rc, function(r) mat(r$cov)), collapse = ", "), '],\n', file = con, sep = "")
  if (lavInspect(fit, "options")$estimator == "ML") {
    mi <- modindices(fit)
    if (is.null(mi$group)) mi$group <- 1L
    cat('        "modindices": [\n', file = con)
    for (i in seq_len(nrow(mi))) cat('            {"lhs": ', str(mi$lhs[i]), ', "op": ', str(mi$op[i]), ', "rhs": ', str(mi$rhs[i]),
        ', "group": ', mi$group[i], ', "mi": ', num(mi$mi[i]), ', "epc": ', num(mi$epc[i]), ', "sepc_all": ', num(mi$sepc.all[i]), '},\n', file = con, sep = "")
    cat('        ],\n', file = con)
  }
  cat('    },\n', file = con)
}
cat("}\n\n", file = con)
cat('UNDERIDENTIFIED_WARNING = ', str(gsub("\\s+", " ", if (is.character(ui_fit)) ui_fit else "")), '\n', file = con, sep = "")
close(con)
cat("wrote", out, "\n")
