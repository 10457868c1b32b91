// The store's SQL, written once for both back ends (sql.hpp): statements use
// `?` parameters and what SQLite and PostgreSQL both understand (ON CONFLICT,
// excluded., CASE for booleans, row values).
#include "sql_store.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include "crypto.hpp"
#include "feed/review_submission.hpp"
#include "photos.hpp"
#include "postgres.hpp"
#include "schema.hpp"
#include "sql_buckets.hpp"
#include "sql_rows.hpp"
#include "sqlite.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

const char* source_name(TouchSource source) { return source == TouchSource::Coupon ? "coupon" : "link"; }

// Records a signed delivery; false when this signature was seen before (a
// replay). Signatures older than twice the tolerance can no longer be
// replayed and are forgotten.
bool record_delivery(SqlConnection& c, const std::string& signature, Timestamp signed_at, Timestamp received_at) {
  c.run("DELETE FROM webhook_deliveries WHERE signed_at < ?", {received_at - 600});
  return c.run("INSERT INTO webhook_deliveries (signature, signed_at) VALUES (?, ?) "
               "ON CONFLICT (signature) DO NOTHING",
               {signature, signed_at}) > 0;
}

constexpr const char* kReviewColumns =
    "id, product, rating, title, body, author_name, verified_buyer, locale, at, status, photos";

Ugc review_item(const SqlRow& r) {
  Ugc u;
  u.id = r.text(0);
  u.product = r.text(1);
  u.kind = UgcKind::Review;
  u.rating = static_cast<int>(r.integer(2));
  u.title = r.text(3);
  u.body = r.text(4);
  u.author.name = r.text(5);
  u.author.verified_buyer = r.integer(6) != 0;
  u.locale = r.text(7);
  u.at = r.integer(8);
  u.status = status_named(r.text(9));
  auto photos = json::parse(r.text(10), nullptr, false);
  if (photos.is_array())
    for (const auto& hash : photos)
      if (hash.is_string()) u.media.push_back({"image", photo_url(hash.get<std::string>()), "Photo by " + u.author.name});
  return u;
}

std::vector<ModerationDecision> decisions(SqlConnection& c, const std::string& sql, const std::vector<SqlValue>& params) {
  std::vector<ModerationDecision> out;
  c.run(sql, params, [&](const SqlRow& r) { out.push_back({r.text(0), r.text(1), r.integer(2)}); });
  return out;
}

// The JSON bodies of a query's first column.
json bodies(SqlConnection& c, const std::string& sql, const std::vector<SqlValue>& params) {
  json out = json::array();
  c.run(sql, params, [&](const SqlRow& r) { out.push_back(stored_json(r.text(0))); });
  return out;
}


// A database written before the UGC items had their table holds shoppers'
// reviews in `reviews` only: each becomes its item (once).
void backfill_shopper_items(SqlConnection& c) {
  std::vector<std::pair<Ugc, std::int64_t>> missing;
  c.run(std::string("SELECT ") + kReviewColumns + ", seq FROM reviews r "
        "WHERE NOT EXISTS (SELECT 1 FROM ugc WHERE ugc.id = r.id) ORDER BY seq",
        {}, [&](const SqlRow& r) { missing.emplace_back(review_item(r), r.integer(11)); });
  for (const auto& [item, seq] : missing) insert_shopper_item(c, item, seq);
}

}  // namespace

struct SqlStore::PendingBatch {
  const std::vector<EventRecord>& events;
  Timestamp received_at;
  const PageSeen& page;
  std::vector<std::string> created_orders;
  std::exception_ptr error;
  bool done = false;
};

namespace {

// A helpful vote counts once per visitor per live item: into the item's
// votes (its shown helpful count) and its product's documents.
void count_vote(SqlConnection& c, const EventRecord& e, Timestamp received_at) {
  json body = json::parse(e.body, nullptr, false);
  if (!body.is_object() || !body.contains("ugc") || !body["ugc"].is_string()) return;
  const std::string ugc = body["ugc"].get<std::string>();
  if (c.run("INSERT INTO helpful_votes (ugc_id, visitor, at) SELECT ?, ?, ? "
            "WHERE EXISTS (SELECT 1 FROM ugc WHERE id = ? AND retired = 0) ON CONFLICT DO NOTHING",
            {ugc, e.visitor, received_at, ugc}) == 0)
    return;
  std::vector<std::string> product;
  c.run("UPDATE ugc SET votes = votes + 1 WHERE id = ? RETURNING product", {ugc},
        [&](const SqlRow& r) { product.push_back(r.text(0)); });
  mark_products_changed(c, product);
}

// One batch's rows; returns the order ids it created.
std::vector<std::string> insert_batch(SqlConnection& c, const std::vector<EventRecord>& events, Timestamp received_at,
                                      const PageSeen& page) {
  std::vector<std::string> created_orders;
  std::int64_t new_impressions = 0;
  for (const auto& e : events) {
    if (c.run("INSERT INTO events (id, type, at, visitor, received_at, body) VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (id) DO NOTHING",
              {e.id, e.type, e.at, e.visitor, received_at, e.body}) == 0)
      continue;  // a retry of a stored event
    if (e.type == "impression") ++new_impressions;
    if (e.type == "helpful_vote") count_vote(c, e, received_at);
    for (const auto& t : e.touches)
      c.run("INSERT INTO touches (visitor, at, influencer, code, source, landing, event_id, src) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            {t.visitor, t.at, t.influencer, t.code, source_name(t.source), t.landing, e.id, t.src});
    if (e.order && c.run("INSERT INTO orders (order_id, source, at, body, received_at) "
                         "VALUES (?, 'browser', ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
                         {e.order->order_id, e.order->at, e.order->order.dump(), received_at}) > 0)
      created_orders.push_back(e.order->order_id);
  }
  if (new_impressions > 0 && !page.origin.empty())
    c.run("INSERT INTO page_sightings (origin, path, impressions, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (origin, path) DO UPDATE SET impressions = page_sightings.impressions + excluded.impressions, "
          "last_seen = excluded.last_seen",
          {page.origin, page.path, new_impressions, received_at, received_at});
  return created_orders;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<SqlDatabase> db, const StoreOptions& options) : db_(std::move(db)) {
  migrate_schema(*db_);
  bool postgres = db_->dialect() == SqlDialect::Postgres;
  group_commit_ = options.group_commit.value_or(!postgres);
  if (postgres)
    buckets_ = std::make_unique<SqlTokenBuckets>(*db_);
  else
    buckets_ = std::make_unique<MemoryTokenBuckets>();
  in_transaction(*db_, true, [&](SqlConnection& c) { backfill_shopper_items(c); });
}

SqlStore::~SqlStore() = default;

std::vector<std::string> SqlStore::insert_events(const std::vector<EventRecord>& events, Timestamp received_at,
                                                 const PageSeen& page) {
  if (!group_commit_)
    return in_transaction(*db_, true, [&](SqlConnection& c) { return insert_batch(c, events, received_at, page); });
  PendingBatch mine{events, received_at, page, {}, nullptr, false};
  std::unique_lock lock(group_mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (committing_) {
      group_done_.wait(lock);
      continue;
    }
    // This thread commits every batch waiting now, its own among them.
    committing_ = true;
    std::vector<PendingBatch*> group(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    commit_group(group);
    lock.lock();
    committing_ = false;
    for (PendingBatch* b : group) b->done = true;
    group_done_.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return std::move(mine.created_orders);
}

// One transaction for the group; when it fails, every batch of it hears so
// (none of it was stored).
void SqlStore::commit_group(std::vector<PendingBatch*>& group) {
  try {
    in_transaction(*db_, true, [&](SqlConnection& c) {
      for (PendingBatch* b : group) b->created_orders = insert_batch(c, b->events, b->received_at, b->page);
    });
  } catch (...) {
    for (PendingBatch* b : group) b->error = std::current_exception();
  }
}

namespace {

// Stores a signed (server or platform) order in the caller's transaction.
OrderOutcome store_server_order(SqlConnection& c, const OrderRecord& order, Timestamp received_at) {
  bool first_signed =
      first_integer(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM orders WHERE source = 'server') THEN 0 ELSE 1 END", {});
  std::string body = order.order.dump();
  // Insert, else replace a browser-reported conversion: each one statement,
  // so concurrent deliveries of one order (any instance) store it once.
  OrderOutcome outcome = OrderOutcome::Created;
  if (c.run("INSERT INTO orders (order_id, source, at, body, received_at) VALUES (?, 'server', ?, ?, ?) "
            "ON CONFLICT (order_id) DO NOTHING",
            {order.order_id, order.at, body, received_at}) == 0) {
    // The store's backend knows the real order.
    outcome = c.run("UPDATE orders SET source = 'server', at = ?, body = ?, received_at = ? "
                    "WHERE order_id = ? AND source = 'browser'",
                    {order.at, body, received_at, order.order_id}) > 0
                  ? OrderOutcome::ReplacedBrowser
                  : OrderOutcome::Duplicate;
  }
  if (outcome != OrderOutcome::Duplicate) {
    // A review's "verified buyer" follows its order's standing (product_items):
    // its product's documents change when a reviewed order becomes signed,
    // and every reviewed product's when the first signed order changes what
    // browser-reported ones prove.
    std::vector<std::string> products;
    c.run("SELECT DISTINCT product FROM reviews WHERE order_id IS NOT NULL AND (? = 1 OR order_id = ?)",
          {first_signed ? 1 : 0, order.order_id}, [&](const SqlRow& r) { products.push_back(r.text(0)); });
    mark_products_changed(c, products);
  }
  return outcome;
}

OrderOutcome store_refund(SqlConnection& c, const RefundRecord& refund, Timestamp received_at) {
  return c.run("INSERT INTO refunds (refund_id, order_id, at, body, received_at) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (refund_id) DO NOTHING",
               {refund.refund_id, refund.order_id, refund.at, refund.order.dump(), received_at}) > 0
             ? OrderOutcome::Created
             : OrderOutcome::Duplicate;
}

}  // namespace

OrderOutcome SqlStore::insert_server_order(const OrderRecord& order, const std::string& signature,
                                           Timestamp signed_at, Timestamp received_at) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    if (!record_delivery(c, signature, signed_at, received_at)) return OrderOutcome::Replayed;
    return store_server_order(c, order, received_at);
  });
}

OrderOutcome SqlStore::insert_refund(const RefundRecord& refund, const std::string& signature, Timestamp signed_at,
                                     Timestamp received_at) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    if (!record_delivery(c, signature, signed_at, received_at)) return OrderOutcome::Replayed;
    return store_refund(c, refund, received_at);
  });
}

ReviewOutcome SqlStore::insert_review(SubmittedReview& review) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    bool retried = false;
    c.run(std::string("SELECT ") + kReviewColumns + ", order_id FROM reviews WHERE client_id = ?", {review.client_id},
          [&](const SqlRow& r) {
            review.item = review_item(r);
            review.order_id = r.text(11);
            retried = true;
          });
    if (retried) return ReviewOutcome::Retried;
    const Ugc& u = review.item;
    if (!review.order_id.empty() &&
        c.run("INSERT INTO review_token_uses (order_id, product, review_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
              {review.order_id, u.product, u.id}) == 0)
      return ReviewOutcome::TokenUsed;
    c.run("INSERT INTO reviews (id, client_id, product, rating, title, body, author_name, verified_buyer, locale, at, "
          "status, order_id, photos, visitor, address, received_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {u.id, review.client_id, u.product, u.rating.value_or(0), u.title, u.body, u.author.name,
           u.author.verified_buyer ? 1 : 0, u.locale, u.at, std::string(to_string(u.status)),
           review.order_id.empty() ? SqlValue(nullptr) : SqlValue(review.order_id), json(review.photos).dump(),
           review.visitor, review.address, review.received_at});
    insert_shopper_item(c, u, first_integer(c, "SELECT seq FROM reviews WHERE id = ?", {u.id}));
    return ReviewOutcome::Created;
  });
}

void SqlStore::insert_photo(const StoredPhoto& photo) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    if (c.run("INSERT INTO photos (hash, width, height, bytes, address, received_at) VALUES (?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (hash) DO NOTHING",
              {photo.hash, photo.width, photo.height, photo.large.size(), photo.address, photo.received_at}) == 0)
      return;  // the same picture again: its files are stored
    c.run("INSERT INTO photo_files (name, content) VALUES (?, ?), (?, ?) ON CONFLICT (name) DO NOTHING",
          {photo.hash + ".webp", SqlValue::blob(photo.large), photo.hash + "-thumb.webp", SqlValue::blob(photo.thumb)});
  });
}

std::optional<std::string> SqlStore::photo_file(const std::string& name) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<std::string> content;
    c.run("SELECT content FROM photo_files WHERE name = ?", {name}, [&](const SqlRow& r) { content = r.text(0); });
    return content;
  });
}

int SqlStore::import_photo_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return 0;
  int copied = 0;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!is_photo_file_name(name) || photo_file(name)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || bytes.empty()) continue;
    in_transaction(*db_, true, [&](SqlConnection& c) {
      c.run("INSERT INTO photo_files (name, content) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            {name, SqlValue::blob(bytes)});
    });
    ++copied;
  }
  return copied;
}

std::vector<std::string> SqlStore::unknown_photos(const std::vector<std::string>& hashes) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<std::string> unknown;
    for (const auto& hash : hashes)
      if (!first_integer(c, "SELECT 1 FROM photos WHERE hash = ?", {hash})) unknown.push_back(hash);
    return unknown;
  });
}

std::vector<OrderForRequest> SqlStore::orders_placed_by(Timestamp placed_by, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<OrderForRequest> out;
    c.run("SELECT order_id, at, source, body FROM orders WHERE at <= ? ORDER BY at DESC, order_id LIMIT ?",
          {placed_by, limit}, [&](const SqlRow& r) {
            out.push_back({r.text(0), r.integer(1), r.text(2) == "server", order_product_ids(stored_json(r.text(3))), {}});
          });
    for (auto& order : out)
      c.run("SELECT product FROM review_token_uses WHERE order_id = ? ORDER BY product", {order.order_id},
            [&](const SqlRow& r) { order.reviewed.push_back(r.text(0)); });
    return out;
  });
}

bool SqlStore::reviews_auto_publish() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT value FROM meta WHERE key = 'reviews_auto_publish'", {}) != 0;
  });
}

void SqlStore::set_reviews_auto_publish(bool on) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("INSERT INTO meta (key, value) VALUES ('reviews_auto_publish', ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          {on ? 1 : 0});
  });
}

bool SqlStore::order_proves_purchase(const std::string& order_id) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND source = 'server') "
                            "OR NOT EXISTS (SELECT 1 FROM orders WHERE source = 'server') THEN 1 ELSE 0 END",
                         {order_id}) != 0;
  });
}

std::optional<std::vector<std::string>> SqlStore::order_products(const std::string& order_id) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<std::vector<std::string>> products;
    c.run("SELECT body FROM orders WHERE order_id = ?", {order_id},
          [&](const SqlRow& r) { products = order_product_ids(stored_json(r.text(0))); });
    return products;
  });
}

json SqlStore::touches_between(Timestamp from, Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    c.run(std::string("SELECT ") + kTouchColumns + " FROM touches WHERE at >= ? AND at < ? "
          "ORDER BY at, visitor, source, influencer, code, landing",
          {from, to}, [&](const SqlRow& r) { out.push_back(to_json(touch_of(r))); });
    return out;
  });
}

json SqlStore::orders_between(Timestamp from, Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return bodies(c, "SELECT body FROM orders WHERE at >= ? AND at < ? ORDER BY at, order_id", {from, to});
  });
}

json SqlStore::refunds_between(Timestamp from, Timestamp to) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return bodies(c, "SELECT body FROM refunds WHERE at >= ? AND at < ? ORDER BY at, refund_id", {from, to});
  });
}

json SqlStore::orders_with_ids(const std::vector<std::string>& ids) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    for (const auto& id : ids)
      for (auto& body : bodies(c, "SELECT body FROM orders WHERE order_id = ?", {id})) out.push_back(std::move(body));
    return out;
  });
}

bool SqlStore::has_server_orders() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM orders WHERE source = 'server') THEN 1 ELSE 0 END",
                         {}) != 0;
  });
}

std::int64_t SqlStore::prune(Timestamp events_before, Timestamp touches_before, int limit) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    // Events arrive in seq order, so the oldest received are the first rows:
    // no index on received_at is needed (nor paid for at every insert).
    std::int64_t deleted = c.run("DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?) "
                                 "AND received_at < ?",
                                 {limit, events_before});
    deleted += c.run("DELETE FROM touches WHERE (visitor, at, source, influencer, code, landing) IN "
                     "(SELECT visitor, at, source, influencer, code, landing FROM touches WHERE at < ? "
                     "ORDER BY at LIMIT ?)",
                     {touches_before, limit});
    return deleted;
  });
}

json SqlStore::summary() {
  // One read transaction, so the figures agree with each other.
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json by_type = json::object();
    std::int64_t total = 0;
    c.run("SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY type", {}, [&](const SqlRow& r) {
      by_type[r.text(0)] = r.integer(1);
      total += r.integer(1);
    });
    std::int64_t visitors = first_integer(c, "SELECT COUNT(DISTINCT visitor) FROM events", {});
    std::int64_t touches = first_integer(c, "SELECT COUNT(*) FROM touches", {});
    json orders = {{"browser", 0}, {"server", 0}, {"total", 0}};
    c.run("SELECT source, COUNT(*) FROM orders GROUP BY source", {}, [&](const SqlRow& r) {
      orders[r.text(0)] = r.integer(1);
      orders["total"] = orders["total"].get<std::int64_t>() + r.integer(1);
    });
    return json{{"events", {{"total", total}, {"by_type", by_type}}},
                {"visitors", visitors},
                {"touches", touches},
                {"orders", orders}};
  });
}

namespace {

// A cursor's numbers: "SEQ" (SQLite), "XID.SEQ" (PostgreSQL); "" and "0" start.
std::vector<std::int64_t> cursor_numbers(const std::string& cursor, std::size_t count) {
  std::vector<std::int64_t> numbers(count, 0);
  if (cursor.empty() || cursor == "0") return numbers;
  std::size_t start = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t end = i + 1 < count ? cursor.find('.', start) : cursor.size();
    std::string part = end == std::string::npos || start > cursor.size() ? "" : cursor.substr(start, end - start);
    if (part.empty() || part.size() > 18 || !std::all_of(part.begin(), part.end(), ::isdigit))
      throw std::invalid_argument("after must be a cursor this server gave as \"next\"");
    numbers[i] = std::stoll(part);
    start = end + 1;
  }
  return numbers;
}

json event_json(const SqlRow& r) {
  return {{"seq", r.integer(0)},
          {"id", r.text(1)},
          {"type", r.text(2)},
          {"at", format_rfc3339(r.integer(3))},
          {"visitor", r.text(4)},
          {"received_at", format_rfc3339(r.integer(5))}};
}

}  // namespace

json SqlStore::events_after(const std::string& cursor, int limit) {
  if (db_->dialect() == SqlDialect::Sqlite) {
    // One writer at a time: seq order is commit order.
    std::int64_t after = cursor_numbers(cursor, 1)[0];
    return in_transaction(*db_, false, [&](SqlConnection& c) {
      json events = json::array();
      std::int64_t next = after;
      c.run("SELECT seq, id, type, at, visitor, received_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            {after, limit}, [&](const SqlRow& r) {
              next = r.integer(0);
              events.push_back(event_json(r));
            });
      return json{{"events", events}, {"next", std::to_string(next)}};
    });
  }
  // PostgreSQL hands out seq at insert, and transactions commit in another
  // order: a page by seq could pass a row whose transaction commits later.
  // So pages follow (writing transaction's id, seq) and stop before the
  // oldest transaction still running (the snapshot's xmin): every row of an
  // older transaction is visible now, and every row still to come belongs
  // to a transaction at or after xmin, so it sorts after the cursor.
  auto after = cursor_numbers(cursor, 2);
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json events = json::array();
    std::string next = std::to_string(after[0]) + "." + std::to_string(after[1]);
    // (The text of xid gets a name of its own: ORDER BY would sort by an
    // output column named xid, as text, where "1000" < "999".)
    c.run("SELECT seq, id, type, at, visitor, received_at, xid::text AS xid_text FROM events "
          "WHERE (xid, seq) > (?::text::xid8, ?) AND xid < pg_snapshot_xmin(pg_current_snapshot()) "
          "ORDER BY events.xid, events.seq LIMIT ?",
          {std::to_string(after[0]), after[1], limit}, [&](const SqlRow& r) {
            next = r.text(6) + "." + std::to_string(r.integer(0));
            events.push_back(event_json(r));
          });
    return json{{"events", events}, {"next", next}};
  });
}

void SqlStore::decide_moderation(const ModerationDecision& d) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("INSERT INTO ugc_overrides (ugc_id, status, decided_at) VALUES (?, ?, ?) "
          "ON CONFLICT (ugc_id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at",
          {d.ugc, d.status, d.decided_at});
    c.run("INSERT INTO moderation_log (ugc_id, status, decided_at) VALUES (?, ?, ?)", {d.ugc, d.status, d.decided_at});
    set_shown_status(c, d.ugc, d.status);
  });
}

std::vector<ModerationDecision> SqlStore::moderation_decisions() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return decisions(c, "SELECT ugc_id, status, decided_at FROM ugc_overrides ORDER BY ugc_id", {});
  });
}

std::vector<ModerationDecision> SqlStore::moderation_log(int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return decisions(c, "SELECT ugc_id, status, decided_at FROM moderation_log ORDER BY seq DESC LIMIT ?", {limit});
  });
}

json SqlStore::page_sightings(Timestamp since, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    c.run("SELECT origin, path, impressions, first_seen, last_seen FROM page_sightings "
          "WHERE last_seen >= ? ORDER BY last_seen DESC, origin, path LIMIT ?",
          {since, limit}, [&](const SqlRow& r) {
            out.push_back({{"origin", r.text(0)},
                           {"path", r.text(1)},
                           {"impressions", r.integer(2)},
                           {"first_seen", format_rfc3339(r.integer(3))},
                           {"last_seen", format_rfc3339(r.integer(4))}});
          });
    return out;
  });
}

std::string SqlStore::stored_secret(const std::string& name, const std::string& candidate, bool& created) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    created = c.run("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    {name, candidate}) > 0;
    std::string value;
    c.run("SELECT value FROM secrets WHERE name = ?", {name}, [&](const SqlRow& r) { value = r.text(0); });
    return value;
  });
}

bool SqlStore::claim_once(const std::string& name) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    return c.run("INSERT INTO secrets (name, value) VALUES (?, '') ON CONFLICT (name) DO NOTHING",
                 {"claimed:" + name}) > 0;
  });
}

bool SqlStore::claimed(const std::string& name) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT 1 FROM secrets WHERE name = ?", {"claimed:" + name}) != 0;
  });
}

std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options) {
  if (is_postgres_url(location))
    return std::make_unique<SqlStore>(open_postgres(location, options.pool_size), options);
  auto store = std::make_unique<SqlStore>(open_sqlite(location, options), options);
  store->import_photo_files(options.import_photos_from);
  return store;
}

// ---------------------------------------------------------------------------
// Platform webhooks (Shopify, WooCommerce) and their privacy requests
// (docs/shopify.md). Each write records the delivery's replay key in the same
// transaction, so a delivery is applied once across restarts and instances.

namespace {

// Records a platform delivery; false when its key was seen before (a replay).
// Keys older than kPlatformReplaySeconds are forgotten: a delivery that old is
// refused as stale before it gets here.
bool record_platform_key(SqlConnection& c, const PlatformDelivery& delivery) {
  c.run("DELETE FROM platform_deliveries WHERE received_at < ?", {delivery.received_at - kPlatformReplaySeconds});
  return c.run("INSERT INTO platform_deliveries (key, received_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
               {delivery.key, delivery.received_at}) > 0;
}

// The SQL that differs between the back ends.
struct Dialect {
  const char* customer_of_body;  // an order body's "customer"
  const char* visitor_of_body;   // an order body's "visitor"
  const char* body_contains;     // body holds the text ? somewhere
};

Dialect dialect_of(SqlDialect dialect) {
  if (dialect == SqlDialect::Postgres) return {"body::json->>'customer'", "body::json->>'visitor'", "strpos(body, ?) > 0"};
  return {"json_extract(body, '$.customer')", "json_extract(body, '$.visitor')", "instr(body, ?) > 0"};
}

// The stored orders a privacy request names: those with the customer's hash
// and those the platform lists by id. order_id -> Order JSON.
std::map<std::string, json> orders_of_customer(SqlConnection& c, const Dialect& d, const PrivacyRequest& request) {
  std::map<std::string, json> orders;
  auto keep = [&](const SqlRow& r) { orders[r.text(0)] = stored_json(r.text(1)); };
  if (!request.customer_hash.empty())
    c.run(std::string("SELECT order_id, body FROM orders WHERE ") + d.customer_of_body + " = ?", {request.customer_hash},
          keep);
  for (const auto& id : request.order_ids) c.run("SELECT order_id, body FROM orders WHERE order_id = ?", {id}, keep);
  return orders;
}

std::set<std::string> visitors_of(const std::map<std::string, json>& orders) {
  std::set<std::string> visitors;
  for (const auto& [id, body] : orders)
    if (body.is_object() && body.contains("visitor") && body["visitor"].is_string())
      visitors.insert(body["visitor"].get<std::string>());
  return visitors;
}

// customers/data_request: what Vouch holds on the customer, for the owner to send on.
json customer_export(SqlConnection& c, const Dialect& d, const PrivacyRequest& request) {
  auto orders = orders_of_customer(c, d, request);
  json out = {{"orders", json::array()}, {"touches", json::array()}, {"events", json::array()}, {"reviews", json::array()}};
  for (const auto& [id, body] : orders) out["orders"].push_back(body);
  for (const auto& visitor : visitors_of(orders)) {
    c.run("SELECT at, influencer, code, source, landing FROM touches WHERE visitor = ? ORDER BY at", {visitor},
          [&](const SqlRow& t) {
            out["touches"].push_back({{"visitor", visitor}, {"at", format_rfc3339(t.integer(0))},
                                      {"influencer", t.text(1)}, {"code", t.text(2)}, {"source", t.text(3)},
                                      {"landing", t.text(4)}});
          });
    c.run("SELECT body FROM events WHERE visitor = ? ORDER BY seq LIMIT 10000", {visitor},
          [&](const SqlRow& e) { out["events"].push_back(stored_json(e.text(0))); });
  }
  for (const auto& [id, body] : orders)
    c.run("SELECT id, product, rating, title, body, author_name, at FROM reviews WHERE order_id = ?", {id},
          [&](const SqlRow& r) {
            out["reviews"].push_back({{"id", r.text(0)}, {"product", r.text(1)}, {"rating", r.integer(2)},
                                      {"title", r.text(3)}, {"body", r.text(4)}, {"author", r.text(5)},
                                      {"at", format_rfc3339(r.integer(6))}});
          });
  return out;
}

// customers/redact: the customer's hash leaves every order; each of the
// customer's visitor ids becomes a fresh pseudonym in orders and touches (so
// creators keep the credit they earned, and nothing links it to a browser
// any more); the visitor's raw events are deleted; the customer's reviews
// (and their items) lose their author's name, visitor and address.
json redact_customer(SqlConnection& c, const Dialect& d, const PrivacyRequest& request) {
  auto orders = orders_of_customer(c, d, request);
  std::int64_t touches = 0, events = 0, reviews = 0, orders_changed = 0;
  const char* kAnonymous = "UPDATE reviews SET author_name = 'Anonymous', visitor = '', address = '' WHERE ";
  for (auto& [id, body] : orders) {
    if (!body.is_object()) continue;
    body["customer"] = nullptr;
    c.run("UPDATE orders SET body = ? WHERE order_id = ?", {body.dump(), id});
    ++orders_changed;
    reviews += c.run(std::string(kAnonymous) + "order_id = ?", {id});
  }
  for (const auto& visitor : visitors_of(orders)) {
    std::string pseudonym = "redacted-" + random_hex(12);
    std::vector<std::pair<std::string, json>> theirs;
    c.run(std::string("SELECT order_id, body FROM orders WHERE ") + d.visitor_of_body + " = ?", {visitor},
          [&](const SqlRow& r) { theirs.emplace_back(r.text(0), stored_json(r.text(1))); });
    for (auto& [id, body] : theirs) {
      body["visitor"] = pseudonym;
      c.run("UPDATE orders SET body = ? WHERE order_id = ?", {body.dump(), id});
    }
    touches += c.run("UPDATE touches SET visitor = ? WHERE visitor = ?", {pseudonym, visitor});
    c.run("UPDATE helpful_votes SET visitor = ? WHERE visitor = ?", {pseudonym, visitor});  // they keep counting
    events += c.run("DELETE FROM events WHERE visitor = ?", {visitor});
    reviews += c.run(std::string(kAnonymous) + "visitor = ?", {visitor});
  }
  if (!request.customer_hash.empty()) {
    events += c.run(std::string("DELETE FROM events WHERE ") + d.body_contains, {request.customer_hash});
    // An earlier data request's export holds what was just erased.
    c.run("DELETE FROM privacy_requests WHERE customer = ?", {request.customer_hash});
  }
  if (reviews > 0) redact_shopper_items(c);
  return {{"orders", orders_changed}, {"touches", touches}, {"events_deleted", events}, {"reviews", reviews}};
}

// shop/redact: every shopper's data this server holds (one server serves one shop).
json erase_shop(SqlConnection& c) {
  json counts = json::object();
  for (const char* table : {"events", "touches", "orders", "refunds", "page_sightings", "reviews",
                            "review_token_uses", "photos", "photo_files", "privacy_requests"})
    counts[table] = c.run(std::string("DELETE FROM ") + table);
  erase_shopper_items(c);
  return counts;
}

}  // namespace

PlatformStore::Outcome SqlStore::apply_platform_changes(const PlatformChanges& changes,
                                                        const PlatformDelivery& delivery) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    Outcome outcome;
    if (!record_platform_key(c, delivery)) {
      outcome.order = OrderOutcome::Replayed;
      return outcome;
    }
    // The order's own referral (a cart attribute) unless the browser already
    // reported that touch: same visitor, second and referrer, any landing page.
    std::string event = "order:" + (changes.order ? changes.order->order_id : std::string());
    for (const auto& t : changes.touches)
      c.run("INSERT INTO touches (visitor, at, influencer, code, source, landing, event_id) "
            "SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM touches WHERE visitor = ? AND at = ? "
            "AND influencer = ? AND code = ?) ON CONFLICT DO NOTHING",
            {t.visitor, t.at, t.influencer, t.code, source_name(t.source), t.landing, event, t.visitor, t.at,
             t.influencer, t.code});
    if (changes.order) outcome.order = store_server_order(c, *changes.order, delivery.received_at);
    for (const auto& refund : changes.refunds)
      if (store_refund(c, refund, delivery.received_at) == OrderOutcome::Created) ++outcome.new_refunds;
    return outcome;
  });
}

std::optional<json> SqlStore::answer_privacy_request(const PrivacyRequest& request, const PlatformDelivery& delivery) {
  bool erasing = request.kind != PrivacyRequest::Kind::DataRequest;
  bool sqlite = db_->dialect() == SqlDialect::Sqlite;
  Dialect d = dialect_of(db_->dialect());
  auto result = in_transaction(*db_, true, [&](SqlConnection& c) -> std::optional<json> {
    // Erased rows are overwritten with zeros, not left in free pages (SQLite);
    // the connection's usual setting comes back however this ends.
    struct SecureDelete {
      SqlConnection& c;
      bool on;
      ~SecureDelete() {
        if (on) try { c.script("PRAGMA secure_delete=OFF"); } catch (...) {}
      }
    } secure_delete{c, erasing && sqlite};
    if (secure_delete.on) c.script("PRAGMA secure_delete=ON");
    if (!record_platform_key(c, delivery)) return std::nullopt;
    json done = request.kind == PrivacyRequest::Kind::DataRequest       ? customer_export(c, d, request)
                : request.kind == PrivacyRequest::Kind::RedactCustomer ? redact_customer(c, d, request)
                                                                       : erase_shop(c);
    // Only a data request keeps the hash: a redaction must not leave it behind.
    c.run("INSERT INTO privacy_requests (platform, topic, shop, customer, received_at, result) VALUES (?, ?, ?, ?, ?, ?)",
          {request.platform, request.topic, request.shop, erasing ? std::string() : request.customer_hash,
           delivery.received_at, done.dump()});
    return done;
  });
  // SQLite's write-ahead log still holds the pages as they were: fold it into
  // the database and empty it. A reader holding a snapshot can delay this.
  if (result && erasing && sqlite) db_->writer()->script("PRAGMA wal_checkpoint(TRUNCATE)");
  return result;
}

json SqlStore::privacy_requests(int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    json out = json::array();
    c.run("SELECT seq, platform, topic, shop, received_at, result FROM privacy_requests ORDER BY seq DESC LIMIT ?",
          {limit}, [&](const SqlRow& r) {
            out.push_back({{"id", r.integer(0)}, {"platform", r.text(1)}, {"topic", r.text(2)}, {"shop", r.text(3)},
                           {"received_at", format_rfc3339(r.integer(4))}, {"result", stored_json(r.text(5))}});
          });
    return out;
  });
}

}  // namespace vouch::server
