# Reference numbers for flourish/stats tests, produced with lavaan.
# Re-run from the repository root:
#     Rscript bench/lavaan_reference.R
# Writes:
#   flourish/stats/tests/data/holzinger_swineford_1939.csv  (lavaan::HolzingerSwineford1939)
#   flourish/stats/tests/data/hs_ordinal5.csv               (x1..x9 cut into 5 categories)
#   flourish/stats/tests/lavaan_reference.py                 (reference values as Python literals)
# lavaan is installed from Debian (apt-get install r-cran-lavaan); it is a
# test-reference tool only, never a dependency of Flourish.
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")

datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/lavaan_reference.py"
HS <- HolzingerSwineford1939
write.csv(HS[, c("id", "sex", "school", paste0("x", 1:9))],
          file.path(datadir, "holzinger_swineford_1939.csv"), row.names = FALSE)

# Ordinal version: z-score each item, cut at fixed z cutpoints -1.2, -0.4, 0.4, 1.2.
cutz <- function(x) {
  z <- (x - mean(x)) / sd(x)
  as.integer(cut(z, c(-Inf, -1.2, -0.4, 0.4, 1.2, Inf)))
}
HSo <- as.data.frame(lapply(HS[, paste0("x", 1:9)], cutz))
HSo$school <- HS$school
write.csv(HSo, file.path(datadir, "hs_ordinal5.csv"), row.names = FALSE)

# Same data with a few missing values (lavaan's default for ML here: listwise deletion).
HSm <- HS[, c("school", paste0("x", 1:9))]
HSm$x1[1:10] <- NA
HSm$x5[20] <- NA
write.csv(HSm, file.path(datadir, "hs_missing.csv"), row.names = FALSE, na = "")

model2 <- "
  visual  =~ NA*x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + 1*x8 + x9   # fixed second loading
  visual ~~ 1*visual
  speed ~~ NA*speed
  x7 ~~ x8
  textual ~~ 0*speed
"

model <- "
  visual  =~ x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + x8 + x9
"

calls <- list(
  hs_ml = 'cfa(model, data = HS)',
  hs_ml_stdlv = 'cfa(model, data = HS, std.lv = TRUE)',
  hs_ml_meanstructure = 'cfa(model, data = HS, meanstructure = TRUE)',
  hs_wlsmv = 'cfa(model, data = HSo, ordered = paste0("x", 1:9), estimator = "WLSMV")',
  hs_configural = 'cfa(model, data = HS, group = "school")',
  hs_metric = 'cfa(model, data = HS, group = "school", group.equal = "loadings")',
  hs_scalar = 'cfa(model, data = HS, group = "school", group.equal = c("loadings", "intercepts"))',
  hs_custom = 'cfa(model2, data = HS)',
  hs_missing_listwise = 'cfa(model, data = HSm)',
  hs_wlsmv_custom = 'cfa(model2, data = HSo, ordered = paste0("x", 1:9), estimator = "WLSMV")',
  hs_metric_stdlv = 'cfa(model, data = HS, group = "school", group.equal = "loadings", std.lv = TRUE)',
  hs_wlsmv_stdlv = 'cfa(model, data = HSo, ordered = paste0("x", 1:9), estimator = "WLSMV", std.lv = TRUE)'
)

con <- file(out, "w")
write_header(con, "Reference values from lavaan", calls,
             notes = paste0('Model:', gsub("\n", "\n    ", model), '\nModel2:', gsub("\n", "\n    ", model2), '\n'))
cat('REFERENCE = {\n', file = con)
for (nm in names(calls)) write_fit(con, nm, eval(parse(text = calls[[nm]])))
cat('}\n', file = con)
close(con)
cat("wrote", out, "\n")
