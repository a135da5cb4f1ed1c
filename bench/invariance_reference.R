# Reference numbers for measurement invariance (issue 14, item 4), from lavaan.
# Re-run from the repository root:
#     Rscript bench/invariance_reference.R
# Writes:
#   flourish/stats/tests/data/invariance_groups.csv   two professions x 300 raters, two factors x 4
#       items (seed 1407), with a planted intercept difference: y3 is 0.45 higher in "Social care"
#   flourish/stats/tests/invariance_reference.py      fits, and lavTestScore() of the scalar model
suppressPackageStartupMessages(library(lavaan))
source("bench/reference_writer.R")
datadir <- "flourish/stats/tests/data"
out <- "flourish/stats/tests/invariance_reference.py"

set.seed(1407)
sim <- function(n, shift) {
  eta <- MASS::mvrnorm(n, c(0, 0), matrix(c(1, .4, .4, 1), 2))
  lam <- c(.8, .7, .75, .65, .7, .8, .6, .75)
  f <- rep(1:2, each = 4)
  y <- sapply(1:8, function(i) 3 + lam[i] * eta[, f[i]] + rnorm(n, 0, .6))
  y[, 3] <- y[, 3] + shift
  y
}
d <- as.data.frame(rbind(sim(300, 0), sim(300, .45)))
names(d) <- paste0("y", 1:8)
d$profession <- rep(c("Health", "Social care"), each = 300)
write.csv(d, file.path(datadir, "invariance_groups.csv"), row.names = FALSE)

model <- "
  f1 =~ y1 + y2 + y3 + y4
  f2 =~ y5 + y6 + y7 + y8
"
calls <- list(
  inv_configural = 'cfa(model, data = d, group = "profession")',
  inv_metric = 'cfa(model, data = d, group = "profession", group.equal = "loadings")',
  inv_scalar = 'cfa(model, data = d, group = "profession", group.equal = c("loadings", "intercepts"))',
  inv_strict = 'cfa(model, data = d, group = "profession", group.equal = c("loadings", "intercepts", "residuals"))',
  inv_partial = 'cfa(model, data = d, group = "profession", group.equal = c("loadings", "intercepts"), group.partial = "y3 ~ 1")'
)
con <- file(out, "w")
write_header(con, "Reference values from lavaan for measurement invariance", calls)
write_calls(con, calls)
scalar <- cfa(model, data = d, group = "profession", group.equal = c("loadings", "intercepts"))
st <- lavTestScore(scalar)
pt <- parTable(scalar)
who <- function(lab) { i <- match(lab, pt$plabel); c(pt$lhs[i], pt$op[i], pt$rhs[i], pt$group[i]) }
cat('\nSCORE_TOTAL = {"X2": ', num(st$test$X2), ', "df": ', st$test$df, '}\n\nSCORE_UNIVARIATE = [\n', file = con, sep = "")
for (i in seq_len(nrow(st$uni))) {
  a <- who(st$uni$lhs[i]); b <- who(st$uni$rhs[i])
  cat('    {"lhs": ', str(a[1]), ', "op": ', str(a[2]), ', "rhs": ', str(a[3]), ', "groups": [', a[4], ', ', b[4],
      '], "X2": ', num(st$uni$X2[i]), ', "df": ', st$uni$df[i], ', "pvalue": ', num(st$uni$p.value[i]), '},\n',
      file = con, sep = "")
}
cat(']\n', file = con)
close(con)
cat("wrote", out, "\n")
