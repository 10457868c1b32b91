#include "social_proof_pages.hpp"

#include "crypto.hpp"
#include "database_documents.hpp"
#include "social_proof/documents.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kPreparedProducts = 16;
constexpr std::size_t kCachedPages = 512;

}  // namespace

std::shared_ptr<const CachedBody> make_cached_body(std::string body, bool keep_body) {
  auto out = std::make_shared<CachedBody>();
  out->gzip_body = gzip(body);
  out->etag = strong_etag(body);
  if (keep_body) out->body = std::move(body);
  return out;
}

SocialProofIndex* SocialProofPages::prepare(const std::string& key, const std::string& product,
                                            RatingTotals ratings) {
  for (auto it = prepared_.begin(); it != prepared_.end(); ++it)
    if (it->key == key) {
      prepared_.splice(prepared_.begin(), prepared_, it);
      return prepared_.front().index.get();
    }
  std::optional<Feed> feed = product_feed(store_, product);
  if (!feed) return nullptr;
  Prepared p{key, std::make_unique<Feed>(std::move(*feed)), nullptr};
  p.index = std::make_unique<SocialProofIndex>(*p.feed, prior_mean({ratings.sum, ratings.count}));
  prepared_.push_front(std::move(p));
  if (prepared_.size() > kPreparedProducts) prepared_.pop_back();
  return prepared_.front().index.get();
}

std::shared_ptr<const CachedBody> SocialProofPages::page(const std::string& product, json query) {
  const Timestamp as_of = store_.documents_day();
  const RatingTotals ratings = store_.rating_totals();
  std::int64_t changed = store_.product_changed(product);
  if (changed < 0) return nullptr;
  query["now"] = format_rfc3339(as_of);
  const std::string prepared_key = product + "\n" + std::to_string(changed) + "\n" + std::to_string(as_of) + "\n" +
                                   std::to_string(ratings.sum) + "/" + std::to_string(ratings.count);
  const std::string key = prepared_key + "\n" + query.dump();
  std::lock_guard lock(mutex_);
  if (auto hit = cache_.find(key); hit != cache_.end()) return hit->second;
  SocialProofIndex* index = prepare(prepared_key, product, ratings);
  if (!index) return nullptr;
  json out = social_proof_json(*index, query);
  auto page = make_cached_body(out.dump(-1, ' ', false, json::error_handler_t::replace), true);
  cache_.emplace(key, page);
  order_.push_front(key);
  if (order_.size() > kCachedPages) {
    cache_.erase(order_.back());
    order_.pop_back();
  }
  return page;
}

}  // namespace vouch::server
