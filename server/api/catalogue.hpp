#pragma once
// What the endpoints need of the catalogue, read from the database (the
// store of record) and kept while its version holds: the store, the roster
// and the demo's catalogue as JSON, and the influencers the report
// attributes to. Nothing here holds UGC: a product's items are read with
// that product (documents/database_documents.hpp).
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "feed/feed.hpp"
#include "social_proof_pages.hpp"
#include "store.hpp"

namespace vouch::server {

class Catalogue {
 public:
  explicit Catalogue(CatalogueStore& store) : store_(store) {}

  // The store as last imported (an empty one before any import).
  vouch::Store shop();
  // The store, its products and the given products as a feed (for reading a
  // review of one product, or naming the products of orders); products
  // that are not in the catalogue are left out.
  Feed with_products(const std::vector<std::string>& ids);
  // The whole catalogue as a typed feed without UGC: the store, products,
  // influencers and endorsements (the report's and the commission ledger's
  // attribution, the creator portal). Kept per version, and for a few
  // minutes after its last use only: 20,000 products and 50,000
  // influencers are a few hundred MB typed.
  std::shared_ptr<const Feed> feed();

  // Every influencer's codes, lower case (which discount codes of a
  // platform's order are creators'), per catalogue version.
  std::shared_ptr<const std::unordered_set<std::string>> creator_codes();

  // GET /v1/admin/roster and GET /demo/catalog.json, per catalogue version.
  std::shared_ptr<const CachedBody> roster();
  std::shared_ptr<const CachedBody> demo_catalog();

  // Drops what a newer catalogue version makes stale, and the influencers
  // when unused for a while (the housekeeping thread, once a second).
  void refresh();

 private:
  CatalogueStore& store_;
  std::mutex mutex_;
  std::int64_t version_ = -1;
  std::optional<vouch::Store> shop_;
  std::shared_ptr<const CachedBody> roster_, demo_;
  std::shared_ptr<const Feed> feed_;
  std::shared_ptr<const std::unordered_set<std::string>> codes_;
  std::chrono::steady_clock::time_point feed_used_;

  std::string body_array(FeedSection section);
  void check_version();  // with mutex_ held
};

}  // namespace vouch::server
