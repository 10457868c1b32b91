#pragma once
// Social-proof selection (engine 2): what UGC and endorsements a shopper sees
// on a product page, in which order, and why. Scoring, moderation and
// near-duplicate rules are documented in docs/social-proof.md.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "feed/feed.hpp"
#include "input/json_tape.hpp"
#include "social_proof/signals.hpp"

namespace vouch {

// The JSON entry point shared by the CLI, the server and the wasm boundary.
// query: {"product": ID, "locale"?, "via"?, "limit"?, "offset"?, "sort"?,
//         "min_rating"?, "verified_only"?, "with_media"?, "now": RFC3339}
// Returns the social-proof output shape of PRODUCT.md. Throws VouchException
// (codes "query.*") for a bad query.
// Builds a SocialProofIndex for the query's product and queries it once.
nlohmann::json social_proof_json(const Feed& feed, const nlohmann::json& query);

class SocialProofIndex;
// The same, on an index that a caller keeps for many queries (the wasm engine
// holds one per loaded feed): only the query-dependent work is done here.
nlohmann::json social_proof_json(SocialProofIndex& index, const nlohmann::json& query);
// The same without exceptions (the storefront wasm module has none): nullopt
// and `error` for a bad query.
std::optional<nlohmann::json> social_proof_json(SocialProofIndex& index, const nlohmann::json& query,
                                                Error& error);
// The same on a recorded query (input/json_tape.hpp); a query without "now"
// takes default_now when given.
std::optional<nlohmann::json> social_proof_json(SocialProofIndex& index, const JsonValue& query, Error& error,
                                                std::optional<Timestamp> default_now = std::nullopt);

// ---- Typed API -------------------------------------------------------------

enum class SocialProofSort { Relevant, Newest, Highest, Lowest, Helpful, Media };

constexpr std::size_t kDefaultLimit = 6;
constexpr std::size_t kMaxPageSize = 100;
constexpr std::size_t kMaxOffset = 1000;
constexpr std::size_t kMaxEndorsements = 12;
// Strength of the Bayesian prior: the store mean counts as this many ratings.
constexpr double kBayesianPriorStrength = 5.0;
// Prior when the store has no rating at all: the middle of the 1-5 scale.
constexpr double kFallbackPriorMean = 3.0;
// MMR trade-off: 1 = relevance only, 0 = diversity only (Carbonell &
// Goldstein, "The use of MMR, diversity-based reranking", SIGIR 1998).
constexpr double kMmrLambda = 0.75;
// Similarity of two items for MMR: same author 0.7, same kind 0.3 (added).
constexpr double kSameAuthorSimilarity = 0.7;
constexpr double kSameKindSimilarity = 0.3;
// A review is critical when rated at most this; the first page holds one when any exists.
constexpr int kCriticalRating = 3;
constexpr std::size_t kBalanceMinLimit = 4;

struct SocialProofQuery {
  std::string product;
  std::string locale;  // shopper locale; the store's when absent
  std::string via;     // resolved influencer id, "" when none (or unknown)
  std::string via_requested;  // as given, for the output context
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
  SocialProofSort sort = SocialProofSort::Relevant;
  std::optional<int> min_rating;
  bool verified_only = false;
  bool with_media = false;
  // The excluded (spam) and collapsed (near-duplicate) lists in the output:
  // for the merchant's review; the widget asks without them (on a product
  // with 100,000 items they are ~350 KB of JSON per query).
  bool moderation_lists = true;
  Timestamp now = 0;
};

// Validates a JSON query against the feed: nullopt and `error` for a bad one
// (query.invalid_type, query.missing_field, query.invalid_value,
// query.unknown_product). Unknown keys are ignored; an unknown `via` is
// ignored too (a stale referral must not break a product page).
std::optional<SocialProofQuery> parse_social_proof_query(const Feed& feed, const JsonValue& query, Error& error,
                                                         std::optional<Timestamp> default_now = std::nullopt);
std::optional<SocialProofQuery> parse_social_proof_query(const Feed& feed, const nlohmann::json& query,
                                                         Error& error);

struct RatingSummary {
  std::int64_t count = 0;                  // published, non-spam, rated items
  std::optional<double> average;           // none when count == 0
  double bayesian_average = 0;             // shrunk towards the store mean
  double prior_mean = kFallbackPriorMean;  // store mean over all published ratings
  std::array<std::int64_t, 5> distribution{};  // [0] = 1 star
  double verified_share = 0;               // of the counted items
};

struct ScoredItem {
  const Ugc* ugc = nullptr;
  double score = 0;      // relevance score in [0, 1]
  double helpfulness = 0;  // Wilson lower bound
  std::vector<std::string> reasons;
  std::string title;  // masked
  std::string body;   // masked
};

struct Exclusion {
  std::string id;
  std::string reason;                // "spam"
  std::vector<std::string> signals;  // what made it spam
};

struct Collapse {
  std::string id;
  std::string duplicate_of;
  double similarity = 0;
};

struct ScoredEndorsement {
  const Endorsement* endorsement = nullptr;
  double score = 0;
  std::vector<std::string> reasons;
  std::string quote;  // masked
};

struct SocialProofResult {
  RatingSummary summary;
  std::vector<ScoredItem> items;  // the requested page
  std::vector<ScoredEndorsement> endorsements;
  std::size_t total = 0;  // items matching the filters (before near-duplicate collapsing)
  std::span<const Exclusion> excluded;  // the index's list: valid while the index lives
  std::vector<Collapse> collapsed;  // near-duplicates met while building this page
};

// ---- Prepared feed -----------------------------------------------------------

// One published, non-spam item with everything about it that does not depend
// on the query.
struct IndexedUgc {
  const Ugc* ugc = nullptr;
  // Verified, helpfulness, influencer, media and text terms of the relevance
  // score, added in the same order as the full score so that adding recency
  // and locale gives the same double bit for bit.
  double base_score = 0;
  double helpfulness = 0;    // Wilson lower bound
  std::uint32_t author = 0;  // the same number for the same influencer id or case-folded name
  std::uint32_t locale = 0;  // into ProductProof::locales
  std::uint32_t text = 0;    // into ProductProof::texts; identical texts share one set
  std::uint32_t words = 0;   // of the masked title and body
  bool has_media = false;
  bool critical = false;
};

// The prepared social proof of one product.
struct ProductProof {
  std::vector<IndexedUgc> items;    // published, non-spam, in feed order
  std::vector<Exclusion> excluded;  // published spam, by id
  RatingSummary summary;            // does not depend on the query's filters
  std::vector<std::vector<std::uint64_t>> texts;  // distinct shingle sets of title + body
  std::vector<std::string> locales;               // distinct item locales, as written
  std::vector<const Endorsement*> endorsements;   // in feed order
  // Set when the feed is this product's storefront document: the summary
  // and every filter's total come from its facets, not from its items.
  const ProductDocumentFacts* document = nullptr;
};

// A feed prepared for many social-proof queries: moderation verdicts,
// shingle sets, rating summaries and the query-independent part of each
// score, per product, built at the product's first query (O(n) for its n
// items) and kept. Refers to the feed, which must outlive it and stay put.
// Not thread-safe: building a product mutates it.
class SocialProofIndex {
 public:
  explicit SocialProofIndex(const Feed& feed);
  // The same for a feed that holds part of a store (one product, as the
  // server builds its documents): the store's prior mean is given.
  SocialProofIndex(const Feed& feed, double prior_mean);
  const Feed& feed() const { return *feed_; }
  // The prepared product, built now if it is the first time it is asked for.
  const ProductProof& product(const std::string& id);
  // Frees what product(id) prepared (a caller walking every product of a
  // large feed keeps one at a time); the next product(id) prepares it again.
  void release(const std::string& id);
  // Finds each product's items once (a counting sort, O(items)), for a
  // caller that prepares many products: preparing one then costs its own
  // items, not a pass over the whole feed (walking 20,000 products of
  // 2,000,000 items would otherwise compare 4·10¹⁰ ids).
  void group_items();

 private:
  const Feed* feed_;
  double prior_mean_;  // the store's mean over all published ratings
  // By position in feed.products (a vector, not a map: the wasm is size-bound);
  // empty until the product is first asked for.
  std::vector<std::unique_ptr<ProductProof>> products_;
  // After group_items(): product p's items are items_[first_item_[p] ..
  // first_item_[p + 1]) (positions in feed.ugc); empty before.
  std::vector<std::uint32_t> first_item_, items_;
  ProductProof unknown_;  // what an id outside the feed gets: nothing
};

// The selection itself, on a prepared product (built here at its first
// query: O(n) moderation and shingling). Cost per query for n items of the
// product, k = offset + limit: O(n) to filter (and, for the relevance-based
// sorts, add recency and locale to the prepared score), O(n log k) to bring the best candidates to the
// front by incremental partial sort (std::partial_sort, never a full sort
// unless the walk needs it), then O(k · (w + k)) for the greedy MMR walk with
// near-duplicate checks (w: candidates scanned per step, bounded by early
// termination).
SocialProofResult select_social_proof(SocialProofIndex& index, const SocialProofQuery& query);

// For the storefront documents' candidate set (documents.cpp), which runs
// thousands of first pages per product: a walk over some of the product's
// items only. `items` (positions in ProductProof::items, passing the
// query's filters) hold the best `prefix` candidates of the query's order
// (its first `prefix` in rank order are those of the whole product), all
// the `via` creator's candidates, and critical ones (all of them when
// `critical_complete`). `exhausted` is set when the walk asked for more than
// that: the result is then not the whole product's, ask again with more.
// `seen` receives the items MMR weighed (counted in its horizon) on the way
// to the page, picked or not (positions in ProductProof::items). The result
// then holds the page's items only: no texts, reasons or endorsements.
struct WalkRestriction {
  std::vector<std::uint32_t> items;
  std::size_t prefix = 0;
  bool critical_complete = false;
  bool exhausted = false;
  std::vector<std::size_t> seen;
};
SocialProofResult select_social_proof(SocialProofIndex& index, const SocialProofQuery& query,
                                      WalkRestriction* restriction);

// The product's prepared items (positions in ProductProof::items) in the
// query's order: its sort, locale and now; filters, via and page ignored.
std::vector<std::uint32_t> rank_product(SocialProofIndex& index, const SocialProofQuery& query);

// Rating summary of one product (published, non-spam, rated items).
RatingSummary summarize_ratings(const Feed& feed, const std::string& product);

nlohmann::json to_json(const Feed& feed, const SocialProofQuery& query, const SocialProofResult& result);
// The "summary" object of the output.
nlohmann::json to_json(const RatingSummary& summary);

// The text a shopper reads: contact details masked (moderation.hpp), except
// in a storefront document, whose texts the server masked already. Word
// counts and near-duplicate shingles are taken from it too, so that a
// document, which only carries masked text, scores its items as the feed did.
std::string shown_text(const Feed& feed, const std::string& text);

std::string_view to_string(SocialProofSort sort);

}  // namespace vouch
