#pragma once
// The storefront documents built from the database, the store of record: a
// product's documents from that product's rows alone (its catalogue
// elements, the creators they name, its items as shown) and the store's
// published ratings, with the same engine and in the same bytes as from a
// feed file that holds the same store (storefront_documents.hpp; the parity
// test: tests/server/parity.test.mjs).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "feed/feed.hpp"
#include "social_proof/documents.hpp"
#include "store.hpp"
#include "storefront_documents.hpp"

namespace vouch::server {

// One product as a feed: the store, the product, its endorsements, the
// influencers its documents may name (its endorsers and the authors of its
// items) and its items as shown. nullopt when the product is not (or no
// longer) in the catalogue. Throws StoreError.
std::optional<Feed> product_feed(CatalogueStore& store, const std::string& product);

// The store (id, name, currency, locale) as last imported; nullopt before the first import.
std::optional<vouch::Store> stored_store(CatalogueStore& store);

// The feed of the catalogue's own elements: `store_body` and the given
// products, influencers and endorsements (feed JSON), no UGC. Throws
// StoreError when stored rows do not read as a feed.
Feed catalogue_feed(const std::string& store_body, const std::vector<std::string>& products,
                    const std::vector<std::string>& influencers, const std::vector<std::string>& endorsements);

// store.json from every product's pick (any order): the creators' cards are read from the database.
std::string database_store_document(CatalogueStore& store, const vouch::Store& shop, Timestamp as_of,
                                    std::vector<StorePick> picks);

// Every document of the store (`vouch export --db`), as
// build_storefront_documents does from a file: `emit` is called from
// `threads` threads, store.json last.
BuildStats build_database_documents(CatalogueStore& store, Timestamp as_of, std::size_t threads,
                                    const std::function<void(const std::string& path, std::string body)>& emit);

}  // namespace vouch::server
