#pragma once
// The server's rate limits, all token buckets behind one small interface:
// events per visitor, per client address and for all clients together
// (POST /v1/events), and wrong admin tokens per address. Each bucket holds at
// most a minute of its rate (the burst) and refills continuously.
//
// MemoryTokenBuckets keeps them in this process (SQLite: one machine); on
// PostgreSQL the store keeps them in a table every instance shares
// (server/storage/sql_buckets.cpp), with the same arithmetic (charge_buckets).
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vouch::server {

// `tokens` from the bucket `key`, which refills at `per_minute`.
struct Charge {
  std::string key;  // "visitor:v-1", "address:203.0.113.7", "global", "admin:203.0.113.7"
  double tokens = 1;
  double per_minute = 0;
};

struct Wait {
  long seconds = 0;  // 0: passed
  std::string key;   // the bucket that was short
};

class TokenBuckets {
 public:
  virtual ~TokenBuckets() = default;
  // Takes every charge, all or nothing. `now` is Unix time in seconds (a
  // clock several instances share).
  virtual Wait take(const std::vector<Charge>& charges, double now) = 0;
  // How long until every charge would pass, taking nothing.
  virtual Wait wait(const std::vector<Charge>& charges, double now) = 0;
  // Forgets buckets that are full again (bounded memory). Never throws: it
  // runs on the housekeeping thread.
  virtual void prune(double now) = 0;
};

struct Bucket {
  double tokens = 0;
  double per_minute = 0;
  double updated = 0;  // Unix time of `tokens`
};

// The charges against the buckets' state (a key not in it is a full bucket):
// how long until every charge would pass; when none is short and `take`,
// takes them all (updating `buckets`).
Wait charge_buckets(std::unordered_map<std::string, Bucket>& buckets, const std::vector<Charge>& charges, double now,
                    bool take);
// Whether a bucket has refilled to its full minute (then it can be forgotten).
bool bucket_full(const Bucket& bucket, double now);

class MemoryTokenBuckets final : public TokenBuckets {
 public:
  Wait take(const std::vector<Charge>& charges, double now) override;
  Wait wait(const std::vector<Charge>& charges, double now) override;
  void prune(double now) override;

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// Events per minute; 0 turns a limit off.
struct IngestLimits {
  double per_visitor = 1200;
  double per_address = 6000;
  double global = 120000;
};

// What one batch costs: a token per accepted event from its visitor's
// bucket, and a token per event (refused ones too: judging them costs the
// server as much) from the client address's bucket and the global one.
std::vector<Charge> ingest_charges(const IngestLimits& limits, const std::map<std::string, int>& events_by_visitor,
                                   const std::string& address, int events);

// The client's address: the peer, or, when the peer is one of the trusted
// proxies, the nearest X-Forwarded-For entry that is not a trusted proxy
// itself (entries further left are the client's word and can be forged).
std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace vouch::server
