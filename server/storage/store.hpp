#pragma once
// The server's only state, behind one interface with a repository per area:
//
//   EventStore       events, touches, orders, refunds, page sightings, retention
//   ReviewStore      shoppers' reviews, their photos and the review tokens spent
//   ModerationStore  the owner's decisions on UGC, and the version that follows them
//   SettingsStore    the owner's settings and the secrets kept in the database
//   PlatformStore    Shopify's and WooCommerce's deliveries and privacy requests
//   PortalStore      creators' invitations, magic links, sessions, activity, settings
//   CommissionStore  the commission ledger and payouts
//   CatalogueStore   the store's catalogue and every UGC item, as imported from
//                    its feed file and written by shoppers (the store of record)
//   DocumentStore    the storefront documents built from it, and when each is due
//   rate_buckets()   the token buckets of the rate limits (rate_limit.hpp)
//
// `Store` is all of them; code that needs one area takes that area's
// interface. open_store() picks the back end from the location: a file path
// is SQLite (the embedded default), postgres:// or postgresql:// is
// PostgreSQL. Every write is one transaction, committed before the method
// returns, so a caller that answers "accepted" after it has it stored.
// docs/server.md, "Storage", says which tables hold what.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "commissions/commissions.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "rate_limit.hpp"
#include "records.hpp"

namespace vouch::server {

// A storage failure (disk full, busy beyond the timeout, connection lost,
// corrupt file, a schema this program does not know). The HTTP layer answers
// 503 (store.full or store.unavailable) and logs the message.
struct StoreError : std::runtime_error {
  StoreError(const std::string& message, bool full_ = false, std::string code_ = {})
      : std::runtime_error(message), full(full_), code(std::move(code_)) {
    if (code.empty()) code = full ? "store.full" : "store.unavailable";
  }
  bool full;  // the disk, or the configured size cap, is full
  std::string code;  // store.full, store.unavailable, store.schema_too_new
};

struct StoreOptions {
  std::int64_t max_bytes = 0;  // SQLite: 0 is as large as the disk allows (PRAGMA max_page_count)
  int pool_size = 8;           // PostgreSQL: connections per instance (docs/benchmarks.md)
  // Concurrent event batches share one transaction (each acknowledged after
  // its commit). Unset: the back end's measured default (on for SQLite, off
  // for PostgreSQL; docs/benchmarks.md).
  std::optional<bool> group_commit;
  // SQLite: review photos written as files by an earlier vouch (DB-photos/),
  // copied into the database at start.
  std::string import_photos_from;
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

// Where a stored photo is served (GET /v1/photos/NAME).
inline std::string photo_url(const std::string& hash) { return "/v1/photos/" + hash + ".webp"; }

// A review photo as stored: its two WebP files (photos.hpp) are served as
// HASH.webp and HASH-thumb.webp.
struct StoredPhoto {
  std::string hash;
  int width = 0, height = 0;
  std::string large;  // WebP bytes
  std::string thumb;  // WebP bytes
  std::string address;
  Timestamp received_at = 0;
};

// A review a shopper wrote (POST /v1/reviews), as stored: the UGC item it
// becomes in the served feed, never in the feed file.
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

// An order due a review request, with the products already reviewed with its token.
struct OrderForRequest {
  std::string order_id;
  Timestamp at = 0;
  bool signed_order = false;
  std::vector<std::string> products;  // distinct, sorted
  std::vector<std::string> reviewed;  // those with a review from this order
};

class EventStore {
 public:
  virtual ~EventStore() = default;
  // Stores a batch in one transaction. An event whose id is already stored is
  // skipped (idempotent retries); a conversion whose order id is already
  // stored keeps the first order. When the batch holds new impressions, counts
  // them for the page that sent it (table page_sightings). Returns, once
  // committed, the order ids of the conversions that created an order (not a
  // retry, not a second conversion of a stored order).
  virtual std::vector<std::string> insert_events(const std::vector<EventRecord>& events, Timestamp received_at,
                                                 const PageSeen& page = {}) = 0;
  // Stores a server order in the same transaction as its signature, so a
  // replayed delivery is refused even across restarts and instances.
  virtual OrderOutcome insert_server_order(const OrderRecord& order, const std::string& signature,
                                           Timestamp signed_at, Timestamp received_at) = 0;
  // The same for a refund: stored once per refund id (a redelivery is Duplicate).
  virtual OrderOutcome insert_refund(const RefundRecord& refund, const std::string& signature, Timestamp signed_at,
                                     Timestamp received_at) = 0;

  // Touches, orders and refunds with at in [from, to), oldest first (ties by
  // their keys), as Touch and Order JSON arrays (refunds as refund orders).
  virtual nlohmann::json touches_between(Timestamp from, Timestamp to) = 0;
  virtual nlohmann::json orders_between(Timestamp from, Timestamp to) = 0;
  virtual nlohmann::json refunds_between(Timestamp from, Timestamp to) = 0;
  // The stored orders with these ids (any time), as Order JSON.
  virtual nlohmann::json orders_with_ids(const std::vector<std::string>& ids) = 0;
  // Whether the store's backend has ever sent an order (POST /v1/orders).
  virtual bool has_server_orders() = 0;
  // Whether a stored order makes its reviewer a verified buyer: it is signed,
  // or the store sends no signed orders at all (see product_items).
  virtual bool order_proves_purchase(const std::string& order_id) = 0;
  // The distinct product ids of a stored order (order_product_ids), or
  // nullopt when there is none.
  virtual std::optional<std::vector<std::string>> order_products(const std::string& order_id) = 0;
  // Orders placed at or before `placed_by`, newest first (at most `limit`),
  // with the products already reviewed with their token: review requests.
  virtual std::vector<OrderForRequest> orders_placed_by(Timestamp placed_by, int limit) = 0;

  // Retention: deletes up to `limit` events received before `events_before`
  // and up to `limit` touches that happened before `touches_before`, oldest
  // first. Returns the rows deleted (less than 2 * limit: nothing more is due).
  virtual std::int64_t prune(Timestamp events_before, Timestamp touches_before, int limit) = 0;
  // {"events": {"total", "by_type"}, "visitors", "touches", "orders": {...}}
  virtual nlohmann::json summary() = 0;
  // Stored events in the order they were committed, after `cursor` ("" or
  // "0": from the first): {"events": [...], "next": CURSOR}. A page never
  // skips an event committed later (PostgreSQL: events of transactions still
  // in flight wait for them). Throws std::invalid_argument for a cursor this
  // store did not give.
  virtual nlohmann::json events_after(const std::string& cursor, int limit) = 0;
  // Pages the widget reported impressions from, seen at or after `since`,
  // most recent first: [{"origin", "path", "impressions", "first_seen", "last_seen"}].
  virtual nlohmann::json page_sightings(Timestamp since, int limit) = 0;
};

class ReviewStore {
 public:
  virtual ~ReviewStore() = default;
  // Stores a shopper's review, spends its token for its product (table
  // review_token_uses) and moves the moderation version, in one transaction,
  // so every instance's feed picks it up as a pending item.
  virtual ReviewOutcome insert_review(SubmittedReview& review) = 0;
  // Stores an uploaded photo and its files (once per hash).
  virtual void insert_photo(const StoredPhoto& photo) = 0;
  // A photo file's bytes by its served name (HASH.webp, HASH-thumb.webp).
  virtual std::optional<std::string> photo_file(const std::string& name) = 0;
  // Those of `hashes` that no uploaded photo has.
  virtual std::vector<std::string> unknown_photos(const std::vector<std::string>& hashes) = 0;
};

class ModerationStore {
 public:
  virtual ~ModerationStore() = default;
  // The owner's decision on an item (table ugc_overrides, kept across
  // imports): the item's shown status, its product's documents and the
  // store's published ratings follow in the same transaction.
  virtual void decide_moderation(const ModerationDecision& decision) = 0;
  virtual std::vector<ModerationDecision> moderation_decisions() = 0;
  // Every decision ever made, newest first (at most `limit`).
  virtual std::vector<ModerationDecision> moderation_log(int limit) = 0;
};

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  // The owner's choice (dashboard): publish clean reviews of verified buyers
  // at once, or hold every review for approval (the default).
  virtual bool reviews_auto_publish() = 0;
  virtual void set_reviews_auto_publish(bool on) = 0;
  // A named secret kept in the database (table secrets): the stored value, or
  // `candidate` stored now when there is none (created = true). Several
  // instances starting together agree on one value.
  virtual std::string stored_secret(const std::string& name, const std::string& candidate, bool& created) = 0;
  // True the first time it is called with `name` for this database, false
  // ever after, from any instance (the webhook secret is shown once).
  virtual bool claim_once(const std::string& name) = 0;
  virtual bool claimed(const std::string& name) = 0;
};

// A delivery of a platform's webhook (Shopify, WooCommerce; docs/shopify.md):
// its replay key (the platform's delivery id and the signature), kept a little
// longer than the platforms' staleness window (platform_webhooks.hpp).
struct PlatformDelivery {
  std::string key;
  Timestamp received_at = 0;
};
constexpr Timestamp kPlatformReplaySeconds = 25 * 3600;

// What the platforms' webhooks store (tables platform_deliveries, privacy_requests).
class PlatformStore {
 public:
  virtual ~PlatformStore() = default;
  // A platform's order (and the referral touches its cart attributes carry,
  // unless the browser already reported them) and refunds, in one
  // transaction: as the server orders and refunds of EventStore, with the
  // delivery's key as the replay guard. Returns the order's outcome (Created
  // when there is none) and how many refunds were new; Replayed, with nothing
  // stored, for a replay.
  struct Outcome {
    OrderOutcome order = OrderOutcome::Created;
    int new_refunds = 0;
  };
  virtual Outcome apply_platform_changes(const PlatformChanges& changes, const PlatformDelivery& delivery) = 0;
  // Does what a privacy webhook asks, records it (table privacy_requests) and
  // returns what was done or found; nullopt when the delivery is a replay.
  // Erased rows leave no bytes behind on SQLite (secure_delete, WAL checkpoint).
  virtual std::optional<nlohmann::json> answer_privacy_request(const PrivacyRequest& request,
                                                               const PlatformDelivery& delivery) = 0;
  // The recorded privacy requests, newest first (a data request's record
  // holds the export the owner sends the customer).
  virtual nlohmann::json privacy_requests(int limit) = 0;
};

// ---- The creator portal (docs/portal.md) ------------------------------------

// A creator the owner invited to the portal (or who signed in once).
struct PortalCreator {
  std::string influencer;      // Influencer::id
  std::string email;           // where magic links are sent; "" when the owner copies them
  std::string payout_email;    // PayPal / Wise recipient, set by the creator; "" when none
  Timestamp invited_at = 0;
  Timestamp last_seen_at = 0;  // 0: never signed in
  int active_sessions = 0;
};

// A signed-in browser. The cookie holds a random secret; the store keeps
// only its SHA-256 (`hash`), and shows the first 16 hex digits as the id.
struct PortalSession {
  std::string hash;
  std::string influencer;
  Timestamp created_at = 0, expires_at = 0, last_seen_at = 0;
  std::string agent;    // its User-Agent, cut short
  std::string address;  // the client's address when it signed in
  std::string id() const { return hash.substr(0, 16); }
};

enum class LinkUse { SignedIn, Unknown, Used, Expired };

// The owner's portal settings (the dashboard's Creators page).
struct PortalSettings {
  int refund_window_days = kDefaultRefundWindowDays;  // a commission's pending time
  std::int64_t payout_minimum_minor = 0;              // "request payout" from this approved balance
  std::string mailer_url;                             // where magic links are POSTed; "" when none
};

class PortalStore {
 public:
  virtual ~PortalStore() = default;
  // Invites (or re-invites) a creator; an empty e-mail keeps the one stored.
  virtual void invite_creator(const std::string& influencer, const std::string& email, Timestamp at) = 0;
  virtual void set_payout_email(const std::string& influencer, const std::string& email) = 0;
  // Every invited creator, with their last visit and live sessions at `now`.
  virtual std::vector<PortalCreator> portal_creators(Timestamp now) = 0;
  // A magic link, by the SHA-256 of its token (the token itself is never stored).
  virtual void insert_portal_link(const std::string& token_hash, const std::string& influencer, Timestamp created_at,
                                  Timestamp expires_at) = 0;
  // Spends the link and opens `session` in one transaction: a link signs in once.
  virtual LinkUse sign_in_with_link(const std::string& token_hash, const PortalSession& session, Timestamp now) = 0;
  // A live session (not expired, not ended) by its hash; notes the visit.
  virtual std::optional<PortalSession> portal_session(const std::string& hash, Timestamp now) = 0;
  virtual std::vector<PortalSession> portal_sessions(const std::string& influencer, Timestamp now) = 0;
  // Ends the creator's session with this id, or (id "") every session and
  // every unspent link of theirs. Returns the sessions ended.
  virtual int end_portal_sessions(const std::string& influencer, const std::string& id, Timestamp now) = 0;
  // What happened in the portal: sign-ins, links sent, payout requests...
  virtual void log_portal_activity(const std::string& influencer, Timestamp at, const std::string& action,
                                   const std::string& detail) = 0;
  // Newest first: [{"influencer", "at", "action", "detail"}]; influencer "" for everyone's.
  virtual nlohmann::json portal_activity(const std::string& influencer, int limit) = 0;
  virtual PortalSettings portal_settings() = 0;
  virtual void set_portal_settings(const PortalSettings& settings) = 0;
};

// A verified order the commission ledger has not read yet.
struct LedgerOrder {
  std::string order_id;
  nlohmann::json order;  // the Order JSON as stored
  Timestamp received_at = 0;
};

// A refund of an order the ledger has read, with what the clawback needs.
struct LedgerRefund {
  std::string refund_id;
  nlohmann::json refund;                     // the refund order JSON as stored
  nlohmann::json order;                      // the order it refunds
  std::vector<nlohmann::json> earlier;       // the order's refunds the ledger read before, oldest first
  std::vector<CommissionLine> order_lines;   // the order's lines so far (every creator's)
};

struct PayoutRecord {
  std::string id;          // "po-…"
  std::string run;         // the payout run it was part of
  std::string influencer;
  std::int64_t amount_minor = 0;
  std::string currency;
  std::int64_t lines = 0;
  Timestamp paid_at = 0;
  std::string method;      // "paypal", "wise" or "other"
  std::string reference;   // the owner's note (a transfer or batch id)
};

struct PayoutRequest {
  std::string influencer;
  Timestamp requested_at = 0;
  std::int64_t amount_minor = 0;  // the approved balance when asked
  std::string payout;             // the payout that answered it; "" while open
};

// The commission ledger (core/commissions) and payouts.
class CommissionStore {
 public:
  virtual ~CommissionStore() = default;
  // Signed orders received at or after `since` that the ledger has not read,
  // oldest first, at most `limit`.
  virtual std::vector<LedgerOrder> unread_orders(Timestamp since, int limit) = 0;
  // The touches of these visitors with at in [from, to], as Touch JSON (with "src").
  virtual nlohmann::json touches_of_visitors(const std::vector<std::string>& visitors, Timestamp from,
                                             Timestamp to) = 0;
  // Records that these orders were read, with their sale lines, once: an
  // order read before (by another instance) keeps its lines.
  virtual int record_sales(const std::vector<std::string>& order_ids, const std::vector<CommissionLine>& lines,
                           Timestamp now) = 0;
  // Reads up to `limit` refunds of read orders that the ledger has not
  // read, oldest first, each in its own transaction with `clawbacks`
  // computing its lines from what is stored then. Returns the refunds read.
  virtual int record_refunds(int limit,
                             const std::function<std::vector<CommissionLine>(const LedgerRefund&)>& clawbacks,
                             Timestamp now) = 0;
  virtual Timestamp ledger_cursor() = 0;
  virtual void set_ledger_cursor(Timestamp received_at) = 0;

  // Link touches with at in [from, to) naming `influencer` by id, or by a
  // code in `names` (lower case: codes, handle, id), oldest first, as Touch
  // JSON (with "src"): a creator's clicks, resolved by the engine after.
  virtual nlohmann::json creator_touches(const std::string& influencer, const std::vector<std::string>& names,
                                         Timestamp from, Timestamp to) = 0;
  // A creator's lines with `at` in [from, to), oldest first.
  virtual std::vector<CommissionLine> commission_lines(const std::string& influencer, Timestamp from,
                                                       Timestamp to) = 0;
  // Unpaid lines of a creator ("" every creator), oldest first.
  virtual std::vector<CommissionLine> unpaid_commissions(const std::string& influencer) = 0;
  // Every line of a creator, whatever its time: the balances.
  virtual std::vector<CommissionLine> all_commissions(const std::string& influencer) = 0;
  // Marks the plans' lines paid under new payouts, one run, in one
  // transaction; answers their open requests. Throws VouchException
  // payout.changed (nothing stored) when a line was paid meanwhile.
  virtual std::vector<PayoutRecord> record_payouts(const std::vector<PayoutPlan>& plans, const PayoutRecord& run,
                                                   Timestamp now) = 0;
  // Payouts of a creator ("" everyone) or of a run ("" any), newest first.
  virtual std::vector<PayoutRecord> payouts(const std::string& influencer, const std::string& run, int limit) = 0;
  // A creator's request for a payout; false when one is open already.
  virtual bool request_payout(const std::string& influencer, std::int64_t amount_minor, Timestamp now) = 0;
  // Requests of a creator ("" everyone), newest first; open ones only when asked.
  virtual std::vector<PayoutRequest> payout_requests(const std::string& influencer, bool open_only) = 0;
};


// The feed's sections as the database keeps them.
enum class FeedSection { Store, Products, Influencers, Endorsements, Ugc };
std::string_view section_name(FeedSection section);  // "store", "products", ..., "ugc"

// A catalogue element (the store, a product, an influencer, an endorsement)
// as an import writes it: its place in the file, its feed JSON
// (feed/feed_write.hpp) and that text's content hash.
struct CatalogueElement {
  FeedSection section = FeedSection::Products;
  std::string id;  // the store's: ""
  std::int64_t position = 0;
  std::string product;     // endorsements: the product endorsed
  std::string influencer;  // endorsements: the endorser
  std::string body;
  std::string hash;
};

// A UGC item of the feed file as an import writes it.
struct ImportedUgc {
  Ugc item;                   // as the file says (status, helpful and unhelpful included)
  std::int64_t position = 0;  // its place among its product's items in the file
  std::string hash;           // of its feed JSON
  int spam_points = 0;        // the moderation rules' verdict (social_proof/moderation.hpp)
};

// What an import compares an element with: its stored hash and place.
struct StoredVersion {
  std::string hash;
  std::int64_t position = 0;
  bool retired = false;
};

// One import, as recorded (table imports).
struct ImportRecord {
  std::string file;
  std::string file_sha256;
  Timestamp started_at = 0;
  Timestamp finished_at = 0;
  nlohmann::json summary;  // ingest/feed_import.hpp
};

// The store's published ratings (every published item with a rating): the
// mean is the Bayesian prior of every rating summary.
struct RatingTotals {
  std::int64_t sum = 0;
  std::int64_t count = 0;
};

class CatalogueStore {
 public:
  virtual ~CatalogueStore() = default;

  // --- an import (ingest/feed_import.hpp) ---
  // The stored version of each of `ids` in `section` (the feed's items for
  // Ugc), nullopt where none is stored.
  virtual std::vector<std::optional<StoredVersion>> stored_versions(FeedSection section,
                                                                   const std::vector<std::string>& ids) = 0;
  // Writes new and changed elements in one transaction (an element whose hash
  // and place are the stored ones is left alone), marks the products whose
  // documents show them as changed, and moves the catalogue version. Returns
  // the rows written.
  virtual std::int64_t write_catalogue(const std::vector<CatalogueElement>& elements) = 0;
  // The same for the feed's UGC items; the status shown stays the owner's
  // decision where there is one, and the store's published ratings follow.
  virtual std::int64_t write_feed_ugc(const std::vector<ImportedUgc>& items) = 0;
  // Every live (not retired) id of `section` (the feed's items for Ugc).
  virtual void live_ids(FeedSection section, const std::function<void(const std::string& id)>& each) = 0;
  // Retires these ids (kept, no longer shown or counted), in one
  // transaction; their products' documents change. Returns the rows written.
  virtual std::int64_t retire(FeedSection section, const std::vector<std::string>& ids) = 0;
  virtual void record_import(const ImportRecord& record) = 0;
  virtual std::optional<ImportRecord> last_import() = 0;

  // --- the store as stored ---
  // Moves with every import that changed the catalogue.
  virtual std::int64_t catalogue_version() = 0;
  // The feed JSON of the live elements of `section` (not Ugc), in file order.
  virtual void catalogue_bodies(FeedSection section, const std::function<void(const std::string& body)>& each) = 0;
  // The store's feed JSON; nullopt before the first import.
  virtual std::optional<std::string> store_body() = 0;
  // A live product's feed JSON, nullopt when there is none.
  virtual std::optional<std::string> product_body(const std::string& id) = 0;
  // The live endorsements of a product, and the live influencers among
  // `ids`, as feed JSON in file order.
  virtual std::vector<std::string> endorsement_bodies(const std::string& product) = 0;
  virtual std::vector<std::string> influencer_bodies(const std::vector<std::string>& ids) = 0;
  // A product's live items as shown: the status the owner decided (else its
  // source's), helpful with the shoppers' votes, a shopper's verified-buyer
  // mark as its order stands; the file's items in file order, then
  // shoppers' reviews in the order they came.
  virtual std::vector<Ugc> product_items(const std::string& product) = 0;
  // The store's published ratings now.
  virtual RatingTotals rating_totals() = 0;
  // Live items with this shown status, newest first (at most `limit`: the
  // moderation queue), and how many there are.
  virtual std::vector<Ugc> items_with_status(UgcStatus status, int limit) = 0;
  virtual std::int64_t count_with_status(UgcStatus status) = 0;
  // Whether a live item has this id.
  virtual bool item_exists(const std::string& id) = 0;
};

// A product whose documents are due: changed since they were built (`changed`
// is the counter claimed: what they will be built from), or built for an
// older day.
struct DueProduct {
  std::string product;
  std::int64_t changed = 0;
  bool changed_since_built = false;
};

// A built document as stored and served: its gzip bytes and strong ETag.
struct StoredDocument {
  std::string path;  // under /v1/: "store.json", "products/NAME.json", ...
  std::string etag;
  std::string gzip;
  std::int64_t bytes = 0;  // of the JSON
  Timestamp as_of = 0;
};

// A product's documents as built from `changed` for the day `as_of`; no
// documents: the product is gone (its documents are deleted).
struct BuiltProduct {
  std::string product;
  std::int64_t changed = 0;
  Timestamp as_of = 0;
  std::vector<StoredDocument> documents;
  std::optional<std::string> pick;  // what store.json needs of it (JSON), none without a quoted endorsement
  double pick_score = 0;
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;
  // The day (a UTC midnight) the documents are built for; 0 before the first.
  virtual Timestamp documents_day() = 0;
  // Moves it to `as_of` unless it is there already (another instance moved
  // it): every product's documents are then due. Returns the day in force.
  virtual Timestamp start_documents_day(Timestamp as_of) = 0;
  // Claims up to `limit` due products until now + `lease_seconds` (other
  // builders, of this instance or another, leave them alone meanwhile),
  // changed ones first.
  virtual std::vector<DueProduct> claim_due_products(Timestamp as_of, int limit, Timestamp now, int lease_seconds) = 0;
  // Stores built products' documents and picks, and marks each built, in one
  // transaction (a document whose ETag is the stored one is not written
  // again). Returns whether a pick moved (store.json changes).
  virtual bool save_product_documents(const std::vector<BuiltProduct>& built) = 0;
  virtual void save_document(const StoredDocument& document) = 0;
  virtual std::optional<StoredDocument> document(const std::string& path) = 0;
  // The picks (JSON) with the best `limit` scores, and every pick tied with the last of them.
  virtual std::vector<std::string> best_picks(int limit) = 0;
  // How many products' documents are due for the day `as_of`.
  virtual std::int64_t due_products(Timestamp as_of) = 0;
  // A product's change counter (-1 when it has none): what a page built from its rows follows.
  virtual std::int64_t product_changed(const std::string& product) = 0;
};

class Store : public EventStore,
              public ReviewStore,
              public ModerationStore,
              public SettingsStore,
              public PlatformStore,
              public PortalStore,
              public CommissionStore,
              public CatalogueStore,
              public DocumentStore {
 public:
  // The rate limits' buckets (rate_limit.hpp).
  virtual TokenBuckets& rate_buckets() = 0;
  // Rows this process inserted, updated or deleted since it opened the store.
  virtual std::int64_t rows_written() = 0;
};

// Opens (creating when needed) the database at `location` and brings its
// schema up to date. Throws StoreError.
std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options = {});

}  // namespace vouch::server
