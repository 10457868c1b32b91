// The feed model: valid feeds load into typed structures; every error code is
// produced by a minimal bad feed, with its path and message asserted exactly.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "feed/feed.hpp"
#include "feed/feed_stream.hpp"
#include "feed/generate.hpp"

using namespace vouch;
using nlohmann::json;

namespace {

// The smallest feed that uses every section (PRODUCT.md's example, trimmed).
const char* const kValidFeed = R"({
  "version": 1,
  "store": {"id": "demo", "name": "Trail & Co", "currency": "USD", "locale": "en-US"},
  "products": [{"id": "sku-1", "title": "Ridgeline Boot", "url": "/p/sku-1",
                "image": "https://cdn.example/boot.jpg", "price": 129.99, "currency": "USD",
                "category": "footwear/hiking", "tags": ["hiking", "waterproof"]}],
  "influencers": [{"id": "inf-7", "handle": "trailtess", "name": "Tess R.", "platform": "instagram",
                   "followers": 18400, "following": 612,
                   "niches": {"hiking": 0.9, "camping": 0.4},
                   "audience": {"countries": {"US": 0.62, "CA": 0.21},
                                "ages": {"18-24": 0.3, "25-34": 0.45},
                                "genders": {"female": 0.6, "male": 0.38}},
                   "recent_posts": [{"at": "2026-10-02T17:00:00Z", "likes": 950, "comments": 41,
                                     "shares": 12, "views": 0, "sponsored": false}],
                   "follower_history": [{"date": "2026-10-01", "followers": 18000},
                                        {"date": "2026-09-01", "followers": 17000}],
                   "rate": {"amount": 250, "currency": "USD", "per": "post"},
                   "codes": ["TESS10"]}],
  "endorsements": [{"id": "e-1", "influencer": "inf-7", "product": "sku-1",
                    "url": "https://social.example/p/1", "quote": "My go-to boot.",
                    "at": "2026-10-02T17:00:00Z", "likes": 1200, "comments": 88}],
  "ugc": [{"id": "r-1", "product": "sku-1", "kind": "review",
           "author": {"name": "Dana K.", "verified_buyer": true, "influencer": null},
           "rating": 5, "title": "Great", "body": "Dry feet all day.",
           "media": [{"type": "image", "url": "https://cdn.example/r1.jpg", "alt": "Boots on a trail"}],
           "at": "2026-10-02T17:00:00Z", "helpful": 12, "unhelpful": 1,
           "locale": "en", "status": "published"}]
})";

// The valid feed with one JSON Patch operation applied ("add" also replaces).
std::string patched(const json& patch) { return json::parse(kValidFeed).patch(patch).dump(); }
std::string with(const std::string& pointer, const json& value) {
  return patched(json::array({{{"op", "add"}, {"path", pointer}, {"value", value}}}));
}
std::string without(const std::string& pointer) {
  return patched(json::array({{{"op", "remove"}, {"path", pointer}}}));
}

Error only_error(const std::string& text, const FeedLimits& limits = {}) {
  FeedLoadResult r = load_feed(text, limits);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors.size() == 1);
  return r.errors[0];
}

}  // namespace

TEST_CASE("a valid feed loads into typed structures", "[feed]") {
  FeedLoadResult r = load_feed(kValidFeed);
  REQUIRE(r.errors.empty());
  REQUIRE(r.ok());
  const Feed& f = *r.feed;
  CHECK(f.store.currency == "USD");
  REQUIRE(f.products.size() == 1);
  CHECK(f.products[0].price == Money{12999, "USD"});
  CHECK(f.products[0].tags == std::vector<std::string>{"hiking", "waterproof"});
  const Influencer* tess = f.find_influencer("inf-7");
  REQUIRE(tess);
  CHECK(tess->followers == 18400);
  CHECK(tess->niches.at("hiking") == 0.9);
  CHECK(tess->audience.countries.at("CA") == 0.21);
  REQUIRE(tess->rate);
  CHECK(tess->rate->amount == Money{25000, "USD"});
  // History is sorted by date whatever the feed's order.
  REQUIRE(tess->follower_history.size() == 2);
  CHECK(tess->follower_history[0].followers == 17000);
  // Codes are matched case-insensitively.
  CHECK(f.find_influencer_by_code("tess10") == tess);
  CHECK(f.find_influencer_by_code("NOPE") == nullptr);
  REQUIRE(f.ugc.size() == 1);
  CHECK(f.ugc[0].rating == 5);
  CHECK(f.ugc[0].status == UgcStatus::Published);
  CHECK(f.ugc[0].at == 1790960400);  // 2026-10-02T17:00:00Z, see test_time_money.cpp
  CHECK_FALSE(f.ugc[0].author.influencer.has_value());
  CHECK(f.find_product("sku-1") == &f.products[0]);
}

TEST_CASE("optional sections and fields may be left out", "[feed]") {
  FeedLoadResult r = load_feed(
      R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "EUR"}, "products": []})");
  REQUIRE(r.ok());
  CHECK(r.feed->store.locale == "en-US");
  CHECK(r.feed->ugc.empty());
}

TEST_CASE("feed.parse_error carries line and column", "[feed][errors]") {
  // `{"version": 1,,}`: the second comma is the 15th byte of line 1.
  Error e = only_error("{\"version\": 1,,}");
  CHECK(e.code == "feed.parse_error");
  CHECK(e.path == "");
  CHECK(e.message ==
        "the feed is not valid JSON: line 1, column 15: unexpected ','; expected string literal");

  Error e2 = only_error("{\n  \"version\": 1\n  \"store\": {}\n}");
  CHECK(e2.code == "feed.parse_error");
  CHECK(e2.message.rfind("the feed is not valid JSON: line 3, column ", 0) == 0);
}

TEST_CASE("feed.missing_field names the field", "[feed][errors]") {
  Error e = only_error(without("/products/0/title"));
  CHECK(e == Error{"feed.missing_field", "/products/0/title", "products[0].title is required"});

  Error top = only_error(without("/store"));
  CHECK(top == Error{"feed.missing_field", "/store", "store is required"});
}

TEST_CASE("feed.invalid_type says what was expected and what came", "[feed][errors]") {
  Error e = only_error(with("/ugc/0/rating", "five"));
  CHECK(e == Error{"feed.invalid_type", "/ugc/0/rating",
                   "ugc[0].rating must be an integer from 1 to 5, got \"five\""});

  Error f = only_error(with("/influencers/0/followers", 18400.5));
  CHECK(f == Error{"feed.invalid_type", "/influencers/0/followers",
                   "influencers[0].followers must be an integer of at least 0, got 18400.5"});

  Error g = only_error(with("/products/0/tags", "hiking"));
  CHECK(g == Error{"feed.invalid_type", "/products/0/tags",
                   "products[0].tags must be an array of strings, got \"hiking\""});
}

TEST_CASE("feed.out_of_range gives the allowed range", "[feed][errors]") {
  CHECK(only_error(with("/ugc/0/rating", 7)) ==
        Error{"feed.out_of_range", "/ugc/0/rating",
              "ugc[0].rating must be an integer from 1 to 5, got 7"});
  CHECK(only_error(with("/influencers/0/niches/hiking", 1.5)) ==
        Error{"feed.out_of_range", "/influencers/0/niches/hiking",
              "influencers[0].niches.hiking must be a number from 0 to 1, got 1.5"});
  // 0.62 + 0.21 + 0.5 = 1.33: shares of one audience cannot exceed the whole.
  CHECK(only_error(with("/influencers/0/audience/countries/GB", 0.5)) ==
        Error{"feed.out_of_range", "/influencers/0/audience/countries",
              "influencers[0].audience.countries shares add up to 1.33; they must add up to at most 1"});
  CHECK(only_error(with("/products/0/price", -3)) ==
        Error{"feed.out_of_range", "/products/0/price",
              "products[0].price must be a non-negative amount, got -3"});
}

TEST_CASE("feed.invalid_value covers enumerations, times and currencies", "[feed][errors]") {
  CHECK(only_error(with("/ugc/0/kind", "blog")) ==
        Error{"feed.invalid_value", "/ugc/0/kind",
              "ugc[0].kind must be one of \"review\", \"photo\", \"video\" or \"post\", got \"blog\""});
  CHECK(only_error(with("/ugc/0/at", "yesterday")) ==
        Error{"feed.invalid_value", "/ugc/0/at",
              // Times and currencies read as in every contract (issue 32: once "an RFC
              // 3339 date-time such as \"2026-10-02T17:00:00Z\"" and "an ISO 4217
              // currency code such as \"USD\"").
              "ugc[0].at must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got \"yesterday\""});
  CHECK(only_error(with("/store/currency", "dollars")) ==
        Error{"feed.invalid_value", "/store/currency",
              "store.currency must be an ISO 4217 code such as USD, got \"dollars\""});
}

TEST_CASE("feed.invalid_value: a handle must be one its platform allows", "[feed][errors][identifiers]") {
  // The handle the issue found accepted: markup can be no platform's handle.
  CHECK(only_error(with("/influencers/0/handle", "x<img src=x onerror=alert(1)>")) ==
        Error{"feed.invalid_value", "/influencers/0/handle",
              "influencers[0].handle must be 1 to 30 letters, digits, \".\" or \"_\" on instagram, got "
              "\"x<img src=x onerror=alert(1)>\""});
  // The leading @ is how handles are shown, not part of them.
  CHECK(only_error(with("/influencers/0/handle", "@trailtess")) ==
        Error{"feed.invalid_value", "/influencers/0/handle",
              "influencers[0].handle must be 1 to 30 letters, digits, \".\" or \"_\" on instagram (without the @), "
              "got \"@trailtess\""});
  // Lengths per platform: TikTok 2..24, X 1..15 (no "."), YouTube allows "-".
  CHECK(only_error(patched(json::array({{{"op", "add"}, {"path", "/influencers/0/platform"}, {"value", "tiktok"}},
                                        {{"op", "add"}, {"path", "/influencers/0/handle"},
                                         {"value", std::string(25, 't')}}}))) ==
        Error{"feed.invalid_value", "/influencers/0/handle",
              "influencers[0].handle must be 2 to 24 letters, digits, \".\" or \"_\" on tiktok, got "
              "\"ttttttttttttttttttttttttt\""});
  CHECK(load_feed(with("/influencers/0/handle", std::string(30, 'i'))).ok());
  CHECK(only_error(patched(json::array({{{"op", "add"}, {"path", "/influencers/0/platform"}, {"value", "x"}},
                                        {{"op", "add"}, {"path", "/influencers/0/handle"}, {"value", "trail.tess"}}})))
            .message == "influencers[0].handle must be 1 to 15 letters, digits or \"_\" on x, got \"trail.tess\"");
  CHECK(load_feed(patched(json::array({{{"op", "add"}, {"path", "/influencers/0/platform"}, {"value", "YouTube"}},
                                       {{"op", "add"}, {"path", "/influencers/0/handle"}, {"value", "trail-tess"}}})))
            .ok());
  // Another platform (or none): the common rule, 1..30 of letters, digits, "." and "_".
  CHECK(only_error(patched(json::array({{{"op", "remove"}, {"path", "/influencers/0/platform"}},
                                        {{"op", "add"}, {"path", "/influencers/0/handle"}, {"value", "trail tess"}}}))) ==
        Error{"feed.invalid_value", "/influencers/0/handle",
              "influencers[0].handle must be 1 to 30 letters, digits, \".\" or \"_\", got \"trail tess\""});
}

TEST_CASE("feed.invalid_value: ids and codes keep to their character sets", "[feed][errors][identifiers]") {
  // (The UGC and the endorsement that name "sku-1" now refer to nothing: two more errors.)
  CHECK(load_feed(with("/products/0/id", "sku 1")).errors.at(0) ==
        Error{"feed.invalid_value", "/products/0/id",
              "products[0].id must be 1 to 128 letters, digits, \".\", \"_\", \"-\", \":\" or \"/\", starting "
              "with a letter or digit, got \"sku 1\""});
  // Each section's id follows the same rule.
  CHECK(only_error(with("/store/id", "-demo")).path == "/store/id");
  CHECK(only_error(with("/ugc/0/id", "r-1\"><script>")).path == "/ugc/0/id");
  CHECK(only_error(with("/endorsements/0/id", std::string(129, 'e'))).path == "/endorsements/0/id");
  // SKUs with ":" and "/" are common and allowed.
  CHECK(load_feed(patched(json::array({{{"op", "add"}, {"path", "/products/0/id"}, {"value", "TS-001/BLK:XL"}},
                                       {{"op", "add"}, {"path", "/ugc/0/product"}, {"value", "TS-001/BLK:XL"}},
                                       {{"op", "add"}, {"path", "/endorsements/0/product"}, {"value", "TS-001/BLK:XL"}}})))
            .ok());
  CHECK(only_error(with("/influencers/0/codes/0", "TESS 10%")) ==
        Error{"feed.invalid_value", "/influencers/0/codes/0",
              "influencers[0].codes[0] must be 1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a "
              "letter or digit, got \"TESS 10%\""});
}

TEST_CASE("the generator's feeds keep to the id, code and handle rules", "[feed][identifiers]") {
  // 1,000 influencers: every handle word, niche and first name on each of the
  // three platforms the generator uses (instagram, tiktok, youtube).
  GenerateOptions options;
  options.products = 2;
  options.influencers = 1000;
  options.ugc = 4;
  std::string text;
  generate_feed(options, [&](std::string_view chunk) { text.append(chunk); });
  FeedLoadResult r = load_feed(text);
  CHECK(r.errors == std::vector<Error>{});
  CHECK(r.ok());
}

TEST_CASE("feed.invalid_url refuses script and data URLs", "[feed][errors]") {
  CHECK(only_error(with("/ugc/0/media/0/url", "javascript:alert(1)")) ==
        Error{"feed.invalid_url", "/ugc/0/media/0/url",
              "ugc[0].media[0].url must be an http(s) URL or a path starting with \"/\", got "
              "\"javascript:alert(1)\""});
  CHECK(only_error(with("/products/0/image", "//evil.example/x.png")).code == "feed.invalid_url");
  CHECK(load_feed(with("/products/0/image", "/img/boot.png")).ok());
}

TEST_CASE("feed.invalid_url refuses a link longer than 2048 bytes, which the widget would not render", "[feed][errors]") {
  // "https://shop.example/" is 21 bytes: 2027 more make 2048 (accepted), 2028 more 2049.
  std::string base = "https://shop.example/";
  CHECK(load_feed(with("/products/0/url", base + std::string(2027, 'a'))).ok());
  CHECK(only_error(with("/products/0/url", base + std::string(2028, 'a'))) ==
        Error{"feed.invalid_url", "/products/0/url",
              "products[0].url must be an http(s) URL or a path starting with \"/\", of at most 2048 bytes, "
              "got 2049 bytes"});
}

TEST_CASE("feed.duplicate_id points at the second use", "[feed][errors]") {
  json add = json::array({{{"op", "add"}, {"path", "/products/-"},
                           {"value", {{"id", "sku-1"}, {"title", "Copy"}}}}});
  CHECK(only_error(patched(add)) ==
        Error{"feed.duplicate_id", "/products/1/id",
              "products[1].id \"sku-1\" is already used by products[0]"});
}

TEST_CASE("feed.duplicate_code: one code, one influencer", "[feed][errors]") {
  json add = json::array({{{"op", "add"}, {"path", "/influencers/-"},
                           {"value", {{"id", "inf-8"}, {"handle", "copycat"}, {"followers", 10},
                                      {"codes", {"tess10"}}}}}});
  CHECK(only_error(patched(add)) ==
        Error{"feed.duplicate_code", "/influencers/1/codes/0",
              "influencers[1].codes[0] \"tess10\" is already the code of influencers[0]"});
}

TEST_CASE("feed.unknown_reference: UGC and endorsements point at real things", "[feed][errors]") {
  CHECK(only_error(with("/ugc/0/product", "sku-9")) ==
        Error{"feed.unknown_reference", "/ugc/0/product",
              "ugc[0].product refers to product \"sku-9\", which is not in the feed"});
  CHECK(only_error(with("/endorsements/0/influencer", "inf-404")) ==
        Error{"feed.unknown_reference", "/endorsements/0/influencer",
              "endorsements[0].influencer refers to influencer \"inf-404\", which is not in the "
              "feed"});
  CHECK(only_error(with("/ugc/0/author/influencer", "inf-404")).path == "/ugc/0/author/influencer");
}

TEST_CASE("feed.unsupported_version", "[feed][errors]") {
  CHECK(only_error(with("/version", 2)) ==
        Error{"feed.unsupported_version", "/version",
              "version must be 1 (the only feed version this engine reads), got 2"});
}

TEST_CASE("feed.too_large: the whole document has a size limit", "[feed][errors][limits]") {
  FeedLimits limits;
  limits.max_bytes = 100;
  std::string text = kValidFeed;
  Error e = only_error(text, limits);
  CHECK(e == Error{"feed.too_large", "",
                   "the feed is " + std::to_string(text.size()) +
                       " bytes; at most 100 bytes are accepted"});
}

TEST_CASE("feed.too_deep: a 100,000-level nesting bomb is refused without recursion",
          "[feed][errors][limits]") {
  std::string bomb(100000, '[');
  bomb += std::string(100000, ']');
  // The 33rd '[' (index 32, column 33) is one level past the limit of 32.
  CHECK(only_error(bomb) ==
        Error{"feed.too_deep", "",
              "the document nests deeper than 32 levels (at line 1, column 33)"});
  // Brackets inside strings do not count.
  CHECK(load_feed(with("/ugc/0/body", std::string(1000, '['))).ok());
}

TEST_CASE("feed.string_too_long: a 50 MB string is rejected cleanly", "[feed][errors][limits]") {
  // Spliced into the text directly: a JSON Patch would copy 50 MB several times.
  std::string text = kValidFeed;
  text.replace(text.find("Trail & Co"), 10, std::string(50u << 20, 'a'));
  CHECK(only_error(text) ==
        Error{"feed.string_too_long", "/store/name",
              "store.name is 52428800 bytes long; strings may be at most 65536 bytes"});
}

TEST_CASE("feed.invalid_utf8 is an error, not a crash", "[feed][errors]") {
  // {"version": 1, "x": "<0xFF>"} — the bad byte is the 22nd on line 1.
  CHECK(only_error("{\"version\": 1, \"x\": \"\xFF\"}") ==
        Error{"feed.invalid_utf8", "",
              "the feed is not valid UTF-8: bad byte at line 1, column 22"});
}

TEST_CASE("every error in a feed is reported, up to the cap", "[feed][errors]") {
  json patch = json::array({
      {{"op", "replace"}, {"path", "/ugc/0/rating"}, {"value", "five"}},
      {{"op", "remove"}, {"path", "/products/0/title"}},
      {{"op", "replace"}, {"path", "/endorsements/0/product"}, {"value", "sku-9"}},
  });
  FeedLoadResult r = load_feed(patched(patch));
  REQUIRE(r.errors.size() == 3);
  // Sections are read in document order: products, influencers, endorsements, ugc;
  // references are checked after every section has been read.
  CHECK(r.errors[0].path == "/products/0/title");
  CHECK(r.errors[1].path == "/ugc/0/rating");
  CHECK(r.errors[2].path == "/endorsements/0/product");
  CHECK_FALSE(r.truncated);

  json many = json::parse(kValidFeed);
  for (int i = 0; i < 150; ++i) many["products"].push_back({{"id", "p" + std::to_string(i)}});
  FeedLoadResult capped = load_feed(many.dump());
  CHECK(capped.errors.size() == 100);  // each of the 150 lacks a title
  CHECK(capped.truncated);
}

TEST_CASE("the input layer's shared rules hold in a feed too", "[feed][errors][rules]") {
  // An integer is written without a fraction or exponent: 18400.0 is a number,
  // not a count (the feed once read it as 18400; the query never did).
  CHECK(only_error(with("/influencers/0/followers", 18400.0)) ==
        Error{"feed.invalid_type", "/influencers/0/followers",
              "influencers[0].followers must be an integer of at least 0, got 18400.0"});
  // A language tag: a letter first, then letters, digits and "-" (the rule a
  // review and a query's locale keep; a feed's locales were once unchecked).
  CHECK(only_error(with("/ugc/0/locale", "en US")) ==
        Error{"feed.invalid_value", "/ugc/0/locale",
              "ugc[0].locale must be a language tag such as \"en\" or \"fr-CA\", got \"en US\""});
  CHECK(only_error(with("/store/locale", "<en>")).path == "/store/locale");
}

TEST_CASE("a feed is read element by element, whatever the order of its sections", "[feed][stream]") {
  // The store after the products: a price in the store's currency is converted
  // once the store is read (JPY has no minor unit: 1500 yen is 1500).
  FeedLoadResult late = load_feed(R"({"products": [{"id": "p-1", "title": "Tea", "price": 1500}],
                                      "version": 1, "store": {"id": "s", "name": "S", "currency": "JPY"}})");
  REQUIRE(late.ok());
  CHECK(late.feed->products[0].price == Money{1500, "JPY"});
  // The same faults in the same order as when the sections come first to last.
  FeedLoadResult reordered = load_feed(R"({"ugc": [{"id": "r-1", "product": "p-1", "kind": "review",
                                                   "author": {"name": "A"}, "rating": 9,
                                                   "at": "2026-10-02T17:00:00Z", "status": "published"}],
                                           "products": [{"id": "p-1"}],
                                           "store": {"id": "s", "name": "S", "currency": "USD"}, "version": 1})");
  REQUIRE(reordered.errors.size() == 2);
  CHECK(reordered.errors[0].path == "/products/0/title");
  CHECK(reordered.errors[1].path == "/ugc/0/rating");
  // A section written twice is refused (issue 32: it was the last one, as in
  // a tree of the document; a feed read as a stream hands the first one's
  // elements over before the second comes, so the last cannot win).
  FeedLoadResult twice = load_feed(R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "USD"},
                                       "products": [{"id": "p-1", "title": "T"}], "products": [{"id": "bad id"}]})");
  REQUIRE(twice.errors.size() == 1);
  CHECK(twice.errors[0] == Error{"feed.duplicate_key", "/products",
                                 "products is written twice in the feed; write each section once"});
  FeedLoadResult store_twice = load_feed(R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "USD"},
                                             "products": [], "store": {"id": "t", "name": "T", "currency": "EUR"}})");
  REQUIRE(store_twice.errors.size() == 1);
  CHECK(store_twice.errors[0].path == "/store");
}

namespace {

// What a receiver was handed, in order: "store", "product 0", "ugc 1", ...
struct Handed : FeedElements {
  std::vector<std::string> calls;
  Feed feed;
  void store(const Store& s) override { calls.push_back("store " + s.currency); }
  void product(Product&& p, std::size_t i) override { calls.push_back("product " + std::to_string(i)); feed.products.push_back(p); }
  void influencer(Influencer&& in, std::size_t i) override { calls.push_back("influencer " + std::to_string(i)); feed.influencers.push_back(in); }
  void endorsement(Endorsement&&, std::size_t i) override { calls.push_back("endorsement " + std::to_string(i)); }
  void ugc(Ugc&&, std::size_t i) override { calls.push_back("ugc " + std::to_string(i)); }
};

FeedStreamResult read_in_chunks(const std::string& text, std::size_t chunk, Handed& out,
                                const FeedLimits& limits = {}) {
  std::istringstream in(text);
  return read_feed_elements(in, limits, out, chunk);
}

}  // namespace

TEST_CASE("read_feed_elements hands a feed over element by element", "[feed][stream]") {
  // The store last: endorsements and reviews go as read; products and
  // influencers wait for the store (their money is in its currency: 1500 yen
  // is 1500, JPY having no minor unit). ugc[1] has a fault: never handed over.
  std::string text = R"({"version": 1,
    "endorsements": [{"id": "e-1", "influencer": "inf-1", "product": "p-1", "at": "2026-10-02T17:00:00Z"}],
    "products": [{"id": "p-1", "title": "Tea", "price": 1500}, {"id": "p-2", "title": "Pot", "price": 20, "currency": "EUR"}],
    "ugc": [{"id": "r-1", "product": "p-1", "kind": "photo", "author": {"name": "A"}, "at": "2026-10-02T17:00:00Z", "status": "published"},
            {"id": "r-2", "product": "p-1", "kind": "review", "author": {"name": "B"}, "rating": 9, "at": "2026-10-02T17:00:00Z", "status": "published"}],
    "influencers": [{"id": "inf-1", "handle": "tea", "followers": 10, "rate": {"amount": 3000}}],
    "store": {"id": "s", "name": "S", "currency": "JPY"}})";
  Handed out;
  FeedStreamResult r = read_in_chunks(text, 16, out);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].path == "/ugc/1/rating");
  CHECK(out.calls == std::vector<std::string>{"endorsement 0", "ugc 0", "store JPY", "product 0", "product 1",
                                              "influencer 0"});
  CHECK(out.feed.products[0].price == Money{1500, "JPY"});
  CHECK(out.feed.products[1].price == Money{2000, "EUR"});
  CHECK(out.feed.influencers[0].rate->amount == Money{3000, "JPY"});

  // The store first: everything goes as read.
  Handed first;
  CHECK(read_in_chunks(kValidFeed, 7, first).ok());
  CHECK(first.calls == std::vector<std::string>{"store USD", "product 0", "influencer 0", "endorsement 0", "ugc 0"});
}

TEST_CASE("read_feed_elements reports what load_feed does, wherever the chunks are cut", "[feed][stream][errors]") {
  std::string deep = "{\"version\": 1,\n \"x\": " + std::string(40, '[') + std::string(40, ']') + "}";
  std::string bad_late = std::string(kValidFeed) + "\n\n  x";              // a parse error on the last line
  std::string utf8_late = std::string(kValidFeed);
  utf8_late.replace(utf8_late.find("Dry feet"), 3, "\xC3\xA9\xE2\x82");   // é, then a cut 3-byte character
  std::string utf8_after_syntax = "{\"version\" 1, \"x\": \"\xF0\x9F\x98\x80\xFF\"}";  // UTF-8 wins over syntax
  json many = json::parse(kValidFeed);
  for (int i = 0; i < 150; ++i) many["products"].push_back({{"id", "sku-1"}});
  std::vector<std::string> texts = {kValidFeed, deep, bad_late, utf8_late, utf8_after_syntax, many.dump(),
                                    with("/ugc/0/product", "sku-9"), with("/products/0/price", -1),
                                    "{\"version\": 1,,}", "", "  \n ", "\xEF\xBB\xBF{\"version\": 1}"};
  for (const std::string& text : texts) {
    FeedLoadResult whole = load_feed(text);
    for (std::size_t chunk : {1, 2, 3, 5, 64, 65536}) {
      Handed out;
      FeedStreamResult streamed = read_in_chunks(text, chunk, out);
      INFO(text.substr(0, 60) << " in chunks of " << chunk);
      CHECK(streamed.errors == whole.errors);
      CHECK(streamed.truncated == whole.truncated);
    }
  }
  // The size limit: a stream is read to its end to say how long it is, and a
  // document followed by one byte too many is too long.
  FeedLimits limits;
  limits.max_bytes = 100;
  std::string exact = R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "USD"}, "products": []})";
  for (const std::string& text : {std::string(kValidFeed), exact + std::string(100 - exact.size() + 1, ' '),
                                  "{\"version\": 1,," + std::string(200, ' ')}) {
    Handed out;
    FeedStreamResult streamed = read_in_chunks(text, 3, out, limits);
    REQUIRE(streamed.errors.size() == 1);
    CHECK(streamed.errors[0] == Error{"feed.too_large", "",
                                      "the feed is " + std::to_string(text.size()) + " bytes; at most 100 bytes are accepted"});
    CHECK(streamed.errors == load_feed(text, limits).errors);
  }
  REQUIRE(exact.size() <= 100);
  Handed fits;
  CHECK(read_in_chunks(exact + std::string(100 - exact.size(), ' '), 3, fits, limits).ok());
}
