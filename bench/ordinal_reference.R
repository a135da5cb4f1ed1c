# Reference numbers for robust ordinal estimation (issue 14, item 1), from lavaan.
# Re-run from the repository root (after `python bench/demo_raters.py`):
#     Rscript bench/ordinal_reference.R
# Writes:
#   flourish/stats/tests/data/mixed_ordinal.csv   3-, 4- and 5-category items mixed (seed 1401),
#       a group column in which category 1 of y9 is observed in group "Social care" only,
#       and y1m..y9m: the same items with 10 % of the answers missing completely at random
#   flourish/stats/tests/ordinal_reference.py     reference values as Python literals
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")

datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/ordinal_reference.py"

set.seed(1401)
n <- 600
phi <- matrix(c(1, .5, .4, .5, 1, .45, .4, .45, 1), 3)
eta <- MASS::mvrnorm(n, rep(0, 3), phi)
lam <- c(.75, .65, .7, .8, .6, .7, .75, .7, .65)
f <- rep(1:3, each = 3)
ystar <- sapply(1:9, function(i) lam[i] * eta[, f[i]] + sqrt(1 - lam[i]^2) * rnorm(n))
cuts <- list(c(-.6, .7), c(-1.2, 0, 1.1), c(-1.6, -.7, .2, 1.2))  # 3, 4 and 5 categories
ncat <- c(3, 4, 5, 5, 3, 4, 4, 5, 5)
mix <- as.data.frame(sapply(1:9, function(i) as.integer(cut(ystar[, i], c(-Inf, cuts[[ncat[i] - 2]], Inf)))))
names(mix) <- paste0("y", 1:9)
mix$group <- ifelse(seq_len(n) %% 2 == 0, "Health", "Social care")
# category 1 of y9 only in "Social care": move Health's 1s up to 2
mix$y9[mix$group == "Health" & mix$y9 == 1] <- 2L
for (i in 1:9) {
  v <- mix[[paste0("y", i)]]
  v[runif(n) < 0.10] <- NA
  mix[[paste0("y", i, "m")]] <- v
}
write.csv(mix, file.path(datadir, "mixed_ordinal.csv"), row.names = FALSE, na = "")

demo <- read.csv(file.path(datadir, "demo_raters.csv"))
health <- demo[demo$profession == "Health", ]
education <- demo[demo$profession == "Education and early years", ]

model_mix <- "
  f1 =~ y1 + y2 + y3
  f2 =~ y4 + y5 + y6
  f3 =~ y7 + y8 + y9
"
model_mixm <- "
  f1 =~ y1m + y2m + y3m
  f2 =~ y4m + y5m + y6m
  f3 =~ y7m + y8m + y9m
"
model_demo <- "
  ts =~ ts1 + ts2 + ts3 + ts4
  br =~ br1 + br2 + br3 + br4
"

calls <- list(
  mixed_wlsmv = 'cfa(model_mix, data = mix, ordered = TRUE, estimator = "WLSMV")',
  mixed_wlsmv_stdlv = 'cfa(model_mix, data = mix, ordered = TRUE, estimator = "WLSMV", std.lv = TRUE)',
  mixed_wlsmv_pairwise = 'cfa(model_mixm, data = mix, ordered = TRUE, estimator = "WLSMV", missing = "pairwise")',
  mixed_wlsmv_listwise = 'cfa(model_mixm, data = mix, ordered = TRUE, estimator = "WLSMV")',
  mixed_wlsmv_groups = 'cfa(model_mix, data = mix, ordered = TRUE, estimator = "WLSMV", group = "group")',
  demo_health_wlsmv = 'cfa(model_demo, data = health, ordered = TRUE, estimator = "WLSMV")',
  demo_education_wlsmv = 'cfa(model_demo, data = education, ordered = TRUE, estimator = "WLSMV")'
)

con <- file(out, "w")
write_header(con, "Reference values from lavaan for ordinal (WLSMV) estimation", calls)
write_calls(con, calls)
close(con)
cat("wrote", out, "\n")
