#pragma once
// The Vouch feed: the typed model of feed.json (contract in PRODUCT.md) and
// its loader, which validates everything and reports every fault it finds.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "common/money.hpp"
#include "common/time.hpp"

namespace vouch {

class JsonValue;    // input/json_tape.hpp
class FieldReader;  // input/fields.hpp

struct Store {
  std::string id;
  std::string name;
  std::string currency;  // ISO 4217
  std::string locale;    // BCP 47, e.g. "en-US"
};

struct Product {
  std::string id;
  std::string title;
  std::string url;
  std::string image;
  Money price;
  std::string category;  // "footwear/hiking"
  std::vector<std::string> tags;
};

// A share per key (country code, age band, gender), each in [0,1], summing to
// at most 1 (the rest is "unknown").
using Distribution = std::map<std::string, double>;

struct Audience {
  Distribution countries;
  Distribution ages;
  Distribution genders;
};

struct Post {
  Timestamp at = 0;
  std::int64_t likes = 0;
  std::int64_t comments = 0;
  std::int64_t shares = 0;
  std::int64_t views = 0;
  bool sponsored = false;
};

struct FollowerCount {
  Timestamp date = 0;
  std::int64_t followers = 0;
};

struct Rate {
  Money amount;
  std::string per;  // "post", "story", "video", ...
};

struct Influencer {
  std::string id;
  std::string handle;
  std::string name;
  std::string platform;
  std::string avatar;
  std::string profile_url;
  std::int64_t followers = 0;
  std::int64_t following = 0;
  std::map<std::string, double> niches;  // niche -> weight in [0,1]
  Audience audience;
  std::vector<Post> recent_posts;
  std::vector<FollowerCount> follower_history;  // sorted by date
  std::optional<Rate> rate;
  std::vector<std::string> codes;            // referral / coupon codes
  std::vector<std::string> customer_hashes;  // SHA-256 of own e-mails (self-referral)
};

struct Endorsement {
  std::string id;
  std::string influencer;  // Influencer::id
  std::string product;     // Product::id
  std::string url;
  std::string quote;
  std::string media;
  Timestamp at = 0;
  std::int64_t likes = 0;
  std::int64_t comments = 0;
};

enum class UgcKind { Review, Photo, Video, Post };
enum class UgcStatus { Published, Pending, Rejected };

std::string_view to_string(UgcKind kind);
std::string_view to_string(UgcStatus status);

struct Media {
  std::string type;  // "image" | "video"
  std::string url;
  std::string alt;
};

struct Author {
  std::string name;
  bool verified_buyer = false;
  std::optional<std::string> influencer;  // Influencer::id when the author is one
};

struct Ugc {
  std::string id;
  std::string product;  // Product::id
  UgcKind kind = UgcKind::Review;
  Author author;
  std::optional<int> rating;  // 1..5, reviews only
  std::string title;
  std::string body;
  std::vector<Media> media;
  Timestamp at = 0;
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
  std::string locale;  // "en", "fr-CA"
  UgcStatus status = UgcStatus::Published;
};

// What a product's public storefront document (docs/server.md) says about
// the items it leaves out, so that social proof on the document answers as
// on the whole feed (docs/social-proof.md, "Storefront documents"). A feed
// carries it as its top-level "document" object.
struct ProductDocumentFacts {
  std::string product;  // the document's one product
  Timestamp as_of = 0;  // the `now` the document's first pages are exact for
  // Every published rating of the store: their mean is the Bayesian prior.
  std::int64_t store_rating_sum = 0;
  std::int64_t store_rating_count = 0;
  // The product's published, non-spam items, counted by
  // [rating: 0 = none, 1..5][verified buyer][has media]: its rating summary
  // and the total of every filter come from these.
  std::array<std::array<std::array<std::int64_t, 2>, 2>, 6> facets{};
  // ("page_sizes", the first-page sizes it is exact for, is for readers: the
  // engine answers any page.)
};

struct Feed {
  int version = 1;
  Store store;
  std::vector<Product> products;
  std::vector<Influencer> influencers;
  std::vector<Endorsement> endorsements;
  std::vector<Ugc> ugc;
  // Present in a storefront document only: its items are then a chosen,
  // already moderated (spam left out, contact details masked) subset.
  std::optional<ProductDocumentFacts> document;

  // Indexes built by the loader (positions in the vectors above).
  std::unordered_map<std::string, std::size_t> product_index;
  std::unordered_map<std::string, std::size_t> influencer_index;
  std::unordered_map<std::string, std::size_t> code_index;  // lower-cased code -> influencer

  const Product* find_product(std::string_view id) const;
  const Influencer* find_influencer(std::string_view id) const;
  // Case-insensitive referral/coupon code lookup.
  const Influencer* find_influencer_by_code(std::string_view code) const;

  // Rebuilds the indexes after the vectors were changed by hand.
  void reindex();
};

// Limits that protect the engine from hostile or accidental input. All are
// enforced before or during parsing; exceeding one is a feed.too_large /
// feed.too_deep / feed.string_too_long error, never a crash.
struct FeedLimits {
  std::size_t max_bytes = 256u << 20;          // whole document: 256 MiB
  std::size_t max_depth = 32;                  // nesting of objects/arrays
  std::size_t max_string_bytes = 64u << 10;    // any one string: 64 KiB
  std::size_t max_items = 2'000'000;           // elements of any one array
  std::size_t max_errors = 100;                // errors reported before stopping
};

// The store owner's own feed file, read natively (`vouch serve`, `vouch
// export` and the other commands): a 2,000,000-review store writes ~0.9 GB.
// Browsers are never handed a feed (they get bounded public documents), so
// the wasm engine keeps the defaults above.
inline FeedLimits store_feed_limits() {
  FeedLimits limits;
  limits.max_bytes = std::size_t{2} << 30;  // 2 GiB
  limits.max_items = 10'000'000;
  return limits;
}

struct FeedLoadResult {
  std::optional<Feed> feed;   // present when errors is empty
  std::vector<Error> errors;  // every fault found, up to FeedLimits::max_errors
  bool truncated = false;     // more errors existed than were reported

  bool ok() const { return feed.has_value(); }
};

// Parses and validates feed JSON text. Never throws.
FeedLoadResult load_feed(std::string_view text, const FeedLimits& limits = {});

// One UGC item by the feed's rules, its faults to `reader` (a review a
// shopper writes is read by it too: feed/review_submission.hpp).
Ugc read_ugc(const JsonValue& item, const std::string& path, FieldReader& reader);

}  // namespace vouch
