#pragma once
// The storefront documents of `vouch serve`, built per product when that
// product changes and kept in the database (docs/server.md, "Public
// documents"): what a restarted instance, and every instance on PostgreSQL,
// serves at once, with the same bytes and ETags.
//
// Every change a product's documents show (a new or changed item, a vote, a
// moderation decision, an import that touches the product, its endorsements
// or their creators) moves the product's change counter in the same
// transaction. The builder claims changed products (a lease, so that
// instances share the work), builds each from its own rows
// (database_documents.hpp) and stores its three documents, then store.json
// when a pick moved.
//
// Two facts of a document are the store's, not the product's: the day its
// first pages are exact for (`as_of`, a UTC midnight) and the store's
// published ratings (their mean is every rating summary's Bayesian prior).
// A product's documents take both when they are built: the day in force and
// the ratings of that moment (kept as items change, store.hpp). One new
// review therefore rebuilds its own product, not 20,000: the other products
// keep the ratings of their last build. The bound: at the first pass of each
// UTC day the day moves and every product is due again (changed products
// still first), so no document's store ratings and day are older than the
// day's start plus one full rebuild (benchmarked; docs/server.md).
// tests/server/test_document_builder.cpp holds it.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store.hpp"
#include "worker.hpp"

namespace vouch::server {

// What one pass did.
struct BuildPass {
  Timestamp as_of = 0;
  bool new_day = false;
  std::size_t products = 0;   // built (or removed, when gone)
  std::size_t documents = 0;  // stored, store.json included
  bool store_document = false;
  double seconds = 0;
};

class DocumentBuilder {
 public:
  // `clock`: unix seconds now; `log`: one JSON object per pass that built anything.
  DocumentBuilder(Store& store, std::size_t threads, std::function<Timestamp()> clock,
                  std::function<void(const nlohmann::json&)> log);
  ~DocumentBuilder();

  // One pass: moves the day at a new UTC day, then builds the due products
  // (changed ones first), `batch` claimed at a time, until none is due, then
  // store.json if a pick moved or it is missing. Throws StoreError.
  BuildPass run_once(std::size_t batch = 16);

  // The background builder: a pass every second, or at once when poked.
  void start() { worker_.start(); }
  void stop() { worker_.stop(); }
  void poke() { worker_.wake(); }

 private:
  Store& store_;
  std::size_t threads_;
  std::function<Timestamp()> clock_;
  std::function<void(const nlohmann::json&)> log_;
  Worker worker_;

  void background_pass();  // run_once, logged
  // Builds and stores the claimed products; returns the documents stored and
  // whether a pick moved.
  std::pair<std::size_t, bool> build(const std::vector<DueProduct>& due, Timestamp as_of);
  bool build_store_document(Timestamp as_of);
};

}  // namespace vouch::server
