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

// Version 2 (issue 28): the database is the store of record. The feed file
// is imported into it (docs/server.md, "Import"); the storefront documents
// are built per product from it and kept in it.
//   catalogue            the store, products, influencers and endorsements as
//                        the last import left them: each element's feed JSON
//                        and its content hash (an endorsement's product and
//                        influencer beside); `retired` when a full import no
//                        longer had it
//   ugc                  every UGC item, the feed's and shoppers' (reviews keeps
//                        how a shopper's was submitted): as its source says,
//                        the status shown (the owner's decision first), the
//                        shoppers' helpful votes and the spam verdict
//   helpful_votes        one per visitor per item
//   product_documents    per product: a change counter its documents follow,
//                        what they were built from, and what store.json needs
//   documents            the built documents (gzip + ETag), by path under /v1/
//   imports              every import and what it changed
// meta adds the store's published ratings (kept as items change) and the
// ratings and day the documents are built with.
constexpr const char* kSqlite2 = R"sql(
CREATE TABLE catalogue (
  section  TEXT NOT NULL CHECK (section IN ('store', 'products', 'influencers', 'endorsements')),
  id       TEXT NOT NULL,
  position INTEGER NOT NULL,
  product    TEXT,
  influencer TEXT,
  body     TEXT NOT NULL,
  hash     TEXT NOT NULL,
  retired  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (section, id)
);
CREATE INDEX catalogue_by_product ON catalogue (product);
CREATE INDEX catalogue_by_influencer ON catalogue (influencer);
CREATE TABLE ugc (
  id                TEXT PRIMARY KEY,
  product           TEXT NOT NULL,
  origin            TEXT NOT NULL CHECK (origin IN ('feed', 'shopper')),
  position          INTEGER NOT NULL,
  kind              TEXT NOT NULL,
  author_name       TEXT NOT NULL,
  author_verified   INTEGER NOT NULL,
  author_influencer TEXT,
  rating            INTEGER,
  title             TEXT NOT NULL,
  body              TEXT NOT NULL,
  media             TEXT NOT NULL,
  at                INTEGER NOT NULL,
  helpful           INTEGER NOT NULL,
  unhelpful         INTEGER NOT NULL,
  locale            TEXT NOT NULL,
  source_status     TEXT NOT NULL CHECK (source_status IN ('published', 'pending', 'rejected')),
  status            TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected')),
  votes             INTEGER NOT NULL DEFAULT 0,
  spam_points       INTEGER NOT NULL,
  hash              TEXT NOT NULL,
  retired           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ugc_by_product ON ugc (product, origin, position);
CREATE INDEX ugc_by_status ON ugc (status, origin, position);
CREATE INDEX ugc_by_author_influencer ON ugc (author_influencer) WHERE author_influencer IS NOT NULL;
CREATE TABLE helpful_votes (
  ugc_id  TEXT NOT NULL,
  visitor TEXT NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (ugc_id, visitor)
);
CREATE TABLE product_documents (
  product     TEXT PRIMARY KEY,
  changed     INTEGER NOT NULL DEFAULT 1,
  built       INTEGER NOT NULL DEFAULT 0,
  built_as_of INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  pick_score  REAL,
  pick        TEXT
);
CREATE TABLE documents (
  path    TEXT PRIMARY KEY,
  product TEXT,
  etag    TEXT NOT NULL,
  gzip    BLOB NOT NULL,
  bytes   INTEGER NOT NULL,
  as_of   INTEGER NOT NULL
);
CREATE INDEX documents_by_product ON documents (product);
CREATE TABLE imports (
  seq         INTEGER PRIMARY KEY,
  file        TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  summary     TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('catalogue_version', 0), ('rating_sum', 0), ('rating_count', 0),
  ('documents_as_of', 0), ('documents_rating_sum', 0), ('documents_rating_count', 0)
  ON CONFLICT (key) DO NOTHING;
)sql";

// The same for PostgreSQL: BIGINT for integers and times, DOUBLE PRECISION,
// BYTEA for the gzip bytes, BIGSERIAL for the import log's sequence.
constexpr const char* kPostgres2 = R"sql(
CREATE TABLE catalogue (
  section  TEXT NOT NULL CHECK (section IN ('store', 'products', 'influencers', 'endorsements')),
  id       TEXT NOT NULL,
  position BIGINT NOT NULL,
  product    TEXT,
  influencer TEXT,
  body     TEXT NOT NULL,
  hash     TEXT NOT NULL,
  retired  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (section, id)
);
CREATE INDEX catalogue_by_product ON catalogue (product);
CREATE INDEX catalogue_by_influencer ON catalogue (influencer);
CREATE TABLE ugc (
  id                TEXT PRIMARY KEY,
  product           TEXT NOT NULL,
  origin            TEXT NOT NULL CHECK (origin IN ('feed', 'shopper')),
  position          BIGINT NOT NULL,
  kind              TEXT NOT NULL,
  author_name       TEXT NOT NULL,
  author_verified   BIGINT NOT NULL,
  author_influencer TEXT,
  rating            BIGINT,
  title             TEXT NOT NULL,
  body              TEXT NOT NULL,
  media             TEXT NOT NULL,
  at                BIGINT NOT NULL,
  helpful           BIGINT NOT NULL,
  unhelpful         BIGINT NOT NULL,
  locale            TEXT NOT NULL,
  source_status     TEXT NOT NULL CHECK (source_status IN ('published', 'pending', 'rejected')),
  status            TEXT NOT NULL CHECK (status IN ('published', 'pending', 'rejected')),
  votes             BIGINT NOT NULL DEFAULT 0,
  spam_points       BIGINT NOT NULL,
  hash              TEXT NOT NULL,
  retired           BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ugc_by_product ON ugc (product, origin, position);
CREATE INDEX ugc_by_status ON ugc (status, origin, position);
CREATE INDEX ugc_by_author_influencer ON ugc (author_influencer) WHERE author_influencer IS NOT NULL;
CREATE TABLE helpful_votes (
  ugc_id  TEXT NOT NULL,
  visitor TEXT NOT NULL,
  at      BIGINT NOT NULL,
  PRIMARY KEY (ugc_id, visitor)
);
CREATE TABLE product_documents (
  product     TEXT PRIMARY KEY,
  changed     BIGINT NOT NULL DEFAULT 1,
  built       BIGINT NOT NULL DEFAULT 0,
  built_as_of BIGINT NOT NULL DEFAULT 0,
  lease_until BIGINT NOT NULL DEFAULT 0,
  pick_score  DOUBLE PRECISION,
  pick        TEXT
);
CREATE TABLE documents (
  path    TEXT PRIMARY KEY,
  product TEXT,
  etag    TEXT NOT NULL,
  gzip    BYTEA NOT NULL,
  bytes   BIGINT NOT NULL,
  as_of   BIGINT NOT NULL
);
CREATE INDEX documents_by_product ON documents (product);
CREATE TABLE imports (
  seq         BIGSERIAL PRIMARY KEY,
  file        TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  summary     TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('catalogue_version', 0), ('rating_sum', 0), ('rating_count', 0),
  ('documents_as_of', 0), ('documents_rating_sum', 0), ('documents_rating_count', 0)
  ON CONFLICT (key) DO NOTHING;
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
