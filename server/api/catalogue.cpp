#include "catalogue.hpp"

#include <malloc.h>

#include "common/text.hpp"
#include "database_documents.hpp"

namespace vouch::server {

namespace {

constexpr auto kInfluencersKept = std::chrono::minutes(5);

}  // namespace

void Catalogue::check_version() {
  std::int64_t version = store_.catalogue_version();
  if (version == version_) return;
  version_ = version;
  shop_.reset();
  roster_.reset();
  demo_.reset();
  influencers_.reset();
  codes_.reset();
}

void Catalogue::refresh() {
  std::lock_guard lock(mutex_);
  check_version();
  if (influencers_ && std::chrono::steady_clock::now() - influencers_used_ > kInfluencersKept) {
    influencers_.reset();
    malloc_trim(0);
  }
}

vouch::Store Catalogue::shop() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!shop_) shop_ = stored_store(store_).value_or(vouch::Store{});
  return *shop_;
}

Feed Catalogue::with_products(const std::vector<std::string>& ids) {
  std::vector<std::string> products;
  for (const auto& id : ids)
    if (auto body = store_.product_body(id)) products.push_back(std::move(*body));
  auto shop = store_.store_body();
  if (!shop) return Feed{};
  return catalogue_feed(*shop, products, {}, {});
}

std::shared_ptr<const Feed> Catalogue::influencers() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!influencers_) {
    std::vector<std::string> bodies;
    store_.catalogue_bodies(FeedSection::Influencers, [&](const std::string& body) { bodies.push_back(body); });
    auto shop = store_.store_body();
    influencers_ = std::make_shared<const Feed>(shop ? catalogue_feed(*shop, {}, bodies, {}) : Feed{});
  }
  influencers_used_ = std::chrono::steady_clock::now();
  return influencers_;
}

std::shared_ptr<const std::unordered_set<std::string>> Catalogue::creator_codes() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!codes_) {
    auto codes = std::make_shared<std::unordered_set<std::string>>();
    store_.catalogue_bodies(FeedSection::Influencers, [&](const std::string& body) {
      auto influencer = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
      if (influencer.is_object() && influencer.contains("codes") && influencer["codes"].is_array())
        for (const auto& code : influencer["codes"])
          if (code.is_string()) codes->insert(ascii_lower(code.get<std::string>()));
    });
    codes_ = std::move(codes);
  }
  return codes_;
}

std::string Catalogue::body_array(FeedSection section) {
  std::string out = "[";
  store_.catalogue_bodies(section, [&](const std::string& body) {
    if (out.size() > 1) out += ',';
    out += body;
  });
  return out + "]";
}

// Written as nlohmann writes the object (keys sorted), from the stored feed
// JSON of each element: the bytes the roster had when it was built from a
// typed feed.
std::shared_ptr<const CachedBody> Catalogue::roster() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!roster_) {
    std::string body = "{\"endorsements\":" + body_array(FeedSection::Endorsements) +
                       ",\"influencers\":" + body_array(FeedSection::Influencers) +
                       ",\"products\":" + body_array(FeedSection::Products) +
                       ",\"store\":" + store_.store_body().value_or("{}") + ",\"ugc\":[],\"version\":1}";
    roster_ = make_cached_body(std::move(body), false);
  }
  return roster_;
}

std::shared_ptr<const CachedBody> Catalogue::demo_catalog() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!demo_)
    demo_ = make_cached_body("{\"products\":" + body_array(FeedSection::Products) +
                                 ",\"store\":" + store_.store_body().value_or("{}") + "}",
                             true);
  return demo_;
}

}  // namespace vouch::server
