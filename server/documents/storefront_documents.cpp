#include "storefront_documents.hpp"

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <exception>

#include "crypto.hpp"
#include "social_proof/documents.hpp"
#include "store.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

BuildStats build_storefront_documents(const Feed& feed, Timestamp as_of, std::size_t threads,
                                      const std::function<void(const std::string& path, std::string body)>& emit,
                                      const CandidateCache* previous, CandidateCache* cache) {
  auto start = std::chrono::steady_clock::now();
  const StoreRatings ratings = store_ratings(feed);
  // Each product's signature: its items' positions and statuses (FNV-1a style).
  std::vector<std::uint64_t> signatures(feed.products.size(), 0xcbf29ce484222325ULL);
  for (std::size_t i = 0; i < feed.ugc.size(); ++i)
    if (const Product* p = feed.find_product(feed.ugc[i].product)) {
      auto& h = signatures[static_cast<std::size_t>(p - feed.products.data())];
      h = (h ^ (i * 4 + static_cast<std::uint64_t>(feed.ugc[i].status))) * 0x100000001b3ULL;
    }
  if (previous && (previous->signatures.size() != feed.products.size() ||
                   previous->candidates.size() != feed.products.size()))
    previous = nullptr;
  if (cache) {
    cache->signatures = signatures;
    cache->candidates.assign(feed.products.size(), {});
  }
  std::vector<ProductDocuments> picks(feed.products.size());
  std::atomic<std::size_t> next = 0;
  std::mutex stats_mutex;
  BuildStats stats;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      StorefrontDocumentBuilder builder(feed, as_of, ratings);
      for (std::size_t i = next++; i < feed.products.size(); i = next++) {
        const bool same = previous && previous->signatures[i] == signatures[i];
        ProductDocuments docs = builder.product(feed.products[i], same ? &previous->candidates[i] : nullptr);
        if (cache) cache->candidates[i] = std::move(docs.candidates);
        {
          std::lock_guard lock(stats_mutex);
          stats.reused += same;
          stats.total_items += docs.items;
          stats.total_reviews_items += docs.reviews_items;
          stats.queries += docs.queries;
          stats.total_bytes += docs.product.size() + docs.reviews.size() + docs.badge.size();
          if (docs.product.size() > stats.largest_bytes) {
            stats.largest_bytes = docs.product.size();
            stats.largest_product = feed.products[i].id;
            stats.largest_items = docs.items;
          }
          stats.largest_reviews_bytes = std::max(stats.largest_reviews_bytes, docs.reviews.size());
          stats.largest_reviews_items = std::max(stats.largest_reviews_items, docs.reviews_items);
        }
        emit("products/" + docs.name + ".json", std::move(docs.product));
        emit("products/" + docs.name + "/reviews.json", std::move(docs.reviews));
        emit("badges/" + docs.name + ".json", std::move(docs.badge));
        docs.product.clear();
        docs.reviews.clear();
        docs.badge.clear();
        picks[i] = std::move(docs);  // only what store.json needs is left
      }
    } catch (...) {
      std::lock_guard lock(stats_mutex);
      if (!failure) failure = std::current_exception();
      next = feed.products.size();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < std::max<std::size_t>(threads, 1); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
  std::string store = store_document(feed, as_of, picks);
  stats.total_bytes += store.size();
  emit("store.json", std::move(store));
  stats.products = feed.products.size();
  stats.documents = 3 * feed.products.size() + 1;
  stats.seconds = seconds_since(start);
  return stats;
}

StorefrontDocuments::StorefrontDocuments(FeedSource& feed, std::size_t threads,
                                         std::function<void(const json&)> log)
    : feed_(feed), threads_(threads), log_(std::move(log)) {}

StorefrontDocuments::~StorefrontDocuments() { stop(); }

std::shared_ptr<const DocumentSet> StorefrontDocuments::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void StorefrontDocuments::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

void StorefrontDocuments::rebuild(const std::shared_ptr<const FeedSnapshot>& feed, Timestamp as_of) {
  auto set = std::make_shared<DocumentSet>();
  set->feed = feed;
  set->as_of = as_of;
  // After a moderation decision (same load of the feed, same day) only the
  // products whose items' statuses changed choose their candidates again.
  auto before = current();
  const CandidateCache* previous =
      before && before->feed->generation == feed->generation && before->as_of == as_of ? &before->cache : nullptr;
  std::mutex insert;
  set->stats = build_storefront_documents(
      feed->feed, as_of, threads_,
      [&](const std::string& path, std::string body) {
        PublishedDocument doc;
        doc.bytes = body.size();
        doc.etag = strong_etag(body);
        doc.gzip_body = gzip(body);
        std::lock_guard lock(insert);
        set->documents.emplace(path, std::move(doc));
      },
      previous, &set->cache);
  const BuildStats& s = set->stats;
  log_({{"level", "info"},
        {"event", "documents_built"},
        {"as_of", format_rfc3339(as_of)},
        {"moderation_version", feed->moderation_version},
        {"products", s.products},
        {"documents", s.documents},
        {"candidates", s.total_items},
        {"reviews_candidates", s.total_reviews_items},
        {"largest_reviews", {{"bytes", s.largest_reviews_bytes}, {"items", s.largest_reviews_items}}},
        {"queries", s.queries},
        {"reused", s.reused},
        {"largest", {{"product", s.largest_product}, {"bytes", s.largest_bytes}, {"items", s.largest_items}}},
        {"bytes", s.total_bytes},
        {"seconds", std::round(s.seconds * 1000) / 1000}});
  {
    std::lock_guard lock(mutex_);
    current_ = std::move(set);  // the old set is freed when its last request is answered
  }
  malloc_trim(0);  // what the build used (and a replaced feed) back to the system
}

void StorefrontDocuments::start(std::function<Timestamp()> clock) {
  clock_ = std::move(clock);
  builder_ = std::thread([this] { run(); });
}

void StorefrontDocuments::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (builder_.joinable()) builder_.join();
}

// Once a second (or when poked): apply new moderation decisions, then
// rebuild when the feed or the day is not the one the current set was built
// for. A build that fails is logged and retried at the next change.
void StorefrontDocuments::run() {
  std::shared_ptr<const FeedSnapshot> failed_feed;
  Timestamp failed_day = -1;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
    }
    try {
      feed_.refresh_moderation();
      auto feed = feed_.current();
      Timestamp day = document_day(clock_());
      auto built = current();
      bool stale = !built || built->feed != feed || built->as_of != day;
      if (stale && !(feed == failed_feed && day == failed_day)) rebuild(feed, day);
    } catch (const std::exception& e) {
      failed_feed = feed_.current();
      failed_day = document_day(clock_());
      log_({{"level", "error"}, {"event", "documents_failed"}, {"message", e.what()}});
    }
  }
}

}  // namespace vouch::server
