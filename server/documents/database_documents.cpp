#include "database_documents.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

namespace vouch::server {

namespace {

using nlohmann::json;

void append_array(std::string& out, const char* key, const std::vector<std::string>& bodies) {
  out += ",\"";
  out += key;
  out += "\":[";
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    if (i) out += ',';
    out += bodies[i];
  }
  out += ']';
}

StoreRatings store_ratings_of(const RatingTotals& totals) { return {totals.sum, totals.count}; }

}  // namespace

Feed catalogue_feed(const std::string& store_body, const std::vector<std::string>& products,
                    const std::vector<std::string>& influencers, const std::vector<std::string>& endorsements) {
  std::string text = "{\"version\":1,\"store\":" + store_body;
  append_array(text, "products", products);
  append_array(text, "influencers", influencers);
  append_array(text, "endorsements", endorsements);
  text += ",\"ugc\":[]}";
  FeedLoadResult loaded = load_feed(text, store_feed_limits());
  if (!loaded.ok())
    throw StoreError("the stored catalogue does not read as a feed: " + loaded.errors[0].code + " at " +
                     loaded.errors[0].path + ": " + loaded.errors[0].message);
  return std::move(*loaded.feed);
}

std::optional<Feed> product_feed(CatalogueStore& store, const std::string& product) {
  auto shop = store.store_body();
  auto body = store.product_body(product);
  if (!shop || !body) return std::nullopt;
  std::vector<std::string> endorsements = store.endorsement_bodies(product);
  std::vector<Ugc> items = store.product_items(product);
  std::vector<std::string> named;
  for (const auto& e : endorsements) named.push_back(json::parse(e).value("influencer", std::string()));
  for (const Ugc& u : items)
    if (u.author.influencer) named.push_back(*u.author.influencer);
  Feed feed = catalogue_feed(*shop, {*body}, store.influencer_bodies(named), endorsements);
  feed.ugc = std::move(items);
  feed.reindex();
  return feed;
}

std::optional<vouch::Store> stored_store(CatalogueStore& store) {
  auto shop = store.store_body();
  if (!shop) return std::nullopt;
  return catalogue_feed(*shop, {}, {}, {}).store;
}

std::string database_store_document(CatalogueStore& store, const vouch::Store& shop, Timestamp as_of,
                                    std::vector<StorePick> picks) {
  std::vector<StorePick> chosen = choose_store_picks(std::move(picks));
  auto shop_body = store.store_body();
  Feed creators = catalogue_feed(shop_body.value_or("{}"), {}, store.influencer_bodies(pick_creators(chosen)), {});
  std::vector<const Influencer*> cards;
  for (const Influencer& in : creators.influencers) cards.push_back(&in);
  return store_document(shop, as_of, chosen, cards);
}

BuildStats build_database_documents(CatalogueStore& store, Timestamp as_of, std::size_t threads,
                                    const std::function<void(const std::string& path, std::string body)>& emit) {
  auto start = std::chrono::steady_clock::now();
  BuildStats stats;
  auto shop = stored_store(store);
  if (!shop) return stats;
  const StoreRatings ratings = store_ratings_of(store.rating_totals());
  std::vector<std::string> products;
  store.live_ids(FeedSection::Products, [&](const std::string& id) { products.push_back(id); });
  std::vector<StorePick> picks;
  std::atomic<std::size_t> next = 0;
  std::mutex mutex;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < products.size(); i = next++) {
        std::optional<Feed> feed = product_feed(store, products[i]);
        if (!feed) continue;
        StorefrontDocumentBuilder builder(*feed, as_of, ratings);
        ProductDocuments docs = builder.product(feed->products[0]);
        {
          std::lock_guard lock(mutex);
          add_to_stats(stats, docs, products[i]);
          if (docs.pick) picks.push_back(std::move(*docs.pick));
        }
        emit("products/" + docs.name + ".json", std::move(docs.product));
        emit("products/" + docs.name + "/reviews.json", std::move(docs.reviews));
        emit("badges/" + docs.name + ".json", std::move(docs.badge));
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      next = products.size();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < std::max<std::size_t>(threads, 1); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
  std::string store_json = database_store_document(store, *shop, as_of, std::move(picks));
  stats.total_bytes += store_json.size();
  emit("store.json", std::move(store_json));
  stats.products = products.size();
  stats.documents = 3 * products.size() + 1;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace vouch::server
