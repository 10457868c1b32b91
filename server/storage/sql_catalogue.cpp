// The catalogue and the UGC items (CatalogueStore, store.hpp): what an
// import writes and what the documents are built from. Portable SQL, as in
// sql_store.cpp.
#include <algorithm>
#include <set>

#include "feed/feed_write.hpp"
#include "sql_rows.hpp"
#include "sql_store.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

std::optional<std::int64_t> optional_integer(const SqlRow& r, int column) {
  if (r.is_null(column)) return std::nullopt;
  return r.integer(column);
}

SqlValue optional_value(const std::optional<std::string>& text) { return text ? SqlValue(*text) : SqlValue(nullptr); }

std::string media_json(const std::vector<Media>& media) {
  Ugc holder;
  holder.media = media;
  return to_json(holder)["media"].dump();
}

std::vector<Media> media_of(const std::string& text) {
  std::vector<Media> out;
  if (text == "[]") return out;
  json media = json::parse(text, nullptr, false);
  if (!media.is_array()) return out;
  for (const auto& m : media)
    if (m.is_object()) out.push_back({m.value("type", ""), m.value("url", ""), m.value("alt", "")});
  return out;
}

std::optional<UgcKind> kind_named(const std::string& name) {
  for (UgcKind k : {UgcKind::Review, UgcKind::Photo, UgcKind::Video, UgcKind::Post})
    if (to_string(k) == name) return k;
  return std::nullopt;
}

// The products whose documents show an influencer: those it endorses and
// those it wrote items about.
void mark_influencer_products(SqlConnection& c, const std::string& influencer) {
  c.run("UPDATE product_documents SET changed = changed + 1 WHERE product IN ("
        "SELECT product FROM catalogue WHERE section = 'endorsements' AND influencer = ? AND retired = 0 "
        "UNION SELECT product FROM ugc WHERE author_influencer = ?)",
        {influencer, influencer});
}

// An item's product, shown status, rating and retired mark.
struct ItemState {
  std::string product, status, origin;
  std::optional<std::int64_t> rating;
  bool retired = false;
};

std::optional<ItemState> item_state(SqlConnection& c, const std::string& id) {
  std::optional<ItemState> out;
  c.run("SELECT product, status, rating, retired, origin FROM ugc WHERE id = ?", {id}, [&](const SqlRow& r) {
    out = ItemState{r.text(0), r.text(1), r.text(4), optional_integer(r, 2), r.integer(3) != 0};
  });
  return out;
}

constexpr const char* kUpsertFeedItem =
    "INSERT INTO ugc (id, product, origin, position, kind, author_name, author_verified, author_influencer, rating, "
    "title, body, media, at, helpful, unhelpful, locale, source_status, status, spam_points, hash) "
    "VALUES (?, ?, 'feed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "COALESCE((SELECT status FROM ugc_overrides WHERE ugc_id = ?), ?), ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET product = excluded.product, position = excluded.position, kind = excluded.kind, "
    "author_name = excluded.author_name, author_verified = excluded.author_verified, "
    "author_influencer = excluded.author_influencer, rating = excluded.rating, title = excluded.title, "
    "body = excluded.body, media = excluded.media, at = excluded.at, helpful = excluded.helpful, "
    "unhelpful = excluded.unhelpful, locale = excluded.locale, source_status = excluded.source_status, "
    "status = excluded.status, spam_points = excluded.spam_points, hash = excluded.hash, retired = 0 "
    "WHERE ugc.origin = 'feed' AND (ugc.hash <> excluded.hash OR ugc.position <> excluded.position OR ugc.retired <> 0) "
    "RETURNING status";

// The columns of an item as shown (product_items): the status decided, the
// votes added to helpful, a shopper's verified-buyer mark as its order
// stands: its token's order is signed, or browser-reported while the store
// sends no signed orders at all (order_proves_purchase).
constexpr const char* kShownItems =
    "SELECT u.id, u.product, u.kind, u.author_name, "
    "CASE WHEN u.origin = 'feed' THEN u.author_verified WHEN u.author_verified = 0 OR o.source IS NULL THEN 0 "
    "WHEN o.source = 'server' THEN 1 WHEN ? = 1 THEN 0 ELSE 1 END, "
    "u.author_influencer, u.rating, u.title, u.body, u.media, u.at, u.helpful + u.votes, u.unhelpful, u.locale, "
    "u.status FROM ugc u LEFT JOIN reviews r ON r.id = u.id LEFT JOIN orders o ON o.order_id = r.order_id ";

Ugc shown_item(const SqlRow& r) {
  Ugc u;
  u.id = r.text(0);
  u.product = r.text(1);
  u.kind = kind_named(r.text(2)).value_or(UgcKind::Review);
  u.author.name = r.text(3);
  u.author.verified_buyer = r.integer(4) != 0;
  if (!r.is_null(5)) u.author.influencer = r.text(5);
  if (!r.is_null(6)) u.rating = static_cast<int>(r.integer(6));
  u.title = r.text(7);
  u.body = r.text(8);
  u.media = media_of(r.text(9));
  u.at = r.integer(10);
  u.helpful = r.integer(11);
  u.unhelpful = r.integer(12);
  u.locale = r.text(13);
  u.status = status_named(r.text(14));
  return u;
}

bool any_server_order(SqlConnection& c) {
  return first_integer(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM orders WHERE source = 'server') THEN 1 ELSE 0 END",
                       {}) != 0;
}

}  // namespace

std::string_view section_name(FeedSection section) {
  switch (section) {
    case FeedSection::Store: return "store";
    case FeedSection::Products: return "products";
    case FeedSection::Influencers: return "influencers";
    case FeedSection::Endorsements: return "endorsements";
    case FeedSection::Ugc: return "ugc";
  }
  return "";
}

void add_to_rating_totals(SqlConnection& c, RatingShare delta) {
  if (delta.sum == 0 && delta.count == 0) return;
  c.run("UPDATE meta SET value = value + ? WHERE key = 'rating_sum'", {delta.sum});
  c.run("UPDATE meta SET value = value + ? WHERE key = 'rating_count'", {delta.count});
}

void mark_products_changed(SqlConnection& c, const std::vector<std::string>& products) {
  for (const auto& product : products)
    c.run("INSERT INTO product_documents (product) VALUES (?) "
          "ON CONFLICT (product) DO UPDATE SET changed = product_documents.changed + 1",
          {product});
}

bool set_shown_status(SqlConnection& c, const std::string& ugc_id, const std::string& status) {
  auto before = item_state(c, ugc_id);
  if (!before) return false;
  if (before->status == status) return true;
  c.run("UPDATE ugc SET status = ? WHERE id = ?", {status, ugc_id});
  RatingShare was = rating_share(before->status, before->rating, before->retired);
  RatingShare is = rating_share(status, before->rating, before->retired);
  add_to_rating_totals(c, {is.sum - was.sum, is.count - was.count});
  mark_products_changed(c, {before->product});
  return true;
}

void insert_shopper_item(SqlConnection& c, const Ugc& u, std::int64_t sequence) {
  c.run("INSERT INTO ugc (id, product, origin, position, kind, author_name, author_verified, author_influencer, rating, "
        "title, body, media, at, helpful, unhelpful, locale, source_status, status, spam_points, hash) "
        "VALUES (?, ?, 'shopper', ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 0, 0, ?, ?, "
        "COALESCE((SELECT status FROM ugc_overrides WHERE ugc_id = ?), ?), 0, '') ON CONFLICT (id) DO NOTHING",
        {u.id, u.product, sequence, std::string(to_string(u.kind)), u.author.name, u.author.verified_buyer ? 1 : 0,
         u.rating ? SqlValue(*u.rating) : SqlValue(nullptr), u.title, u.body, media_json(u.media), u.at, u.locale,
         std::string(to_string(u.status)), u.id, std::string(to_string(u.status))});
  std::string status;
  c.run("SELECT status FROM ugc WHERE id = ?", {u.id}, [&](const SqlRow& r) { status = r.text(0); });
  add_to_rating_totals(c, rating_share(status, u.rating, false));
  mark_products_changed(c, {u.product});
}

void redact_shopper_items(SqlConnection& c) {
  const std::string redacted =
      "FROM ugc WHERE origin = 'shopper' AND author_name <> 'Anonymous' "
      "AND id IN (SELECT id FROM reviews WHERE author_name = 'Anonymous')";
  std::vector<std::string> products;
  c.run("SELECT DISTINCT product " + redacted, {}, [&](const SqlRow& r) { products.push_back(r.text(0)); });
  c.run("UPDATE ugc SET author_name = 'Anonymous' WHERE id IN (SELECT id " + redacted + ")");
  mark_products_changed(c, products);
}

void erase_shopper_items(SqlConnection& c) {
  std::vector<std::string> products;
  c.run("SELECT DISTINCT product FROM ugc WHERE origin = 'shopper' OR votes <> 0", {},
        [&](const SqlRow& r) { products.push_back(r.text(0)); });
  c.run("DELETE FROM ugc WHERE origin = 'shopper'");
  c.run("DELETE FROM helpful_votes");
  c.run("UPDATE ugc SET votes = 0 WHERE votes <> 0");
  // The store's published ratings lose the shoppers' share: counted again.
  const std::string published = "FROM ugc WHERE retired = 0 AND status = 'published' AND rating IS NOT NULL";
  c.run("UPDATE meta SET value = (SELECT COALESCE(SUM(rating), 0) " + published + ") WHERE key = 'rating_sum'");
  c.run("UPDATE meta SET value = (SELECT COUNT(*) " + published + ") WHERE key = 'rating_count'");
  mark_products_changed(c, products);
}

std::vector<std::optional<StoredVersion>> SqlStore::stored_versions(FeedSection section,
                                                                    const std::vector<std::string>& ids) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<std::optional<StoredVersion>> out(ids.size());
    const bool ugc = section == FeedSection::Ugc;
    const std::string sql = ugc ? "SELECT hash, position, retired FROM ugc WHERE id = ? AND origin = 'feed'"
                                : "SELECT hash, position, retired FROM catalogue WHERE section = ? AND id = ?";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::vector<SqlValue> params = ugc ? std::vector<SqlValue>{ids[i]}
                                         : std::vector<SqlValue>{std::string(section_name(section)), ids[i]};
      c.run(sql, params, [&](const SqlRow& r) { out[i] = StoredVersion{r.text(0), r.integer(1), r.integer(2) != 0}; });
    }
    return out;
  });
}

std::int64_t SqlStore::write_catalogue(const std::vector<CatalogueElement>& elements) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::int64_t written = 0;
    std::set<std::string> products;
    bool store_changed = false;
    for (const CatalogueElement& e : elements) {
      std::string old_product;
      if (e.section == FeedSection::Endorsements)
        c.run("SELECT product FROM catalogue WHERE section = 'endorsements' AND id = ?", {e.id},
              [&](const SqlRow& r) { old_product = r.text(0); });
      bool has_refs = e.section == FeedSection::Endorsements;
      std::int64_t changed = c.run(
          "INSERT INTO catalogue (section, id, position, product, influencer, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (section, id) DO UPDATE SET position = excluded.position, product = excluded.product, "
          "influencer = excluded.influencer, body = excluded.body, hash = excluded.hash, retired = 0 "
          "WHERE catalogue.hash <> excluded.hash OR catalogue.position <> excluded.position OR catalogue.retired <> 0",
          {std::string(section_name(e.section)), e.id, e.position,
           has_refs ? SqlValue(e.product) : SqlValue(nullptr), has_refs ? SqlValue(e.influencer) : SqlValue(nullptr),
           e.body, e.hash});
      if (changed == 0) continue;
      ++written;
      switch (e.section) {
        case FeedSection::Store: store_changed = true; break;
        case FeedSection::Products: products.insert(e.id); break;
        case FeedSection::Endorsements:
          products.insert(e.product);
          if (!old_product.empty()) products.insert(old_product);
          break;
        case FeedSection::Influencers: mark_influencer_products(c, e.id); break;
        case FeedSection::Ugc: break;
      }
    }
    mark_products_changed(c, {products.begin(), products.end()});
    if (store_changed) c.run("UPDATE product_documents SET changed = changed + 1");
    if (written > 0) c.run("UPDATE meta SET value = value + 1 WHERE key = 'catalogue_version'");
    return written;
  });
}

std::int64_t SqlStore::write_feed_ugc(const std::vector<ImportedUgc>& items) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::int64_t written = 0;
    std::set<std::string> products;
    RatingShare delta;
    for (const ImportedUgc& in : items) {
      const Ugc& u = in.item;
      auto before = item_state(c, u.id);
      if (before && before->origin != "feed") continue;  // a shopper's review has this id: it stays
      std::string status = std::string(to_string(u.status));
      std::optional<std::string> shown;
      c.run(kUpsertFeedItem,
            {u.id, u.product, in.position, std::string(to_string(u.kind)), u.author.name,
             u.author.verified_buyer ? 1 : 0, optional_value(u.author.influencer),
             u.rating ? SqlValue(*u.rating) : SqlValue(nullptr), u.title, u.body, media_json(u.media), u.at,
             u.helpful, u.unhelpful, u.locale, status, u.id, status, in.spam_points, in.hash},
            [&](const SqlRow& r) { shown = r.text(0); });
      if (!shown) continue;  // unchanged
      ++written;
      RatingShare was = before ? rating_share(before->status, before->rating, before->retired) : RatingShare{};
      RatingShare is = rating_share(*shown, u.rating ? std::optional<std::int64_t>(*u.rating) : std::nullopt, false);
      delta.sum += is.sum - was.sum;
      delta.count += is.count - was.count;
      products.insert(u.product);
      if (before) products.insert(before->product);
    }
    add_to_rating_totals(c, delta);
    mark_products_changed(c, {products.begin(), products.end()});
    return written;
  });
}

void SqlStore::live_ids(FeedSection section, const std::function<void(const std::string&)>& each) {
  in_transaction(*db_, false, [&](SqlConnection& c) {
    if (section == FeedSection::Ugc)
      c.run("SELECT id FROM ugc WHERE origin = 'feed' AND retired = 0", {}, [&](const SqlRow& r) { each(r.text(0)); });
    else
      c.run("SELECT id FROM catalogue WHERE section = ? AND retired = 0", {std::string(section_name(section))},
            [&](const SqlRow& r) { each(r.text(0)); });
  });
}

std::int64_t SqlStore::retire(FeedSection section, const std::vector<std::string>& ids) {
  return in_transaction(*db_, true, [&](SqlConnection& c) {
    std::int64_t written = 0;
    std::set<std::string> products;
    RatingShare delta;
    for (const auto& id : ids) {
      if (section == FeedSection::Ugc) {
        auto before = item_state(c, id);
        if (!before || c.run("UPDATE ugc SET retired = 1 WHERE id = ? AND origin = 'feed' AND retired = 0", {id}) == 0)
          continue;
        RatingShare was = rating_share(before->status, before->rating, before->retired);
        delta.sum -= was.sum;
        delta.count -= was.count;
        products.insert(before->product);
      } else {
        std::string product;
        c.run("SELECT product FROM catalogue WHERE section = ? AND id = ?", {std::string(section_name(section)), id},
              [&](const SqlRow& r) { product = r.is_null(0) ? "" : r.text(0); });
        if (c.run("UPDATE catalogue SET retired = 1 WHERE section = ? AND id = ? AND retired = 0",
                  {std::string(section_name(section)), id}) == 0)
          continue;
        if (section == FeedSection::Products) products.insert(id);
        if (section == FeedSection::Endorsements) products.insert(product);
        if (section == FeedSection::Influencers) mark_influencer_products(c, id);
      }
      ++written;
    }
    add_to_rating_totals(c, delta);
    mark_products_changed(c, {products.begin(), products.end()});
    if (written > 0 && section != FeedSection::Ugc)
      c.run("UPDATE meta SET value = value + 1 WHERE key = 'catalogue_version'");
    return written;
  });
}

void SqlStore::record_import(const ImportRecord& record) {
  in_transaction(*db_, true, [&](SqlConnection& c) {
    c.run("INSERT INTO imports (file, file_sha256, started_at, finished_at, summary) VALUES (?, ?, ?, ?, ?)",
          {record.file, record.file_sha256, record.started_at, record.finished_at, record.summary.dump()});
  });
}

std::optional<ImportRecord> SqlStore::last_import() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<ImportRecord> out;
    c.run("SELECT file, file_sha256, started_at, finished_at, summary FROM imports ORDER BY seq DESC LIMIT 1", {},
          [&](const SqlRow& r) {
            out = ImportRecord{r.text(0), r.text(1), r.integer(2), r.integer(3), json::parse(r.text(4), nullptr, false)};
          });
    return out;
  });
}

std::int64_t SqlStore::catalogue_version() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT value FROM meta WHERE key = 'catalogue_version'", {});
  });
}

void SqlStore::catalogue_bodies(FeedSection section, const std::function<void(const std::string&)>& each) {
  in_transaction(*db_, false, [&](SqlConnection& c) {
    c.run("SELECT body FROM catalogue WHERE section = ? AND retired = 0 ORDER BY position",
          {std::string(section_name(section))}, [&](const SqlRow& r) { each(r.text(0)); });
  });
}

std::optional<std::string> SqlStore::store_body() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<std::string> out;
    c.run("SELECT body FROM catalogue WHERE section = 'store' AND retired = 0", {},
          [&](const SqlRow& r) { out = r.text(0); });
    return out;
  });
}

std::optional<std::string> SqlStore::product_body(const std::string& id) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::optional<std::string> out;
    c.run("SELECT body FROM catalogue WHERE section = 'products' AND id = ? AND retired = 0", {id},
          [&](const SqlRow& r) { out = r.text(0); });
    return out;
  });
}

std::vector<std::string> SqlStore::endorsement_bodies(const std::string& product) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<std::string> out;
    c.run("SELECT body FROM catalogue WHERE section = 'endorsements' AND product = ? AND retired = 0 "
          "ORDER BY position",
          {product}, [&](const SqlRow& r) { out.push_back(r.text(0)); });
    return out;
  });
}

std::vector<std::string> SqlStore::influencer_bodies(const std::vector<std::string>& ids) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<std::pair<std::int64_t, std::string>> found;
    for (const auto& id : std::set<std::string>(ids.begin(), ids.end()))
      c.run("SELECT position, body FROM catalogue WHERE section = 'influencers' AND id = ? AND retired = 0", {id},
            [&](const SqlRow& r) { found.emplace_back(r.integer(0), r.text(1)); });
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& [position, body] : found) out.push_back(std::move(body));
    return out;
  });
}

std::vector<Ugc> SqlStore::product_items(const std::string& product) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<Ugc> out;
    c.run(std::string(kShownItems) + "WHERE u.product = ? AND u.retired = 0 ORDER BY u.origin, u.position",
          {any_server_order(c) ? 1 : 0, product}, [&](const SqlRow& r) { out.push_back(shown_item(r)); });
    return out;
  });
}

std::vector<Ugc> SqlStore::items_with_status(UgcStatus status, int limit) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    std::vector<Ugc> out;
    c.run(std::string(kShownItems) + "WHERE u.status = ? AND u.retired = 0 ORDER BY u.at DESC, u.id LIMIT ?",
          {any_server_order(c) ? 1 : 0, std::string(to_string(status)), limit},
          [&](const SqlRow& r) { out.push_back(shown_item(r)); });
    return out;
  });
}

std::int64_t SqlStore::count_with_status(UgcStatus status) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT COUNT(*) FROM ugc WHERE status = ? AND retired = 0",
                         {std::string(to_string(status))});
  });
}

bool SqlStore::item_exists(const std::string& id) {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return first_integer(c, "SELECT COUNT(*) FROM ugc WHERE id = ? AND retired = 0", {id}) > 0;
  });
}

RatingTotals SqlStore::rating_totals() {
  return in_transaction(*db_, false, [&](SqlConnection& c) {
    return RatingTotals{first_integer(c, "SELECT value FROM meta WHERE key = 'rating_sum'", {}),
                        first_integer(c, "SELECT value FROM meta WHERE key = 'rating_count'", {})};
  });
}

}  // namespace vouch::server
