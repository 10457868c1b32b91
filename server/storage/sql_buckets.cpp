#include "sql_buckets.hpp"

#include <algorithm>
#include <unordered_map>

namespace vouch::server {

namespace {

// "(?, ?, ?, ?), (?, ?, ?, ?)" for n rows of `columns` values.
std::string value_rows(std::size_t n, const std::string& row) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", " : "") + row;
  return out;
}

}  // namespace

Wait SqlTokenBuckets::charge(const std::vector<Charge>& charges, double now, bool take) {
  std::vector<Charge> charged;
  for (const Charge& c : charges)
    if (c.per_minute > 0) charged.push_back(c);
  if (charged.empty()) return {};
  // Key order: two instances lock the same rows in the same order (no deadlock).
  std::sort(charged.begin(), charged.end(), [](const Charge& a, const Charge& b) { return a.key < b.key; });
  charged.erase(std::unique(charged.begin(), charged.end(), [](const Charge& a, const Charge& b) { return a.key == b.key; }),
                charged.end());
  return in_transaction(db_, true, [&](SqlConnection& c) {
    // A new key's row is created full; an existing row is locked and read
    // as it is (the DO UPDATE changes only its rate).
    std::vector<SqlValue> params;
    for (const Charge& ch : charged) {
      params.emplace_back(ch.key);
      params.emplace_back(ch.per_minute);
      params.emplace_back(ch.per_minute);
      params.emplace_back(now);
    }
    std::unordered_map<std::string, Bucket> buckets;
    c.run("INSERT INTO rate_buckets (key, tokens, per_minute, updated) VALUES " +
              value_rows(charged.size(), "(?, ?, ?, ?)") +
              " ON CONFLICT (key) DO UPDATE SET per_minute = excluded.per_minute "
              "RETURNING key, tokens, per_minute, updated",
          params, [&](const SqlRow& r) { buckets[r.text(0)] = Bucket{r.real(1), r.real(2), r.real(3)}; });
    Wait wait = charge_buckets(buckets, charged, now, take);
    if (wait.seconds > 0 || !take) return wait;
    params.clear();
    for (const Charge& ch : charged) {
      const Bucket& b = buckets.at(ch.key);
      params.emplace_back(ch.key);
      params.emplace_back(b.tokens);
      params.emplace_back(b.updated);
    }
    c.run("UPDATE rate_buckets SET tokens = v.tokens, updated = v.updated FROM (VALUES " +
              value_rows(charged.size(), "(?::text, ?::float8, ?::float8)") +
              ") AS v (key, tokens, updated) WHERE rate_buckets.key = v.key",
          params);
    return wait;
  });
}

void SqlTokenBuckets::prune(double now) {
  if (now - last_prune_.load() < 10) return;
  last_prune_ = now;
  try {
    in_transaction(db_, true, [&](SqlConnection& c) {
      c.run("DELETE FROM rate_buckets WHERE tokens + (? - updated) * per_minute / 60 >= per_minute", {now});
    });
  } catch (const StoreError&) {
    // The database is away (restarting): forgetting full buckets can wait
    // for a later tick, and must not stop the housekeeping thread.
  }
}

}  // namespace vouch::server
