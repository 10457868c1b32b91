// The built documents and what decides when a product's are built again
// (DocumentStore, store.hpp). Portable SQL, as in sql_store.cpp.
#include "sql_rows.hpp"
#include "sql_store.hpp"

namespace vouch::server {

namespace {

std::int64_t meta_value(SqlConnection& c, const char* key) {
  return first_integer(c, "SELECT value FROM meta WHERE key = ?", {key});
}

Timestamp documents_as_of(SqlConnection& c) { return meta_value(c, "documents_as_of"); }

void put_document(SqlConnection& c, const StoredDocument& d, const std::string& product) {
  c.run("INSERT INTO documents (path, product, etag, gzip, bytes, as_of) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET product = excluded.product, etag = excluded.etag, gzip = excluded.gzip, "
        "bytes = excluded.bytes, as_of = excluded.as_of "
        "WHERE documents.etag <> excluded.etag OR documents.as_of <> excluded.as_of",
        {d.path, product.empty() ? SqlValue(nullptr) : SqlValue(product), d.etag, SqlValue::blob(d.gzip), d.bytes,
         d.as_of});
}

}  // namespace

Timestamp SqlStore::documents_day() {
  return in_transaction(*db_, false, [&](SqlConnection& c) { return documents_as_of(c); });
}

Timestamp SqlStore::start_documents_day(Timestamp as_of) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    // Of several instances rolling the day at once, the first moves it.
    c.run("UPDATE meta SET value = ? WHERE key = 'documents_as_of' AND value < ?", {as_of, as_of});
    return documents_as_of(c);
  });
}

std::vector<DueProduct> SqlStore::claim_due_products(Timestamp as_of, int limit, Timestamp now, int lease_seconds) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::vector<DueProduct> candidates, claimed;
    c.run("SELECT product, changed, CASE WHEN changed > built THEN 1 ELSE 0 END FROM product_documents "
          "WHERE (changed > built OR built_as_of < ?) AND lease_until < ? "
          "ORDER BY CASE WHEN changed > built THEN 0 ELSE 1 END, product LIMIT ?",
          {as_of, now, limit},
          [&](const SqlRow& r) { candidates.push_back({r.text(0), r.integer(1), r.integer(2) != 0}); });
    for (auto& p : candidates)
      if (c.run("UPDATE product_documents SET lease_until = ? WHERE product = ? AND lease_until < ?",
                {now + lease_seconds, p.product, now}) > 0)
        claimed.push_back(std::move(p));
    return claimed;
  });
}

bool SqlStore::save_product_documents(const std::vector<BuiltProduct>& built) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    bool picks_changed = false;
    for (const BuiltProduct& b : built) {
      std::optional<std::string> old_pick;
      c.run("SELECT pick FROM product_documents WHERE product = ?", {b.product},
            [&](const SqlRow& r) { old_pick = r.is_null(0) ? std::nullopt : std::optional<std::string>(r.text(0)); });
      if (old_pick != b.pick) picks_changed = true;
      if (b.documents.empty()) {  // gone: its documents, and its row until an import brings it back
        c.run("DELETE FROM documents WHERE product = ?", {b.product});
        c.run("DELETE FROM product_documents WHERE product = ? AND changed <= ?", {b.product, b.changed});
        continue;
      }
      for (const StoredDocument& d : b.documents) put_document(c, d, b.product);
      c.run("UPDATE product_documents SET built = CASE WHEN built > ? THEN built ELSE ? END, built_as_of = ?, "
            "lease_until = 0, pick = ?, pick_score = ? WHERE product = ?",
            {b.changed, b.changed, b.as_of, b.pick ? SqlValue(*b.pick) : SqlValue(nullptr),
             b.pick ? SqlValue(b.pick_score) : SqlValue(nullptr), b.product});
    }
    return picks_changed;
  });
}

void SqlStore::save_document(const StoredDocument& document) {
  in_transaction(*db_, true, [&](SqlConnection& c) { put_document(c, document, ""); });
}

std::optional<StoredDocument> SqlStore::document(const std::string& path) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<StoredDocument> out;
    c.run("SELECT etag, gzip, bytes, as_of FROM documents WHERE path = ?", {path},
          [&](const SqlRow& r) { out = StoredDocument{path, r.text(0), r.text(1), r.integer(2), r.integer(3)}; });
    return out;
  });
}

std::vector<std::string> SqlStore::best_picks(int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    // The best `limit` by score, and every pick tied with the last of them
    // (store.json breaks ties by name, which SQL does not know).
    std::vector<std::string> out;
    std::optional<double> last;
    c.run("SELECT pick_score FROM product_documents WHERE pick IS NOT NULL ORDER BY pick_score DESC LIMIT ?", {limit},
          [&](const SqlRow& r) { last = r.real(0); });
    if (!last) return out;
    c.run("SELECT pick FROM product_documents WHERE pick IS NOT NULL AND pick_score >= ? ORDER BY pick_score DESC",
          {*last}, [&](const SqlRow& r) { out.push_back(r.text(0)); });
    return out;
  });
}

std::int64_t SqlStore::due_products(Timestamp as_of) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT COUNT(*) FROM product_documents WHERE changed > built OR built_as_of < ?", {as_of});
  });
}

std::int64_t SqlStore::product_changed(const std::string& product) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT changed FROM product_documents WHERE product = ?", {product}, -1);
  });
}

}  // namespace vouch::server
