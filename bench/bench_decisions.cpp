// The decisions benchmark: how right the engines are on planted ground truth.
// For each seed it generates a store with its truth file (`vouch generate
// --truth-out`, the same code), runs the engines and compares:
//   - authenticity flags: precision and recall against the planted labels;
//   - ranking: NDCG@20 against the true value of each influencer for a brief;
//   - plans: realised true value against the naive plan (top scores until
//     the money runs out) and random plans of the same budget, and the share
//     of the budget spent on planted fakes;
//   - social proof: spam verdicts against planted spam (injection attempts
//     included), planted near-duplicates shown together.
// Prints figures (markdown tables); it is not a test and asserts nothing.
//   build/release/bench/bench_decisions [SEEDS=20] [INFLUENCERS=300]
// Definitions: docs/matching.md and docs/social-proof.md, "Measured on
// planted truth".
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "feed/generate.hpp"
#include "matching/matching.hpp"
#include "social_proof/moderation.hpp"
#include "social_proof/social_proof.hpp"

using namespace vouch;
using json = nlohmann::json;

namespace {

constexpr Timestamp kNow = 1793491200;  // 2026-11-01T00:00:00Z, the generator's default
constexpr std::size_t kTop = 20;        // NDCG@20
constexpr int kRandomPlans = 100;

// Which planted label each flag claims.
const std::vector<std::pair<std::string, std::string>> kFlagLabels = {
    {"follower_spike", "bought_followers"},     {"engagement_too_low", "bought_followers"},
    {"engagement_too_high", "engagement_pod"},  {"low_comment_ratio", "engagement_pod"},
    {"following_ratio", "follow_for_follow"},   {"mostly_sponsored", "mostly_sponsored"}};
// Labels that make an account fake (inflated numbers); a mostly sponsored
// feed is real, only less trusted.
const std::set<std::string> kFakeLabels = {"bought_followers", "engagement_pod", "follow_for_follow"};

struct Counts {
  long tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn); }
  void add(bool said, bool truth) {
    if (said && truth) ++tp;
    else if (said) ++fp;
    else if (truth) ++fn;
  }
};

struct PlantedStore {
  Feed feed;
  json truth;
  std::map<std::string, const json*> influencer_truth;
};

PlantedStore generate_store(std::uint64_t seed, std::size_t influencers) {
  GenerateOptions options;
  options.seed = seed;
  options.influencers = influencers;
  options.products = 24;
  options.ugc = 1500;
  std::string feed_text, truth_text;
  generate_feed(options, [&](std::string_view s) { feed_text.append(s); },
                [&](std::string_view s) { truth_text.append(s); });
  FeedLoadResult loaded = load_feed(feed_text);
  if (!loaded.ok()) {
    std::fprintf(stderr, "seed %llu: the generated feed did not load\n", static_cast<unsigned long long>(seed));
    std::exit(1);
  }
  PlantedStore store{std::move(*loaded.feed), json::parse(truth_text), {}};
  for (const auto& t : store.truth["influencers"]) store.influencer_truth[t["id"].get<std::string>()] = &t;
  return store;
}

bool labelled(const json& truth, const std::string& label) {
  for (const auto& l : truth["labels"])
    if (l == label) return true;
  return false;
}

bool fake(const json& truth) {
  for (const auto& l : truth["labels"])
    if (kFakeLabels.count(l.get<std::string>())) return true;
  return false;
}

// ---- Flags ----------------------------------------------------------------

void count_flags(const PlantedStore& store, std::map<std::string, Counts>& per_flag, std::map<std::string, Counts>& per_label) {
  for (const auto& inf : store.feed.influencers) {
    const json& truth = *store.influencer_truth.at(inf.id);
    Authenticity a = assess_authenticity(inf, engagement_rate(inf, kNow), kNow, {}, false);
    std::map<std::string, bool> said_label;
    for (const auto& [flag, label] : kFlagLabels) {
      bool said = a.has(flag);
      per_flag[flag].add(said, labelled(truth, label));
      said_label[label] = said_label[label] || said;
    }
    for (const auto& [label, said] : said_label) per_label[label].add(said, labelled(truth, label));
  }
}

// ---- True value of an influencer for a brief --------------------------------

// Share of the audience inside the brief's targets in one dimension: Σ_k p_k
// · t_k / max t (a country the brief weights 0.3 against 0.7 counts 3/7).
double in_target(const Distribution& target, const Distribution& audience) {
  double top = 0, have = 0, sum = 0;
  for (const auto& [k, t] : target) top = std::max(top, t);
  for (const auto& [k, p] : audience) have += p;
  if (top <= 0) return 1.0;
  if (have <= 0) return 0.0;
  for (const auto& [k, t] : target)
    if (auto it = audience.find(k); it != audience.end()) sum += it->second / have * t / top;
  return sum;
}

// True value = the goal's true result per post (reach, engagements or orders
// from the real audience) × niche relevance (the brief's niche fit) × the
// share of the audience in the brief's targets (countries × ages × genders).
double true_value(const Influencer& inf, const json& truth, const Brief& brief) {
  const json& per_post = truth["per_post"];
  double base = brief.goal == Goal::Reach         ? per_post["reach"].get<double>()
                : brief.goal == Goal::Engagement ? per_post["engagements"].get<double>()
                                                  : per_post["orders"].get<double>();
  double niche = brief.niches.empty() ? 1.0 : niche_fit(brief.niches, inf.niches, false).score;
  return base * niche * in_target(brief.countries, inf.audience.countries) *
         in_target(brief.ages, inf.audience.ages) * in_target(brief.genders, inf.audience.genders);
}

// Past results the store knows: for about half the roster, orders out of
// clicks from five past posts, drawn from the true click-through and
// conversion rates.
json simulated_history(const PlantedStore& store, SplitMix64& rng) {
  json history = json::object();
  for (const auto& inf : store.feed.influencers) {
    if (!rng.chance(0.5)) continue;
    const json& t = *store.influencer_truth.at(inf.id);
    double clicks = 5 * t["per_post"]["engagements"].get<double>() * t["click_through_rate"].get<double>();
    auto n = static_cast<std::int64_t>(std::llround(clicks));
    double p = t["conversion_rate"].get<double>();
    std::int64_t orders = 0;
    if (n <= 5000) {
      for (std::int64_t k = 0; k < n; ++k) orders += rng.chance(p);
    } else {  // normal approximation of the binomial
      double o = double(n) * p + std::sqrt(double(n) * p * (1 - p)) * rng.normal();
      orders = std::clamp<std::int64_t>(std::llround(o), 0, n);
    }
    history[inf.id] = {{"orders", orders}, {"clicks", n}};
  }
  return history;
}

// The briefs of one seed: each niche in turn leads, each goal and audience
// shape appears.
std::vector<json> briefs_for(std::uint64_t seed, const PlantedStore& store, SplitMix64& rng) {
  static const char* kNicheNames[] = {"hiking", "camping", "running", "yoga", "skincare", "coffee"};
  const char* lead = kNicheNames[seed % 6];
  const char* second = kNicheNames[(seed + 1) % 6];
  std::vector<json> briefs;
  briefs.push_back({{"niches", {{lead, 1}, {second, 0.3}}},
                    {"countries", {{"US", 1}, {"CA", 1}}},
                    {"budget", {{"amount", 3000}, {"currency", "USD"}}},
                    {"goal", "engagement"}});
  briefs.push_back({{"niches", {{lead, 1}}},
                    {"countries", {{"US", 0.7}, {"GB", 0.3}}},
                    {"ages", {{"25-34", 1}, {"35-44", 0.5}}},
                    {"budget", {{"amount", 5000}, {"currency", "USD"}}},
                    {"goal", "conversions"},
                    {"history", simulated_history(store, rng)}});
  briefs.push_back({{"niches", {{second, 1}, {lead, 0.5}}},
                    {"countries", {{"DE", 1}, {"FR", 1}, {"GB", 1}}},
                    {"budget", {{"amount", 8000}, {"currency", "USD"}}},
                    {"goal", "reach"}});
  briefs.push_back({{"niches", {{lead, 1}}}, {"budget", {{"amount", 2000}, {"currency", "USD"}}}, {"goal", "engagement"}});
  for (auto& b : briefs) b["limit"] = kMaxShortlist;
  return briefs;
}

// ---- Ranking and plans ------------------------------------------------------

double ndcg(const std::vector<double>& gains_in_rank_order) {
  auto dcg = [](const std::vector<double>& g) {
    double s = 0;
    for (std::size_t i = 0; i < std::min(kTop, g.size()); ++i) s += g[i] / std::log2(double(i) + 2.0);
    return s;
  };
  std::vector<double> ideal = gains_in_rank_order;
  std::sort(ideal.rbegin(), ideal.rend());
  double best = dcg(ideal);
  return best > 0 ? dcg(gains_in_rank_order) / best : 1.0;
}

struct PlanOutcome {
  double value = 0;       // realised true value, Σ over the plan
  double spent = 0;       // minor units
  double spent_fake = 0;  // minor units spent on planted fakes
};

// Sums over briefs; value ratios are summed per brief (each brief weighs
// the same, whatever its goal's unit) and printed as means.
struct BriefTotals {
  double ndcg_engine = 0, ndcg_followers = 0, ndcg_per_cost = 0;
  PlanOutcome plan, naive, naive_skipping, random;
  double vs_naive = 0, vs_naive_skipping = 0, vs_random = 0;
  int briefs = 0, plan_beats_naive = 0, plan_beats_skipping = 0;
  double budget = 0;  // minor units, summed
};

PlanOutcome outcome_of(const std::vector<const Influencer*>& chosen, const PlantedStore& store,
                       const std::map<std::string, double>& value) {
  PlanOutcome o;
  for (const Influencer* inf : chosen) {
    o.value += value.at(inf->id);
    auto cost = static_cast<double>(inf->rate->amount.minor);
    o.spent += cost;
    if (fake(*store.influencer_truth.at(inf->id))) o.spent_fake += cost;
  }
  return o;
}

// Walks the candidates in order and buys each until one no longer fits
// what is left (the money has run out), or, skipping, buys every one that
// still fits.
std::vector<const Influencer*> buy_in_order(const std::vector<const Influencer*>& order, std::int64_t budget,
                                            bool skipping) {
  std::vector<const Influencer*> chosen;
  for (const Influencer* inf : order) {
    if (!inf->rate || inf->rate->amount.currency != "USD" || inf->rate->amount.minor <= 0) continue;
    if (inf->rate->amount.minor > budget) {
      if (skipping) continue;
      break;
    }
    budget -= inf->rate->amount.minor;
    chosen.push_back(inf);
  }
  return chosen;
}

void evaluate_brief(const PlantedStore& store, const json& brief_json, SplitMix64& rng, BriefTotals& totals) {
  Brief brief = parse_brief(brief_json);
  MatchResult result = match(store.feed, brief, kNow);
  std::map<std::string, double> value;
  for (const auto& inf : store.feed.influencers)
    value[inf.id] = true_value(inf, *store.influencer_truth.at(inf.id), brief);

  std::vector<const Influencer*> ranked;
  std::vector<double> gains;
  for (const auto& m : result.ranked) {
    ranked.push_back(m.influencer);
    gains.push_back(value[m.influencer->id]);
  }
  totals.ndcg_engine += ndcg(gains);
  std::vector<double> per_cost;  // true value per unit of money (what a budget buys)
  for (const auto& m : result.ranked)
    per_cost.push_back(m.influencer->rate && m.influencer->rate->amount.minor > 0
                           ? value[m.influencer->id] / double(m.influencer->rate->amount.minor)
                           : 0.0);
  totals.ndcg_per_cost += ndcg(per_cost);
  std::vector<const Influencer*> by_followers = ranked;
  std::stable_sort(by_followers.begin(), by_followers.end(),
                   [](const Influencer* a, const Influencer* b) { return a->followers > b->followers; });
  std::vector<double> follower_gains;
  for (const Influencer* inf : by_followers) follower_gains.push_back(value[inf->id]);
  totals.ndcg_followers += ndcg(follower_gains);

  auto budget = static_cast<std::int64_t>(std::llround(brief.budget->amount * 100));
  std::vector<const Influencer*> planned;
  for (const auto& id : result.plan.influencers) planned.push_back(store.feed.find_influencer(id));
  PlanOutcome plan = outcome_of(planned, store, value);
  PlanOutcome naive = outcome_of(buy_in_order(ranked, budget, false), store, value);
  PlanOutcome skipping = outcome_of(buy_in_order(ranked, budget, true), store, value);
  PlanOutcome random;
  for (int r = 0; r < kRandomPlans; ++r) {
    std::vector<const Influencer*> shuffled = ranked;
    for (std::size_t i = shuffled.size(); i > 1; --i) std::swap(shuffled[i - 1], shuffled[rng.below(i)]);
    PlanOutcome o = outcome_of(buy_in_order(shuffled, budget, true), store, value);
    random.value += o.value / kRandomPlans;
    random.spent += o.spent / kRandomPlans;
    random.spent_fake += o.spent_fake / kRandomPlans;
  }
  auto add = [](PlanOutcome& to, const PlanOutcome& o) {
    to.value += o.value;
    to.spent += o.spent;
    to.spent_fake += o.spent_fake;
  };
  add(totals.plan, plan);
  add(totals.naive, naive);
  add(totals.naive_skipping, skipping);
  add(totals.random, random);
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 1.0; };
  totals.vs_naive += ratio(plan.value, naive.value);
  totals.vs_naive_skipping += ratio(plan.value, skipping.value);
  totals.vs_random += ratio(plan.value, random.value);
  totals.budget += double(budget);
  totals.plan_beats_naive += plan.value >= naive.value;
  totals.plan_beats_skipping += plan.value >= skipping.value;
  ++totals.briefs;
}

// ---- Social proof -----------------------------------------------------------

struct SocialProofTotals {
  Counts spam, injection;
  long duplicates_planted = 0, shown_together = 0, pages = 0;
};

void evaluate_social_proof(const PlantedStore& store, SocialProofTotals& totals) {
  std::map<std::string, std::string> spam;  // id -> promotion | injection
  std::map<std::string, std::string> duplicate_of;
  for (const auto& u : store.truth["ugc"]) {
    if (u.contains("spam")) spam[u["id"]] = u["spam"];
    if (u.contains("near_duplicate_of")) duplicate_of[u["id"]] = u["near_duplicate_of"];
  }
  totals.duplicates_planted += static_cast<long>(duplicate_of.size());
  for (const auto& u : store.feed.ugc) {
    bool said = judge_spam(u.title, u.body).is_spam();
    auto it = spam.find(u.id);
    totals.spam.add(said, it != spam.end());
    if (it == spam.end() || it->second == "injection") totals.injection.add(said, it != spam.end());
  }
  for (const auto& p : store.feed.products)
    for (int limit : {6, 100}) {
      json out = social_proof_json(store.feed, {{"product", p.id}, {"now", "2026-11-01T00:00:00Z"}, {"limit", limit}});
      std::set<std::string> shown;
      for (const auto& item : out["items"]) shown.insert(item["id"].get<std::string>());
      for (const auto& id : shown)
        if (auto d = duplicate_of.find(id); d != duplicate_of.end() && shown.count(d->second)) ++totals.shown_together;
      ++totals.pages;
    }
}

// ---- Report -----------------------------------------------------------------

const char* meets(bool ok) { return ok ? "met" : "missed"; }

}  // namespace

int main(int argc, char** argv) {
  int seeds = argc > 1 ? std::atoi(argv[1]) : 20;
  std::size_t influencers = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 300;
  std::map<std::string, Counts> per_flag, per_label;
  BriefTotals totals;
  SocialProofTotals social;
  for (int s = 1; s <= seeds; ++s) {
    PlantedStore store = generate_store(static_cast<std::uint64_t>(s), influencers);
    SplitMix64 rng(static_cast<std::uint64_t>(s) * 7919);
    count_flags(store, per_flag, per_label);
    for (const json& brief : briefs_for(static_cast<std::uint64_t>(s), store, rng)) evaluate_brief(store, brief, rng, totals);
    evaluate_social_proof(store, social);
  }

  std::printf("== decisions on planted truth: %d seeds x %zu influencers, 24 products, 1,500 UGC items each\n\n",
              seeds, influencers);
  std::printf("| flag | planted label | precision | recall | target >= 0.95 |\n|---|---|---|---|---|\n");
  for (const auto& [flag, label] : kFlagLabels) {
    const Counts& c = per_flag[flag];
    std::printf("| %s | %s | %.3f (%ld/%ld) | %.3f (%ld/%ld) | %s |\n", flag.c_str(), label.c_str(), c.precision(),
                c.tp, c.tp + c.fp, c.recall(), c.tp, c.tp + c.fn,
                meets(c.precision() >= 0.95 && c.recall() >= 0.95));
  }
  for (const auto& [label, c] : per_label)
    std::printf("| any flag of %s | %s | %.3f (%ld/%ld) | %.3f (%ld/%ld) | %s |\n", label.c_str(), label.c_str(),
                c.precision(), c.tp, c.tp + c.fp, c.recall(), c.tp, c.tp + c.fn,
                meets(c.precision() >= 0.95 && c.recall() >= 0.95));

  double n = totals.briefs;
  std::printf("\n| ranking and plans (%d briefs) | figure |\n|---|---|\n", totals.briefs);
  std::printf("| NDCG@20 of the ranking against true value | %.3f |\n", totals.ndcg_engine / n);
  std::printf("| NDCG@20 of ranking by followers (reference) | %.3f |\n", totals.ndcg_followers / n);
  std::printf("| NDCG@20 of the ranking against true value per unit of money | %.3f |\n", totals.ndcg_per_cost / n);
  std::printf("| plan: realised true value / the naive plan's (top scores until one no longer fits), mean per brief | %.2fx (target >= 1.2: %s) |\n",
              totals.vs_naive / n, meets(totals.vs_naive / n >= 1.2));
  std::printf("| plan: the same / the naive plan that skips what no longer fits and goes on | %.2fx |\n",
              totals.vs_naive_skipping / n);
  std::printf("| plan: the same / random plans' (mean of %d per brief, skipping) | %.2fx |\n", kRandomPlans,
              totals.vs_random / n);
  std::printf("| briefs where the plan's value >= the naive plan's: stopping / skipping | %d / %d of %d |\n",
              totals.plan_beats_naive, totals.plan_beats_skipping, totals.briefs);
  std::printf("| budget spent: plan / naive / naive skipping / random | %.1f%% / %.1f%% / %.1f%% / %.1f%% |\n",
              100 * totals.plan.spent / totals.budget, 100 * totals.naive.spent / totals.budget,
              100 * totals.naive_skipping.spent / totals.budget, 100 * totals.random.spent / totals.budget);
  std::printf("| budget share on planted fakes: plan / naive / naive skipping / random | %.2f%% / %.2f%% / %.2f%% / %.2f%% (target 0: %s) |\n",
              100 * totals.plan.spent_fake / totals.budget, 100 * totals.naive.spent_fake / totals.budget,
              100 * totals.naive_skipping.spent_fake / totals.budget, 100 * totals.random.spent_fake / totals.budget,
              meets(totals.plan.spent_fake == 0));

  std::printf("\n| social proof | figure |\n|---|---|\n");
  std::printf("| spam verdicts: precision | %.3f (%ld/%ld) (target >= 0.95: %s) |\n", social.spam.precision(), social.spam.tp,
              social.spam.tp + social.spam.fp, meets(social.spam.precision() >= 0.95));
  std::printf("| spam verdicts: recall | %.3f (%ld/%ld) (target >= 0.95: %s) |\n", social.spam.recall(), social.spam.tp,
              social.spam.tp + social.spam.fn, meets(social.spam.recall() >= 0.95));
  std::printf("| injection attempts caught | %.3f (%ld/%ld) |\n", social.injection.recall(), social.injection.tp,
              social.injection.tp + social.injection.fn);
  std::printf("| planted near-duplicates shown together (%ld pages of 6 and 100) | %ld of %ld planted (target 0: %s) |\n",
              social.pages, social.shown_together, social.duplicates_planted, meets(social.shown_together == 0));
  return 0;
}
