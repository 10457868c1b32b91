#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace vouch::server {

double RateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
  double seconds = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(per_minute_, bucket.tokens + seconds * per_minute_ / 60.0);
  bucket.updated = now;
  return bucket.tokens;
}

long RateLimiter::take(const std::map<std::string, int>& events_by_visitor, Clock::time_point now) {
  if (per_minute_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  double wait = 0;
  for (const auto& [visitor, count] : events_by_visitor) {
    auto [it, fresh] = buckets_.try_emplace(visitor, Bucket{per_minute_, now});
    double tokens = fresh ? it->second.tokens : refill(it->second, now);
    if (tokens < count) wait = std::max(wait, (count - tokens) * 60.0 / per_minute_);
  }
  if (wait > 0) return std::max(1L, static_cast<long>(std::ceil(wait)));
  for (const auto& [visitor, count] : events_by_visitor) buckets_[visitor].tokens -= count;
  return 0;
}

void RateLimiter::prune(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (refill(it->second, now) >= per_minute_)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace vouch::server
