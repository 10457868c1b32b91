#pragma once
// Answers computed once and kept: any page of a product's social proof
// beyond the documents (GET /v1/products/NAME/social-proof), and bodies
// built once per version of what they are made of (the roster).
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "social_proof/social_proof.hpp"
#include "storefront_documents.hpp"

namespace vouch::server {

// A JSON body, its gzip and its strong ETag.
struct CachedBody {
  std::string body;  // empty when only the gzip is kept
  std::string gzip_body;
  std::string etag;
};
std::shared_ptr<const CachedBody> make_cached_body(std::string body, bool keep_body);

// One body per version: `make` runs when `version` is not the one the kept
// body was made for.
class CachedBodies {
 public:
  std::shared_ptr<const CachedBody> get(const std::shared_ptr<const void>& version,
                                        const std::function<std::string()>& make);

 private:
  std::mutex mutex_;
  std::shared_ptr<const void> version_;
  std::shared_ptr<const CachedBody> body_;
};

class SocialProofPages {
 public:
  // The page `query` asks for (the engine's social-proof query, its product
  // known to the set), on the set's feed: one index of that feed (its
  // products prepared at their first page, a few kept) and the last pages
  // answered. Throws VouchException (query.*) for a bad query.
  std::shared_ptr<const CachedBody> page(const std::shared_ptr<const DocumentSet>& set, const std::string& product,
                                         const nlohmann::json& query);

 private:
  std::mutex mutex_;
  std::shared_ptr<const DocumentSet> pages_for_;
  std::unique_ptr<SocialProofIndex> index_;
  std::list<std::string> prepared_;  // product ids, most recent first
  std::unordered_map<std::string, std::shared_ptr<const CachedBody>> cache_;
  std::list<std::string> order_;  // cache keys, most recent first
};

}  // namespace vouch::server
