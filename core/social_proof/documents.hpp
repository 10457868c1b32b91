#pragma once
// The storefront's public documents (docs/server.md, "Public documents"):
// what a shopper's page may download, bounded whatever the store's size.
//
//   store.json              the store, the top creator picks and their creators' public cards
//   products/NAME.json      one product as a feed: the product, its endorsements, the public
//                           cards of its creators and a bounded candidate set of its published,
//                           masked items, plus the facts ("document") that stand for the rest;
//                           its candidates answer the product page's rail
//   products/NAME/reviews.json  the same with the candidates of every first page of "See all"
//   badges/NAME.json        one product's rating summary
//
// The candidate set is chosen so that the engine on the document gives the
// same first page as on the whole feed for every query the widget makes (the
// argument: docs/social-proof.md, "Storefront documents"). Native only: the
// wasm module reads these documents, it never builds them.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch {

// Which of the widget's queries a product document answers exactly (each
// query with offset 0, `now` = as_of, any creator the document names as
// `via`, the shopper's language):
enum class DocumentScope {
  Rail,     // what the product page shows first: `relevant`, no filter, kRailSize items
  Reviews,  // the first page of "See all" for each sort and filter, kReviewsPageSize items
};
constexpr std::size_t kRailSize = 8;          // web/src/widget/social-proof.js RAIL_SIZE
constexpr std::size_t kReviewsPageSize = 10;  // and PAGE_SIZE
// Products in store.json's picks (the widget shows 12; the rest let a
// referring creator's own picks come first).
constexpr std::size_t kStorePicks = 24;

// A product id as a path segment that is the same in a URL and on a disk:
// bytes of [A-Za-z0-9_-] and non-leading '.' as they are, every other byte as
// "~HH" (upper-case hex). "sku-1" -> "sku-1", "a/b" -> "a~2Fb", ".x" -> "~2Ex".
std::string document_name(std::string_view id);

// The documents' `now`: the start of the UTC day, so that every instance and
// every export of one feed on one day writes the same bytes.
Timestamp document_day(Timestamp now);

// Every published rating of the store (the Bayesian prior's mean).
struct StoreRatings {
  std::int64_t sum = 0;
  std::int64_t count = 0;
};
StoreRatings store_ratings(const Feed& feed);
// Their mean, the prior of every rating summary (kFallbackPriorMean when none).
double prior_mean(const StoreRatings& ratings);

// The chosen items of a product document and whom they name.
struct ProductCandidates {
  std::vector<const Ugc*> items;                 // feed order
  std::vector<const Endorsement*> endorsements;  // all the product's, feed order
  std::vector<const Influencer*> creators;       // endorsers and item authors, feed order
  std::size_t queries = 0;                       // first pages computed to choose them
};

// The union, over every query class of the scope at `as_of`, of the items
// the walk picks or weighs: each sort and filter combination of the scope,
// each shopper-locale class, each creator named in the document as `via`.
ProductCandidates choose_candidates(SocialProofIndex& index, const std::string& product, Timestamp as_of,
                                   DocumentScope scope);

// What store.json needs of one product: its ranked endorsements (those with
// a quote), their best score, and its rating summary.
struct StorePick {
  std::string name;  // document_name(product id)
  double score = 0;  // of its best endorsement
  nlohmann::json product;       // to_json(product)
  nlohmann::json summary;
  nlohmann::json endorsements;  // at most kMaxEndorsements, as the engine ranks them
};

// One product's documents, as JSON text, and what store.json needs of it.
struct ProductDocuments {
  std::string name;     // document_name(product id)
  std::string product;  // products/NAME.json (DocumentScope::Rail)
  std::string reviews;  // products/NAME/reviews.json (DocumentScope::Reviews)
  std::string badge;    // badges/NAME.json
  std::size_t items = 0;          // candidates in the product document
  std::size_t reviews_items = 0;  // and in the reviews document
  std::size_t queries = 0;  // first pages computed to choose them
  nlohmann::json summary;
  std::optional<StorePick> pick;  // none when no endorsement of it has a quote
};

// Builds the documents of a feed's products one at a time (prepare, write,
// release), so that memory stays that of one product. Not thread-safe; a
// caller with several threads gives each its own builder. `ratings`: the
// store's (store_ratings of the whole store; a feed that holds one product
// of it, as the server builds them, does not have them).
class StorefrontDocumentBuilder {
 public:
  StorefrontDocumentBuilder(const Feed& feed, Timestamp as_of, StoreRatings ratings);
  ProductDocuments product(const Product& product);

 private:
  const Feed& feed_;
  Timestamp as_of_;
  StoreRatings ratings_;
  SocialProofIndex index_;
};

// The picks store.json shows: the best kStorePicks by score (ties by name).
std::vector<StorePick> choose_store_picks(std::vector<StorePick> picks);
// The influencers the chosen picks' endorsements name.
std::vector<std::string> pick_creators(const std::vector<StorePick>& chosen);
// store.json: the store, the chosen picks and the public cards of their
// creators (`creators`: those pick_creators names, in feed order).
std::string store_document(const Store& store, Timestamp as_of, const std::vector<StorePick>& chosen,
                           const std::vector<const Influencer*>& creators);
// The same from every product's documents of a whole feed (any order).
std::string store_document(const Feed& feed, Timestamp as_of, const std::vector<ProductDocuments>& products);

}  // namespace vouch
