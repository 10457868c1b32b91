// What the fuzzers found, kept fixed: the inputs in fuzz/regressions/<target>/
// and the seed corpora in fuzz/seeds/<target>/ replayed through the same
// property checks as the libFuzzer targets (fuzz/properties.hpp), plus the
// exact errors that the fixes produce.
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/error.hpp"
#include "input/json_input.hpp"
#include "feed/feed.hpp"
#include "properties.hpp"
#include "../read_file.hpp"

namespace {

namespace fs = std::filesystem;

// Every file under fuzz/<kind>/<target>/, sorted so failures read the same every run.
std::vector<fs::path> inputs(const char* kind, const char* target) {
  std::vector<fs::path> files;
  fs::path dir = fs::path(VOUCH_FUZZ_DIR) / kind / target;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

template <typename Check>
void replay(const char* target, Check check) {
  std::size_t count = 0;
  for (const char* kind : {"regressions", "seeds"}) {
    for (const fs::path& file : inputs(kind, target)) {
      INFO(file.string());
      CHECK(check(read_file(file)) == "");
      ++count;
    }
  }
  CHECK(count > 0);
}

}  // namespace

TEST_CASE("Every input the fuzzers kept holds every property", "[fuzz]") {
  using namespace vouch::fuzz;
  SECTION("feeds") { replay("load_feed", check_load_feed); }
  SECTION("social-proof queries") { replay("social_proof", check_social_proof); }
  SECTION("briefs") { replay("match", check_match); }
  SECTION("touches, orders and configs") { replay("attribution", check_attribution); }
  SECTION("event batches") { replay("event_batch", check_event_batch); }
  SECTION("order and refund webhooks") { replay("webhook", check_webhook); }
  SECTION("signature headers") { replay("signature_header", check_signature_header); }
}

TEST_CASE("JSON whose faulty token is not ASCII holds every property in every parser", "[fuzz][utf8]") {
  // tests/fixtures/json-nonascii/: written in the style of nst's JSONTestSuite
  // (`{🇨🇭}`, a full-width digit, U+2060 between tokens, ...).
  using namespace vouch::fuzz;
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(VOUCH_FIXTURES) / "json-nonascii")) {
    std::string text = read_file(entry.path());
    INFO(entry.path().filename().string());
    CHECK(check_json_input(text) == "");
    CHECK(check_load_feed(text) == "");
    CHECK(check_event_batch(text) == "");
    CHECK(check_webhook(text) == "");
    ++count;
  }
  CHECK(count == 9);
}

TEST_CASE("A number beyond the range of a double is a parse error, not a crash", "[fuzz]") {
  // nlohmann/json throws out_of_range.406 (not parse_error) for 1e400; found
  // by fuzz_social_proof with "limit": 11e3088.
  SECTION("in a query, brief or event") {
    CHECK_THROWS_MATCHES(
        vouch::parse_json_input(R"({"limit": 1e400})", "query"), vouch::VouchException,
        Catch::Predicate<vouch::VouchException>([](const vouch::VouchException& e) {
          return e.error() == vouch::Error{"query.parse_error", "",
                                           "the query is not valid JSON: number overflow parsing '1e400'"};
        }));
  }
  SECTION("in a feed") {
    vouch::FeedLoadResult loaded = vouch::load_feed(R"({"version": 1, "products": [{"price": -1e400}]})");
    REQUIRE(loaded.errors.size() == 1);
    CHECK(loaded.errors[0] == vouch::Error{"feed.parse_error", "",
                                           "the feed is not valid JSON: number overflow parsing '-1e400'"});
    CHECK_FALSE(loaded.ok());
  }
}
