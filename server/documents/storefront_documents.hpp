#pragma once
// The storefront's public documents (core/social_proof/documents.hpp) of a
// whole feed file, as `vouch export --feed` writes them (`vouch serve`
// builds them per product from its database: document_builder.hpp, the
// same bytes):
//
//   /v1/store.json, /v1/products/NAME.json, /v1/products/NAME/reviews.json,
//   /v1/badges/NAME.json
//
// One URL, one file: `vouch export` writes the same bytes under DIR/v1/.
#include <cstddef>
#include <functional>
#include <string>

#include "feed/feed.hpp"
#include "social_proof/documents.hpp"

namespace vouch::server {

struct BuildStats {
  std::size_t products = 0;
  std::size_t documents = 0;       // files: 3 per product + store.json
  std::size_t largest_bytes = 0;   // the largest product document (products/NAME.json)
  std::string largest_product;
  std::size_t largest_items = 0;   // candidates in the largest product document
  std::size_t total_items = 0;     // candidates over all product documents
  std::size_t largest_reviews_bytes = 0;  // the largest reviews document
  std::size_t largest_reviews_items = 0;
  std::size_t total_reviews_items = 0;
  std::size_t total_bytes = 0;
  std::size_t queries = 0;         // first pages computed to choose the candidates
  double seconds = 0;
};

// Adds one product's documents (before they are emitted) to the figures.
void add_to_stats(BuildStats& stats, const ProductDocuments& docs, const std::string& product);

// Builds every public document of `feed` as of `as_of` (a UTC midnight) on
// `threads` threads. `emit(path, body)` gets each document's path under /v1/
// ("store.json", "products/NAME.json", "products/NAME/reviews.json",
// "badges/NAME.json") and JSON text; it is called from the worker threads,
// concurrently, and store.json last.
BuildStats build_storefront_documents(const Feed& feed, Timestamp as_of, std::size_t threads,
                                      const std::function<void(const std::string& path, std::string body)>& emit);

}  // namespace vouch::server
