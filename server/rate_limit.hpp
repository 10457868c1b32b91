#pragma once
// Per-visitor token buckets for event ingest: each visitor may send
// `per_minute` events a minute, in bursts of up to `per_minute` events.
// In memory, per instance (see the scale-out note in docs/server.md).
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vouch::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // per_minute == 0 disables the limit.
  explicit RateLimiter(double per_minute) : per_minute_(per_minute) {}

  // Takes the tokens for every visitor of a batch, all or nothing. Returns 0
  // when taken, or the seconds to wait before the batch would pass.
  long take(const std::map<std::string, int>& events_by_visitor, Clock::time_point now = Clock::now());

  // Forgets visitors whose buckets are full again (bounded memory).
  void prune(Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  double refill(Bucket& bucket, Clock::time_point now) const;

  double per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace vouch::server
