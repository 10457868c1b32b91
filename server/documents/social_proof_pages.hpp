#pragma once
// Answers computed once and kept: any page of a product's social proof
// beyond its documents (GET /v1/products/NAME/social-proof), from that
// product's rows (database_documents.hpp) as of the documents' day; and JSON
// bodies kept with their gzip and ETag.
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "social_proof/social_proof.hpp"
#include "store.hpp"

namespace vouch::server {

// A JSON body, its gzip and its strong ETag.
struct CachedBody {
  std::string body;  // empty when only the gzip is kept
  std::string gzip_body;
  std::string etag;
};
std::shared_ptr<const CachedBody> make_cached_body(std::string body, bool keep_body);

class SocialProofPages {
 public:
  explicit SocialProofPages(Store& store) : store_(store) {}

  // The page `query` asks for (the engine's social-proof query, without
  // `now`: the documents' day is used; the store's ratings now), nullptr
  // when the product is not in the catalogue. A few products stay prepared
  // (their rows read and indexed) while their change counter and the store's
  // ratings hold, and the last pages answered are kept. Throws
  // VouchException (query.*) for a bad query.
  std::shared_ptr<const CachedBody> page(const std::string& product, nlohmann::json query);

 private:
  struct Prepared {
    std::string key;  // product, change counter, generation
    std::unique_ptr<Feed> feed;
    std::unique_ptr<SocialProofIndex> index;
  };
  Store& store_;
  std::mutex mutex_;
  std::list<Prepared> prepared_;  // most recent first
  std::unordered_map<std::string, std::shared_ptr<const CachedBody>> cache_;
  std::list<std::string> order_;  // cache keys, most recent first

  SocialProofIndex* prepare(const std::string& key, const std::string& product, RatingTotals ratings);
};

}  // namespace vouch::server
