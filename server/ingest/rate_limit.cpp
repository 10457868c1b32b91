#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace vouch::server {

namespace {

// Tokens after refilling at per_minute since `updated`, capped at a minute's worth.
double refilled(double tokens, double per_minute, double updated, double now) {
  double seconds = std::max(0.0, now - updated);
  return std::min(per_minute, tokens + seconds * per_minute / 60.0);
}

}  // namespace

Wait charge_buckets(std::unordered_map<std::string, Bucket>& buckets, const std::vector<Charge>& charges, double now,
                    bool take) {
  Wait longest;
  double most = 0;
  for (const Charge& c : charges) {
    if (c.per_minute <= 0) continue;
    auto it = buckets.find(c.key);
    double tokens = it == buckets.end() ? c.per_minute
                                        : refilled(it->second.tokens, c.per_minute, it->second.updated, now);
    // A charge larger than the bucket can ever hold passes on a full bucket
    // (and leaves it in debt, repaid as it refills).
    double need = std::min(c.tokens, c.per_minute);
    if (tokens < need) {
      double seconds = (need - tokens) * 60.0 / c.per_minute;
      if (seconds > most) most = seconds, longest.key = c.key;
    }
  }
  if (most > 0) longest.seconds = std::max(1L, static_cast<long>(std::ceil(most)));
  if (longest.seconds > 0 || !take) return longest;
  for (const Charge& c : charges) {
    if (c.per_minute <= 0) continue;
    auto [it, fresh] = buckets.try_emplace(c.key, Bucket{c.per_minute, c.per_minute, now});
    Bucket& b = it->second;
    if (!fresh) b.tokens = refilled(b.tokens, c.per_minute, b.updated, now);
    b.per_minute = c.per_minute;
    b.updated = now;
    b.tokens -= c.tokens;
  }
  return {};
}

bool bucket_full(const Bucket& b, double now) { return refilled(b.tokens, b.per_minute, b.updated, now) >= b.per_minute; }

Wait MemoryTokenBuckets::take(const std::vector<Charge>& charges, double now) {
  std::lock_guard lock(mutex_);
  return charge_buckets(buckets_, charges, now, true);
}

Wait MemoryTokenBuckets::wait(const std::vector<Charge>& charges, double now) {
  std::lock_guard lock(mutex_);
  return charge_buckets(buckets_, charges, now, false);
}

void MemoryTokenBuckets::prune(double now) {
  std::lock_guard lock(mutex_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (bucket_full(it->second, now))
      it = buckets_.erase(it);
    else
      ++it;
  }
}

std::vector<Charge> ingest_charges(const IngestLimits& limits, const std::map<std::string, int>& events_by_visitor,
                                   const std::string& address, int events) {
  std::vector<Charge> charges;
  for (const auto& [visitor, count] : events_by_visitor)
    charges.push_back({"visitor:" + visitor, static_cast<double>(count), limits.per_visitor});
  charges.push_back({"address:" + address, static_cast<double>(events), limits.per_address});
  charges.push_back({"global", static_cast<double>(events), limits.global});
  return charges;
}

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  // "client, proxy1, proxy2": walk from the right, past our own proxies.
  std::string address = peer;
  std::size_t end = forwarded_for.size();
  while (end > 0) {
    std::size_t comma = forwarded_for.rfind(',', end - 1);
    std::size_t start = comma == std::string::npos ? 0 : comma + 1;
    std::string entry = forwarded_for.substr(start, end - start);
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (!entry.empty()) {
      address = entry;
      if (!trusted(entry)) break;
    }
    if (comma == std::string::npos) break;
    end = comma;
  }
  return address;
}

}  // namespace vouch::server
