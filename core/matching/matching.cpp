#include "matching/matching.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.hpp"
#include "common/json_output.hpp"
#include "common/text.hpp"
#include "matching/reason_format.hpp"

namespace vouch {

namespace {

// The share of followers a feed post reaches when the platform reports no
// views: a round assumption (organic reach is commonly reported at 10-30% of
// followers, higher for small accounts); documented in docs/matching.md.
constexpr double kReachShareWithoutViews = 0.20;

// Strength of the Beta prior on conversion rates, in clicks: an influencer's
// own rate counts for as much as the store average after 100 clicks.
constexpr double kPriorClicks = 100.0;

double total(const Distribution& d) {
  double s = 0;
  for (const auto& [k, v] : d) s += v;
  return s;
}

}  // namespace

Weights goal_weights(Goal goal) {
  // Each row sums to 1. Conversions lean on fit and proven results (the
  // right audience buys); engagement on the engagement rate; reach on
  // audience fit and cost, since reach is bought by the follower.
  switch (goal) {
    case Goal::Conversions: return {0.25, 0.20, 0.10, 0.15, 0.15, 0.15};
    case Goal::Engagement: return {0.20, 0.15, 0.25, 0.15, 0.20, 0.05};
    case Goal::Reach: return {0.20, 0.25, 0.10, 0.15, 0.25, 0.05};
  }
  return {0.20, 0.15, 0.25, 0.15, 0.20, 0.05};
}

Explained niche_fit(const std::map<std::string, double>& brief_niches,
                    const std::map<std::string, double>& influencer_niches, bool explain) {
  double brief_total = 0;
  for (const auto& [k, b] : brief_niches) brief_total += b;
  if (brief_total <= 0) return {0.5, "niche fit neutral (0.50): the brief names no niches"};
  std::map<std::string, double> own;
  for (const auto& [k, w] : influencer_niches) {
    double& slot = own[ascii_lower(k)];
    slot = std::max(slot, w);
  }
  double sum = 0;
  std::string parts;
  for (const auto& [k, b] : brief_niches) {
    if (b <= 0) continue;
    auto it = own.find(k);
    double w = it == own.end() ? 0.0 : it->second;
    sum += b * w;
    if (explain)
      parts += (parts.empty() ? "" : ", ") + k + " " + reason::fixed(w, 2) + " (brief " + reason::fixed(b, 2) + ")";
  }
  double score = sum / brief_total;
  if (!explain) return {score, ""};
  return {score, "niche fit " + reason::fixed(score, 2) + ": " + parts};
}

double audience_in_target(const Brief& brief, const Audience& audience) {
  auto dimension = [](const Distribution& target, const Distribution& have) {
    double top = 0, have_total = total(have), sum = 0;
    for (const auto& [k, t] : target) top = std::max(top, t);
    if (top <= 0) return 1.0;          // not targeted
    if (have_total <= 0) return 0.5;  // no data: neutral, as in audience_fit
    for (const auto& [k, t] : target)
      if (auto it = have.find(k); it != have.end()) sum += it->second / have_total * (t / top);
    return sum;
  };
  return dimension(brief.countries, audience.countries) * dimension(brief.ages, audience.ages) *
         dimension(brief.genders, audience.genders);
}

Explained audience_fit(const Brief& brief, const Audience& audience, bool explain) {
  struct Dimension {
    const Distribution& target;
    const Distribution& have;
    double weight;
    const char* name;
    const char* singular;
  };
  const Dimension dims[] = {{brief.countries, audience.countries, 0.5, "countries", "country"},
                            {brief.ages, audience.ages, 0.25, "ages", "age"},
                            {brief.genders, audience.genders, 0.25, "genders", "gender"}};
  double weighted = 0, weight_sum = 0;
  std::string parts;
  for (const auto& d : dims) {
    double t_total = total(d.target);
    if (t_total <= 0) continue;
    double h_total = total(d.have);
    double fit = 0.5;
    std::string part;
    if (h_total <= 0) {
      if (explain) part = std::string("no ") + d.singular + " data (neutral 0.50)";
    } else {
      // 1 − total variation distance = Σ_k min(p_k, t_k) for distributions
      // that each sum to 1.
      fit = 0;
      for (const auto& [k, t] : d.target) {
        auto it = d.have.find(k);
        if (it != d.have.end()) fit += std::min(t / t_total, it->second / h_total);
      }
      if (explain) part = std::string(d.name) + " " + reason::fixed(fit, 2);
    }
    weighted += d.weight * fit;
    weight_sum += d.weight;
    if (explain) parts += (parts.empty() ? "" : ", ") + part;
  }
  if (weight_sum <= 0) return {0.5, "audience fit neutral (0.50): the brief sets no audience targets"};
 double score = weighted / weight_sum;
  if (!explain) return {score, ""};
  return {score, "audience fit " + reason::fixed(score, 2) + ": " + parts};
}

static std::optional<double> engagement_rate_of(const std::vector<const Post*>& posts, std::int64_t followers) {
  if (posts.empty() || followers <= 0) return std::nullopt;
  double engagements = 0;
  for (const Post* p : posts) engagements += static_cast<double>(p->likes + p->comments + p->shares);
  return engagements / (static_cast<double>(posts.size()) * static_cast<double>(followers));
}

std::optional<double> engagement_rate(const Influencer& influencer, Timestamp now) {
  return engagement_rate_of(recent_posts(influencer, now), influencer.followers);
}

// Beta-binomial shrinkage: with prior Beta(α0, β0), α0 = r·k, β0 = (1 − r)·k
// for the store rate r and strength k = kPriorClicks, the posterior mean
// after o orders in c clicks is (o + α0) / (c + k) (Bayesian average; e.g.
// Gelman et al., "Bayesian Data Analysis", ch. 2). lift = posterior / r and
// the score lift / (1 + lift) is 0.5 at the store average.
Proven proven_results(const std::optional<ConversionHistory>& own, double store_rate, bool explain) {
  if (!own) return {0.5, 1.0, "proven results neutral (0.50): no past conversions known for this influencer"};
  if (store_rate <= 0)
    return {0.5, 1.0, "proven results neutral (0.50): the store has no recorded conversions to compare with"};
  double posterior = (static_cast<double>(own->orders) + store_rate * kPriorClicks) /
                     (static_cast<double>(own->clicks) + kPriorClicks);
  double lift = posterior / store_rate;
  double score = lift / (1.0 + lift);
  if (!explain) return {score, lift, ""};
  double observed = own->clicks > 0 ? static_cast<double>(own->orders) / static_cast<double>(own->clicks) : 0.0;
  return {score, lift,
          "proven results " + reason::fixed(score, 2) + ": " + reason::count(static_cast<double>(own->orders)) +
              " orders from " + reason::count(static_cast<double>(own->clicks)) + " clicks (" +
              reason::percent(observed, 2) + ") against a store average of " + reason::percent(store_rate, 2) +
              "; estimated " + reason::percent(posterior, 2) + " after shrinking toward the average"};
}

namespace {

struct Context {
  Timestamp now;
  Weights weights;
  Goal goal;
  double store_rate;
  std::string currency;  // of the budget, or the store
};

// Everything about one influencer except what depends on the whole pool
// (the cost component and hence the score).
struct Evaluation {
  const Influencer* influencer = nullptr;
  Tier tier = Tier::Nano;
  Components components;
  Authenticity authenticity;
  Evidence evidence;
  Expected expected;
  std::optional<double> rate_major;  // per post, in the brief's currency
  double value_per_money = 0;        // expected.value / rate
  double score = 0;
  std::vector<std::string> reasons;
};

const char* value_unit(Goal goal) {
  switch (goal) {
    case Goal::Reach: return "people reached";
    case Goal::Engagement: return "engagements";
    case Goal::Conversions: return "conversion-weighted engagements";
  }
  return "engagements";
}

// Flags change the evidence: a flag that says a number is inflated replaces
// it with the plausible one, so that a flagged account never looks better
// than its clean twin (docs/matching.md, "Flags change the evidence").
// Followers: minus the spike's excess over the trend (follower_spike), minus
// the accounts it follows, taken as follow-backs (following_ratio), at most
// those who would give the measured engagement at the tier norm
// (engagement_too_low). Engagement: at most the tier norm of the plausible
// followers when a pod sign is raised (engagement_too_high, low_comment_ratio).
Evidence plausible_evidence(const Influencer& inf, std::optional<double> rate, const Authenticity& auth, Tier tier,
                            bool explain) {
  const double followers = static_cast<double>(inf.followers);
  const double norm = tier_engagement_norm(tier);
  const std::string norm_text = explain ? std::string(to_string(tier)) + "-tier norm of " + reason::percent(norm) : "";
  Evidence ev;
  ev.measured_rate = rate;
  ev.followers = followers;
  const double measured = followers * (rate ? *rate : norm);
  ev.engagements = measured;
  auto keep_followers = [&](double kept, const std::string& why) {
    kept = std::max(0.0, kept);
    if (kept >= ev.followers) return;
    if (explain)
      ev.discounts.push_back("followers counted as " + reason::count(kept) + " of " + reason::count(followers) +
                             " (" + reason::percent(1.0 - kept / followers, 0) + " discounted): " + why);
    ev.followers = kept;
  };
  if (auth.flags.empty()) {
    ev.rate = rate;
    return ev;
  }
  if (auth.has("follower_spike"))
    keep_followers(ev.followers - auth.spike_followers,
                   explain ? "the " + reason::count(auth.spike_followers) +
                                 " the spike added beyond the usual growth are taken as bought"
                           : "");
  if (auth.has("following_ratio"))
    keep_followers(ev.followers - static_cast<double>(inf.following),
                   explain ? "the " + reason::count(static_cast<double>(inf.following)) +
                                 " accounts it follows are taken as follow-backs"
                           : "");
  if (auth.has("engagement_too_low") && rate)
    keep_followers(measured / norm, explain ? "only as many as would give the " + reason::count(measured) +
                                                  " engagements per post measured at the " + norm_text
                                            : "");
  if ((auth.has("engagement_too_high") || auth.has("low_comment_ratio")) && rate && measured > norm * ev.followers) {
    ev.engagements = norm * ev.followers;
    if (explain)
      ev.discounts.push_back("engagement counted at the " + norm_text + ": " + reason::count(ev.engagements) +
                             " per post, not the " + reason::count(measured) + " measured (" +
                             reason::percent(*rate, 2) + "); a pod's engagement is not an audience's");
  }
  if (rate) ev.rate = followers > 0 ? ev.engagements / followers : 0.0;
  return ev;
}

Evaluation evaluate(const Influencer& inf, const Brief& brief, const Context& ctx, bool explain) {
  Evaluation e;
  e.influencer = &inf;
  e.tier = tier_of(inf.followers);
  double norm = tier_engagement_norm(e.tier);

  Explained niche = niche_fit(brief.niches, inf.niches, explain);
  Explained audience = audience_fit(brief, inf.audience, explain);
  e.components.niche = niche.score;
  e.components.audience = audience.score;
  if (explain) {
    e.reasons.push_back(std::move(niche.reason));
    e.reasons.push_back(std::move(audience.reason));
  }

  const std::vector<const Post*> posts = recent_posts(inf, ctx.now);
  std::optional<double> rate = engagement_rate_of(posts, inf.followers);
  e.authenticity = assess_authenticity(inf, rate, ctx.now, {}, explain);
  e.evidence = plausible_evidence(inf, rate, e.authenticity, e.tier, explain);
  e.components.authenticity = e.authenticity.score;

  // Engagement within the tier, on the plausible rate: r = rate / tier norm,
  // score r / (1 + r), so the norm scores 0.5, twice the norm 0.67, half of
  // it 0.33.
  if (e.evidence.rate) {
    double r = *e.evidence.rate / norm;
    e.components.engagement = r / (1.0 + r);
    if (explain) {
      std::string text = "engagement " + reason::fixed(e.components.engagement, 2) + ": rate " +
                         reason::percent(*e.evidence.rate, 2) + " is " + reason::fixed(r, 2) + "x the " +
                         std::string(to_string(e.tier)) + "-tier norm of " + reason::percent(norm);
      if (*e.evidence.rate < *rate) text += " (as counted; measured " + reason::percent(*rate, 2) + ")";
      e.reasons.push_back(std::move(text));
    }
  } else {
    e.components.engagement = 0.5;
    if (explain) e.reasons.push_back("engagement neutral (0.50): no recent posts to measure");
  }

  if (explain && e.authenticity.flags.empty()) {
    e.reasons.push_back("authenticity 1.00: no warning signs");
  } else if (explain) {
    e.reasons.push_back("authenticity " + reason::fixed(e.authenticity.score, 2) + ": " +
                        std::to_string(e.authenticity.flags.size()) + " warning sign" +
                        (e.authenticity.flags.size() == 1 ? "" : "s") +
                        "; the plan weighs expected results by this factor");
    for (const auto& f : e.authenticity.flags) e.reasons.push_back(f.reason);
    for (const auto& d : e.evidence.discounts) e.reasons.push_back(d);
  }

  auto own = brief.history.find(inf.id);
  Proven proven = proven_results(
      own == brief.history.end() ? std::nullopt : std::optional<ConversionHistory>(own->second), ctx.store_rate,
      explain);
  e.components.proven = proven.score;
  if (explain) e.reasons.push_back(std::move(proven.reason));

  // Expected outcomes per post, from the plausible evidence. Reach: the mean
  // views of recent posts that report them (scaled like engagement when a
  // pod inflated both), else a share of the plausible followers.
  double views = 0;
  std::size_t with_views = 0;
  for (const Post* p : posts)
    if (p->views > 0) {
      views += static_cast<double>(p->views);
      ++with_views;
    }
  double measured = static_cast<double>(inf.followers) * (rate ? *rate : norm);
  double inflation = measured > 0 ? e.evidence.engagements / measured : 1.0;
  e.expected.reach = with_views > 0 ? views / static_cast<double>(with_views) * inflation
                                    : e.evidence.followers * kReachShareWithoutViews;
  e.expected.engagements = e.evidence.engagements;
  switch (ctx.goal) {
    case Goal::Reach: e.expected.value = e.expected.reach; break;
    case Goal::Engagement: e.expected.value = e.expected.engagements; break;
    case Goal::Conversions: e.expected.value = e.expected.engagements * proven.lift; break;
  }
  if (inf.rate && inf.rate->amount.currency == ctx.currency) {
    e.rate_major = to_major_units(inf.rate->amount.minor, ctx.currency);
    if (*e.rate_major > 0) {
      e.value_per_money = e.expected.value / *e.rate_major;
      if (e.expected.engagements > 0) e.expected.cost_per_engagement = *e.rate_major / e.expected.engagements;
    }
  }
  return e;
}

// Cost-effectiveness against the pool: x = expected value per unit of money,
// m = the (lower) median x of the candidates with a rate, score x / (x + m):
// the median scores 0.5, twice its value for the money 0.67.
void score_cost(std::vector<Evaluation>& pool, const Context& ctx) {
  std::vector<double> xs;
  for (const auto& e : pool)
    if (e.rate_major && *e.rate_major > 0 && e.value_per_money > 0) xs.push_back(e.value_per_money);
  double median = 0;
  if (!xs.empty()) {
    auto mid = xs.begin() + static_cast<std::ptrdiff_t>((xs.size() - 1) / 2);
    std::nth_element(xs.begin(), mid, xs.end());
    median = *mid;
  }
  const Weights& w = ctx.weights;
  for (auto& e : pool) {
    if (e.rate_major && *e.rate_major > 0 && median > 0)
      e.components.cost = e.value_per_money / (e.value_per_money + median);
    else if (e.rate_major && *e.rate_major == 0)
      e.components.cost = 1.0;  // free
    else
      e.components.cost = 0.5;
    const Components& c = e.components;
    e.score = w.niche * c.niche + w.audience * c.audience + w.engagement * c.engagement +
              w.authenticity * c.authenticity + w.cost * c.cost + w.proven * c.proven;
  }
}

void explain_cost(Evaluation& e, const Context& ctx) {
  std::string unit = value_unit(ctx.goal);
  if (!e.rate_major) {
    e.reasons.push_back("cost neutral (0.50): no rate listed in " + ctx.currency + ", so not planned");
  } else {
    e.reasons.push_back("cost-effectiveness " + reason::fixed(e.components.cost, 2) + ": " +
                        reason::fixed(e.value_per_money, 2) + " expected " + unit + " per " + ctx.currency +
                        " at " + reason::fixed(*e.rate_major, 2) + " " + ctx.currency + " per post");
  }
  std::string expected = "expected per post: " + reason::count(e.expected.reach) + " reached, " +
                         reason::count(e.expected.engagements) + " engagements";
  if (e.expected.cost_per_engagement)
    expected += ", " + reason::fixed(*e.expected.cost_per_engagement, 2) + " " + ctx.currency + " per engagement";
  e.reasons.push_back(expected);
}

bool ranks_before(const Evaluation& a, const Evaluation& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.influencer->id < b.influencer->id;
}

std::string money_text(double amount, const std::string& currency) {
  return reason::fixed(amount, 2) + " " + currency;
}

std::optional<FilteredOut> hard_filter(const Influencer& inf, const Brief& brief, const std::string& currency,
                                       std::optional<std::int64_t> budget_minor) {
  if (brief.exclude.count(inf.id)) return FilteredOut{inf.id, "excluded", "excluded by the brief"};
  bool too_few = brief.followers_min && inf.followers < *brief.followers_min;
  bool too_many = brief.followers_max && inf.followers > *brief.followers_max;
  if (too_few || too_many) {
    std::string range;
    if (brief.followers_min && brief.followers_max)
      range = reason::count(static_cast<double>(*brief.followers_min)) + " to " +
              reason::count(static_cast<double>(*brief.followers_max));
    else if (brief.followers_min)
      range = "at least " + reason::count(static_cast<double>(*brief.followers_min));
    else
      range = "at most " + reason::count(static_cast<double>(*brief.followers_max));
    return FilteredOut{inf.id, "followers_out_of_range",
                       reason::count(static_cast<double>(inf.followers)) +
                           " followers is outside the brief's range of " + range};
  }
  if (inf.rate && inf.rate->amount.currency != currency)
    return FilteredOut{inf.id, "currency_mismatch",
                       "rate is in " + inf.rate->amount.currency + " but the " +
                           (brief.budget ? "budget" : "store") + " is in " + currency};
  if (inf.rate && budget_minor && inf.rate->amount.minor > *budget_minor)
    return FilteredOut{inf.id, "over_budget",
                       "rate of " + money_text(to_major_units(inf.rate->amount.minor, currency), currency) +
                           " per " + inf.rate->per + " exceeds the whole budget of " +
                           money_text(to_major_units(*budget_minor, currency), currency)};
  return std::nullopt;
}

bool names_niches(const Brief& brief) {
  return std::any_of(brief.niches.begin(), brief.niches.end(), [](const auto& kv) { return kv.second > 0; });
}

bool targets_audience(const Brief& brief) {
  return total(brief.countries) > 0 || total(brief.ages) > 0 || total(brief.genders) > 0;
}

// What the plan buys: the goal's expected value counted only as far as it
// is what the brief wants, u = value × niche × in-target × authenticity
// (niche fit only when the brief names niches, the in-target share only when
// it sets audience targets).
double planning_value(const Evaluation& e, const Brief& brief) {
  double u = e.expected.value * e.components.authenticity;
  if (names_niches(brief)) u *= e.components.niche;
  if (targets_audience(brief)) u *= audience_in_target(brief, e.influencer->audience);
  return u;
}

// Why an influencer who passed the hard filters is not a plan candidate. In
// order: no rate, numbers a flag calls inflated (unless the brief sets
// allow_flagged), a niche fit below min_niche_fit (when the brief names
// niches), no value for the brief. A code per influencer; the sentence only
// for those shown (exclusion_of).
enum class Exclusion { None, NoRate, Flagged, BelowNicheFloor, NoValue };

Exclusion plan_exclusion(const Evaluation& e, const Brief& brief) {
  if (!e.rate_major || *e.rate_major <= 0) return Exclusion::NoRate;
  if (!brief.allow_flagged && e.authenticity.inflated()) return Exclusion::Flagged;
  if (names_niches(brief) && e.components.niche < brief.min_niche_fit) return Exclusion::BelowNicheFloor;
  if (planning_value(e, brief) <= 0) return Exclusion::NoValue;
  return Exclusion::None;
}

FilteredOut exclusion_of(const Evaluation& e, Exclusion why, const Brief& brief, const Context& ctx) {
  const std::string& id = e.influencer->id;
  switch (why) {
    case Exclusion::NoRate:
      return {id, "no_rate", "no rate in " + ctx.currency + " listed, so it cannot be planned"};
    case Exclusion::Flagged: {
      std::string names;
      for (const auto& f : e.authenticity.flags)
        if (f.name != "mostly_sponsored") names += (names.empty() ? "" : ", ") + f.name;
      return {id, "flagged",
              "its numbers look inflated (" + names +
                  "): the plan buys flagged accounts only when the brief sets allow_flagged"};
    }
    case Exclusion::BelowNicheFloor:
      return {id, "below_niche_floor",
              "niche fit " + reason::fixed(e.components.niche, 2) + " is below the plan's floor of " +
                  reason::fixed(brief.min_niche_fit, 2) + " (min_niche_fit)"};
    case Exclusion::NoValue:
    case Exclusion::None: break;
  }
  return {id, "no_value", "no expected value for this brief"};
}

// The planner's problem: each candidate's planning value u spread over
// audience cells (niche, country) by its normalised niche weights times its
// normalised country shares.
std::vector<PlanCandidate> plan_candidates(const std::vector<Evaluation>& pool, const std::vector<std::size_t>& chosen,
                                           const Brief& brief, std::size_t& cell_count) {
  std::map<std::pair<std::string, std::string>, std::size_t> cell_index;
  std::vector<PlanCandidate> candidates;
  for (std::size_t i : chosen) {
    const Evaluation& e = pool[i];
    const Influencer& inf = *e.influencer;
    double u = planning_value(e, brief);
    std::map<std::string, double> niches;
    for (const auto& [k, w] : inf.niches) niches[ascii_lower(k)] += w;
    double niche_total = 0, country_total = total(inf.audience.countries);
    for (const auto& [k, w] : niches) niche_total += w;
    if (niche_total <= 0) niches = {{"*", 1.0}}, niche_total = 1.0;
    Distribution countries = inf.audience.countries;
    if (country_total <= 0) countries = {{"*", 1.0}}, country_total = 1.0;
    PlanCandidate c;
    c.cost = inf.rate->amount.minor;
    for (const auto& [n, w] : niches)
      for (const auto& [k, s] : countries) {
        double v = u * (w / niche_total) * (s / country_total);
        if (v <= 0) continue;
        auto [it, inserted] = cell_index.emplace(std::make_pair(n, k), cell_index.size());
        c.cells.emplace_back(it->second, v);
      }
    candidates.push_back(std::move(c));
  }
  cell_count = cell_index.size();
  return candidates;
}

// Why a candidate is not in the plan: beyond the planner's candidates, a rate
// more than the plan leaves, or (when another method than the cost-benefit
// greedy won) another set simply worth more.
FilteredOut not_chosen(const Influencer& inf, bool beyond_candidates, std::int64_t unspent, const Context& ctx) {
  if (beyond_candidates)
    return {inf.id, "beyond_candidates",
            "not among the " + std::to_string(kPlanCandidates) + " best-scoring candidates the planner considers"};
  std::int64_t rate = inf.rate ? inf.rate->amount.minor : 0;
  if (rate > unspent)
    return {inf.id, "does_not_fit",
            "its rate of " + money_text(to_major_units(rate, ctx.currency), ctx.currency) + " is more than the " +
                money_text(to_major_units(unspent, ctx.currency), ctx.currency) + " the plan leaves"};
  return {inf.id, "not_chosen", "the plan found more value for the money without it"};
}

// Why the rest of the budget stays unspent: which candidates above the floor
// still fit (none, unless a method other than the greedy won), and how many
// below it would have.
std::string unspent_reason(const std::vector<Evaluation>& pool, const std::vector<Exclusion>& excluded,
                           const std::vector<bool>& planned, std::int64_t unspent, const Brief& brief,
                           const Context& ctx) {
  std::size_t fit_above = 0, fit_below = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const Influencer& inf = *pool[i].influencer;
    if (planned[i] || !inf.rate || inf.rate->amount.currency != ctx.currency || inf.rate->amount.minor <= 0 ||
        inf.rate->amount.minor > unspent)
      continue;
    if (excluded[i] == Exclusion::None) ++fit_above;
    else if (excluded[i] == Exclusion::Flagged || excluded[i] == Exclusion::BelowNicheFloor) ++fit_below;
  }
  std::string floor;
  if (names_niches(brief)) floor = "niche fit at least " + reason::fixed(brief.min_niche_fit, 2);
  if (!brief.allow_flagged) floor += std::string(floor.empty() ? "" : ", ") + "no inflated numbers";
  std::string text = money_text(to_major_units(unspent, ctx.currency), ctx.currency) + " left: ";
  if (fit_above > 0)
    text += "the best plan found adds more value without the " + std::to_string(fit_above) +
            " candidate" + (fit_above == 1 ? "" : "s") + " that would still fit";
  else
    text += "no further candidate" + (floor.empty() ? std::string() : " above the floor (" + floor + ")") +
            " fits in it";
  if (fit_below > 0)
    text += "; " + std::to_string(fit_below) + " below the floor would fit";
  return text;
}

}  // namespace

MatchResult match(const Feed& feed, const Brief& brief, Timestamp now) {
  Context ctx{now, goal_weights(brief.goal), brief.goal, 0.0, feed.store.currency};
  std::optional<std::int64_t> budget_minor;
  if (brief.budget) {
    if (!brief.budget->currency.empty()) ctx.currency = brief.budget->currency;
    budget_minor = to_minor_units(brief.budget->amount, ctx.currency);
    if (!budget_minor)
      throw_error({"brief.out_of_range", "/budget/amount", "budget.amount is too large"});
  }
  // The store average conversion rate: pooled over the history given.
  double orders = 0, clicks = 0;
  for (const auto& [id, h] : brief.history) {
    orders += static_cast<double>(h.orders);
    clicks += static_cast<double>(h.clicks);
  }
  ctx.store_rate = clicks > 0 ? orders / clicks : 0.0;

  MatchResult result;
  std::vector<Evaluation> pool;
  pool.reserve(feed.influencers.size());
  for (const auto& inf : feed.influencers) {
    if (auto out = hard_filter(inf, brief, ctx.currency, budget_minor)) {
      ++result.filtered_total;
      if (result.filtered.size() < kMaxFilteredListed) result.filtered.push_back(std::move(*out));
      continue;
    }
    pool.push_back(evaluate(inf, brief, ctx, false));  // reasons only for the few shown
  }
  result.considered = pool.size();
  score_cost(pool, ctx);

  // Order only what is needed: the top `limit` for display and the top
  // kPlanCandidates plannable influencers for the planner.
  std::vector<std::size_t> order(pool.size());
  std::iota(order.begin(), order.end(), 0);
  auto by_rank = [&](std::size_t a, std::size_t b) { return ranks_before(pool[a], pool[b]); };
  std::size_t shown = std::min(brief.limit, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(), by_rank);

  // The planner's candidates: not excluded (plan_exclusion), best
  // kPlanCandidates by score.
  std::vector<Exclusion> excluded(pool.size(), Exclusion::None);
  std::vector<std::size_t> plannable;
  std::vector<bool> beyond(pool.size(), false);
  if (budget_minor) {
    for (std::size_t i = 0; i < pool.size(); ++i) {
      excluded[i] = plan_exclusion(pool[i], brief);
      if (excluded[i] == Exclusion::None) plannable.push_back(i);
    }
    std::size_t keep = std::min(kPlanCandidates, plannable.size());
    std::partial_sort(plannable.begin(), plannable.begin() + static_cast<std::ptrdiff_t>(keep), plannable.end(),
                      by_rank);
    for (std::size_t k = keep; k < plannable.size(); ++k) beyond[plannable[k]] = true;
    plannable.resize(keep);
  }
  std::size_t cell_count = 0;
  std::vector<PlanCandidate> candidates = plan_candidates(pool, plannable, brief, cell_count);
  PlanChoice choice;
  if (budget_minor) choice = plan_budget(candidates, cell_count, *budget_minor);
  result.plan.currency = ctx.currency;
  result.plan.method = choice.method;
  result.plan.cost_minor = choice.cost;
  result.plan.value = choice.value;
  result.plan.candidates = candidates.size();
  std::vector<bool> planned(pool.size(), false);
  for (std::size_t c : choice.chosen) {
    const Evaluation& e = pool[plannable[c]];
    planned[plannable[c]] = true;
    result.plan.influencers.push_back(e.influencer->id);
    result.plan.expected_reach += e.expected.reach;
    result.plan.expected_engagements += e.expected.engagements;
  }
  if (budget_minor) {
    result.plan.unspent_minor = *budget_minor - choice.cost;
    if (result.plan.unspent_minor > 0)
      result.plan.unspent_reason = unspent_reason(pool, excluded, planned, result.plan.unspent_minor, brief, ctx);
  }

  for (std::size_t k = 0; k < shown; ++k) {
    std::size_t i = order[k];
    Evaluation& pooled = pool[i];
    Evaluation e = evaluate(*pooled.influencer, brief, ctx, true);
    e.components.cost = pooled.components.cost;
    e.score = pooled.score;
    explain_cost(e, ctx);
    Match m;
    m.influencer = e.influencer;
    m.tier = e.tier;
    m.score = e.score;
    m.components = e.components;
    for (const auto& f : e.authenticity.flags) m.flags.push_back(f.name);
    m.expected = e.expected;
    m.evidence = std::move(e.evidence);
    m.reasons = std::move(e.reasons);
    m.in_plan = planned[i];
    if (budget_minor && !planned[i])
      result.plan.left_out.push_back(excluded[i] != Exclusion::None
                                         ? exclusion_of(e, excluded[i], brief, ctx)
                                         : not_chosen(*e.influencer, beyond[i], result.plan.unspent_minor, ctx));
    result.ranked.push_back(std::move(m));
  }
  return result;
}

nlohmann::json to_json(const MatchResult& result, const Brief& brief) {
  using json = nlohmann::json;
  const std::string& currency = result.plan.currency;
  json ranked = json::array();
  for (const auto& m : result.ranked) {
    const Influencer& inf = *m.influencer;
    json rate = nullptr;
    if (inf.rate) {
      rate = json::object();
      put_score(rate, "amount", to_major_units(inf.rate->amount.minor, inf.rate->amount.currency));
      put_string(rate, "currency", inf.rate->amount.currency);
      put_string(rate, "per", inf.rate->per);
    }
    const Components& c = m.components;
    json components = json::object();
    put_score(components, "niche", c.niche);
    put_score(components, "audience", c.audience);
    put_score(components, "engagement", c.engagement);
    put_score(components, "authenticity", c.authenticity);
    put_score(components, "cost", c.cost);
    put_score(components, "proven", c.proven);
    json expected = json::object();
    put_score(expected, "reach", m.expected.reach);
    put_score(expected, "engagements", m.expected.engagements);
    put_score_or_null(expected, "cost_per_engagement", m.expected.cost_per_engagement);
    put_score(expected, "value", m.expected.value);
    json out = json::object();
    put_string(out, "influencer", inf.id);
    put_string(out, "handle", inf.handle);
    put_string(out, "name", inf.name);
    put_string(out, "avatar", inf.avatar);
    put_int(out, "followers", inf.followers);
    put_string(out, "tier", to_string(m.tier));
    put(out, "rate", std::move(rate));
    put_score(out, "score", m.score);
    put(out, "components", std::move(components));
    put_strings(out, "flags", m.flags);
    put(out, "expected", std::move(expected));
    json evidence = json::object();
    put_score(evidence, "followers", m.evidence.followers);
    put_score_or_null(evidence, "engagement_rate", m.evidence.rate);
    put_score_or_null(evidence, "measured_engagement_rate", m.evidence.measured_rate);
    put(out, "evidence", std::move(evidence));
    put_strings(out, "discounts", m.evidence.discounts);
    put_strings(out, "reasons", m.reasons);
    put_bool(out, "in_plan", m.in_plan);
    ranked.push_back(std::move(out));
  }
  json plan = json::object();
  put_strings(plan, "influencers", result.plan.influencers);
  put_score(plan, "cost", to_major_units(result.plan.cost_minor, currency));
  put_string(plan, "currency", currency);
  put_score(plan, "expected_reach", result.plan.expected_reach);
  put_score(plan, "expected_engagements", result.plan.expected_engagements);
  put_score(plan, "value", result.plan.value);
  put_string(plan, "method", to_string(result.plan.method));
  put_int(plan, "candidates", static_cast<std::int64_t>(result.plan.candidates));
  put_score_or_null(plan, "budget", brief.budget ? std::optional<double>(brief.budget->amount) : std::nullopt);
  put_score(plan, "unspent", to_major_units(result.plan.unspent_minor, currency));
  if (result.plan.unspent_reason.empty()) put(plan, "unspent_reason", nullptr);
  else put_string(plan, "unspent_reason", result.plan.unspent_reason);
  json floor = json::object();
  put_score_or_null(floor, "min_niche_fit",
                    names_niches(brief) ? std::optional<double>(brief.min_niche_fit) : std::nullopt);
  put_bool(floor, "allow_flagged", brief.allow_flagged);
  put(plan, "floor", std::move(floor));
  auto listed = [](const std::vector<FilteredOut>& list) {
    json out = json::array();
    for (const auto& f : list) {
      json entry = json::object();
      put_string(entry, "influencer", f.influencer);
      put_string(entry, "reason", f.reason);
      put_string(entry, "message", f.message);
      out.push_back(std::move(entry));
    }
    return out;
  };
  put(plan, "left_out", listed(result.plan.left_out));
  json filtered = listed(result.filtered);
  json out = json::object();
  put_string(out, "goal", to_string(brief.goal));
  put_int(out, "considered", static_cast<std::int64_t>(result.considered));
  put(out, "ranked", std::move(ranked));
  put(out, "plan", std::move(plan));
  put(out, "filtered", std::move(filtered));
  put_int(out, "filtered_total", static_cast<std::int64_t>(result.filtered_total));
  return out;
}

}  // namespace vouch
