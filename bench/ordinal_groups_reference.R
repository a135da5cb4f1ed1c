# Reference numbers for multi-group WLSMV and ordinal invariance (issue 14, item 4), from lavaan.
# Groundwork: Flourish does not fit these yet (multi-group WLSMV is refused); the numbers are
# here for the estimator that will.  Re-run from the repository root:
#     Rscript bench/ordinal_groups_reference.R
# Writes:
#   flourish/stats/tests/data/ordinal_groups.csv   two professions (450 Health, 350 Social care),
#       two factors x 4 items with 3, 4 and 5 categories mixed (seed 1415); y3's latent response
#       is 0.4 higher in "Social care" (a threshold difference to find)
#   flourish/stats/tests/ordinal_groups_reference.py   lavaan's fits in its ordinal sequence, the
#       scaled difference test between its steps (lavTestLRT: Satorra 2000, scaled and shifted)
#       and the score tests of the thresholds-and-loadings step's constraints (lavTestScore)
# lavaan's parameterisation for ordered data is "delta": latent responses have unit total
# variance in group 1; in the configural model all scale factors (~*~) are fixed at 1, all
# intercepts at 0 and latent means at 0; with group.equal = c("thresholds", "loadings") the scale
# factors and latent means and variances are free in groups 2..; adding "intercepts" changes
# nothing for ordered items (their intercepts stay fixed at 0), so that fit equals the previous one.
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")
datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/ordinal_groups_reference.py"

set.seed(1415)
sim <- function(n, shift) {
  eta <- MASS::mvrnorm(n, c(0, 0), matrix(c(1, .4, .4, 1), 2))
  lam <- c(.8, .7, .75, .65, .7, .8, .6, .75)
  f <- rep(1:2, each = 4)
  ystar <- sapply(1:8, function(i) lam[i] * eta[, f[i]] + rnorm(n, 0, sqrt(1 - lam[i]^2)))
  ystar[, 3] <- ystar[, 3] + shift
  cuts <- list(c(-.5, .6), c(-1, 0, 1), c(-1.2, -.3, .4, 1.2), c(-.2, .8), c(-1, 0, 1),
               c(-1.2, -.3, .4, 1.2), c(-.6, .5), c(-.8, .2, 1.1))
  sapply(1:8, function(i) findInterval(ystar[, i], cuts[[i]]) + 1)
}
d <- as.data.frame(rbind(sim(450, 0), sim(350, .4)))
names(d) <- paste0("y", 1:8)
d$profession <- rep(c("Health", "Social care"), times = c(450, 350))
write.csv(d, file.path(datadir, "ordinal_groups.csv"), row.names = FALSE)

model <- "
  f1 =~ y1 + y2 + y3 + y4
  f2 =~ y5 + y6 + y7 + y8
"
calls <- list(
  ord_single_health = 'cfa(model, data = d[d$profession == "Health", ], ordered = TRUE)',
  ord_configural = 'cfa(model, data = d, ordered = TRUE, group = "profession")',
  ord_thresholds_loadings = 'cfa(model, data = d, ordered = TRUE, group = "profession", group.equal = c("thresholds", "loadings"))',
  ord_intercepts = 'cfa(model, data = d, ordered = TRUE, group = "profession", group.equal = c("thresholds", "loadings", "intercepts"))',
  ord_partial_y3 = 'cfa(model, data = d, ordered = TRUE, group = "profession", group.equal = c("thresholds", "loadings"), group.partial = c("y3|t1", "y3|t2", "y3|t3", "y3|t4"))',
  ord_empty_in_group = 'cfa(model, data = d_empty, ordered = TRUE, group = "profession")'
)
# category 3 of y4 made empty among Social care raters (recoded to 2): lavaan refuses
d_empty <- d
d_empty$y4[d_empty$profession == "Social care" & d_empty$y4 == 3] <- 2
con <- file(out, "w")
write_header(con, "Reference values from lavaan for multi-group WLSMV (ordinal invariance)", calls)
write_calls(con, calls)
cat('\nPARAMETERIZATION = "', lavInspect(cfa(model, data = d, ordered = TRUE, group = "profession"), "options")$parameterization,
    '"\n', file = con, sep = "")
fits <- lapply(calls[2:4], function(cl) eval(parse(text = cl)))
# lavTestLRT's default for WLSMV's scaled-shifted test; scaled.shifted = TRUE is what it passes
lrt <- lavTestLRT(fits$ord_configural, fits$ord_thresholds_loadings, method = "satorra.2000")
cat('\nLRT_THRESHOLDS_LOADINGS = {"chisq_diff": ', num(lrt[2, "Chisq diff"]), ', "df_diff": ', num(lrt[2, "Df diff"]),
    ', "pvalue": ', num(lrt[2, "Pr(>Chisq)"]), ', "method": "satorra.2000"}\n', file = con, sep = "")
# lavaan warns that it falls back to the ordinary score test for robust standard errors
sc <- suppressWarnings(lavTestScore(fits$ord_thresholds_loadings))
pt <- parTable(fits$ord_thresholds_loadings)
row_of <- function(lab) pt[pt$plabel == lab, ]
cat('SCORE_THRESHOLDS_LOADINGS = {\n    "total": {"X2": ', num(sc$test$X2), ', "df": ', sc$test$df, '},\n',
    '    "univariate": [\n', file = con, sep = "")
for (i in seq_len(nrow(sc$uni))) {
  a <- row_of(sc$uni$lhs[i]); b <- row_of(sc$uni$rhs[i])
  cat('        {"lhs": ', str(a$lhs), ', "op": ', str(a$op), ', "rhs": ', str(a$rhs), ', "groups": [', a$group, ', ',
      b$group, '], "X2": ', num(sc$uni$X2[i]), '},\n', file = con, sep = "")
}
cat('    ],\n}\n', file = con)
close(con)
cat("wrote", out, "\n")
