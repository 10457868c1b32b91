#pragma once
// Influencer matching and budget planning (engine 1): rank a roster against a
// campaign brief, explain every score, and plan a set that fits the budget.
// Formulas, defaults and sources: docs/matching.md.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/money.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "input/json_tape.hpp"
#include "matching/authenticity.hpp"
#include "matching/planner.hpp"
#include "matching/tiers.hpp"

namespace vouch {

// The JSON entry point shared by the CLI, the server and the wasm boundary.
// brief: the brief of PRODUCT.md. Returns {"ranked": [...], "plan": {...},
// "filtered": [...]}. Throws VouchException (codes "brief.*") for a bad brief.
nlohmann::json match_json(const Feed& feed, const nlohmann::json& brief, Timestamp now);
// The same on a recorded brief (input/json_tape.hpp), as text is read.
nlohmann::json match_json(const Feed& feed, const JsonValue& brief, Timestamp now);

// ---- The typed API beneath it -------------------------------------------

enum class Goal { Conversions, Reach, Engagement };

// The default relevance floor of the plan: a fifth of a perfect niche fit
// (docs/matching.md explains the choice).
constexpr double kDefaultMinNicheFit = 0.2;
std::string_view to_string(Goal goal);

// Past referral results of one influencer for this store (from attribution):
// orders attributed out of clicks on their links.
struct ConversionHistory {
  std::int64_t orders = 0;
  std::int64_t clicks = 0;
};

struct Brief {
  std::map<std::string, double> niches;  // lower-cased niche -> weight in [0,1]
  Distribution countries;                // targets, each in [0,1]; normalised when used
  Distribution ages;
  Distribution genders;
  struct Budget {
    double amount = 0;     // major units, >= 0
    std::string currency;  // ISO 4217; empty means the store's currency
  };
  std::optional<Budget> budget;  // without one, no plan is made
  Goal goal = Goal::Engagement;
  std::optional<std::int64_t> followers_min;
  std::optional<std::int64_t> followers_max;
  std::size_t limit = 20;
  std::set<std::string> exclude;
  std::map<std::string, ConversionHistory> history;  // influencer id -> results
  // The plan's floor (docs/matching.md, "The plan"): an influencer whose
  // numbers a flag calls inflated is bought only with allow_flagged; one whose
  // niche fit is below min_niche_fit (when the brief names niches) never.
  bool allow_flagged = false;
  double min_niche_fit = kDefaultMinNicheFit;
};

// Validates and converts a brief. Throws VouchException: brief.invalid_type,
// brief.out_of_range or brief.invalid_value, with the JSON Pointer of the fault.
Brief parse_brief(const JsonValue& brief);
Brief parse_brief(const nlohmann::json& brief);

// Component weights of the score for a goal; they sum to 1.
struct Weights {
  double niche, audience, engagement, authenticity, cost, proven;
};
Weights goal_weights(Goal goal);

struct Components {
  double niche = 0.5;
  double audience = 0.5;
  double engagement = 0.5;
  double authenticity = 1.0;
  double cost = 0.5;
  double proven = 0.5;
};

// A component with the sentence that explains it.
struct Explained {
  double score = 0.5;
  std::string reason;
};

// Niche fit: brief-weighted mean of the influencer's strength in each niche
// the brief asks for, Σ b_k·w_k / Σ b_k (keys compared case-insensitively).
// explain = false skips building the reason (the score is the same).
Explained niche_fit(const std::map<std::string, double>& brief_niches,
                    const std::map<std::string, double>& influencer_niches, bool explain = true);

// Audience fit: per dimension the brief targets, Σ_k min(p_k, t_k) = 1 − total
// variation distance between the influencer's audience p and the target t,
// both normalised to sum to 1; dimensions weighted countries 0.5, ages 0.25,
// genders 0.25 over those the brief sets. A dimension the influencer has no
// data for counts as neutral 0.5 and is said so.
Explained audience_fit(const Brief& brief, const Audience& audience, bool explain = true);

// The share of the audience inside the brief's targets, what the plan
// counts: per dimension Σ_k p_k · t_k / max_j t_j (a country the brief weights
// 0.3 against a top 0.7 counts 3/7 of a person), multiplied over the
// dimensions the brief targets; 0.5 for a dimension without data.
double audience_in_target(const Brief& brief, const Audience& audience);

// Engagement rate over the (at most 12) most recent posts at or before now:
// Σ(likes + comments + shares) / (posts × followers). nullopt without posts
// or followers.
std::optional<double> engagement_rate(const Influencer& influencer, Timestamp now);

// Proven results: the influencer's conversion rate shrunk toward the store
// average with a Beta prior (see proven_results in matching.cpp).
struct Proven {
  double score = 0.5;  // lift / (1 + lift); 0.5 = store average or unknown
  double lift = 1.0;   // posterior rate / store rate
  std::string reason;
};
// store_rate: pooled orders/clicks of the history map (0 when unknown).
Proven proven_results(const std::optional<ConversionHistory>& own, double store_rate, bool explain = true);

// What the flags leave standing of an influencer's numbers: the followers
// who plausibly are a real audience and the engagement that is plausibly
// organic (docs/matching.md, "Flags change the evidence").
struct Evidence {
  double followers = 0;             // the plausible audience
  double engagements = 0;           // per post, plausible
  std::optional<double> rate;       // plausible engagements / stated followers; nullopt without posts
  std::optional<double> measured_rate;  // as the posts show it
  std::vector<std::string> discounts;   // what was discounted and by how much, for a person
};

struct Expected {
  double reach = 0;        // people reached per post, from the plausible evidence
  double engagements = 0;  // engagements per post, plausible
  std::optional<double> cost_per_engagement;  // rate / engagements, major units
  double value = 0;  // what the goal counts: reach, engagements, or engagements × lift
};

struct Match {
  const Influencer* influencer = nullptr;
  Tier tier = Tier::Nano;
  double score = 0;
  Components components;
  std::vector<std::string> flags;
  Expected expected;
  Evidence evidence;
  std::vector<std::string> reasons;
  bool in_plan = false;
};

struct FilteredOut {
  std::string influencer;
  std::string reason;   // stable code: excluded, followers_out_of_range, currency_mismatch, over_budget;
                        // for the plan's left_out: flagged, below_niche_floor, no_rate, no_value,
                        // does_not_fit, not_chosen, beyond_candidates
  std::string message;  // the same, for a person
};

struct PlanSummary {
  std::vector<std::string> influencers;  // in the order the planner picked them
  std::int64_t cost_minor = 0;
  std::string currency;
  double expected_reach = 0;        // sum over the plan, before overlap
  double expected_engagements = 0;  // sum over the plan, before overlap
  double value = 0;                 // the planner's objective with overlap discounted
  PlanMethod method = PlanMethod::None;
  std::size_t candidates = 0;  // how many influencers the planner considered
  std::int64_t unspent_minor = 0;  // budget − cost
  std::string unspent_reason;      // why the rest stays unspent, for a person (empty when none is left)
  std::vector<FilteredOut> left_out;  // the ranked entries not in the plan, in rank order, and why
};

struct MatchResult {
  std::vector<Match> ranked;  // best first, at most brief.limit
  PlanSummary plan;
  std::vector<FilteredOut> filtered;  // in feed order, at most kMaxFilteredListed
  std::size_t filtered_total = 0;
  std::size_t considered = 0;  // influencers that passed the hard filters
};

// The plan considers the best kPlanCandidates by score (see docs/matching.md).
constexpr std::size_t kPlanCandidates = 500;
constexpr std::size_t kMaxFilteredListed = 1000;
constexpr std::size_t kMaxShortlist = 1000;

MatchResult match(const Feed& feed, const Brief& brief, Timestamp now);

nlohmann::json to_json(const MatchResult& result, const Brief& brief);

}  // namespace vouch
