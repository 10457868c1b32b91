// A shopper's review (POST /v1/reviews): read by the feed's UGC rules with
// review.* codes, and the verified-buyer token's format. Codes, paths and
// messages are asserted exactly: they are the endpoint's API.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "feed/feed.hpp"
#include "feed/review_submission.hpp"

using namespace vouch;
using nlohmann::json;

namespace {

Feed one_product_feed() {
  auto result = load_feed(R"({"version": 1, "store": {"id": "demo", "name": "Trail & Co", "currency": "USD"},
                              "products": [{"id": "sku-1", "title": "Ridgeline Boot"}]})");
  REQUIRE(result.ok());
  return *result.feed;
}

json good_review() {
  return json::parse(R"({"client_id": "c-0001", "product": "sku-1", "rating": 4, "title": "Warm",
                         "body": "Dry feet all day.", "author": {"name": "Dana K."}, "locale": "en-US"})");
}

// 2026-11-30T12:00:00Z
constexpr Timestamp kNow = 1796040000;

}  // namespace

TEST_CASE("a good review becomes a pending, unverified UGC item as of now") {
  Feed feed = one_product_feed();
  auto result = read_review_submission(good_review(), feed, kNow);
  REQUIRE(result.errors.empty());
  REQUIRE(result.review);
  const auto& r = *result.review;
  CHECK(r.client_id == "c-0001");
  CHECK(r.token.empty());
  CHECK(r.item.id.empty());
  CHECK(r.item.product == "sku-1");
  CHECK(r.item.kind == UgcKind::Review);
  CHECK(r.item.rating == 4);
  CHECK(r.item.title == "Warm");
  CHECK(r.item.body == "Dry feet all day.");
  CHECK(r.item.author.name == "Dana K.");
  CHECK_FALSE(r.item.author.verified_buyer);
  CHECK(r.item.locale == "en-US");
  CHECK(r.item.at == kNow);
  CHECK(r.item.status == UgcStatus::Pending);
  CHECK(r.item.media.empty());
}

TEST_CASE("a review's faults come with the feed's rules under review codes") {
  Feed feed = one_product_feed();
  SECTION("a rating out of range: the UGC item's rule, review code") {
    json r = good_review();
    r["rating"] = 6;
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] == Error{"review.out_of_range", "/rating", "rating must be an integer from 1 to 5, got 6"});
  }
  SECTION("a rating of 0 (read by nlohmann as unsigned) is out of range, not \"no rating\"") {
    json r = good_review();
    r["rating"] = 0;
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] == Error{"review.out_of_range", "/rating", "rating must be an integer from 1 to 5, got 0"});
  }
  SECTION("no rating") {
    json r = good_review();
    r.erase("rating");
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] == Error{"review.missing_field", "/rating", "rating is required"});
  }
  SECTION("a rating written as a word") {
    json r = good_review();
    r["rating"] = "five";
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] ==
          Error{"review.invalid_type", "/rating", "rating must be an integer from 1 to 5, got \"five\""});
  }
  SECTION("fields the server decides are refused, not trusted") {
    json r = good_review();
    r["status"] = "published";
    r["author"]["verified_buyer"] = true;
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 2);
    CHECK(result.errors[0] ==
          Error{"review.unknown_field", "/author/verified_buyer", "author.verified_buyer is decided by the server, not sent"});
    CHECK(result.errors[1] == Error{"review.unknown_field", "/status", "status is set by the server, not sent"});
  }
  SECTION("an unknown product") {
    json r = good_review();
    r["product"] = "sku-404";
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] == Error{"review.unknown_product", "/product", "the store has no product \"sku-404\""});
  }
  SECTION("a 60 KB body is too long: counted in characters") {
    json r = good_review();
    r["body"] = std::string(60 * 1024, 'a');
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] ==
          Error{"review.too_long", "/body", "body is 61440 characters long; at most 5000 are allowed"});
  }
  SECTION("5000 characters of two bytes each fit (10000 bytes)") {
    json r = good_review();
    std::string body;
    for (int i = 0; i < 5000; ++i) body += "\xC3\xA9";  // é
    r["body"] = body;
    CHECK(read_review_submission(r, feed, kNow).errors.empty());
  }
  SECTION("a blank body, a missing client id, a bad locale") {
    json r = good_review();
    r["body"] = "   ";
    r.erase("client_id");
    r["locale"] = "<en>";
    auto result = read_review_submission(r, feed, kNow);
    REQUIRE(result.errors.size() == 3);
    // The locale is the UGC item's rule now (a feed's items are held to it
    // too), so its fault comes first, with the item's (issue 32).
    CHECK(result.errors[0] ==
          Error{"review.invalid_value", "/locale", "locale must be a language tag such as \"en\" or \"fr-CA\", got \"<en>\""});
    CHECK(result.errors[1] ==
          Error{"review.missing_field", "/client_id",
                "client_id is required (a random id made once per review, so that a retry is not a second review)"});
    CHECK(result.errors[2] == Error{"review.missing_field", "/body", "body must not be blank"});
  }
  SECTION("photos: at most 3, each a photo name (32 hex digits)") {
    json r = good_review();
    r["photos"] = json::array({std::string(32, 'a'), std::string(32, 'b'), std::string(32, 'c'), std::string(32, 'd')});
    auto four = read_review_submission(r, feed, kNow);
    REQUIRE(four.errors.size() == 1);
    CHECK(four.errors[0] == Error{"review.too_long", "/photos", "a review may have at most 3 photos, got 4"});
    r["photos"] = json::array({std::string(32, 'a'), "../../etc/passwd"});
    auto bad = read_review_submission(r, feed, kNow);
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0] == Error{"review.invalid_value", "/photos/1",
                                 "photos[1] must be the name of an uploaded photo (32 hex digits), got \"../../etc/passwd\""});
    r["photos"] = json::array({std::string(32, 'a')});
    auto one = read_review_submission(r, feed, kNow);
    REQUIRE(one.review);
    CHECK(one.review->photos == std::vector<std::string>{std::string(32, 'a')});
  }
  SECTION("not an object") {
    auto result = read_review_submission(json::array(), feed, kNow);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0] == Error{"review.not_object", "", "the review must be a JSON object, got an array"});
  }
  SECTION("script in the text is stored as text: moderation judges it, the reader does not") {
    json r = good_review();
    r["title"] = "<script>alert(1)</script>";
    r["author"]["name"] = "\"><img src=x onerror=alert(1)>";
    CHECK(read_review_submission(r, feed, kNow).errors.empty());
  }
}

TEST_CASE("review tokens: the signed text and the token's shape") {
  // Sorted and deduplicated, each field length-prefixed:
  // "vouch-review-token/1\n" "4:1001\n" "5:sku-1\n" "5:sku-2\n"
  CHECK(review_token_message("1001", {"sku-2", "sku-1", "sku-2"}) ==
        "vouch-review-token/1\n4:1001\n5:sku-1\n5:sku-2\n");
  // An id holding the separator cannot pass for two ids.
  CHECK(review_token_message("1", {"a\n1:b"}) != review_token_message("1", {"a", "b"}));

  // base64url("1001") = "MTAwMQ" (RFC 4648 §5, no padding).
  std::string mac = "0123456789abcdef0123456789abcdef";
  std::string token = format_review_token("1001", mac);
  CHECK(token == "MTAwMQ.0123456789abcdef0123456789abcdef");
  auto parsed = parse_review_token(token);
  REQUIRE(parsed);
  CHECK(parsed->order_id == "1001");
  CHECK(parsed->mac_hex == mac);
  // "#1001/ä" round-trips whatever its bytes.
  auto odd = parse_review_token(format_review_token("#1001/\xC3\xA4", mac));
  REQUIRE(odd);
  CHECK(odd->order_id == "#1001/\xC3\xA4");

  CHECK_FALSE(parse_review_token("MTAwMQ"));                                      // no mac
  CHECK_FALSE(parse_review_token("MTAwMQ.0123456789ABCDEF0123456789abcdef"));     // upper-case hex
  CHECK_FALSE(parse_review_token("MTAwMQ.0123456789abcdef"));                     // short mac
  CHECK_FALSE(parse_review_token("MTAwMR.0123456789abcdef0123456789abcdef"));     // non-canonical base64url
  CHECK_FALSE(parse_review_token("MT+wMQ.0123456789abcdef0123456789abcdef"));     // not base64url
  CHECK_FALSE(parse_review_token(".0123456789abcdef0123456789abcdef"));           // empty order id
}

TEST_CASE("a feed review rated 0 is refused (it once passed as unrated)") {
  auto result = load_feed(R"({"version": 1, "store": {"id": "demo", "name": "Trail & Co", "currency": "USD"},
    "products": [{"id": "sku-1", "title": "Boot"}],
    "ugc": [{"id": "r-1", "product": "sku-1", "kind": "review", "author": {"name": "A"}, "rating": 0,
             "at": "2026-10-02T17:00:00Z", "status": "published"}]})");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] == Error{"feed.out_of_range", "/ugc/0/rating", "ugc[0].rating must be an integer from 1 to 5, got 0"});
}
