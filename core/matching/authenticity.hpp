#pragma once
// Authenticity: signs of bought followers, engagement pods and ad-heavy
// accounts, each a flag with a stable name and a reason with the numbers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.hpp"
#include "feed/feed.hpp"
#include "matching/tiers.hpp"

namespace vouch {

struct AuthenticityFlag {
  std::string name;    // follower_spike, engagement_too_low, engagement_too_high,
                       // low_comment_ratio, following_ratio, mostly_sponsored
  std::string reason;  // e.g. "follower_spike: followers rose 34.6% ..."
  double penalty = 0;  // share of the score the flag takes away
};

struct Authenticity {
  double score = 1.0;  // Π (1 − penalty) over raised flags
  std::vector<AuthenticityFlag> flags;
  // follower_spike: followers the spike added beyond the account's trend
  // (the estimate of bought followers the evidence leaves out).
  double spike_followers = 0;
  bool has(std::string_view flag) const;
  // A flag that says the numbers are inflated (every flag but mostly_sponsored):
  // the plan does not buy such an account unless the brief allows it.
  bool inflated() const;
};

// Thresholds and penalties (docs/matching.md explains each choice).
struct AuthenticityRules {
  double spike_excess = 0.20;         // growth beyond the own trend in one interval
  std::size_t spike_min_points = 4;   // history points needed to know a trend
  double spike_penalty = 0.5;
  double low_engagement_ratio = 0.25;  // rate below a quarter of the tier norm
  double low_engagement_penalty = 0.4;
  double high_engagement_ratio = 3.0;  // rate above three times the tier norm
  double high_engagement_penalty = 0.3;
  double min_comment_ratio = 0.01;  // comments per like
  std::int64_t comment_ratio_min_likes = 100;
  double comment_ratio_penalty = 0.2;
  double following_ratio = 0.5;  // following / followers
  std::int64_t following_min = 2000;
  double following_penalty = 0.2;
  double sponsored_share = 0.5;  // share of recent posts marked sponsored
  std::size_t sponsored_min_posts = 4;
  double sponsored_penalty = 0.15;
};

// The posts engagement is measured on: the kRecentPosts most recent at or
// before now, newest first (ties: feed order).
constexpr std::size_t kRecentPosts = 12;
std::vector<const Post*> recent_posts(const Influencer& influencer, Timestamp now);

// rate: the engagement rate of engagement_rate(), nullopt when unknown.
// explain = false leaves the reasons empty (names and score are the same).
Authenticity assess_authenticity(const Influencer& influencer, std::optional<double> rate,
                                 Timestamp now, const AuthenticityRules& rules = {}, bool explain = true);

}  // namespace vouch
