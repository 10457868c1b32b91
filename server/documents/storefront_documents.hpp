#pragma once
// The storefront's public documents (core/social_proof/documents.hpp) as
// `vouch serve` publishes them and `vouch export` writes them: built on a
// few threads from the feed with its moderation decisions applied, when the
// feed, a decision or the UTC day changes (never per request), then swapped
// in whole beside the old set, which keeps answering until then.
//
//   /v1/store.json, /v1/products/NAME.json, /v1/products/NAME/reviews.json,
//   /v1/badges/NAME.json
//
// One URL, one file: `vouch export` writes the same bytes under DIR/v1/.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "feed_source.hpp"

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
  std::size_t reused = 0;          // products whose candidates a previous build chose
  double seconds = 0;
};

// What a build chose for each product (by position in feed.products), and a
// signature of what that choice depended on that a moderation decision can
// change: the statuses of the product's items.
struct CandidateCache {
  std::vector<std::uint64_t> signatures;
  std::vector<std::array<std::vector<std::uint32_t>, 2>> candidates;  // rail, reviews: positions in feed.ugc
};

// Builds every public document of `feed` as of `as_of` (a UTC midnight) on
// `threads` threads. `emit(path, body)` gets each document's path under /v1/
// ("store.json", "products/NAME.json", "products/NAME/reviews.json",
// "badges/NAME.json") and JSON text; it
// is called from the worker threads, concurrently, and store.json last.
// `previous`: the cache of a build as of the same day on the same load of the
// feed (statuses aside): a product whose signature is unchanged keeps its
// candidates. `cache`, when given, receives this build's.
BuildStats build_storefront_documents(const Feed& feed, Timestamp as_of, std::size_t threads,
                                      const std::function<void(const std::string& path, std::string body)>& emit,
                                      const CandidateCache* previous = nullptr, CandidateCache* cache = nullptr);

// One published document: what a request needs, computed once.
struct PublishedDocument {
  std::string gzip_body;   // the JSON gzip-compressed (clients without gzip get it inflated)
  std::string etag;        // strong: SHA-256 prefix of the JSON
  std::size_t bytes = 0;   // of the JSON
};

// A complete set, as of one feed, one moderation version and one day.
struct DocumentSet {
  std::shared_ptr<const FeedSnapshot> feed;  // the feed it was built from (moderation applied)
  Timestamp as_of = 0;
  std::unordered_map<std::string, PublishedDocument> documents;  // by path under /v1/
  BuildStats stats;
  CandidateCache cache;
};

class StorefrontDocuments {
 public:
  // `log` receives one JSON object per build (done or failed).
  StorefrontDocuments(FeedSource& feed, std::size_t threads, std::function<void(const nlohmann::json&)> log);
  ~StorefrontDocuments();

  // Starts the background builder: every second, or at once when poked, it
  // applies new moderation decisions to the feed and rebuilds when the feed
  // or the day (of `clock`) is not the current set's.
  void start(std::function<Timestamp()> clock);
  void stop();
  // Wakes the builder (a moderation decision was just recorded).
  void poke();

  std::shared_ptr<const DocumentSet> current() const;

 private:
  void run();
  void rebuild(const std::shared_ptr<const FeedSnapshot>& feed, Timestamp as_of);

  FeedSource& feed_;
  std::size_t threads_;
  std::function<void(const nlohmann::json&)> log_;
  std::function<Timestamp()> clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;
  std::shared_ptr<const DocumentSet> current_;
  std::thread builder_;
};

}  // namespace vouch::server
