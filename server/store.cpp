#include "store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include "crypto.hpp"

namespace vouch::server {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL,
  at          INTEGER NOT NULL,
  visitor     TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  body        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS touches (
  visitor    TEXT NOT NULL,
  at         INTEGER NOT NULL,
  influencer TEXT NOT NULL,
  code       TEXT NOT NULL,
  source     TEXT NOT NULL,
  landing    TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  UNIQUE (visitor, at, source, influencer, code, landing)
);
CREATE INDEX IF NOT EXISTS touches_at ON touches (at);
CREATE TABLE IF NOT EXISTS orders (
  order_id    TEXT PRIMARY KEY,
  source      TEXT NOT NULL CHECK (source IN ('browser', 'server')),
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_at ON orders (at);
CREATE TABLE IF NOT EXISTS refunds (
  refund_id   TEXT PRIMARY KEY,
  order_id    TEXT NOT NULL,
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS refunds_at ON refunds (at);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  signature   TEXT PRIMARY KEY,
  signed_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ugc_overrides (
  ugc_id     TEXT PRIMARY KEY,
  status     TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected')),
  decided_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('moderation_version', 0);
INSERT OR IGNORE INTO meta (key, value) VALUES ('reviews_auto_publish', 0);
CREATE TABLE IF NOT EXISTS moderation_log (
  seq        INTEGER PRIMARY KEY,
  ugc_id     TEXT NOT NULL,
  status     TEXT NOT NULL,
  decided_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS page_sightings (
  origin      TEXT NOT NULL,
  path        TEXT NOT NULL,
  impressions INTEGER NOT NULL,
  first_seen  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  PRIMARY KEY (origin, path)
);
CREATE TABLE IF NOT EXISTS reviews (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  client_id      TEXT NOT NULL UNIQUE,
  product        TEXT NOT NULL,
  rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  title          TEXT NOT NULL,
  body           TEXT NOT NULL,
  author_name    TEXT NOT NULL,
  verified_buyer INTEGER NOT NULL,
  locale         TEXT NOT NULL,
  at             INTEGER NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected')),
  order_id       TEXT,
  photos         TEXT NOT NULL DEFAULT '[]',
  visitor        TEXT NOT NULL,
  address        TEXT NOT NULL,
  received_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS photos (
  hash        TEXT PRIMARY KEY,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  address     TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS review_token_uses (
  order_id  TEXT NOT NULL,
  product   TEXT NOT NULL,
  review_id TEXT NOT NULL,
  PRIMARY KEY (order_id, product)
);
CREATE TABLE IF NOT EXISTS secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS platform_deliveries (
  key         TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS privacy_requests (
  seq         INTEGER PRIMARY KEY,
  platform    TEXT NOT NULL,
  topic       TEXT NOT NULL,
  shop        TEXT NOT NULL,
  customer    TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  result      TEXT NOT NULL
);
)sql";


}  // namespace

// A connection with its prepared statements, each compiled once.
struct Store::Connection {
  sqlite3* db = nullptr;
  std::map<std::string, sqlite3_stmt*> statements;

  explicit Connection(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close(db);
      throw StoreError("cannot open database " + path + ": " + message);
    }
    sqlite3_busy_timeout(db, 5000);
    exec("PRAGMA journal_mode=WAL");
    // FULL: a committed batch survives a power cut, not only a crash.
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
  }
  ~Connection() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    sqlite3_close(db);
  }

  void check(int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw StoreError(std::string(what) + ": " + sqlite3_errmsg(db), (rc & 0xff) == SQLITE_FULL);
  }
  void exec(const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw StoreError(message, (rc & 0xff) == SQLITE_FULL);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = statements.find(sql);
    if (it != statements.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    check(sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
          "prepare");
    statements.emplace(sql, stmt);
    return stmt;
  }
};

namespace {

// A bound use of a prepared statement; resets it when done.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query& bind(const std::string& value) {
    sqlite3_bind_text(stmt_, ++index_, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Query& bind(std::int64_t value) {
    sqlite3_bind_int64(stmt_, ++index_, value);
    return *this;
  }
  Query& bind_null() {
    sqlite3_bind_null(stmt_, ++index_);
    return *this;
  }
  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("query failed: ") + sqlite3_errmsg(db_), (rc & 0xff) == SQLITE_FULL);
  }
  int changes() const { return sqlite3_changes(db_); }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
  }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int index_ = 0;
};

// BEGIN IMMEDIATE takes the write lock up front, so two instances sharing the
// file wait for each other (busy timeout) instead of failing at COMMIT.
class Transaction {
 public:
  explicit Transaction(Store::Connection& c) : c_(c) { c_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(c_.db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }

 private:
  Store::Connection& c_;
  bool done_ = false;
};

// A JSON column written by this server; a row that does not parse (written by
// hand, or by another version) becomes null, which the report lists as an
// order it cannot attribute rather than failing.
nlohmann::json stored_json(const std::string& text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json(nullptr) : value;
}

// Records a signed delivery; false when this signature was seen before (a
// replay). Signatures older than twice the tolerance can no longer be
// replayed and are forgotten.
bool record_delivery(Store::Connection& c, const std::string& signature, Timestamp signed_at, Timestamp received_at) {
  {
    Query prune(c.db, c.prepare("DELETE FROM webhook_deliveries WHERE signed_at < ?"));
    prune.bind(received_at - 600).step();
  }
  Query q(c.db, c.prepare("INSERT INTO webhook_deliveries (signature, signed_at) VALUES (?, ?) "
                          "ON CONFLICT (signature) DO NOTHING"));
  q.bind(signature).bind(signed_at).step();
  return q.changes() > 0;
}

}  // namespace

const char* source_name(TouchSource source) { return source == TouchSource::Coupon ? "coupon" : "link"; }

Store::Store(const std::string& path, const StoreOptions& options) {
  writer_ = std::make_unique<Connection>(path);
  writer_->exec(kSchema);
  if (options.max_bytes > 0) {
    // The cap is a page count of this connection, the only one that writes.
    Query page_size(writer_->db, writer_->prepare("PRAGMA page_size"));
    std::int64_t size = page_size.step() ? page_size.integer(0) : 4096;
    std::string pragma = "PRAGMA max_page_count=" + std::to_string(std::max<std::int64_t>(1, options.max_bytes / size));
    writer_->exec(pragma.c_str());
  }
  reader_ = std::make_unique<Connection>(path);
}

Store::~Store() = default;

void Store::insert_events(const std::vector<EventRecord>& events, Timestamp received_at) {
  insert_events(events, received_at, PageSeen{});
}

std::vector<std::string> Store::insert_events(const std::vector<EventRecord>& events, Timestamp received_at,
                                              const PageSeen& page) {
  std::vector<std::string> created_orders;
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  auto* insert_event = c.prepare(
      "INSERT INTO events (id, type, at, visitor, received_at, body) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO NOTHING");
  auto* insert_touch = c.prepare(
      "INSERT INTO touches (visitor, at, influencer, code, source, landing, event_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  auto* insert_order = c.prepare(
      "INSERT INTO orders (order_id, source, at, body, received_at) "
      "VALUES (?, 'browser', ?, ?, ?) ON CONFLICT (order_id) DO NOTHING");
  std::int64_t new_impressions = 0;
  for (const auto& e : events) {
    {
      Query q(c.db, insert_event);
      q.bind(e.id).bind(e.type).bind(e.at).bind(e.visitor).bind(received_at).bind(e.body);
      q.step();
      if (q.changes() == 0) continue;  // a retry of a stored event
    }
    if (e.type == "impression") ++new_impressions;
    for (const auto& t : e.touches) {
      Query q(c.db, insert_touch);
      q.bind(t.visitor).bind(t.at).bind(t.influencer).bind(t.code);
      q.bind(std::string(source_name(t.source))).bind(t.landing).bind(e.id);
      q.step();
    }
    if (e.order) {
      Query q(c.db, insert_order);
      q.bind(e.order->order_id).bind(e.order->at).bind(e.order->order.dump()).bind(received_at);
      q.step();
      if (q.changes() > 0) created_orders.push_back(e.order->order_id);
    }
  }
  if (new_impressions > 0 && !page.origin.empty()) {
    Query q(c.db, c.prepare("INSERT INTO page_sightings (origin, path, impressions, first_seen, last_seen) "
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin, path) DO UPDATE SET "
                            "impressions = impressions + excluded.impressions, last_seen = excluded.last_seen"));
    q.bind(page.origin).bind(page.path).bind(new_impressions).bind(received_at).bind(received_at).step();
  }
  tx.commit();
  return created_orders;
}

namespace {

// Stores a signed (server or platform) order in the caller's transaction.
OrderOutcome store_server_order(Store::Connection& c, const OrderRecord& order, Timestamp received_at) {
  std::optional<std::string> existing;
  {
    Query q(c.db, c.prepare("SELECT source FROM orders WHERE order_id = ?"));
    q.bind(order.order_id);
    if (q.step()) existing = q.text(0);
  }
  bool first_signed = false;
  {
    Query q(c.db, c.prepare("SELECT NOT EXISTS (SELECT 1 FROM orders WHERE source = 'server')"));
    if (q.step()) first_signed = q.integer(0) != 0;
  }
  OrderOutcome outcome = OrderOutcome::Created;
  if (!existing) {
    Query q(c.db, c.prepare("INSERT INTO orders (order_id, source, at, body, received_at) "
                            "VALUES (?, 'server', ?, ?, ?)"));
    q.bind(order.order_id).bind(order.at).bind(order.order.dump()).bind(received_at).step();
  } else if (*existing == "browser") {
    // The store's backend knows the real order.
    Query q(c.db, c.prepare("UPDATE orders SET source = 'server', at = ?, body = ?, received_at = ? "
                            "WHERE order_id = ?"));
    q.bind(order.at).bind(order.order.dump()).bind(received_at).bind(order.order_id).step();
    outcome = OrderOutcome::ReplacedBrowser;
  } else {
    outcome = OrderOutcome::Duplicate;
  }
  if (outcome != OrderOutcome::Duplicate) {
    // A review's "verified buyer" follows its order's standing (submitted_reviews):
    // the served feed is composed again when a reviewed order becomes signed,
    // and when the first signed order changes what browser-reported ones prove.
    Query q(c.db, c.prepare("UPDATE meta SET value = value + 1 WHERE key = 'moderation_version' "
                            "AND (? OR EXISTS (SELECT 1 FROM reviews WHERE order_id = ?))"));
    q.bind(std::int64_t{first_signed}).bind(order.order_id).step();
  }
  return outcome;
}

OrderOutcome store_refund(Store::Connection& c, const RefundRecord& refund, Timestamp received_at) {
  Query q(c.db, c.prepare("INSERT INTO refunds (refund_id, order_id, at, body, received_at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (refund_id) DO NOTHING"));
  q.bind(refund.refund_id).bind(refund.order_id).bind(refund.at).bind(refund.order.dump()).bind(received_at).step();
  return q.changes() > 0 ? OrderOutcome::Created : OrderOutcome::Duplicate;
}

}  // namespace

OrderOutcome Store::insert_server_order(const OrderRecord& order, const std::string& signature,
                                        Timestamp signed_at, Timestamp received_at) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  if (!record_delivery(c, signature, signed_at, received_at)) return OrderOutcome::Replayed;
  OrderOutcome outcome = store_server_order(c, order, received_at);
  tx.commit();
  return outcome;
}

OrderOutcome Store::insert_refund(const RefundRecord& refund, const std::string& signature, Timestamp signed_at,
                                  Timestamp received_at) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  if (!record_delivery(c, signature, signed_at, received_at)) return OrderOutcome::Replayed;
  OrderOutcome outcome = store_refund(c, refund, received_at);
  tx.commit();
  return outcome;
}

namespace {

constexpr const char* kReviewColumns =
    "id, product, rating, title, body, author_name, verified_buyer, locale, at, status, photos";

Ugc review_item(const Query& q) {
  Ugc u;
  u.id = q.text(0);
  u.product = q.text(1);
  u.kind = UgcKind::Review;
  u.rating = static_cast<int>(q.integer(2));
  u.title = q.text(3);
  u.body = q.text(4);
  u.author.name = q.text(5);
  u.author.verified_buyer = q.integer(6) != 0;
  u.locale = q.text(7);
  u.at = q.integer(8);
  std::string status = q.text(9);
  u.status = status == "published" ? UgcStatus::Published
             : status == "rejected" ? UgcStatus::Rejected
                                    : UgcStatus::Pending;
  auto photos = nlohmann::json::parse(q.text(10), nullptr, false);
  if (photos.is_array())
    for (const auto& hash : photos)
      if (hash.is_string())
        u.media.push_back({"image", photo_url(hash.get<std::string>()), "Photo by " + u.author.name});
  return u;
}

}  // namespace

ReviewOutcome Store::insert_review(SubmittedReview& review) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  {
    Query q(c.db, c.prepare(std::string("SELECT ") + kReviewColumns + ", order_id FROM reviews WHERE client_id = ?"));
    q.bind(review.client_id);
    if (q.step()) {
      review.item = review_item(q);
      review.order_id = q.text(11);
      return ReviewOutcome::Retried;
    }
  }
  const Ugc& u = review.item;
  if (!review.order_id.empty()) {
    Query q(c.db, c.prepare("INSERT INTO review_token_uses (order_id, product, review_id) VALUES (?, ?, ?) "
                            "ON CONFLICT DO NOTHING"));
    q.bind(review.order_id).bind(u.product).bind(u.id).step();
    if (q.changes() == 0) return ReviewOutcome::TokenUsed;
  }
  {
    Query q(c.db, c.prepare("INSERT INTO reviews (id, client_id, product, rating, title, body, author_name, "
                            "verified_buyer, locale, at, status, order_id, photos, visitor, address, received_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(u.id).bind(review.client_id).bind(u.product).bind(std::int64_t{u.rating.value_or(0)});
    q.bind(u.title).bind(u.body).bind(u.author.name).bind(std::int64_t{u.author.verified_buyer});
    q.bind(u.locale).bind(u.at).bind(std::string(to_string(u.status)));
    if (review.order_id.empty())
      q.bind_null();
    else
      q.bind(review.order_id);
    q.bind(nlohmann::json(review.photos).dump());
    q.bind(review.visitor).bind(review.address).bind(review.received_at).step();
  }
  {
    Query q(c.db, c.prepare("UPDATE meta SET value = value + 1 WHERE key = 'moderation_version'"));
    q.step();
  }
  tx.commit();
  return ReviewOutcome::Created;
}

std::vector<Ugc> Store::submitted_reviews() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  c.exec("BEGIN");  // one snapshot for both reads
  struct End {
    Connection& c;
    ~End() { sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr); }
  } end{c};
  // A token proves the order was reported; a browser-reported order is the
  // page's word. So, as the report's commission basis: once the store sends
  // signed orders, only a signed order makes its reviewer a verified buyer.
  bool any_signed = false;
  {
    Query q(c.db, c.prepare("SELECT EXISTS (SELECT 1 FROM orders WHERE source = 'server')"));
    if (q.step()) any_signed = q.integer(0) != 0;
  }
  Query q(c.db, c.prepare(
      "SELECT r.id, r.product, r.rating, r.title, r.body, r.author_name, "
      "CASE WHEN r.verified_buyer = 0 OR o.source IS NULL THEN 0 WHEN o.source = 'server' THEN 1 "
      "WHEN ? THEN 0 ELSE 1 END, r.locale, r.at, r.status, r.photos "
      "FROM reviews r LEFT JOIN orders o ON o.order_id = r.order_id ORDER BY r.seq"));
  q.bind(std::int64_t{any_signed});
  std::vector<Ugc> out;
  while (q.step()) out.push_back(review_item(q));
  return out;
}

void Store::insert_photo(const StoredPhoto& photo) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Query q(c.db, c.prepare("INSERT INTO photos (hash, width, height, bytes, address, received_at) "
                          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING"));
  q.bind(photo.hash).bind(std::int64_t{photo.width}).bind(std::int64_t{photo.height});
  q.bind(photo.bytes).bind(photo.address).bind(photo.received_at).step();
}

std::vector<std::string> Store::unknown_photos(const std::vector<std::string>& hashes) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  std::vector<std::string> unknown;
  for (const auto& hash : hashes) {
    Query q(c.db, c.prepare("SELECT 1 FROM photos WHERE hash = ?"));
    q.bind(hash);
    if (!q.step()) unknown.push_back(hash);
  }
  return unknown;
}

namespace {

std::vector<std::string> distinct_products(const std::string& body) {
  std::vector<std::string> products;
  auto order = nlohmann::json::parse(body, nullptr, false);
  if (order.is_object() && order.contains("items") && order["items"].is_array())
    for (const auto& item : order["items"])
      if (item.is_object() && item.contains("product") && item["product"].is_string())
        products.push_back(item["product"].get<std::string>());
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  return products;
}

}  // namespace

std::vector<Store::OrderForRequest> Store::orders_placed_by(Timestamp placed_by, int limit) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  std::vector<OrderForRequest> out;
  {
    Query q(c.db, c.prepare("SELECT order_id, at, source, body FROM orders WHERE at <= ? "
                            "ORDER BY at DESC, order_id LIMIT ?"));
    q.bind(placed_by).bind(static_cast<std::int64_t>(limit));
    while (q.step()) out.push_back({q.text(0), q.integer(1), q.text(2) == "server", distinct_products(q.text(3)), {}});
  }
  for (auto& order : out) {
    Query q(c.db, c.prepare("SELECT product FROM review_token_uses WHERE order_id = ? ORDER BY product"));
    q.bind(order.order_id);
    while (q.step()) order.reviewed.push_back(q.text(0));
  }
  return out;
}

bool Store::reviews_auto_publish() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT value FROM meta WHERE key = 'reviews_auto_publish'"));
  return q.step() && q.integer(0) != 0;
}

void Store::set_reviews_auto_publish(bool on) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Query q(c.db, c.prepare("INSERT INTO meta (key, value) VALUES ('reviews_auto_publish', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  q.bind(std::int64_t{on}).step();
}

bool Store::order_proves_purchase(const std::string& order_id) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND source = 'server') "
                          "OR NOT EXISTS (SELECT 1 FROM orders WHERE source = 'server')"));
  q.bind(order_id);
  return q.step() && q.integer(0) != 0;
}

std::optional<std::vector<std::string>> Store::order_products(const std::string& order_id) {
  std::string body;
  {
    std::lock_guard lock(read_mutex_);
    Connection& c = *reader_;
    Query q(c.db, c.prepare("SELECT body FROM orders WHERE order_id = ?"));
    q.bind(order_id);
    if (!q.step()) return std::nullopt;
    body = q.text(0);
  }
  return distinct_products(body);
}

nlohmann::json Store::touches_between(Timestamp from, Timestamp to) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT visitor, at, influencer, code, source, landing FROM touches "
                          "WHERE at >= ? AND at < ? "
                          "ORDER BY at, visitor, source, influencer, code, landing"));
  q.bind(from).bind(to);
  nlohmann::json out = nlohmann::json::array();
  while (q.step()) {
    TouchRecord t;
    t.visitor = q.text(0);
    t.at = q.integer(1);
    t.influencer = q.text(2);
    t.code = q.text(3);
    t.source = q.text(4) == "coupon" ? TouchSource::Coupon : TouchSource::Link;
    t.landing = q.text(5);
    out.push_back(to_json(t));
  }
  return out;
}

nlohmann::json Store::orders_between(Timestamp from, Timestamp to) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT body FROM orders WHERE at >= ? AND at < ? ORDER BY at, order_id"));
  q.bind(from).bind(to);
  nlohmann::json out = nlohmann::json::array();
  while (q.step()) out.push_back(stored_json(q.text(0)));
  return out;
}

nlohmann::json Store::refunds_between(Timestamp from, Timestamp to) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT body FROM refunds WHERE at >= ? AND at < ? ORDER BY at, refund_id"));
  q.bind(from).bind(to);
  nlohmann::json out = nlohmann::json::array();
  while (q.step()) out.push_back(stored_json(q.text(0)));
  return out;
}

nlohmann::json Store::orders_with_ids(const std::vector<std::string>& ids) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& id : ids) {
    Query q(c.db, c.prepare("SELECT body FROM orders WHERE order_id = ?"));
    q.bind(id);
    if (q.step()) out.push_back(stored_json(q.text(0)));
  }
  return out;
}

bool Store::has_server_orders() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT EXISTS (SELECT 1 FROM orders WHERE source = 'server')"));
  return q.step() && q.integer(0) != 0;
}

std::int64_t Store::prune(Timestamp events_before, Timestamp touches_before, int limit) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  std::int64_t deleted = 0;
  {
    // Events arrive in seq order, so the oldest received are the first rows:
    // no index on received_at is needed (nor paid for at every insert).
    Query q(c.db, c.prepare("DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?) "
                            "AND received_at < ?"));
    q.bind(static_cast<std::int64_t>(limit)).bind(events_before).step();
    deleted += q.changes();
  }
  {
    Query q(c.db, c.prepare("DELETE FROM touches WHERE rowid IN (SELECT rowid FROM touches WHERE at < ? "
                            "ORDER BY at LIMIT ?)"));
    q.bind(touches_before).bind(static_cast<std::int64_t>(limit)).step();
    deleted += q.changes();
  }
  tx.commit();
  return deleted;
}

nlohmann::json Store::summary() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  // One read transaction, so the figures agree with each other.
  c.exec("BEGIN");
  struct End {
    Connection& c;
    ~End() { sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr); }
  } end{c};
  nlohmann::json by_type = nlohmann::json::object();
  std::int64_t total = 0;
  {
    Query q(c.db, c.prepare("SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY type"));
    while (q.step()) {
      by_type[q.text(0)] = q.integer(1);
      total += q.integer(1);
    }
  }
  std::int64_t visitors = 0, touches = 0;
  {
    Query q(c.db, c.prepare("SELECT COUNT(DISTINCT visitor) FROM events"));
    if (q.step()) visitors = q.integer(0);
  }
  {
    Query q(c.db, c.prepare("SELECT COUNT(*) FROM touches"));
    if (q.step()) touches = q.integer(0);
  }
  nlohmann::json orders = {{"browser", 0}, {"server", 0}, {"total", 0}};
  {
    Query q(c.db, c.prepare("SELECT source, COUNT(*) FROM orders GROUP BY source"));
    while (q.step()) {
      orders[q.text(0)] = q.integer(1);
      orders["total"] = orders["total"].get<std::int64_t>() + q.integer(1);
    }
  }
  return {{"events", {{"total", total}, {"by_type", by_type}}},
          {"visitors", visitors},
          {"touches", touches},
          {"orders", orders}};
}

nlohmann::json Store::events_after(std::int64_t after, int limit) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT seq, id, type, at, visitor, received_at FROM events "
                          "WHERE seq > ? ORDER BY seq LIMIT ?"));
  q.bind(after).bind(static_cast<std::int64_t>(limit));
  nlohmann::json events = nlohmann::json::array();
  std::int64_t next = after;
  while (q.step()) {
    next = q.integer(0);
    events.push_back({{"seq", next},
                      {"id", q.text(1)},
                      {"type", q.text(2)},
                      {"at", format_rfc3339(q.integer(3))},
                      {"visitor", q.text(4)},
                      {"received_at", format_rfc3339(q.integer(5))}});
  }
  return {{"events", events}, {"next", next}};
}

void Store::decide_moderation(const ModerationDecision& d) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  {
    Query q(c.db, c.prepare("INSERT INTO ugc_overrides (ugc_id, status, decided_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (ugc_id) DO UPDATE SET status = excluded.status, "
                            "decided_at = excluded.decided_at"));
    q.bind(d.ugc).bind(d.status).bind(d.decided_at).step();
  }
  {
    Query q(c.db, c.prepare("INSERT INTO moderation_log (ugc_id, status, decided_at) VALUES (?, ?, ?)"));
    q.bind(d.ugc).bind(d.status).bind(d.decided_at).step();
  }
  {
    Query q(c.db, c.prepare("UPDATE meta SET value = value + 1 WHERE key = 'moderation_version'"));
    q.step();
  }
  tx.commit();
}

std::vector<ModerationDecision> Store::moderation_decisions() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT ugc_id, status, decided_at FROM ugc_overrides ORDER BY ugc_id"));
  std::vector<ModerationDecision> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.integer(2)});
  return out;
}

std::int64_t Store::moderation_version() {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT value FROM meta WHERE key = 'moderation_version'"));
  return q.step() ? q.integer(0) : 0;
}

std::vector<ModerationDecision> Store::moderation_log(int limit) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT ugc_id, status, decided_at FROM moderation_log ORDER BY seq DESC LIMIT ?"));
  q.bind(static_cast<std::int64_t>(limit));
  std::vector<ModerationDecision> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.integer(2)});
  return out;
}

nlohmann::json Store::page_sightings(Timestamp since, int limit) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT origin, path, impressions, first_seen, last_seen FROM page_sightings "
                          "WHERE last_seen >= ? ORDER BY last_seen DESC, origin, path LIMIT ?"));
  q.bind(since).bind(static_cast<std::int64_t>(limit));
  nlohmann::json out = nlohmann::json::array();
  while (q.step())
    out.push_back({{"origin", q.text(0)},
                   {"path", q.text(1)},
                   {"impressions", q.integer(2)},
                   {"first_seen", format_rfc3339(q.integer(3))},
                   {"last_seen", format_rfc3339(q.integer(4))}});
  return out;
}

std::string Store::stored_secret(const std::string& name, const std::string& candidate, bool& created) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  {
    Query q(c.db, c.prepare("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"));
    q.bind(name).bind(candidate).step();
    created = q.changes() > 0;
  }
  std::string value;
  {
    Query q(c.db, c.prepare("SELECT value FROM secrets WHERE name = ?"));
    q.bind(name);
    if (q.step()) value = q.text(0);
  }
  tx.commit();
  return value;
}

// ---------------------------------------------------------------------------
// Platform webhooks (Shopify, WooCommerce) and their privacy requests
// (docs/shopify.md). Each write records the delivery's replay key in the same
// transaction, so a delivery is applied once across restarts and instances.

namespace {

// Records a platform delivery; false when its key was seen before (a replay).
// Keys older than kPlatformReplaySeconds are forgotten: a delivery that old is
// refused as stale before it gets here.
bool record_platform_key(Store::Connection& c, const PlatformDelivery& delivery) {
  {
    Query prune(c.db, c.prepare("DELETE FROM platform_deliveries WHERE received_at < ?"));
    prune.bind(delivery.received_at - kPlatformReplaySeconds).step();
  }
  Query q(c.db, c.prepare("INSERT INTO platform_deliveries (key, received_at) VALUES (?, ?) "
                          "ON CONFLICT (key) DO NOTHING"));
  q.bind(delivery.key).bind(delivery.received_at).step();
  return q.changes() > 0;
}

std::int64_t run_counted(Store::Connection& c, const std::string& sql, const std::vector<std::string>& params) {
  Query q(c.db, c.prepare(sql));
  for (const auto& p : params) q.bind(p);
  q.step();
  return q.changes();
}

// The stored orders a privacy request names: those with the customer's hash
// and those the platform lists by id. order_id -> Order JSON.
std::map<std::string, nlohmann::json> orders_of_customer(Store::Connection& c, const PrivacyRequest& request) {
  std::map<std::string, nlohmann::json> orders;
  if (!request.customer_hash.empty()) {
    Query q(c.db, c.prepare("SELECT order_id, body FROM orders WHERE json_extract(body, '$.customer') = ?"));
    q.bind(request.customer_hash);
    while (q.step()) orders[q.text(0)] = stored_json(q.text(1));
  }
  for (const auto& id : request.order_ids) {
    Query q(c.db, c.prepare("SELECT body FROM orders WHERE order_id = ?"));
    q.bind(id);
    if (q.step()) orders[id] = stored_json(q.text(0));
  }
  return orders;
}

std::set<std::string> visitors_of(const std::map<std::string, nlohmann::json>& orders) {
  std::set<std::string> visitors;
  for (const auto& [id, body] : orders)
    if (body.is_object() && body.contains("visitor") && body["visitor"].is_string())
      visitors.insert(body["visitor"].get<std::string>());
  return visitors;
}

// customers/data_request: what Vouch holds on the customer, for the owner to send on.
nlohmann::json customer_export(Store::Connection& c, const PrivacyRequest& request) {
  auto orders = orders_of_customer(c, request);
  nlohmann::json out = {{"orders", nlohmann::json::array()}, {"touches", nlohmann::json::array()},
                        {"events", nlohmann::json::array()}, {"reviews", nlohmann::json::array()}};
  for (const auto& [id, body] : orders) out["orders"].push_back(body);
  for (const auto& visitor : visitors_of(orders)) {
    Query t(c.db, c.prepare("SELECT at, influencer, code, source, landing FROM touches WHERE visitor = ? ORDER BY at"));
    t.bind(visitor);
    while (t.step())
      out["touches"].push_back({{"visitor", visitor}, {"at", format_rfc3339(t.integer(0))}, {"influencer", t.text(1)},
                                {"code", t.text(2)}, {"source", t.text(3)}, {"landing", t.text(4)}});
    Query e(c.db, c.prepare("SELECT body FROM events WHERE visitor = ? ORDER BY seq LIMIT 10000"));
    e.bind(visitor);
    while (e.step()) out["events"].push_back(stored_json(e.text(0)));
  }
  for (const auto& [id, body] : orders) {
    Query r(c.db, c.prepare("SELECT id, product, rating, title, body, author_name, at FROM reviews WHERE order_id = ?"));
    r.bind(id);
    while (r.step())
      out["reviews"].push_back({{"id", r.text(0)}, {"product", r.text(1)}, {"rating", r.integer(2)},
                                {"title", r.text(3)}, {"body", r.text(4)}, {"author", r.text(5)},
                                {"at", format_rfc3339(r.integer(6))}});
  }
  return out;
}

void rewrite_order(Store::Connection& c, const std::string& order_id, const nlohmann::json& body) {
  Query q(c.db, c.prepare("UPDATE orders SET body = ? WHERE order_id = ?"));
  q.bind(body.dump()).bind(order_id).step();
}

// customers/redact: the customer's hash leaves every order; each of the
// customer's visitor ids becomes a fresh pseudonym in orders and touches (so
// creators keep the credit they earned, and nothing links it to a browser
// any more); the visitor's raw events are deleted; the customer's reviews
// lose their author's name, visitor and address.
nlohmann::json redact_customer(Store::Connection& c, const PrivacyRequest& request) {
  auto orders = orders_of_customer(c, request);
  std::int64_t touches = 0, events = 0, reviews = 0, orders_changed = 0;
  for (auto& [id, body] : orders) {
    if (!body.is_object()) continue;
    body["customer"] = nullptr;
    rewrite_order(c, id, body);
    ++orders_changed;
    reviews += run_counted(c, "UPDATE reviews SET author_name = 'Anonymous', visitor = '', address = '' WHERE order_id = ?", {id});
  }
  for (const auto& visitor : visitors_of(orders)) {
    std::string pseudonym = "redacted-" + random_hex(12);
    std::vector<std::pair<std::string, nlohmann::json>> others;
    {
      Query q(c.db, c.prepare("SELECT order_id, body FROM orders WHERE json_extract(body, '$.visitor') = ?"));
      q.bind(visitor);
      while (q.step()) others.emplace_back(q.text(0), stored_json(q.text(1)));
    }
    for (auto& [id, body] : others) {
      body["visitor"] = pseudonym;
      rewrite_order(c, id, body);
    }
    touches += run_counted(c, "UPDATE touches SET visitor = ? WHERE visitor = ?", {pseudonym, visitor});
    events += run_counted(c, "DELETE FROM events WHERE visitor = ?", {visitor});
    reviews += run_counted(c, "UPDATE reviews SET author_name = 'Anonymous', visitor = '', address = '' WHERE visitor = ?", {visitor});
  }
  if (!request.customer_hash.empty()) {
    events += run_counted(c, "DELETE FROM events WHERE instr(body, ?) > 0", {request.customer_hash});
    // An earlier data request's export holds what was just erased.
    run_counted(c, "DELETE FROM privacy_requests WHERE customer = ?", {request.customer_hash});
  }
  if (reviews > 0) run_counted(c, "UPDATE meta SET value = value + 1 WHERE key = 'moderation_version'", {});
  return {{"orders", orders_changed}, {"touches", touches}, {"events_deleted", events}, {"reviews", reviews}};
}

// shop/redact: every shopper's data this server holds (one server serves one shop).
nlohmann::json erase_shop(Store::Connection& c) {
  nlohmann::json counts = nlohmann::json::object();
  for (const char* table : {"events", "touches", "orders", "refunds", "page_sightings", "reviews",
                            "review_token_uses", "photos", "privacy_requests"})
    counts[table] = run_counted(c, std::string("DELETE FROM ") + table, {});
  run_counted(c, "UPDATE meta SET value = value + 1 WHERE key = 'moderation_version'", {});
  return counts;
}

}  // namespace

Store::PlatformOutcome Store::apply_platform_changes(const PlatformChanges& changes, const PlatformDelivery& delivery) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  Transaction tx(c);
  PlatformOutcome outcome;
  if (!record_platform_key(c, delivery)) {
    outcome.order = OrderOutcome::Replayed;
    return outcome;
  }
  // The order's own referral (a cart attribute) unless the browser already
  // reported that touch: same visitor, second and referrer, any landing page.
  for (const auto& t : changes.touches) {
    Query q(c.db, c.prepare(
        "INSERT INTO touches (visitor, at, influencer, code, source, landing, event_id) "
        "SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM touches WHERE visitor = ? AND at = ? "
        "AND influencer = ? AND code = ?) ON CONFLICT DO NOTHING"));
    q.bind(t.visitor).bind(t.at).bind(t.influencer).bind(t.code).bind(std::string(source_name(t.source)));
    q.bind(t.landing).bind("order:" + (changes.order ? changes.order->order_id : std::string()));
    q.bind(t.visitor).bind(t.at).bind(t.influencer).bind(t.code).step();
  }
  if (changes.order) outcome.order = store_server_order(c, *changes.order, delivery.received_at);
  for (const auto& refund : changes.refunds)
    if (store_refund(c, refund, delivery.received_at) == OrderOutcome::Created) ++outcome.new_refunds;
  tx.commit();
  return outcome;
}

std::optional<nlohmann::json> Store::answer_privacy_request(const PrivacyRequest& request,
                                                            const PlatformDelivery& delivery) {
  std::lock_guard lock(write_mutex_);
  Connection& c = *writer_;
  bool erasing = request.kind != PrivacyRequest::Kind::DataRequest;
  // Erased rows are overwritten with zeros, not left in free pages; the
  // connection's usual setting comes back however this ends.
  struct SecureDelete {
    Connection& c;
    bool on;
    SecureDelete(Connection& connection, bool enable) : c(connection), on(enable) {
      if (on) c.exec("PRAGMA secure_delete=ON");
    }
    ~SecureDelete() {
      if (on) sqlite3_exec(c.db, "PRAGMA secure_delete=OFF", nullptr, nullptr, nullptr);
    }
  } secure_delete(c, erasing);
  nlohmann::json result;
  {
    Transaction tx(c);
    if (!record_platform_key(c, delivery)) return std::nullopt;
    switch (request.kind) {
      case PrivacyRequest::Kind::DataRequest: result = customer_export(c, request); break;
      case PrivacyRequest::Kind::RedactCustomer: result = redact_customer(c, request); break;
      case PrivacyRequest::Kind::EraseShop: result = erase_shop(c); break;
    }
    Query q(c.db, c.prepare("INSERT INTO privacy_requests (platform, topic, shop, customer, received_at, result) "
                            "VALUES (?, ?, ?, ?, ?, ?)"));
    // Only a data request keeps the hash: a redaction must not leave it behind.
    q.bind(request.platform).bind(request.topic).bind(request.shop);
    q.bind(erasing ? std::string() : request.customer_hash).bind(delivery.received_at).bind(result.dump()).step();
    tx.commit();
  }
  // The write-ahead log still holds the pages as they were: fold it into the
  // database and empty it. A reader holding a snapshot can delay this.
  if (erasing) sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  return result;
}

nlohmann::json Store::privacy_requests(int limit) {
  std::lock_guard lock(read_mutex_);
  Connection& c = *reader_;
  Query q(c.db, c.prepare("SELECT seq, platform, topic, shop, received_at, result FROM privacy_requests "
                          "ORDER BY seq DESC LIMIT ?"));
  q.bind(static_cast<std::int64_t>(limit));
  nlohmann::json out = nlohmann::json::array();
  while (q.step())
    out.push_back({{"id", q.integer(0)}, {"platform", q.text(1)}, {"topic", q.text(2)}, {"shop", q.text(3)},
                   {"received_at", format_rfc3339(q.integer(4))}, {"result", stored_json(q.text(5))}});
  return out;
}

}  // namespace vouch::server
