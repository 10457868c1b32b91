// The demo-store generator: deterministic, valid, and realistic enough that
// the engines have something to find (tiers, critical reviews, spam, fakes).
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "feed/feed.hpp"
#include "feed/generate.hpp"

using namespace vouch;

namespace {
std::string generate(const GenerateOptions& o) {
  std::string out;
  generate_feed(o, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}
}  // namespace

TEST_CASE("splitmix64 matches the reference sequence", "[generate]") {
  // First output for seed 0 in Vigna's reference splitmix64.c.
  SplitMix64 rng(0);
  CHECK(rng.next() == 0xe220a8397b1dcdafULL);
  SplitMix64 a(42), b(42);
  for (int i = 0; i < 100; ++i) CHECK(a.next() == b.next());
  SplitMix64 u(7);
  for (int i = 0; i < 1000; ++i) {
    double x = u.uniform();
    CHECK((x >= 0.0 && x < 1.0));
  }
}

TEST_CASE("the same seed gives the same bytes, another seed another store", "[generate]") {
  GenerateOptions o;
  CHECK(generate(o) == generate(o));
  GenerateOptions other = o;
  other.seed = 2;
  CHECK(generate(o) != generate(other));
}

TEST_CASE("the generated demo feed is valid and sized as asked", "[generate]") {
  GenerateOptions o;
  o.products = 30;
  o.influencers = 50;
  o.ugc = 400;
  FeedLoadResult r = load_feed(generate(o));
  INFO((r.errors.empty() ? "" : r.errors[0].code + " " + r.errors[0].path + " " + r.errors[0].message));
  REQUIRE(r.ok());
  CHECK(r.feed->products.size() == 30);
  CHECK(r.feed->influencers.size() == 50);
  CHECK(r.feed->ugc.size() == 400);
  CHECK(r.feed->endorsements.size() >= 50);  // one to three per influencer
}

// Generated once: Catch2 runs a TEST_CASE again for each SECTION.
const Feed& large_generated_feed() {
  static const FeedLoadResult r = [] {
    GenerateOptions o;
    o.products = 12;
    o.influencers = 1000;
    o.ugc = 3000;
    return load_feed(generate(o));
  }();
  REQUIRE(r.ok());
  return *r.feed;
}

TEST_CASE("generated data has realistic distributions", "[generate]") {
  const Feed& f = large_generated_feed();

  SECTION("every follower tier is present in roughly the intended share") {
    // Intended shares: nano 35%, micro 40%, mid 15%, macro 7%, mega 3%.
    // With n = 1000 the standard error of a 35% share is sqrt(.35*.65/1000) = 1.5%,
    // so +-5 points (over 3 standard errors) still catches a broken mix.
    std::map<int, int> tiers;
    for (const auto& in : f.influencers) {
      int t = in.followers < 10'000 ? 0 : in.followers < 100'000 ? 1 : in.followers < 500'000 ? 2
              : in.followers < 1'000'000 ? 3 : 4;
      ++tiers[t];
    }
    CHECK(tiers[0] / 1000.0 == Approx(0.35).margin(0.05));
    CHECK(tiers[1] / 1000.0 == Approx(0.40).margin(0.05));
    CHECK(tiers[2] / 1000.0 == Approx(0.15).margin(0.05));
    CHECK(tiers[3] > 0);
    CHECK(tiers[4] > 0);
  }

  SECTION("ratings are J-shaped, not all fives") {
    std::map<int, int> ratings;
    int rated = 0;
    for (const auto& u : f.ugc)
      if (u.rating) {
        ++ratings[*u.rating];
        ++rated;
      }
    // Intended: 5 -> 55%, 4 -> 20%, 3 -> 9%, 2 -> 6%, 1 -> 10%, and spam (3%) rates 5.
    CHECK(ratings[5] / double(rated) == Approx(0.56).margin(0.05));
    CHECK((ratings[1] + ratings[2] + ratings[3]) / double(rated) == Approx(0.245).margin(0.05));
    CHECK(ratings[1] > ratings[2]);  // the J: more 1s than 2s
  }

  SECTION("moderation has work: pending, rejected, spam with links and phones") {
    int pending = 0, rejected = 0, links = 0, phones = 0;
    for (const auto& u : f.ugc) {
      pending += u.status == UgcStatus::Pending;
      rejected += u.status == UgcStatus::Rejected;
      links += u.body.find("http") != std::string::npos;
      phones += u.body.find("555") != std::string::npos;
    }
    CHECK(pending > 0);
    CHECK(rejected > 0);
    CHECK(links > 0);
    CHECK(phones > 0);
  }

  SECTION("some reviews are near-duplicates of another on the same product") {
    // A duplicate copies an earlier body of the same product and appends "!" or " Great.".
    std::map<std::string, std::set<std::string>> bodies;
    int near_duplicates = 0;
    for (const auto& u : f.ugc) {
      for (const char* suffix : {"!", " Great."}) {
        std::string s = suffix;
        if (u.body.size() > s.size() && u.body.compare(u.body.size() - s.size(), s.size(), s) == 0 &&
            bodies[u.product].count(u.body.substr(0, u.body.size() - s.size())))
          ++near_duplicates;
      }
      bodies[u.product].insert(u.body);
    }
    CHECK(near_duplicates > 0);
  }

  SECTION("several locales, and some items carry media") {
    std::set<std::string> locales;
    int with_media = 0;
    for (const auto& u : f.ugc) {
      locales.insert(u.locale);
      with_media += !u.media.empty();
    }
    CHECK(locales.size() >= 4);
    CHECK(with_media > 300);  // 20% non-reviews + 25% of reviews: about 800
  }

  SECTION("a few profiles bought followers: a month-on-month jump of over 30%") {
    int spikes = 0;
    for (const auto& in : f.influencers)
      for (std::size_t m = 1; m < in.follower_history.size(); ++m)
        if (in.follower_history[m].followers > in.follower_history[m - 1].followers * 13 / 10) {
          ++spikes;
          break;
        }
    // Intended 6% of 1000 = 60 fakes (standard error about 7.5).
    CHECK(spikes == Approx(60).margin(25));
  }
}

TEST_CASE("the truth file describes what was planted, and leaves the feed as it was", "[generate][truth]") {
  GenerateOptions o;
  o.products = 12;
  o.influencers = 1000;
  o.ugc = 3000;
  std::string feed_text, truth_text;
  generate_feed(o, [&](std::string_view s) { feed_text.append(s); }, [&](std::string_view s) { truth_text.append(s); });
  CHECK(feed_text == generate(o));  // the same bytes with or without a truth sink
  FeedLoadResult r = load_feed(feed_text);
  REQUIRE(r.ok());
  const Feed& f = *r.feed;
  nlohmann::json truth = nlohmann::json::parse(truth_text);
  REQUIRE(truth["influencers"].size() == f.influencers.size());

  std::map<std::string, int> labels;
  for (std::size_t i = 0; i < f.influencers.size(); ++i) {
    const Influencer& inf = f.influencers[i];
    const auto& t = truth["influencers"][i];
    REQUIRE(t["id"] == inf.id);
    CHECK(t["followers"] == inf.followers);
    for (const auto& l : t["labels"]) ++labels[l.get<std::string>()];
    auto has = [&](const char* label) { return std::find(t["labels"].begin(), t["labels"].end(), label) != t["labels"].end(); };
    std::int64_t real = t["real_followers"], bought = t["bought_followers"], follow_backs = t["follow_backs"];
    // real + bought + follow-backs make up the followers (each rounded).
    CHECK(std::llabs(real + bought + follow_backs - inf.followers) <= 2);
    if (has("bought_followers")) {
      // 15-75% of the followers arrived in one month: the history jumps by
      // at least that share on the day the truth names.
      CHECK(bought >= inf.followers * 15 / 100 - 1);
      bool found = false;
      for (std::size_t m = 1; m < inf.follower_history.size(); ++m)
        if (format_date(inf.follower_history[m].date) == t["bought_on"].get<std::string>())
          found = inf.follower_history[m].followers - inf.follower_history[m - 1].followers >= bought - 2;
      CHECK(found);
    } else {
      CHECK(bought == 0);
      CHECK(t["bought_on"].is_null());
    }
    if (has("engagement_pod")) CHECK(t["pod_inflation"].get<double>() >= 2.5);
    else CHECK(t["pod_inflation"] == 1.0);
    if (has("follow_for_follow")) CHECK(inf.following * 10 >= inf.followers * 3);  // follows >= 30% of its followers
    else CHECK(inf.following <= 1500);
    if (has("mostly_sponsored")) CHECK(t["sponsored_share"].get<double>() > 0.5);
    // True results per post come from the real audience alone.
    double engagements = t["per_post"]["engagements"];
    CHECK(engagements == Approx(double(real) * t["organic_engagement_rate"].get<double>()).epsilon(1e-3));
    CHECK(t["per_post"]["reach"].get<double>() == Approx(8 * engagements).epsilon(1e-6));
  }
  // Intended shares of 1000: bought 6%, pods 3%, follow-for-follow 4% of the
  // rest (about 3.6%), mostly sponsored 10%; standard errors 7.5, 5.4, 5.9, 9.5.
  CHECK(labels["bought_followers"] == Approx(60).margin(25));
  CHECK(labels["engagement_pod"] == Approx(30).margin(18));
  CHECK(labels["follow_for_follow"] == Approx(36).margin(18));
  CHECK(labels["mostly_sponsored"] == Approx(100).margin(30));

  std::map<std::string, const Ugc*> by_id;
  for (const auto& u : f.ugc) by_id[u.id] = &u;
  int injections = 0, duplicates = 0;
  for (const auto& t : truth["ugc"]) {
    const Ugc& u = *by_id.at(t["id"].get<std::string>());
    if (t.contains("spam") && t["spam"] == "injection") {
      ++injections;
      CHECK(u.body.find_first_of("<'\"{") != std::string::npos);
    }
    if (t.contains("near_duplicate_of")) {
      ++duplicates;
      const Ugc& original = *by_id.at(t["near_duplicate_of"].get<std::string>());
      CHECK(original.product == u.product);
      CHECK(u.body.rfind(original.body, 0) == 0);  // the copy starts with the original
    }
  }
  CHECK(injections > 0);
  CHECK(duplicates > 0);
}
