#include "document_builder.hpp"

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>

#include "crypto.hpp"
#include "database_documents.hpp"
#include "social_proof/documents.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr int kLeaseSeconds = 120;           // a claimed product another builder leaves alone
constexpr double kStoreDocumentSeconds = 30;  // store.json at least this often during a long pass

StoredDocument stored(const std::string& path, const std::string& body, Timestamp as_of) {
  return {path, strong_etag(body), gzip(body), static_cast<std::int64_t>(body.size()), as_of};
}

std::string pick_json(const StorePick& p) {
  return json{{"name", p.name}, {"score", p.score}, {"product", p.product}, {"summary", p.summary},
              {"endorsements", p.endorsements}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

StorePick pick_of(const std::string& text) {
  json j = json::parse(text);
  return {j.at("name").get<std::string>(), j.at("score").get<double>(), j.at("product"), j.at("summary"),
          j.at("endorsements")};
}

// One product's documents from its rows; none when it is gone.
BuiltProduct build_product(CatalogueStore& store, const DueProduct& due, Timestamp as_of, RatingTotals ratings) {
  BuiltProduct out{due.product, due.changed, as_of, {}, std::nullopt, 0};
  std::optional<Feed> feed = product_feed(store, due.product);
  if (!feed) return out;
  StorefrontDocumentBuilder builder(*feed, as_of, {ratings.sum, ratings.count});
  ProductDocuments docs = builder.product(feed->products[0]);
  out.documents.push_back(stored("products/" + docs.name + ".json", docs.product, as_of));
  out.documents.push_back(stored("products/" + docs.name + "/reviews.json", docs.reviews, as_of));
  out.documents.push_back(stored("badges/" + docs.name + ".json", docs.badge, as_of));
  if (docs.pick) {
    out.pick = pick_json(*docs.pick);
    out.pick_score = docs.pick->score;
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

DocumentBuilder::DocumentBuilder(Store& store, std::size_t threads, std::function<Timestamp()> clock,
                                 std::function<void(const json&)> log)
    : store_(store),
      threads_(std::max<std::size_t>(threads, 1)),
      clock_(std::move(clock)),
      log_(std::move(log)),
      worker_(std::chrono::seconds(1), [this] { background_pass(); }) {}

DocumentBuilder::~DocumentBuilder() { stop(); }

std::pair<std::size_t, bool> DocumentBuilder::build(const std::vector<DueProduct>& due, Timestamp as_of) {
  // The store's ratings now: the claimed products' changes are in them.
  const RatingTotals ratings = store_.rating_totals();
  std::vector<BuiltProduct> built(due.size());
  std::atomic<std::size_t> next = 0;
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < due.size(); i = next++) built[i] = build_product(store_, due[i], as_of, ratings);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = due.size();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < std::min(threads_, due.size()); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
  std::size_t documents = 0;
  for (const auto& b : built) documents += b.documents.size();
  return {documents, store_.save_product_documents(built)};
}

bool DocumentBuilder::build_store_document(Timestamp as_of) {
  auto shop = stored_store(store_);
  if (!shop) return false;
  std::vector<StorePick> picks;
  for (const auto& text : store_.best_picks(static_cast<int>(kStorePicks))) picks.push_back(pick_of(text));
  store_.save_document(
      stored("store.json", database_store_document(store_, *shop, as_of, std::move(picks)), as_of));
  return true;
}

BuildPass DocumentBuilder::run_once(std::size_t batch) {
  auto start = std::chrono::steady_clock::now();
  BuildPass pass;
  const Timestamp today = document_day(clock_());
  Timestamp as_of = store_.documents_day();
  if (as_of < today) {
    as_of = store_.start_documents_day(today);
    pass.new_day = true;
  }
  pass.as_of = as_of;
  bool picks_moved = pass.new_day;
  auto last_store_document = start;
  for (;;) {
    auto due = store_.claim_due_products(as_of, static_cast<int>(batch), clock_(), kLeaseSeconds);
    if (due.empty()) break;
    auto [documents, moved] = build(due, as_of);
    pass.products += due.size();
    pass.documents += documents;
    picks_moved = picks_moved || moved;
    if (picks_moved && seconds_since(last_store_document) > kStoreDocumentSeconds) {
      pass.store_document = build_store_document(as_of);
      last_store_document = std::chrono::steady_clock::now();
      picks_moved = false;
    }
  }
  if (picks_moved || (pass.products > 0 && !pass.store_document) || !store_.document("store.json"))
    pass.store_document = build_store_document(as_of) || pass.store_document;
  pass.documents += pass.store_document;
  pass.seconds = seconds_since(start);
  return pass;
}

// A pass every second (another instance's changes, a new day) or when poked
// (a change here). A failed pass is logged and tried again at the next.
void DocumentBuilder::background_pass() {
  try {
    BuildPass pass = run_once();
    if (pass.products == 0 && !pass.store_document) return;
    log_({{"level", "info"},
          {"event", "documents_built"},
          {"as_of", format_rfc3339(pass.as_of)},
          {"new_day", pass.new_day},
          {"products", pass.products},
          {"documents", pass.documents},
          {"seconds", std::round(pass.seconds * 1000) / 1000}});
    malloc_trim(0);  // what the build used back to the system
  } catch (const std::exception& e) {
    log_({{"level", "error"}, {"event", "documents_failed"}, {"message", e.what()}});
  }
}

}  // namespace vouch::server
