#pragma once
// The rate limits' token buckets in table rate_buckets, so that every
// instance on one PostgreSQL database charges the same buckets: the limits
// per visitor, per address and in all, and the wrong-admin-token throttle,
// hold for the whole site, not per instance.
#include <atomic>

#include "rate_limit.hpp"
#include "sql.hpp"

namespace vouch::server {

class SqlTokenBuckets final : public TokenBuckets {
 public:
  explicit SqlTokenBuckets(SqlDatabase& db) : db_(db) {}
  // One transaction: the charged keys' rows are locked (created full when
  // new) in key order, then charged together or not at all.
  Wait take(const std::vector<Charge>& charges, double now) override { return charge(charges, now, true); }
  Wait wait(const std::vector<Charge>& charges, double now) override { return charge(charges, now, false); }
  // Forgets refilled buckets, at most every 10 seconds; never throws.
  void prune(double now) override;

 private:
  SqlDatabase& db_;
  std::atomic<double> last_prune_ = 0;
  Wait charge(const std::vector<Charge>& charges, double now, bool take);
};

}  // namespace vouch::server
