#include "storefront_documents.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace vouch::server {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void add_to_stats(BuildStats& stats, const ProductDocuments& docs, const std::string& product) {
  stats.total_items += docs.items;
  stats.total_reviews_items += docs.reviews_items;
  stats.queries += docs.queries;
  stats.total_bytes += docs.product.size() + docs.reviews.size() + docs.badge.size();
  if (docs.product.size() > stats.largest_bytes) {
    stats.largest_bytes = docs.product.size();
    stats.largest_product = product;
    stats.largest_items = docs.items;
  }
  stats.largest_reviews_bytes = std::max(stats.largest_reviews_bytes, docs.reviews.size());
  stats.largest_reviews_items = std::max(stats.largest_reviews_items, docs.reviews_items);
}

BuildStats build_storefront_documents(const Feed& feed, Timestamp as_of, std::size_t threads,
                                      const std::function<void(const std::string& path, std::string body)>& emit) {
  auto start = std::chrono::steady_clock::now();
  const StoreRatings ratings = store_ratings(feed);
  std::vector<ProductDocuments> picks(feed.products.size());
  std::atomic<std::size_t> next = 0;
  std::mutex stats_mutex;
  BuildStats stats;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      StorefrontDocumentBuilder builder(feed, as_of, ratings);
      for (std::size_t i = next++; i < feed.products.size(); i = next++) {
        ProductDocuments docs = builder.product(feed.products[i]);
        {
          std::lock_guard lock(stats_mutex);
          add_to_stats(stats, docs, feed.products[i].id);
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

}  // namespace vouch::server
