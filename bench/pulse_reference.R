# Reference numbers for the team integration pulse (issue 15), from lme4 and igraph.
# Re-run from the repository root, after the data:
#     .venv/bin/python bench/pulse_data.py && Rscript bench/pulse_reference.R
# Reads flourish/pulse/core/tests/data/simulated_pulse.csv and simulated_maps.csv; writes
#   flourish/pulse/core/tests/data/pulse_reference.json  (generated; do not edit)
# with, computed here independently of Flourish's code:
#   - "lmer": the REML fit of score ~ leader_main_c + leader_borderline_c + wave
#             + (1 | organisation) + (1 | organisation:team) (lme4, Debian's r-cran-lme4)
#   - "lmer_unequal": the same with every 7th row left out (unequal teams)
#   - "lmer_others", "lmer_lagged": the same on the rows each common-method guard keeps (respondents
#             who did not rate the leader; pulse waves at least 60 days after the 360°)
#   - "plan_change": the change in team means from wave 0 to 1 with and without a development plan,
#             Welch's t.test of the difference and a one-sample t interval for each group
#   - "agreement": per wave, rwg(j) of every team (James, Demaree & Wolf 1984, uniform null,
#             A = 5, truncated at 0) and ICC(1)/ICC(2) from aov() of score by team
#   - "power": teams needed for a team-level effect (noncentral t on J − 2 df, var(β̂) = (ρ + (1 − ρ)/n)/(J − 1)),
#             by a plain search over J with pt(ncp =)
#   - "maps": per team, density (igraph::edge_density) and the E–I index by profession and agency
#             (ties between the real groups; per group only where 3 answered), and the groups nobody
#             works with, after pooling groups below k = 3
# lme4, igraph and jsonlite are test-reference tools only, never dependencies of Flourish.
suppressPackageStartupMessages({library(lme4); library(igraph); library(jsonlite)})
datadir <- "flourish/pulse/core/tests/data"
d <- read.csv(file.path(datadir, "simulated_pulse.csv"), check.names = FALSE)

# --- the multilevel model ---------------------------------------------------------------------
d$leader_main_c <- d$leader_main - mean(d$leader_main)
d$leader_borderline_c <- d$leader_borderline - mean(d$leader_borderline)
lmer_fit <- function(data) {
  fit <- lmer(score ~ leader_main_c + leader_borderline_c + wave + (1 | organisation) + (1 | organisation:team),
              data = data, REML = TRUE,
              control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14,
                                                                           maxeval = 1e5)))
  vc <- as.data.frame(VarCorr(fit))
  names4 <- c("intercept", "leader_main", "leader_borderline", "wave")
  list(
    call = "lmer(score ~ leader_main_c + leader_borderline_c + wave + (1 | organisation) + (1 | organisation:team), REML = TRUE)",
    fixed = as.list(setNames(unname(fixef(fit)), names4)),
    se = as.list(setNames(unname(sqrt(diag(as.matrix(vcov(fit))))), names4)),
    variances = list(organisation = vc$vcov[vc$grp == "organisation"], team = vc$vcov[vc$grp == "organisation:team"],
                     residual = vc$vcov[vc$grp == "Residual"]),
    reml_criterion = unname(REMLcrit(fit)),
    n_rows = nrow(data))
}
lmer_out <- lmer_fit(d)
# Unequal teams: every 7th row left out (rows 1, 8, 15, ... counted from 1), centred again after.
u <- d[-seq(1, nrow(d), by = 7), ]
u$leader_main_c <- u$leader_main - mean(u$leader_main)
u$leader_borderline_c <- u$leader_borderline - mean(u$leader_borderline)
lmer_unequal <- lmer_fit(u)
# The common-method guards (flourish/pulse/core/study.py): pulse respondents who did not rate the
# leader in the 360°, or pulse waves at least 60 days after it; leader scores centred on the rows kept.
guarded <- function(keep) {
  g <- d[keep, ]
  g$leader_main_c <- g$leader_main - mean(g$leader_main)
  g$leader_borderline_c <- g$leader_borderline - mean(g$leader_borderline)
  lmer_fit(g)
}
lmer_others <- guarded(d$also_rater == 0)
lmer_lagged <- guarded(d$lag_days >= 60)

# --- before/after a development plan ----------------------------------------------------------
# Each team's mean score per wave, its change, and Welch's t-test of the change by plan.
tm <- aggregate(score ~ team + wave + plan, data = d, FUN = mean)
before <- tm[tm$wave == 0, ]; after <- tm[tm$wave == 1, ]
ch <- merge(before, after, by = c("team", "plan"), suffixes = c("_before", "_after"))
ch$change <- ch$score_after - ch$score_before
welch <- t.test(ch$change[ch$plan == 1], ch$change[ch$plan == 0], var.equal = FALSE)
one <- function(x) { t <- t.test(x); list(teams = length(x), change = unname(t$estimate), low = t$conf.int[1],
                                           high = t$conf.int[2]) }
plan_change <- list(difference = unname(welch$estimate[1] - welch$estimate[2]), low = welch$conf.int[1],
                    high = welch$conf.int[2], df = unname(welch$parameter), se = unname(welch$stderr),
                    with_plan = one(ch$change[ch$plan == 1]), without_plan = one(ch$change[ch$plan == 0]))

# --- agreement --------------------------------------------------------------------------------
items <- paste0("i", 1:14)
rwg_j <- function(x, A = 5) {
  v <- mean(apply(x, 2, var)); e <- (A^2 - 1) / 12; r <- v / e
  if (r >= 1) return(0)
  J <- ncol(x); J * (1 - r) / (J * (1 - r) + r)
}
agreement <- list()
for (w in sort(unique(d$wave))) {
  dw <- d[d$wave == w, ]
  a <- summary(aov(score ~ factor(team), data = dw))[[1]]
  msb <- a[["Mean Sq"]][1]; msw <- a[["Mean Sq"]][2]
  n <- table(dw$team); N <- sum(n); J <- length(n)
  k0 <- (N - sum(n^2) / N) / (J - 1)
  teams <- sort(unique(dw$team))
  agreement[[as.character(w)]] <- list(
    msb = msb, msw = msw, icc1 = (msb - msw) / (msb + (k0 - 1) * msw), icc2 = (msb - msw) / msb,
    rwg_j = as.list(setNames(sapply(teams, function(t) rwg_j(as.matrix(dw[dw$team == t, items]))), teams)))
}

# --- collaboration maps -----------------------------------------------------------------------
m <- read.csv(file.path(datadir, "simulated_maps.csv"), check.names = FALSE)
POOLED <- "Other groups together"
one_dimension <- function(tm, own_col, prefix) {
  roster <- table(tm[[own_col]])
  label <- setNames(ifelse(roster >= 3, names(roster), POOLED), names(roster))
  own_raw <- tm[[own_col]]
  own <- unname(label[own_raw])
  groups <- sort(unique(unname(label)))
  ties <- data.frame(from = integer(0), to = character(0))
  for (i in seq_len(nrow(tm))) for (g in names(roster)) {
    if (tm[i, paste0(prefix, g)] >= 2) ties <- rbind(ties, data.frame(from = i, to = g))
  }
  # E–I on the real groups; per pooled group only where k = 3 answered, smaller ones together
  ties$inside <- own_raw[ties$from] == ties$to
  answered <- table(own)
  shown <- names(answered)[answered >= 3]
  if (sum(answered[!(names(answered) %in% shown)]) >= 3) shown <- union(shown, POOLED)
  key <- ifelse(own %in% names(answered)[answered >= 3], own, POOLED)
  ei <- function(t) if (nrow(t)) (sum(!t$inside) - sum(t$inside)) / nrow(t) else NA
  per_group <- lapply(setNames(sort(shown), sort(shown)), function(g) ei(ties[key[ties$from] == g, ]))
  # group graph on pooled groups: one tie per respondent and receiving pooled group
  pt <- unique(data.frame(from = ties$from, to = unname(label[ties$to])))
  out <- pt[own[pt$from] != pt$to, ]
  pairs <- unique(data.frame(a = own[out$from], b = out$to))
  share <- mapply(function(a, b) sum(own[out$from] == a & out$to == b) / sum(own == a), pairs$a, pairs$b)
  strong <- pairs[share >= 0.5, ]
  g_strong <- graph_from_data_frame(strong, directed = TRUE, vertices = data.frame(name = groups))
  g_any <- graph_from_data_frame(pairs, directed = TRUE, vertices = data.frame(name = groups))
  list(roster = as.list(roster), ei = ei(ties), ei_groups = per_group,
       density = edge_density(g_strong, loops = FALSE),
       nobody = I(sort(V(g_any)$name[degree(g_any, mode = "in") == 0])))
}
maps <- list()
for (t in sort(unique(m$team))) {
  tm <- m[m$team == t, ]
  maps[[t]] <- list(profession = one_dimension(tm, "profession", "p:"), agency = one_dimension(tm, "agency", "a:"))
}

# --- power ------------------------------------------------------------------------------------
power_at <- function(J, effect, n, rho, alpha = .05) {
  crit <- qt(1 - alpha / 2, J - 2); nc <- effect * sqrt((J - 1) / (rho + (1 - rho) / n))
  pt(crit, J - 2, ncp = nc, lower.tail = FALSE) + pt(-crit, J - 2, ncp = nc)
}
power <- list()
for (case in list(c(0.19, 12, 0.15), c(0.3, 12, 0.15), c(0.5, 12, 0.15), c(0.2, 8, 0.3), c(0.1, 20, 0.05))) {
  J <- 4; while (power_at(J, case[1], case[2], case[3]) < .8) J <- J + 1
  power[[length(power) + 1]] <- list(effect = case[1], team_size = case[2], icc = case[3], teams = J,
                                     power = power_at(J, case[1], case[2], case[3]))
}

write_json(list(generated_by = "bench/pulse_reference.R (do not edit)", r_version = R.version.string,
                lme4 = as.character(packageVersion("lme4")), igraph = as.character(packageVersion("igraph")),
                lmer = lmer_out, lmer_unequal = lmer_unequal, lmer_others = lmer_others, lmer_lagged = lmer_lagged,
                plan_change = plan_change, power = power, agreement = agreement, maps = maps),
           file.path(datadir, "pulse_reference.json"), auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")
cat("wrote", file.path(datadir, "pulse_reference.json"), "\n")
