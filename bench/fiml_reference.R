# Reference numbers for full-information ML and robust ML (issue 14, item 2), from lavaan.
# Re-run from the repository root:
#     Rscript bench/fiml_reference.R
# Writes:
#   flourish/stats/tests/data/hs_mcar10.csv   Holzinger-Swineford x1..x9 (and school) with every
#       item cell set missing with probability 0.10, completely at random (seed 1402)
#   flourish/stats/tests/fiml_reference.py    the fits below as Python literals
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")
datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/fiml_reference.py"

HS <- HolzingerSwineford1939
set.seed(1402)
HSmcar <- HS[, c("school", paste0("x", 1:9))]
for (v in paste0("x", 1:9)) HSmcar[[v]][runif(nrow(HSmcar)) < 0.10] <- NA
write.csv(HSmcar, file.path(datadir, "hs_mcar10.csv"), row.names = FALSE, na = "")

model <- "
  visual  =~ x1 + x2 + x3
  textual =~ x4 + x5 + x6
  speed   =~ x7 + x8 + x9
"
calls <- list(
  fiml = 'cfa(model, data = HSmcar, missing = "ml")',
  fiml_stdlv = 'cfa(model, data = HSmcar, missing = "ml", std.lv = TRUE)',
  fiml_configural = 'cfa(model, data = HSmcar, missing = "ml", group = "school")',
  mcar_listwise = 'cfa(model, data = HSmcar)',
  mlr = 'cfa(model, data = HS, estimator = "MLR")',
  mlr_configural = 'cfa(model, data = HS, estimator = "MLR", group = "school")',
  fiml_mlr = 'cfa(model, data = HSmcar, missing = "ml", estimator = "MLR")'
)
con <- file(out, "w")
write_header(con, "Reference values for FIML and MLR from lavaan", calls)
write_calls(con, calls)
close(con)
cat("wrote", out, "\n")
