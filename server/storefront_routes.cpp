#include "storefront_routes.hpp"

#include <charconv>

#include "crypto.hpp"
#include "feed/feed_write.hpp"
#include "http_responses.hpp"
#include "social_proof/documents.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kPreparedProducts = 16;  // products the page index keeps prepared
constexpr std::size_t kCachedPages = 512;

bool accepts_gzip(const httplib::Request& req) {
  return req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

// A JSON body computed once: sent gzip-compressed when the client accepts it.
// The "; charset=utf-8" type keeps cpp-httplib from compressing it again per
// request (it compresses "application/json" exactly, at brotli's slowest).
void send_cached(const httplib::Request& req, httplib::Response& res, const std::string& etag,
                 const std::string& gzip_body, const std::string* body) {
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (accepts_gzip(req)) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gzip_body, "application/json; charset=utf-8");
  } else {
    res.set_content(body ? *body : inflate_gzip(gzip_body), "application/json; charset=utf-8");
  }
}

// A query-string value as the engine's query expects it: integers and
// booleans as JSON, anything else as the text it is (the engine then names
// the fault: query.invalid_type at /limit).
json integer_or_text(const std::string& text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return n;
  return text;
}

json boolean_or_text(const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return text;
}

}  // namespace

std::string product_id_of(const std::string& name) {
  std::string id;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '~') {
      id += name[i];
      continue;
    }
    if (i + 2 >= name.size()) return {};
    unsigned value = 0;
    auto [end, ec] = std::from_chars(name.data() + i + 1, name.data() + i + 3, value, 16);
    if (ec != std::errc() || end != name.data() + i + 3) return {};
    id += static_cast<char>(value);
    i += 2;
  }
  return document_name(id) == name ? id : std::string();  // one name per id
}

StorefrontRoutes::StorefrontRoutes(FeedSource& feed, StorefrontDocuments& documents, Check require_admin)
    : feed_(feed), documents_(documents), require_admin_(std::move(require_admin)) {}

std::shared_ptr<const DocumentSet> StorefrontRoutes::ready(httplib::Response& res) {
  auto set = documents_.current();
  if (!set) {
    res.set_header("Retry-After", "1");
    send_error(res, 503, "documents.building", "the storefront documents are being built; retry in a second");
  }
  return set;
}

void StorefrontRoutes::get_document(const httplib::Request& req, httplib::Response& res, const std::string& path) {
  res.set_header("Access-Control-Allow-Origin", "*");  // public, never with credentials
  auto set = ready(res);
  if (!set) return;
  auto it = set->documents.find(path);
  if (it == set->documents.end()) {
    send_error(res, 404, "http.not_found", "nothing is served at this path");
    return;
  }
  res.set_header("Cache-Control", kPublicCacheControl);
  send_cached(req, res, it->second.etag, it->second.gzip_body, nullptr);
}

void StorefrontRoutes::get_social_proof_page(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  auto set = ready(res);
  if (!set) return;
  std::string product = product_id_of(req.matches[1]);
  if (product.empty() || !set->feed->feed.find_product(product)) {
    send_error(res, 404, "http.not_found", "nothing is served at this path");
    return;
  }
  json query = {{"product", product}, {"now", format_rfc3339(set->as_of)}, {"moderation_lists", false}};
  for (const char* key : {"sort", "locale", "via"})
    if (req.has_param(key)) query[key] = req.get_param_value(key);
  for (const char* key : {"offset", "limit", "min_rating"})
    if (req.has_param(key)) query[key] = integer_or_text(req.get_param_value(key));
  for (const char* key : {"verified_only", "with_media"})
    if (req.has_param(key)) query[key] = boolean_or_text(req.get_param_value(key));
  const std::string key = query.dump();

  std::shared_ptr<const Page> page;
  {
    std::lock_guard lock(pages_mutex_);
    if (pages_for_ != set) {  // a new set: its feed, its pages
      pages_for_ = set;
      index_ = std::make_unique<SocialProofIndex>(set->feed->feed);
      index_->group_items();  // a product prepared here costs its own items
      prepared_.clear();
      page_cache_.clear();
      page_order_.clear();
    }
    if (auto hit = page_cache_.find(key); hit != page_cache_.end()) {
      page = hit->second;
    } else {
      json out;
      try {
        out = social_proof_json(*index_, query);
      } catch (const VouchException& e) {
        send_error(res, 400, e.error());
        return;
      }
      prepared_.remove(product);
      prepared_.push_front(product);
      if (prepared_.size() > kPreparedProducts) {
        index_->release(prepared_.back());
        prepared_.pop_back();
      }
      auto fresh = std::make_shared<Page>();
      fresh->body = out.dump(-1, ' ', false, json::error_handler_t::replace);
      fresh->gzip_body = gzip(fresh->body);
      fresh->etag = strong_etag(fresh->body);
      page = fresh;
      page_cache_.emplace(key, page);
      page_order_.push_front(key);
      if (page_order_.size() > kCachedPages) {
        page_cache_.erase(page_order_.back());
        page_order_.pop_back();
      }
    }
  }
  res.set_header("Cache-Control", kPublicCacheControl);
  send_cached(req, res, page->etag, page->gzip_body, &page->body);
}

void StorefrontRoutes::get_roster(const httplib::Request& req, httplib::Response& res) {
  if (!require_admin_(req, res)) return;
  auto snapshot = feed_.current();
  std::shared_ptr<const Page> roster;
  {
    std::lock_guard lock(roster_mutex_);
    if (roster_for_ != snapshot) {
      const Feed& feed = snapshot->feed;
      json products = json::array(), influencers = json::array(), endorsements = json::array();
      for (const Product& p : feed.products) products.push_back(to_json(p));
      for (const Influencer& in : feed.influencers) influencers.push_back(to_json(in));
      for (const Endorsement& e : feed.endorsements) endorsements.push_back(to_json(e));
      json out = {{"version", 1}, {"store", to_json(feed.store)}, {"products", std::move(products)},
                  {"influencers", std::move(influencers)}, {"endorsements", std::move(endorsements)},
                  {"ugc", json::array()}};
      auto fresh = std::make_shared<Page>();
      std::string body = out.dump(-1, ' ', false, json::error_handler_t::replace);
      fresh->gzip_body = gzip(body);
      fresh->etag = strong_etag(body);
      roster_ = fresh;
      roster_for_ = snapshot;
    }
    roster = roster_;
  }
  res.set_header("Cache-Control", "private, no-cache");
  send_cached(req, res, roster->etag, roster->gzip_body, nullptr);
}

void StorefrontRoutes::get_demo_catalog(const httplib::Request& req, httplib::Response& res) {
  auto snapshot = feed_.current();
  json products = json::array();
  for (const Product& p : snapshot->feed.products) products.push_back(to_json(p));
  std::string body = json{{"store", to_json(snapshot->feed.store)}, {"products", std::move(products)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  res.set_header("Cache-Control", "no-cache");
  send_cached(req, res, strong_etag(body), gzip(body), &body);
}

void StorefrontRoutes::install(httplib::Server& svr) {
  svr.Get("/v1/store.json", [this](const httplib::Request& req, httplib::Response& res) {
    get_document(req, res, "store.json");
  });
  svr.Get(R"(/v1/(products|badges)/([^/]+)\.json)", [this](const httplib::Request& req, httplib::Response& res) {
    get_document(req, res, std::string(req.matches[1]) + "/" + std::string(req.matches[2]) + ".json");
  });
  svr.Get(R"(/v1/products/([^/]+)/reviews\.json)", [this](const httplib::Request& req, httplib::Response& res) {
    get_document(req, res, "products/" + std::string(req.matches[1]) + "/reviews.json");
  });
  svr.Get(R"(/v1/products/([^/]+)/social-proof)", [this](const httplib::Request& req, httplib::Response& res) {
    get_social_proof_page(req, res);
  });
  svr.Get("/v1/admin/roster", [this](const httplib::Request& req, httplib::Response& res) { get_roster(req, res); });
  svr.Get("/demo/catalog.json", [this](const httplib::Request& req, httplib::Response& res) {
    get_demo_catalog(req, res);
  });
}

}  // namespace vouch::server
