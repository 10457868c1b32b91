#include "schema.hpp"

#include <iterator>

namespace vouch::server {

namespace {

// Version 1: the tables as issue 20 left them (a database written before
// versions existed has them all: its CREATE ... IF NOT EXISTS change nothing).
constexpr const char* kSqlite1 = R"sql(
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
)sql";

// 2: Shopify's and WooCommerce's webhooks (docs/shopify.md): the deliveries
// applied (the replay guard) and the privacy requests answered.
constexpr const char* kSqlite2 = R"sql(
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

constexpr const char* kPostgres2 = R"sql(
CREATE TABLE IF NOT EXISTS platform_deliveries (
  key         TEXT PRIMARY KEY,
  received_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS privacy_requests (
  seq         BIGSERIAL PRIMARY KEY,
  platform    TEXT NOT NULL,
  topic       TEXT NOT NULL,
  shop        TEXT NOT NULL,
  customer    TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  result      TEXT NOT NULL
);
)sql";

struct Migration {
  int version;
  const char* sqlite;
  const char* postgres;
};

const Migration kMigrations[] = {
    {1, kSqlite1, nullptr},
    {2, kSqlite2, kPostgres2},
};

}  // namespace

int latest_schema_version() { return std::prev(std::end(kMigrations))->version; }

void migrate_schema(SqlDatabase& db) {
  in_transaction(db, true, [&](SqlConnection& c) {
    // The write transaction is the lock on SQLite (BEGIN IMMEDIATE).
    c.script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    std::int64_t version = 0;
    c.run("SELECT MAX(version) FROM schema_version", {}, [&](const SqlRow& r) {
      if (!r.is_null(0)) version = r.integer(0);
    });
    int latest = latest_schema_version();
    if (version > latest)
      throw StoreError("the database's schema is version " + std::to_string(version) + ", newer than the " +
                           std::to_string(latest) + " this vouch knows; run the vouch that wrote it (or a later one)",
                       false, "store.schema_too_new");
    if (version == latest) return;
    for (const Migration& m : kMigrations)
      if (m.version > version) c.script(db.dialect() == SqlDialect::Sqlite ? m.sqlite : m.postgres);
    c.run("DELETE FROM schema_version");
    c.run("INSERT INTO schema_version (version) VALUES (?)", {latest});
  });
}

}  // namespace vouch::server
