// Storefront documents: names, the facts that stand for the items a product
// document leaves out (worked by hand), and the promise of the candidate set
// (docs/social-proof.md, "Storefront documents"): on generated stores, the
// engine on a product's document gives the first page the engine on the whole
// feed gives, for every query the widget can make.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "feed/generate.hpp"
#include "social_proof/documents.hpp"
#include "social_proof/social_proof.hpp"

using nlohmann::json;
using namespace vouch;

namespace {

constexpr Timestamp kNow = 1793491200;  // 2026-11-01T00:00:00Z, a UTC midnight

Feed load_ok(const std::string& text) {
  FeedLoadResult r = load_feed(text);
  if (!r.ok()) FAIL(r.errors.front().code + " at " + r.errors.front().path + ": " + r.errors.front().message);
  return std::move(*r.feed);
}

// A generated store made harder for the candidate set: creators who endorse
// a product also post about it (so `via` reorders its first page), a wave of
// near-identical reviews at the top of a popular product, reviews with links
// (masked, which changes their word counts), and regional locales.
std::string hard_store(std::uint64_t seed, std::size_t products, std::size_t ugc) {
  GenerateOptions o;
  o.seed = seed;
  o.products = products;
  o.influencers = 40;
  o.ugc = ugc;
  o.now = kNow;
  std::string text;
  generate_feed(o, [&](std::string_view chunk) { text.append(chunk); });
  json feed = json::parse(text);
  std::map<std::string, std::vector<std::string>> endorsers;
  for (const auto& e : feed["endorsements"]) endorsers[e["product"]].push_back(e["influencer"]);
  std::size_t k = 0;
  for (auto& u : feed["ugc"]) {
    ++k;
    const auto& mine = endorsers[u["product"].get<std::string>()];
    if (k % 11 == 0 && !mine.empty()) {
      u["kind"] = "post";
      u["author"]["influencer"] = mine[k % mine.size()];
      u["author"]["verified_buyer"] = false;
      if (k % 2) {  // a strong post
        u["media"] = json::array({{{"type", "image"}, {"url", "/demo/img/hiking-1.svg"}, {"alt", "a post"}}});
      } else {  // an old, unvoted one without media: only `via` brings it up
        u["media"] = json::array();
        u["helpful"] = 0;
        u["at"] = "2025-01-01T00:00:00Z";
      }
    }
    if (k % 13 == 0) u["body"] = u["body"].get<std::string>() + " Bought mine at trail-deals.shop/boots today.";
    if (k % 17 == 0 && u["product"] == "sku-1") {
      u["body"] = "Great boots, wore them up the ridge every weekend and they held up well.";
      u["helpful"] = 40;
      u["unhelpful"] = 0;
      u["status"] = "published";
      u["author"]["verified_buyer"] = true;
    }
    if (k % 19 == 0) u["locale"] = k % 2 ? "fr-CA" : "en-GB";
  }
  return feed.dump();
}

json first_page(SocialProofIndex& index, json query) {
  query["moderation_lists"] = false;
  return social_proof_json(index, query);
}

}  // namespace

TEST_CASE("document names are the same path segment in a URL and on a disk", "[documents]") {
  CHECK(document_name("sku-1") == "sku-1");
  CHECK(document_name("SKU_9.v2") == "SKU_9.v2");
  CHECK(document_name("a/b") == "a~2Fb");
  CHECK(document_name("..") == "~2E.");
  CHECK(document_name(".hidden") == "~2Ehidden");
  CHECK(document_name("50% off") == "50~25~20off");
  CHECK(document_name("~") == "~7E");
  CHECK(document_name("é") == "~C3~A9");
}

TEST_CASE("documents are as of the start of the UTC day", "[documents]") {
  // 2026-11-01T17:30:05Z = kNow + 17·3600 + 30·60 + 5.
  CHECK(document_day(kNow + 17 * 3600 + 30 * 60 + 5) == kNow);
  CHECK(document_day(kNow) == kNow);
  CHECK(document_day(kNow - 1) == kNow - kSecondsPerDay);
}

TEST_CASE("a product document's facets stand for the items it leaves out", "[documents]") {
  // One item in the document; the facets say the product has six published,
  // non-spam items: two 5-star verified with media, one 4-star unverified
  // without, three unrated unverified with media. The store's 10 ratings sum
  // to 40 (prior mean 4).
  std::string text = R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "USD", "locale": "en"},
    "products": [{"id": "sku-1", "title": "Boot"}],
    "ugc": [{"id": "r-1", "product": "sku-1", "kind": "review", "author": {"name": "Dana"}, "rating": 4,
             "body": "Comfortable, sturdy, call me at [phone removed]", "at": "2026-10-30T00:00:00Z",
             "locale": "en", "status": "published"}],
    "document": {"kind": "product", "product": "sku-1", "as_of": "2026-11-01T00:00:00Z",
      "store_ratings": {"sum": 40, "count": 10}, "page_sizes": [8, 10],
      "facets": [{"rating": 5, "verified": true, "media": true, "count": 2},
                 {"rating": 4, "verified": false, "media": false, "count": 1},
                 {"rating": null, "verified": false, "media": true, "count": 3}]}})";
  Feed feed = load_ok(text);
  REQUIRE(feed.document);
  SocialProofIndex index(feed);
  json out = first_page(index, {{"product", "sku-1"}, {"now", "2026-11-01T00:00:00Z"}});
  // count 3 (rated), average (5·2 + 4)/3 = 4.666667, verified 2/3 = 0.666667,
  // Bayesian (5·4 + 14)/(5 + 3) = 34/8 = 4.25.
  CHECK(out["summary"]["count"] == 3);
  CHECK(out["summary"]["average"] == 4.666667);
  CHECK(out["summary"]["verified_share"] == 0.666667);
  CHECK(out["summary"]["prior_mean"] == 4.0);
  CHECK(out["summary"]["bayesian_average"] == 4.25);
  CHECK(out["summary"]["distribution"] == json({{"1", 0}, {"2", 0}, {"3", 0}, {"4", 1}, {"5", 2}}));
  // total: all 6; min_rating 5: 2; with_media: 2 + 3 = 5; verified_only + with_media: 2.
  CHECK(out["total"] == 6);
  CHECK(first_page(index, {{"product", "sku-1"}, {"now", "2026-11-01T00:00:00Z"}, {"min_rating", 5}})["total"] == 2);
  CHECK(first_page(index, {{"product", "sku-1"}, {"now", "2026-11-01T00:00:00Z"}, {"with_media", true}})["total"] == 5);
  CHECK(first_page(index, {{"product", "sku-1"}, {"now", "2026-11-01T00:00:00Z"}, {"with_media", true},
                           {"verified_only", true}})["total"] == 2);
  // The document's text is shown as the server masked it, and its one item is
  // not judged again (the phone number is already gone).
  REQUIRE(out["items"].size() == 1);
  CHECK(out["items"][0]["body"] == "Comfortable, sturdy, call me at [phone removed]");
}

TEST_CASE("a bad document object is refused with its path", "[documents]") {
  std::string text = R"({"version": 1, "store": {"id": "s", "name": "S", "currency": "USD"}, "products": [{"id": "sku-1", "title": "B"}],
    "document": {"kind": "product", "as_of": "soon", "store_ratings": {"sum": 1, "count": -1},
                 "facets": [{"rating": 7, "count": 1}]}})";
  FeedLoadResult r = load_feed(text);
  REQUIRE_FALSE(r.ok());
  std::vector<std::string> paths;
  for (const auto& e : r.errors) paths.push_back(e.code + " " + e.path);
  CHECK_THAT(paths, Catch::Matchers::VectorContains(std::string("feed.missing_field /document/product")));
  CHECK_THAT(paths, Catch::Matchers::VectorContains(std::string("feed.invalid_value /document/as_of")));
  CHECK_THAT(paths, Catch::Matchers::VectorContains(std::string("feed.out_of_range /document/store_ratings/count")));
  CHECK_THAT(paths, Catch::Matchers::VectorContains(std::string("feed.out_of_range /document/facets/0/rating")));
}

// The queries of a scope on a product: every creator the document names (by
// id, and one by its code) as `via`, four languages (the shopper's locale as
// the widget sends it: the language subtag).
void compare_first_pages(const Feed& full, SocialProofIndex& full_index, const std::string& text,
                         DocumentScope scope, std::size_t& compared) {
  Feed doc = load_ok(text);
  SocialProofIndex doc_index(doc);
  const std::string& product = doc.products.at(0).id;
  std::vector<json> vias = {nullptr};
  for (const Influencer& in : doc.influencers) vias.push_back(in.id);
  if (!doc.influencers.empty() && !doc.influencers.front().codes.empty())
    vias.push_back(doc.influencers.front().codes.front());
  const bool rail = scope == DocumentScope::Rail;
  std::vector<const char*> sorts = {"relevant"};
  if (!rail) sorts = {"relevant", "newest", "highest", "lowest", "helpful", "media"};
  for (const char* sort : sorts)
    for (int rating : {0, 2, 3, 4, 5})
      for (bool verified : {false, true})
        for (bool media : {false, true})
          for (const char* locale : {"en", "fr", "de", "pt"})
            for (const json& via : vias) {
              if (rail && (rating || verified || media)) continue;  // the rail has no filter
              bool relevant = std::string(sort) == "relevant";
              // Explicit sorts ignore via and (but media) the locale: one of each is enough there.
              if (!relevant && !via.is_null()) continue;
              if (!relevant && std::string(sort) != "media" && std::string(locale) != "en") continue;
              json q = {{"product", product}, {"now", "2026-11-01T00:00:00Z"}, {"sort", sort},
                        {"limit", rail ? kRailSize : kReviewsPageSize}, {"locale", locale},
                        {"verified_only", verified}, {"with_media", media}};
              if (rating) q["min_rating"] = rating;
              if (!via.is_null()) q["via"] = via;
              json on_document = first_page(doc_index, q);
              json on_feed = first_page(full_index, q);
              if (on_document != on_feed) {
                INFO("query " << q.dump());
                CHECK(on_document.dump(1) == on_feed.dump(1));
              }
              ++compared;
            }
  (void)full;
}

TEST_CASE("the engine on a product's documents gives the whole feed's first pages", "[documents]") {
  const std::string text = hard_store(7, 6, 2500);
  Feed full = load_ok(text);
  SocialProofIndex full_index(full);
  StorefrontDocumentBuilder builder(full, kNow, store_ratings(full));
  std::size_t compared = 0;
  for (const Product& product : full.products) {
    ProductDocuments docs = builder.product(product);
    INFO("product " << product.id << ": " << docs.items << " candidates, " << docs.reviews_items << " for See all");
    compare_first_pages(full, full_index, docs.product, DocumentScope::Rail, compared);
    compare_first_pages(full, full_index, docs.reviews, DocumentScope::Reviews, compared);
  }
  CHECK(compared > 5000);
}
