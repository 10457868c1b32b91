#include "matching/authenticity.hpp"

#include <algorithm>
#include <cmath>

#include "common/sorting.hpp"
#include "matching/reason_format.hpp"

namespace vouch {

std::vector<const Post*> recent_posts(const Influencer& influencer, Timestamp now) {
  std::vector<const Post*> posts;
  for (const auto& p : influencer.recent_posts)
    if (p.at <= now) posts.push_back(&p);
  stable_sort_by(posts, [](const Post* a, const Post* b) { return a->at > b->at; });
  if (posts.size() > kRecentPosts) posts.resize(kRecentPosts);
  return posts;
}

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// A follower-growth spike: one interval whose growth exceeds what the
// account's own trend predicts for it by more than rules.spike_excess.
// Growth is measured in logs so that intervals compose: the trend is the
// median monthly log-growth over all intervals (the median ignores the
// spike itself), and an interval of d days is expected to grow by
// trend · d / 30. Bought followers arrive in one jump; organic growth, even
// fast, follows its trend.
std::optional<AuthenticityFlag> follower_spike(const Influencer& inf, const AuthenticityRules& rules,
                                               bool explain, double& spike_followers) {
  std::vector<FollowerCount> points;
  for (const auto& p : inf.follower_history)
    if (p.followers > 0) points.push_back(p);
  stable_sort_by(points, [](const FollowerCount& a, const FollowerCount& b) { return a.date < b.date; });
  struct Interval {
    std::size_t from;
    double days, jump;
  };
  std::vector<Interval> intervals;
  std::vector<double> monthly;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    double days = static_cast<double>(points[i + 1].date - points[i].date) / kSecondsPerDay;
    if (days <= 0) continue;
    double jump = std::log(static_cast<double>(points[i + 1].followers) /
                           static_cast<double>(points[i].followers));
    intervals.push_back({i, days, jump});
    monthly.push_back(jump * 30.0 / days);
  }
  if (intervals.size() + 1 < rules.spike_min_points) return std::nullopt;
  double trend = median(monthly);
  const Interval* worst = nullptr;
  double worst_excess = 0;
  for (const auto& iv : intervals) {
    double excess = iv.jump - trend * iv.days / 30.0;
    if (worst == nullptr || excess > worst_excess) {
      worst = &iv;
      worst_excess = excess;
    }
  }
  if (worst == nullptr || std::exp(worst_excess) - 1.0 < rules.spike_excess) return std::nullopt;
  const FollowerCount& a = points[worst->from];
  const FollowerCount& b = points[worst->from + 1];
  // The followers the interval added beyond its trend: b − a · e^(trend · d/30).
  spike_followers = static_cast<double>(b.followers) -
                    static_cast<double>(a.followers) * std::exp(trend * worst->days / 30.0);
  if (!explain) return AuthenticityFlag{"follower_spike", "", rules.spike_penalty};
  return AuthenticityFlag{
      "follower_spike",
      "follower_spike: followers rose " + reason::percent(std::exp(worst->jump) - 1.0) + " (" +
          reason::count(static_cast<double>(a.followers)) + " to " +
          reason::count(static_cast<double>(b.followers)) + ") between " + format_date(a.date) +
          " and " + format_date(b.date) + ", against a usual " +
          reason::percent(std::exp(trend) - 1.0) + " per 30 days; typical of bought followers",
      rules.spike_penalty};
}

}  // namespace

bool Authenticity::has(std::string_view flag) const {
  return std::any_of(flags.begin(), flags.end(), [&](const AuthenticityFlag& f) { return f.name == flag; });
}

bool Authenticity::inflated() const {
  return std::any_of(flags.begin(), flags.end(), [](const AuthenticityFlag& f) { return f.name != "mostly_sponsored"; });
}

Authenticity assess_authenticity(const Influencer& inf, std::optional<double> rate, Timestamp now,
                                 const AuthenticityRules& rules, bool explain) {
  Authenticity out;
  if (auto spike = follower_spike(inf, rules, explain, out.spike_followers)) out.flags.push_back(*spike);

  Tier tier = tier_of(inf.followers);
  double norm = tier_engagement_norm(tier);
  std::string tier_text = explain ? std::string(to_string(tier)) + "-tier norm of " + reason::percent(norm) : "";
  if (rate) {
    double ratio = *rate / norm;
    if (ratio < rules.low_engagement_ratio)
      out.flags.push_back({"engagement_too_low",
                           "engagement_too_low: engagement rate " + reason::percent(*rate, 2) + " is " +
                               reason::fixed(ratio, 2) + "x the " + tier_text +
                               "; most followers do not engage, typical of bought followers",
                           rules.low_engagement_penalty});
    if (ratio > rules.high_engagement_ratio)
      out.flags.push_back({"engagement_too_high",
                           "engagement_too_high: engagement rate " + reason::percent(*rate, 2) + " is " +
                               reason::fixed(ratio, 2) + "x the " + tier_text +
                               "; implausibly high, typical of engagement pods",
                           rules.high_engagement_penalty});
  }

  std::int64_t likes = 0, comments = 0, sponsored = 0;
  auto posts = recent_posts(inf, now);
  for (const Post* p : posts) {
    likes += p->likes;
    comments += p->comments;
    sponsored += p->sponsored ? 1 : 0;
  }
  if (likes >= rules.comment_ratio_min_likes) {
    double ratio = static_cast<double>(comments) / static_cast<double>(likes);
    if (ratio < rules.min_comment_ratio)
      out.flags.push_back({"low_comment_ratio",
                           "low_comment_ratio: " + reason::count(static_cast<double>(comments)) +
                               " comments for " + reason::count(static_cast<double>(likes)) +
                               " likes (" + reason::fixed(ratio * 100.0, 2) +
                               " per 100 likes, expected at least " +
                               reason::fixed(rules.min_comment_ratio * 100.0, 2) +
                               "); likes without conversation suggest automated engagement",
                           rules.comment_ratio_penalty});
  }

  if (inf.followers > 0 && inf.following >= rules.following_min) {
    double ratio = static_cast<double>(inf.following) / static_cast<double>(inf.followers);
    if (ratio >= rules.following_ratio)
      out.flags.push_back({"following_ratio",
                           "following_ratio: follows " + reason::count(static_cast<double>(inf.following)) +
                               " accounts against " + reason::count(static_cast<double>(inf.followers)) +
                               " followers (" + reason::fixed(ratio, 2) +
                               "); follow-for-follow growth inflates audiences",
                           rules.following_penalty});
  }

  if (posts.size() >= rules.sponsored_min_posts) {
    double share = static_cast<double>(sponsored) / static_cast<double>(posts.size());
    if (share > rules.sponsored_share)
      out.flags.push_back({"mostly_sponsored",
                           "mostly_sponsored: " + std::to_string(sponsored) + " of " +
                               std::to_string(posts.size()) + " recent posts are sponsored (" +
                               reason::percent(share, 0) + "); audiences trust ad-heavy feeds less",
                           rules.sponsored_penalty});
  }

  for (auto& f : out.flags) {
    out.score *= 1.0 - f.penalty;
    if (!explain) f.reason.clear();
  }
  return out;
}

}  // namespace vouch
