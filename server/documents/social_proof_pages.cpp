#include "social_proof_pages.hpp"

#include "crypto.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kPreparedProducts = 16;  // products the page index keeps prepared
constexpr std::size_t kCachedPages = 512;

}  // namespace

std::shared_ptr<const CachedBody> make_cached_body(std::string body, bool keep_body) {
  auto out = std::make_shared<CachedBody>();
  out->gzip_body = gzip(body);
  out->etag = strong_etag(body);
  if (keep_body) out->body = std::move(body);
  return out;
}

std::shared_ptr<const CachedBody> CachedBodies::get(const std::shared_ptr<const void>& version,
                                                    const std::function<std::string()>& make) {
  std::lock_guard lock(mutex_);
  if (version_ != version || !body_) {
    body_ = make_cached_body(make(), false);
    version_ = version;
  }
  return body_;
}

std::shared_ptr<const CachedBody> SocialProofPages::page(const std::shared_ptr<const DocumentSet>& set,
                                                         const std::string& product, const json& query) {
  const std::string key = query.dump();
  std::lock_guard lock(mutex_);
  if (pages_for_ != set) {  // a new set: its feed, its pages
    pages_for_ = set;
    index_ = std::make_unique<SocialProofIndex>(set->feed->feed);
    index_->group_items();  // a product prepared here costs its own items
    prepared_.clear();
    cache_.clear();
    order_.clear();
  }
  if (auto hit = cache_.find(key); hit != cache_.end()) return hit->second;
  json out = social_proof_json(*index_, query);
  prepared_.remove(product);
  prepared_.push_front(product);
  if (prepared_.size() > kPreparedProducts) {
    index_->release(prepared_.back());
    prepared_.pop_back();
  }
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
