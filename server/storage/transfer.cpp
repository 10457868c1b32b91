#include "transfer.hpp"

#include "postgres.hpp"
#include "sql_store.hpp"
#include "sqlite.hpp"

namespace vouch::server {

namespace {

// A table as copied: its columns ('i' integer, 'r' real, 't' text, 'b' bytes; a
// trailing '?' may be NULL), and the columns that order it uniquely (pages
// of rows follow them). Every table of schema.cpp but schema_version (the
// destination is at this vouch's version) and rate_buckets (refill anyway).
struct TableSpec {
  const char* name;
  std::vector<std::pair<const char*, const char*>> columns;
  std::vector<const char*> key;
  bool upsert = false;  // rows the new database has already (meta): the source's win
};

const std::vector<TableSpec>& tables() {
  static const std::vector<TableSpec> specs = {
      {"events",
       {{"seq", "i"}, {"id", "t"}, {"type", "t"}, {"at", "i"}, {"visitor", "t"}, {"received_at", "i"}, {"body", "t"}},
       {"seq"}},
      {"touches",
       {{"visitor", "t"}, {"at", "i"}, {"influencer", "t"}, {"code", "t"}, {"source", "t"}, {"landing", "t"},
        {"event_id", "t"}, {"src", "t"}},
       {"visitor", "at", "source", "influencer", "code", "landing"}},
      {"orders", {{"order_id", "t"}, {"source", "t"}, {"at", "i"}, {"body", "t"}, {"received_at", "i"}}, {"order_id"}},
      {"refunds",
       {{"refund_id", "t"}, {"order_id", "t"}, {"at", "i"}, {"body", "t"}, {"received_at", "i"}},
       {"refund_id"}},
      {"webhook_deliveries", {{"signature", "t"}, {"signed_at", "i"}}, {"signature"}},
      {"ugc_overrides", {{"ugc_id", "t"}, {"status", "t"}, {"decided_at", "i"}}, {"ugc_id"}},
      {"meta", {{"key", "t"}, {"value", "i"}}, {"key"}, true},
      {"moderation_log", {{"seq", "i"}, {"ugc_id", "t"}, {"status", "t"}, {"decided_at", "i"}}, {"seq"}},
      {"page_sightings",
       {{"origin", "t"}, {"path", "t"}, {"impressions", "i"}, {"first_seen", "i"}, {"last_seen", "i"}},
       {"origin", "path"}},
      {"reviews",
       {{"seq", "i"}, {"id", "t"}, {"client_id", "t"}, {"product", "t"}, {"rating", "i"}, {"title", "t"},
        {"body", "t"}, {"author_name", "t"}, {"verified_buyer", "i"}, {"locale", "t"}, {"at", "i"}, {"status", "t"},
        {"order_id", "t?"}, {"photos", "t"}, {"visitor", "t"}, {"address", "t"}, {"received_at", "i"}},
       {"seq"}},
      {"photos",
       {{"hash", "t"}, {"width", "i"}, {"height", "i"}, {"bytes", "i"}, {"address", "t"}, {"received_at", "i"}},
       {"hash"}},
      {"photo_files", {{"name", "t"}, {"content", "b"}}, {"name"}},
      {"review_token_uses", {{"order_id", "t"}, {"product", "t"}, {"review_id", "t"}}, {"order_id", "product"}},
      {"secrets", {{"name", "t"}, {"value", "t"}}, {"name"}},
      {"platform_deliveries", {{"key", "t"}, {"received_at", "i"}}, {"key"}},
      {"privacy_requests",
       {{"seq", "i"}, {"platform", "t"}, {"topic", "t"}, {"shop", "t"}, {"customer", "t"}, {"received_at", "i"},
        {"result", "t"}},
       {"seq"}},
      {"portal_creators",
       {{"influencer", "t"}, {"email", "t"}, {"payout_email", "t"}, {"invited_at", "i"}},
       {"influencer"}},
      {"portal_links",
       {{"token_hash", "t"}, {"influencer", "t"}, {"created_at", "i"}, {"expires_at", "i"}, {"used_at", "i?"}},
       {"token_hash"}},
      {"portal_sessions",
       {{"hash", "t"}, {"influencer", "t"}, {"created_at", "i"}, {"expires_at", "i"}, {"last_seen_at", "i"},
        {"ended_at", "i?"}, {"agent", "t"}, {"address", "t"}},
       {"hash"}},
      {"portal_settings", {{"key", "t"}, {"value", "t"}}, {"key"}},
      {"portal_activity",
       {{"seq", "i"}, {"influencer", "t"}, {"at", "i"}, {"action", "t"}, {"detail", "t"}},
       {"seq"}},
      {"commissions",
       {{"influencer", "t"}, {"order_id", "t"}, {"refund_id", "t"}, {"order_at", "i"}, {"at", "i"},
        {"revenue_minor", "i"}, {"amount_minor", "i"}, {"campaign", "t"}, {"src", "t"}, {"payout_id", "t?"},
        {"recorded_at", "i"}},
       {"influencer", "order_id", "refund_id"}},
      {"commission_sources", {{"source", "t"}, {"recorded_at", "i"}}, {"source"}},
      {"payouts",
       {{"id", "t"}, {"run", "t"}, {"influencer", "t"}, {"amount_minor", "i"}, {"currency", "t"}, {"lines", "i"},
        {"paid_at", "i"}, {"method", "t"}, {"reference", "t"}},
       {"id"}},
      {"payout_requests",
       {{"influencer", "t"}, {"requested_at", "i"}, {"amount_minor", "i"}, {"payout_id", "t?"}},
       {"influencer", "requested_at"}},
      {"catalogue",
       {{"section", "t"}, {"id", "t"}, {"position", "i"}, {"product", "t?"}, {"influencer", "t?"}, {"body", "t"},
        {"hash", "t"}, {"retired", "i"}},
       {"section", "id"}},
      {"ugc",
       {{"id", "t"}, {"product", "t"}, {"origin", "t"}, {"position", "i"}, {"kind", "t"}, {"author_name", "t"},
        {"author_verified", "i"}, {"author_influencer", "t?"}, {"rating", "i?"}, {"title", "t"}, {"body", "t"},
        {"media", "t"}, {"at", "i"}, {"helpful", "i"}, {"unhelpful", "i"}, {"locale", "t"}, {"source_status", "t"},
        {"status", "t"}, {"votes", "i"}, {"spam_points", "i"}, {"hash", "t"}, {"retired", "i"}},
       {"id"}},
      {"helpful_votes", {{"ugc_id", "t"}, {"visitor", "t"}, {"at", "i"}}, {"ugc_id", "visitor"}},
      {"product_documents",
       {{"product", "t"}, {"changed", "i"}, {"built", "i"}, {"built_as_of", "i"}, {"lease_until", "i"},
        {"pick_score", "r?"}, {"pick", "t?"}},
       {"product"}},
      {"documents",
       {{"path", "t"}, {"product", "t?"}, {"etag", "t"}, {"gzip", "b"}, {"bytes", "i"}, {"as_of", "i"}},
       {"path"}},
      {"imports",
       {{"seq", "i"}, {"file", "t"}, {"file_sha256", "t"}, {"started_at", "i"}, {"finished_at", "i"}, {"summary", "t"}},
       {"seq"}},
  };
  return specs;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

SqlValue column_value(const SqlRow& r, int i, const std::string& type) {
  if (type.back() == '?' && r.is_null(i)) return nullptr;
  if (type[0] == 'i') return r.integer(i);
  if (type[0] == 'r') return r.real(i);
  if (type[0] == 'b') return SqlValue::blob(r.text(i));
  return r.text(i);
}

// Copies one table in pages of `page` rows (keyset: never re-reads a row),
// each page one transaction on the destination. Returns the rows copied.
std::int64_t copy_table(SqlDatabase& from, SqlDatabase& to, const TableSpec& t, int page) {
  std::vector<std::string> names, marks, keys, key_marks;
  for (const auto& [name, type] : t.columns) names.push_back(name), marks.push_back("?");
  for (const char* k : t.key) keys.push_back(k), key_marks.push_back("?");
  std::string columns = joined(names, ", "), order = joined(keys, ", ");
  std::string first = "SELECT " + columns + " FROM " + t.name + " ORDER BY " + order + " LIMIT ?";
  std::string next = "SELECT " + columns + " FROM " + t.name + " WHERE (" + order + ") > (" + joined(key_marks, ", ") +
                     ") ORDER BY " + order + " LIMIT ?";
  std::string insert = "INSERT INTO " + std::string(t.name) + " (" + columns + ") VALUES (" + joined(marks, ", ") + ")" +
                       (t.upsert ? " ON CONFLICT (" + order + ") DO UPDATE SET value = excluded.value"
                                 : " ON CONFLICT DO NOTHING");
  std::int64_t copied = 0;
  std::vector<SqlValue> last_key;
  for (;;) {
    std::vector<std::vector<SqlValue>> rows;
    in_transaction(from, false, [&](SqlConnection& c) {
      std::vector<SqlValue> params = last_key;
      params.emplace_back(page);
      c.run(last_key.empty() ? first : next, params, [&](const SqlRow& r) {
        std::vector<SqlValue> row;
        for (std::size_t i = 0; i < t.columns.size(); ++i)
          row.push_back(column_value(r, static_cast<int>(i), t.columns[i].second));
        rows.push_back(std::move(row));
      });
    });
    if (rows.empty()) return copied;
    in_transaction(to, true, [&](SqlConnection& c) {
      for (const auto& row : rows) c.run(insert, row);
    });
    copied += static_cast<std::int64_t>(rows.size());
    last_key.clear();
    for (const char* k : t.key)
      for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (std::string(t.columns[i].first) == k) last_key.push_back(rows.back()[i]);
  }
}

// The store at `location`, at this vouch's schema; an SQLite store's photo
// files from before they moved into the database are taken in first.
std::unique_ptr<SqlStore> open_sql_store(const std::string& location) {
  if (is_postgres_url(location)) return std::make_unique<SqlStore>(open_postgres(location, 1));
  auto store = std::make_unique<SqlStore>(open_sqlite(location, StoreOptions{}));
  store->import_photo_files(location + "-photos");
  return store;
}

}  // namespace

nlohmann::json transfer_database(const std::string& from, const std::string& to) {
  auto source_store = open_sql_store(from);
  auto target_store = open_sql_store(to);
  SqlDatabase* source = &source_store->database();
  SqlDatabase* target = &target_store->database();
  std::int64_t present = 0;
  in_transaction(*target, false, [&](SqlConnection& c) {
    for (const char* table :
         {"events", "touches", "orders", "refunds", "reviews", "moderation_log", "photos", "catalogue", "ugc"})
      c.run(std::string("SELECT COUNT(*) FROM ") + table, {}, [&](const SqlRow& r) { present += r.integer(0); });
  });
  if (present > 0)
    throw StoreError("the destination already holds " + std::to_string(present) +
                         " rows; migrate into a new, empty database",
                     false, "migrate.destination_not_empty");
  // A table this list does not name would be left behind without a word:
  // refuse instead (a new migration's table belongs in tables()).
  std::vector<std::string> unknown;
  in_transaction(*source, false, [&](SqlConnection& c) {
    c.run(source->dialect() == SqlDialect::Sqlite
              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
              : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
          {}, [&](const SqlRow& r) {
            std::string name = r.text(0);
            bool known = name == "schema_version" || name == "rate_buckets";
            for (const TableSpec& t : tables()) known = known || name == t.name;
            if (!known) unknown.push_back(name);
          });
  });
  if (!unknown.empty())
    throw StoreError("this vouch does not know how to copy table " + unknown[0] + "; nothing was copied", false,
                     "migrate.unknown_table");
  nlohmann::json copied = nlohmann::json::object();
  for (const TableSpec& t : tables()) copied[t.name] = copy_table(*source, *target, t, 2000);
  if (target->dialect() == SqlDialect::Postgres) {
    // Identity columns carry on after the copied values.
    in_transaction(*target, true, [&](SqlConnection& c) {
      for (const char* table : {"events", "moderation_log", "reviews", "privacy_requests", "portal_activity", "imports"})
        c.script(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'seq'), COALESCE(MAX(seq), 0) + 1, "
                 "false) FROM " + table);
    });
  }
  return copied;
}

}  // namespace vouch::server
