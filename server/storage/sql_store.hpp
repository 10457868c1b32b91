#pragma once
// Store (store.hpp) over a SQL database (sql.hpp): the same statements on
// SQLite and on PostgreSQL.
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>

#include "sql.hpp"
#include "store.hpp"

namespace vouch::server {

class SqlStore final : public Store {
 public:
  // Brings the schema up to date (schema.hpp). Throws StoreError.
  SqlStore(std::unique_ptr<SqlDatabase> db, const StoreOptions& options = {});
  ~SqlStore() override;

  std::vector<std::string> insert_events(const std::vector<EventRecord>& events, Timestamp received_at,
                                         const PageSeen& page = {}) override;
  OrderOutcome insert_server_order(const OrderRecord& order, const std::string& signature, Timestamp signed_at,
                                   Timestamp received_at) override;
  OrderOutcome insert_refund(const RefundRecord& refund, const std::string& signature, Timestamp signed_at,
                             Timestamp received_at) override;
  nlohmann::json touches_between(Timestamp from, Timestamp to) override;
  nlohmann::json orders_between(Timestamp from, Timestamp to) override;
  nlohmann::json refunds_between(Timestamp from, Timestamp to) override;
  nlohmann::json orders_with_ids(const std::vector<std::string>& ids) override;
  bool has_server_orders() override;
  bool order_proves_purchase(const std::string& order_id) override;
  std::optional<std::vector<std::string>> order_products(const std::string& order_id) override;
  std::vector<OrderForRequest> orders_placed_by(Timestamp placed_by, int limit) override;
  std::int64_t prune(Timestamp events_before, Timestamp touches_before, int limit) override;
  nlohmann::json summary() override;
  nlohmann::json events_after(const std::string& cursor, int limit) override;
  nlohmann::json page_sightings(Timestamp since, int limit) override;

  ReviewOutcome insert_review(SubmittedReview& review) override;
  void insert_photo(const StoredPhoto& photo) override;
  std::vector<std::string> unknown_photos(const std::vector<std::string>& hashes) override;
  std::optional<std::string> photo_file(const std::string& name) override;

  void decide_moderation(const ModerationDecision& decision) override;
  std::vector<ModerationDecision> moderation_decisions() override;
  std::vector<ModerationDecision> moderation_log(int limit) override;

  bool reviews_auto_publish() override;
  void set_reviews_auto_publish(bool on) override;
  std::string stored_secret(const std::string& name, const std::string& candidate, bool& created) override;
  bool claim_once(const std::string& name) override;
  bool claimed(const std::string& name) override;

  Outcome apply_platform_changes(const PlatformChanges& changes, const PlatformDelivery& delivery) override;
  std::optional<nlohmann::json> answer_privacy_request(const PrivacyRequest& request,
                                                       const PlatformDelivery& delivery) override;
  nlohmann::json privacy_requests(int limit) override;

  void invite_creator(const std::string& influencer, const std::string& email, Timestamp at) override;
  void set_payout_email(const std::string& influencer, const std::string& email) override;
  std::vector<PortalCreator> portal_creators(Timestamp now) override;
  void insert_portal_link(const std::string& token_hash, const std::string& influencer, Timestamp created_at,
                          Timestamp expires_at) override;
  LinkUse sign_in_with_link(const std::string& token_hash, const PortalSession& session, Timestamp now) override;
  std::optional<PortalSession> portal_session(const std::string& hash, Timestamp now) override;
  std::vector<PortalSession> portal_sessions(const std::string& influencer, Timestamp now) override;
  int end_portal_sessions(const std::string& influencer, const std::string& id, Timestamp now) override;
  void log_portal_activity(const std::string& influencer, Timestamp at, const std::string& action,
                           const std::string& detail) override;
  nlohmann::json portal_activity(const std::string& influencer, int limit) override;
  PortalSettings portal_settings() override;
  void set_portal_settings(const PortalSettings& settings) override;

  std::vector<LedgerOrder> unread_orders(Timestamp since, int limit) override;
  nlohmann::json touches_of_visitors(const std::vector<std::string>& visitors, Timestamp from, Timestamp to) override;
  int record_sales(const std::vector<std::string>& order_ids, const std::vector<CommissionLine>& lines,
                   Timestamp now) override;
  int record_refunds(int limit, const std::function<std::vector<CommissionLine>(const LedgerRefund&)>& clawbacks,
                     Timestamp now) override;
  Timestamp ledger_cursor() override;
  void set_ledger_cursor(Timestamp received_at) override;
  nlohmann::json creator_touches(const std::string& influencer, const std::vector<std::string>& names, Timestamp from,
                                 Timestamp to) override;
  std::vector<CommissionLine> commission_lines(const std::string& influencer, Timestamp from, Timestamp to) override;
  std::vector<CommissionLine> unpaid_commissions(const std::string& influencer) override;
  std::vector<CommissionLine> all_commissions(const std::string& influencer) override;
  std::vector<PayoutRecord> record_payouts(const std::vector<PayoutPlan>& plans, const PayoutRecord& run,
                                           Timestamp now) override;
  std::vector<PayoutRecord> payouts(const std::string& influencer, const std::string& run, int limit) override;
  bool request_payout(const std::string& influencer, std::int64_t amount_minor, Timestamp now) override;
  std::vector<PayoutRequest> payout_requests(const std::string& influencer, bool open_only) override;

  std::vector<std::optional<StoredVersion>> stored_versions(FeedSection section,
                                                           const std::vector<std::string>& ids) override;
  std::int64_t write_catalogue(const std::vector<CatalogueElement>& elements) override;
  std::int64_t write_feed_ugc(const std::vector<ImportedUgc>& items) override;
  void live_ids(FeedSection section, const std::function<void(const std::string& id)>& each) override;
  std::int64_t retire(FeedSection section, const std::vector<std::string>& ids) override;
  void record_import(const ImportRecord& record) override;
  std::optional<ImportRecord> last_import() override;
  std::int64_t catalogue_version() override;
  void catalogue_bodies(FeedSection section, const std::function<void(const std::string& body)>& each) override;
  std::optional<std::string> store_body() override;
  std::optional<std::string> product_body(const std::string& id) override;
  std::vector<std::string> endorsement_bodies(const std::string& product) override;
  std::vector<std::string> influencer_bodies(const std::vector<std::string>& ids) override;
  std::vector<Ugc> product_items(const std::string& product) override;
  RatingTotals rating_totals() override;
  std::vector<Ugc> items_with_status(UgcStatus status, int limit) override;
  std::int64_t count_with_status(UgcStatus status) override;
  bool item_exists(const std::string& id) override;

  Timestamp documents_day() override;
  Timestamp start_documents_day(Timestamp as_of) override;
  std::vector<DueProduct> claim_due_products(Timestamp as_of, int limit, Timestamp now, int lease_seconds) override;
  bool save_product_documents(const std::vector<BuiltProduct>& built) override;
  void save_document(const StoredDocument& document) override;
  std::optional<StoredDocument> document(const std::string& path) override;
  std::vector<std::string> best_picks(int limit) override;
  std::int64_t due_products(Timestamp as_of) override;
  std::int64_t product_changed(const std::string& product) override;

  // In the database on PostgreSQL (shared by the instances), in this process
  // on SQLite (one machine; docs/server.md, "Scale-out").
  TokenBuckets& rate_buckets() override { return *buckets_; }

  // Copies photo files written by an earlier vouch (DIR/HASH.webp, ...) into
  // the database; those it has already are skipped. Returns how many it copied.
  int import_photo_files(const std::string& dir);

  SqlDatabase& database() { return *db_; }
  std::int64_t rows_written() override { return db_->rows_written(); }

 private:
  std::unique_ptr<SqlDatabase> db_;
  std::unique_ptr<TokenBuckets> buckets_;

  // Group commit: batches that arrive while a transaction commits wait, and
  // the next transaction takes them all (no timer: under no load a batch
  // commits alone at once).
  struct PendingBatch;
  bool group_commit_ = false;
  std::mutex group_mutex_;
  std::condition_variable group_done_;
  std::deque<PendingBatch*> queue_;
  bool committing_ = false;
  void commit_group(std::vector<PendingBatch*>& group);
};

}  // namespace vouch::server
