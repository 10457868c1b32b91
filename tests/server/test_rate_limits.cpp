// The rate limits of `vouch serve` (server/rate_limit.hpp): token buckets per
// visitor, per client address and for all clients, and the client address
// behind trusted proxies. Times are Unix seconds given by the test.
#include <catch2/catch.hpp>

#include "rate_limit.hpp"

using namespace vouch::server;

TEST_CASE("A bucket holds a minute of its rate and refills continuously", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  // 5 a minute: a full bucket of 5; 3 + 2 empty it; one more token is 60 / 5 = 12 s away.
  std::vector<Charge> three = {{"visitor:v-1", 3, 5}}, two = {{"visitor:v-1", 2, 5}}, one = {{"visitor:v-1", 1, 5}};
  CHECK(buckets.take(three, t0).seconds == 0);
  CHECK(buckets.take(two, t0).seconds == 0);
  Wait wait = buckets.take(one, t0);
  CHECK(wait.seconds == 12);
  CHECK(wait.key == "visitor:v-1");
  CHECK(buckets.take(one, t0 + 11.9).seconds == 1);  // 0.99 tokens: still short, rounded up
  CHECK(buckets.take(one, t0 + 12).seconds == 0);
  // Another key has its own bucket.
  CHECK(buckets.take({{"visitor:v-2", 5, 5}}, t0).seconds == 0);
}

TEST_CASE("A batch is charged all or nothing", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  CHECK(buckets.take({{"visitor:a", 4, 5}}, t0).seconds == 0);  // a has 1 left
  // b could pay, a cannot: nothing is taken from b either.
  CHECK(buckets.take({{"visitor:b", 5, 5}, {"visitor:a", 2, 5}}, t0).seconds == 12);
  CHECK(buckets.take({{"visitor:b", 5, 5}}, t0).seconds == 0);
}

TEST_CASE("100 events from 100 invented visitors meet the per-address limit", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  IngestLimits limits;
  limits.per_visitor = 1200;
  limits.per_address = 60;
  limits.global = 0;  // off
  auto batch = [&](int first) {
    std::map<std::string, int> by_visitor;
    for (int v = first; v < first + 50; ++v) by_visitor["v-" + std::to_string(v)] = 1;
    return ingest_charges(limits, by_visitor, "203.0.113.7", 50);
  };
  // 60 tokens: 50 pass; the next 50 (all new visitors) need 40 more: 40 s.
  CHECK(buckets.take(batch(0), t0).seconds == 0);
  Wait wait = buckets.take(batch(50), t0);
  CHECK(wait.seconds == 40);
  CHECK(wait.key == "address:203.0.113.7");
  // Another address is not held back.
  std::map<std::string, int> other = {{"v-x", 1}};
  CHECK(buckets.take(ingest_charges(limits, other, "198.51.100.1", 1), t0).seconds == 0);
}

TEST_CASE("The global ceiling holds back every address once reached", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  IngestLimits limits;
  limits.per_visitor = 0;
  limits.per_address = 0;
  limits.global = 30;
  std::map<std::string, int> one = {{"v-1", 20}};
  CHECK(buckets.take(ingest_charges(limits, one, "203.0.113.1", 20), t0).seconds == 0);
  // 10 left; 20 more need 10 tokens: 20 s at 30 a minute.
  Wait wait = buckets.take(ingest_charges(limits, one, "203.0.113.2", 20), t0);
  CHECK(wait.seconds == 20);
  CHECK(wait.key == "global");
}

TEST_CASE("A batch larger than a bucket passes on a full bucket and leaves a debt", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  CHECK(buckets.take({{"address:a", 100, 60}}, t0).seconds == 0);
  // -40 tokens: one more needs 41 tokens, 41 s.
  CHECK(buckets.take({{"address:a", 1, 60}}, t0).seconds == 41);
}

TEST_CASE("wait() says how long without taking, and prune() forgets full buckets", "[limits]") {
  MemoryTokenBuckets buckets;
  const double t0 = 1'790'000'000;
  std::vector<Charge> failure = {{"admin:203.0.113.9", 1, 10}};
  for (int i = 0; i < 10; ++i) CHECK(buckets.take(failure, t0).seconds == 0);
  CHECK(buckets.wait(failure, t0).seconds == 6);  // 60 / 10
  CHECK(buckets.wait(failure, t0).seconds == 6);  // nothing taken
  buckets.prune(t0 + 60);                         // full again: forgotten
  CHECK(buckets.wait(failure, t0 + 60).seconds == 0);
}

TEST_CASE("The client address comes from X-Forwarded-For only through a trusted proxy", "[limits]") {
  const std::vector<std::string> proxies = {"10.0.0.2", "10.0.0.3"};
  // Not a proxy: the header is the client's word and is ignored.
  CHECK(client_address("198.51.100.4", "203.0.113.5", proxies) == "198.51.100.4");
  // Through our proxy: the entry it appended.
  CHECK(client_address("10.0.0.2", "203.0.113.5", proxies) == "203.0.113.5");
  // A client forging entries on the left gains nothing: the nearest untrusted entry counts.
  CHECK(client_address("10.0.0.2", "1.2.3.4, 203.0.113.5", proxies) == "203.0.113.5");
  // Two proxies in a row.
  CHECK(client_address("10.0.0.2", "203.0.113.5, 10.0.0.3", proxies) == "203.0.113.5");
  // A proxy without the header, or with only proxies in it.
  CHECK(client_address("10.0.0.2", "", proxies) == "10.0.0.2");
  CHECK(client_address("10.0.0.2", "10.0.0.3", proxies) == "10.0.0.3");
}
