# Reference numbers for cluster-robust CFA (issue 14, item 3), from lavaan.
# Re-run from the repository root:
#     Rscript bench/cluster_reference.R
# Writes:
#   flourish/stats/tests/data/clustered_raters.csv   60 leaders with 10 to 20 raters each (900 rows,
#       seed 1414), two factors x 4 items; leaders differ on both factors (about 15 % of the factor
#       variance lies between leaders), so raters of one leader are not independent
#   flourish/stats/tests/cluster_reference.py        lavaan's cfa(..., cluster = "leader") fits and the
#       per-item ICC(1) and design effects
# lavaan with cluster = and a one-level model uses estimator ML with se = "robust.cluster" and
# test = "yuan.bentler.mplus" (MLR's choices, with the meat summed over clusters).
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")
datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/cluster_reference.py"

set.seed(1414)
L <- 60
size <- sample(10:20, L, replace = TRUE)
leader <- rep(sprintf("leader-%02d", 1:L), times = size)
n <- length(leader)
lead_idx <- rep(1:L, times = size)
between <- MASS::mvrnorm(L, c(0, 0), matrix(c(.15, .06, .06, .15), 2))[lead_idx, ]
within <- MASS::mvrnorm(n, c(0, 0), matrix(c(.85, .34, .34, .85), 2))
eta <- between + within
lam <- c(.8, .7, .75, .65, .7, .8, .6, .75)
f <- rep(1:2, each = 4)
y <- sapply(1:8, function(i) 3 + lam[i] * eta[, f[i]] + rnorm(n, 0, .6))
d <- as.data.frame(round(y, 4))
names(d) <- paste0("y", 1:8)
d$leader <- leader
d$profession <- ifelse(runif(n) < .5, "Health", "Social care")
write.csv(d, file.path(datadir, "clustered_raters.csv"), row.names = FALSE)

model <- "
  f1 =~ y1 + y2 + y3 + y4
  f2 =~ y5 + y6 + y7 + y8
"
calls <- list(
  cluster_ml = 'cfa(model, data = d, cluster = "leader")',
  cluster_std_lv = 'cfa(model, data = d, cluster = "leader", std.lv = TRUE)',
  cluster_groups = 'cfa(model, data = d, cluster = "leader", group = "profession")',
  cluster_mlr = 'cfa(model, data = d, cluster = "leader", estimator = "MLR")',
  naive_ml = 'cfa(model, data = d, meanstructure = TRUE)'
)
con <- file(out, "w")
write_header(con, "Reference values from lavaan for cluster-robust CFA", calls)
write_calls(con, calls)
fit <- cfa(model, data = d, cluster = "leader")
opt <- lavInspect(fit, "options")
cat('\nOPTIONS = {"estimator": ', str(opt$estimator), ', "se": ', str(opt$se), ', "test": ',
    str(opt$test[length(opt$test)]), ', "information": ', str(opt$information[1]), '}\n', file = con, sep = "")
# ICC(1) as Bliese's multilevel::ICC1 (one-way ANOVA; group size = mean cluster size), written out
# because the multilevel package is not in Debian: (MSB - MSW) / (MSB + (k - 1) MSW), k = N / J.
icc1 <- function(x, g) {
  a <- summary(aov(x ~ factor(g)))[[1]]
  msb <- a[1, 3]; msw <- a[2, 3]; k <- n / L
  (msb - msw) / (msb + (k - 1) * msw)
}
cat('\nMEAN_CLUSTER_SIZE = ', num(n / L), '\nN_CLUSTERS = ', L, '\n\nICC1 = {\n', file = con, sep = "")
for (v in names(d)[1:8]) {
  icc <- icc1(d[[v]], d$leader)
  cat('    "', v, '": {"icc1": ', num(icc), ', "design_effect": ', num(1 + (n / L - 1) * icc), '},\n',
      file = con, sep = "")
}
cat('}\n', file = con)
# lavTestLRT on cluster-robust fits: the Satorra-Bentler (2001) scaled difference (lavaan's default)
lrt <- function(con, nm, ...) {
  t <- suppressWarnings(lavTestLRT(...))
  cat('    "', nm, '": [', file = con, sep = "")
  for (i in 2:nrow(t)) cat('{"chisq_diff": ', num(t[i, "Chisq diff"]), ', "df_diff": ', t[i, "Df diff"],
                           ', "pvalue": ', num(t[i, "Pr(>Chisq)"]), '}, ', file = con, sep = "")
  cat('],\n', file = con)
}
one <- cfa("g =~ y1 + y2 + y3 + y4 + y5 + y6 + y7 + y8", data = d, cluster = "leader")
inv <- lapply(list(NULL, "loadings", c("loadings", "intercepts")), function(eq)
  cfa(model, data = d, cluster = "leader", group = "profession", group.equal = if (is.null(eq)) "" else eq))
cat('\nLRT = {\n', file = con)
lrt(con, "two_factors_vs_one", fit, one)
lrt(con, "configural_metric_scalar", inv[[1]], inv[[2]], inv[[3]])
cat('}\n', file = con)
close(con)
cat("wrote", out, "\n")
