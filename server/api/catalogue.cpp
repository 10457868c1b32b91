#include "catalogue.hpp"

#include <malloc.h>

#include <array>

#include "common/text.hpp"
#include "database_documents.hpp"

namespace vouch::server {

namespace {

constexpr auto kFeedKept = std::chrono::minutes(5);

}  // namespace

void Catalogue::check_version() {
  std::int64_t version = store_.catalogue_version();
  if (version == version_) return;
  version_ = version;
  shop_.reset();
  roster_.reset();
  demo_.reset();
  feed_.reset();
  codes_.reset();
}

void Catalogue::refresh() {
  std::lock_guard lock(mutex_);
  check_version();
  if (feed_ && std::chrono::steady_clock::now() - feed_used_ > kFeedKept) {
    feed_.reset();
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

std::shared_ptr<const Feed> Catalogue::feed() {
  std::lock_guard lock(mutex_);
  if (version_ < 0) check_version();
  if (!feed_) {
    std::array<std::vector<std::string>, 3> bodies;  // products, influencers, endorsements
    const FeedSection sections[] = {FeedSection::Products, FeedSection::Influencers, FeedSection::Endorsements};
    for (std::size_t i = 0; i < 3; ++i)
      store_.catalogue_bodies(sections[i], [&](const std::string& body) { bodies[i].push_back(body); });
    auto shop = store_.store_body();
    feed_ = std::make_shared<const Feed>(shop ? catalogue_feed(*shop, bodies[0], bodies[1], bodies[2]) : Feed{});
  }
  feed_used_ = std::chrono::steady_clock::now();
  return feed_;
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
