#pragma once
// The server's only state: one SQLite database in WAL mode. Every statement
// is prepared once and bound; every batch is one transaction, committed
// before the client hears "accepted". Several `vouch serve` processes may
// share the file (BEGIN IMMEDIATE + busy timeout); see docs/server.md.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.hpp"
#include "feed/feed.hpp"
#include "records.hpp"

struct sqlite3;

namespace vouch::server {

// A storage failure (disk full, busy beyond the timeout, corrupt file). The
// HTTP layer answers 503 (store.full or store.unavailable) and logs the message.
struct StoreError : std::runtime_error {
  StoreError(const std::string& message, bool full_ = false) : std::runtime_error(message), full(full_) {}
  bool full;  // SQLITE_FULL: the disk, or the configured size cap, is full
};

struct StoreOptions {
  std::int64_t max_bytes = 0;  // 0: as large as the disk allows (PRAGMA max_page_count)
};

enum class OrderOutcome {
  Created,          // a new order (or refund)
  ReplacedBrowser,  // the server's order replaced a browser-reported conversion
  Duplicate,        // a server order (or refund) with this id was already stored
  Replayed,         // this exact signature was seen before: nothing stored
};

struct ModerationDecision {
  std::string ugc;
  std::string status;
  Timestamp decided_at = 0;
};

// A review a shopper wrote (POST /v1/reviews), as stored: the UGC item it
// becomes in the served feed, never in the feed file.
// Where a stored photo is served (GET /v1/photos/NAME).
inline std::string photo_url(const std::string& hash) { return "/v1/photos/" + hash + ".webp"; }

// A review photo as recorded (the files are on disk, photos.hpp).
struct StoredPhoto {
  std::string hash;
  int width = 0, height = 0;
  std::int64_t bytes = 0;  // of the shown (large) WebP
  std::string address;
  Timestamp received_at = 0;
};

struct SubmittedReview {
  std::string client_id;  // the widget's id for it: a retry with the same id is the same review
  std::string visitor;    // may be empty
  std::string address;    // the client's address, for abuse review
  std::string order_id;   // the order of the token that verified it; empty when unverified
  std::vector<std::string> photos;  // their hashes (table photos); item.media follows from them
  Ugc item;               // id "rv-…", status as submitted (pending)
  Timestamp received_at = 0;
};

enum class ReviewOutcome {
  Created,    // stored (and its token, if any, spent for its product)
  Retried,    // a review with this client id is stored: `item` is filled from it
  TokenUsed,  // the token was already spent on a review of this product: nothing stored
};

// The page a batch of events came from (the install check), see admin_views.hpp.
struct PageSeen {
  std::string origin;
  std::string path;
};

// A delivery of a platform's webhook (Shopify, WooCommerce; docs/shopify.md):
// its replay key (the platform's delivery id and the signature), kept a little
// longer than the platforms' staleness window (platform_webhooks.hpp).
struct PlatformDelivery {
  std::string key;
  Timestamp received_at = 0;
};
constexpr Timestamp kPlatformReplaySeconds = 25 * 3600;

class Store {
 public:
  // Opens (creating when needed) the database and its schema. Throws StoreError.
  explicit Store(const std::string& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a batch in one transaction. An event whose id is already stored is
  // skipped (idempotent retries); a conversion whose order id is already
  // stored keeps the first order. Returns when committed.
  void insert_events(const std::vector<EventRecord>& events, Timestamp received_at);
  // The same, and when the batch holds new impressions, counts them for the
  // page that sent it (table page_sightings), in the same transaction.
  // Returns the order ids of the conversions that created an order (not a
  // retry, not a second conversion of a stored order).
  std::vector<std::string> insert_events(const std::vector<EventRecord>& events, Timestamp received_at,
                                         const PageSeen& page);

  // Stores a shopper's review, spends its token for its product (table
  // review_token_uses) and moves the moderation version, in one transaction,
  // so every instance's feed picks it up as a pending item.
  ReviewOutcome insert_review(SubmittedReview& review);
  // Every stored review as a UGC item (its submitted status; the moderation
  // decisions are applied on top), oldest first.
  std::vector<Ugc> submitted_reviews();
  // The owner's choice (dashboard): publish clean reviews of verified buyers
  // at once, or hold every review for approval (the default).
  bool reviews_auto_publish();
  void set_reviews_auto_publish(bool on);
  // Whether a stored order makes its reviewer a verified buyer: it is signed,
  // or the store sends no signed orders at all (see submitted_reviews).
  bool order_proves_purchase(const std::string& order_id);
  // Records an uploaded photo (its files are already on disk).
  void insert_photo(const StoredPhoto& photo);
  // Those of `hashes` that no uploaded photo has.
  std::vector<std::string> unknown_photos(const std::vector<std::string>& hashes);
  // Orders placed at or before `placed_by`, newest first (at most `limit`),
  // with the products already reviewed with their token: review requests.
  struct OrderForRequest {
    std::string order_id;
    Timestamp at = 0;
    bool signed_order = false;
    std::vector<std::string> products;  // distinct, sorted
    std::vector<std::string> reviewed;  // those with a review from this order
  };
  std::vector<OrderForRequest> orders_placed_by(Timestamp placed_by, int limit);
  // The distinct product ids of a stored order, or nullopt when there is none.
  std::optional<std::vector<std::string>> order_products(const std::string& order_id);

  // Stores a server order in the same transaction as its signature, so a
  // replayed delivery is refused even across restarts and instances.
  OrderOutcome insert_server_order(const OrderRecord& order, const std::string& signature,
                                   Timestamp signed_at, Timestamp received_at);
  // The same for a refund: stored once per refund id (a redelivery is Duplicate).
  OrderOutcome insert_refund(const RefundRecord& refund, const std::string& signature, Timestamp signed_at,
                             Timestamp received_at);

  // A platform's order (and the referral touches its cart attributes carry,
  // unless the browser already reported them) and refunds, in one transaction:
  // as the server orders and refunds above, with the delivery's key as the
  // replay guard.
  // Returns the order's outcome (Created when there is none) and how many
  // refunds were new; Replayed, with nothing stored, for a replay.
  struct PlatformOutcome {
    OrderOutcome order = OrderOutcome::Created;
    int new_refunds = 0;
  };
  PlatformOutcome apply_platform_changes(const PlatformChanges& changes, const PlatformDelivery& delivery);
  // Does what a privacy webhook asks, records it (table privacy_requests) and
  // returns what was done or found; nullopt when the delivery is a replay.
  std::optional<nlohmann::json> answer_privacy_request(const PrivacyRequest& request,
                                                       const PlatformDelivery& delivery);
  // The recorded privacy requests, newest first (a data request's record
  // holds the export the owner sends the customer).
  nlohmann::json privacy_requests(int limit);

  // Touches, orders and refunds with at in [from, to), oldest first (ties by
  // their keys), as Touch and Order JSON arrays (refunds as refund orders).
  nlohmann::json touches_between(Timestamp from, Timestamp to);
  nlohmann::json orders_between(Timestamp from, Timestamp to);
  nlohmann::json refunds_between(Timestamp from, Timestamp to);
  // The stored orders with these ids (any time), as Order JSON.
  nlohmann::json orders_with_ids(const std::vector<std::string>& ids);
  // Whether the store's backend has ever sent an order (POST /v1/orders).
  bool has_server_orders();

  // Retention: deletes up to `limit` events received before `events_before`
  // and up to `limit` touches that happened before `touches_before`, oldest
  // first. Returns the rows deleted (less than 2 * limit: nothing more is due).
  std::int64_t prune(Timestamp events_before, Timestamp touches_before, int limit);

  // {"events": {"total", "by_type"}, "visitors", "touches", "orders": {...}}
  nlohmann::json summary();
  // Events after a sequence number, oldest first: {"events": [...], "next": seq}.
  nlohmann::json events_after(std::int64_t after, int limit);

  // Moderation overrides of UGC statuses, and a version that changes with
  // every decision (so each instance knows when to re-render the feed).
  void decide_moderation(const ModerationDecision& decision);
  std::vector<ModerationDecision> moderation_decisions();
  std::int64_t moderation_version();
  // Every decision ever made, newest first (at most `limit`).
  std::vector<ModerationDecision> moderation_log(int limit);

  // Pages the widget reported impressions from, seen at or after `since`,
  // most recent first: [{"origin", "path", "impressions", "first_seen", "last_seen"}].
  nlohmann::json page_sightings(Timestamp since, int limit);

  // A named secret kept in the database (table secrets): the stored value, or
  // `candidate` stored now when there is none (created = true). Several
  // instances starting together agree on one value.
  std::string stored_secret(const std::string& name, const std::string& candidate, bool& created);

 struct Connection;  // opaque: a sqlite3 handle and its prepared statements

 private:
  std::unique_ptr<Connection> writer_;  // one writer: SQLite allows one at a time
  std::unique_ptr<Connection> reader_;  // WAL readers never wait for the writer
  std::mutex write_mutex_;
  std::mutex read_mutex_;
};

}  // namespace vouch::server
