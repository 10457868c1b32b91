#pragma once
// Follower tiers and their typical engagement rates. Engagement is judged
// within a tier because it falls as accounts grow: a 3% rate is ordinary for
// a nano account and remarkable for a mega one.
#include <cstdint>
#include <string_view>

namespace vouch {

// nano < 10k, micro < 100k, mid < 500k, macro < 1M, mega (PRODUCT.md).
enum class Tier { Nano, Micro, Mid, Macro, Mega };

constexpr Tier tier_of(std::int64_t followers) {
  if (followers < 10'000) return Tier::Nano;
  if (followers < 100'000) return Tier::Micro;
  if (followers < 500'000) return Tier::Mid;
  if (followers < 1'000'000) return Tier::Macro;
  return Tier::Mega;
}

constexpr std::string_view to_string(Tier tier) {
  switch (tier) {
    case Tier::Nano: return "nano";
    case Tier::Micro: return "micro";
    case Tier::Mid: return "mid";
    case Tier::Macro: return "macro";
    case Tier::Mega: return "mega";
  }
  return "mega";
}

// Typical engagement rate per post, (likes + comments + shares) / followers.
// Approximate industry figures, rounded: benchmark reports (HypeAuditor,
// "State of Influencer Marketing"; Influencer Marketing Hub, "Influencer
// Marketing Benchmark Report", 2023-2024 editions) put nano accounts at a few
// percent and show the rate falling steadily with size to under 1% for the
// largest accounts. They are norms to compare against, not measurements; the
// demo generator uses the same values.
constexpr double tier_engagement_norm(Tier tier) {
  switch (tier) {
    case Tier::Nano: return 0.050;
    case Tier::Micro: return 0.030;
    case Tier::Mid: return 0.018;
    case Tier::Macro: return 0.012;
    case Tier::Mega: return 0.008;
  }
  return 0.008;
}

}  // namespace vouch
