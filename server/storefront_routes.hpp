#pragma once
// The storefront's HTTP endpoints (docs/server.md, "Public documents"):
//
//   GET /v1/store.json, /v1/products/NAME.json, /v1/badges/NAME.json
//       the public documents of the current set: strong ETag, gzip computed
//       once per version, CORS for any origin (they are public), cacheable
//   GET /v1/products/NAME/social-proof?sort=&offset=&limit=&min_rating=&verified_only=&with_media=&locale=&via=
//       any page of the product's social proof from the engine on the whole
//       feed, as `vouch social-proof --no-moderation-lists --now AS_OF`
//   GET /v1/admin/roster        (admin token) the store, products, influencers with
//       every private field, and endorsements: what the dashboard's matching needs
//   GET /demo/catalog.json      the demo shop's own catalogue (public product fields)
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <httplib.h>

#include "social_proof/social_proof.hpp"
#include "storefront_documents.hpp"

namespace vouch::server {

// Cache-Control of the public documents and pages: a CDN or browser may use a
// copy for a minute, then serve it up to ten more while it revalidates.
inline constexpr const char* kPublicCacheControl = "public, max-age=60, stale-while-revalidate=600";

class StorefrontRoutes {
 public:
  using Check = std::function<bool(const httplib::Request&, httplib::Response&)>;
  // require_admin answers 401 itself and returns false without the token.
  StorefrontRoutes(FeedSource& feed, StorefrontDocuments& documents, Check require_admin);
  void install(httplib::Server& svr);

 private:
  void get_document(const httplib::Request& req, httplib::Response& res, const std::string& path);
  void get_social_proof_page(const httplib::Request& req, httplib::Response& res);
  void get_roster(const httplib::Request& req, httplib::Response& res);
  void get_demo_catalog(const httplib::Request& req, httplib::Response& res);
  // The current set, or nullptr after answering 503 (the first is building).
  std::shared_ptr<const DocumentSet> ready(httplib::Response& res);

  FeedSource& feed_;
  StorefrontDocuments& documents_;
  Check require_admin_;

  // Pages beyond the documents: one index of the current set's feed (its
  // products prepared at their first page, at most kPreparedProducts kept),
  // and the last pages answered, by URL.
  struct Page {
    std::string body, gzip_body, etag;
  };
  std::mutex pages_mutex_;
  std::shared_ptr<const DocumentSet> pages_for_;
  std::unique_ptr<SocialProofIndex> index_;
  std::list<std::string> prepared_;  // product ids, most recent first
  std::unordered_map<std::string, std::shared_ptr<const Page>> page_cache_;
  std::list<std::string> page_order_;  // cache keys, most recent first

  // The roster, rendered once per feed version.
  std::mutex roster_mutex_;
  std::shared_ptr<const FeedSnapshot> roster_for_;
  std::shared_ptr<const Page> roster_;
};

// NAME of /v1/products/NAME.json back to the product id ("" when NAME is not
// the canonical document_name of any id).
std::string product_id_of(const std::string& name);

}  // namespace vouch::server
