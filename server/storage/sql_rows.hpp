#pragma once
// Small pieces the store's SQL files share (sql_store.cpp, sql_portal.cpp,
// sql_catalogue.cpp): reading rows, and what several areas write.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "records.hpp"
#include "sql.hpp"

namespace vouch::server {

// A JSON column written by this server; a row that does not parse (written by
// hand, or by another version) becomes null, which the report lists as an
// order it cannot attribute rather than failing.
inline nlohmann::json stored_json(const std::string& text) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json(nullptr) : value;
}

// The first column of the first row as an integer, or `otherwise`.
inline std::int64_t first_integer(SqlConnection& c, const std::string& sql, const std::vector<SqlValue>& params,
                                  std::int64_t otherwise = 0) {
  std::int64_t value = otherwise;
  bool seen = false;
  c.run(sql, params, [&](const SqlRow& r) {
    if (!seen && !r.is_null(0)) value = r.integer(0);
    seen = true;
  });
  return value;
}

// A stored touch: the columns kTouchColumns names, in that order.
inline constexpr const char* kTouchColumns = "visitor, at, influencer, code, source, landing, src";
inline TouchRecord touch_of(const SqlRow& r) {
  TouchRecord t;
  t.visitor = r.text(0);
  t.at = r.integer(1);
  t.influencer = r.text(2);
  t.code = r.text(3);
  t.source = r.text(4) == "coupon" ? TouchSource::Coupon : TouchSource::Link;
  t.landing = r.text(5);
  t.src = r.text(6);
  return t;
}

inline UgcStatus status_named(const std::string& name) {
  return name == "published" ? UgcStatus::Published : name == "rejected" ? UgcStatus::Rejected : UgcStatus::Pending;
}

// What an item adds to the store's published ratings.
struct RatingShare {
  std::int64_t sum = 0;
  std::int64_t count = 0;
};
inline RatingShare rating_share(const std::string& status, std::optional<std::int64_t> rating, bool retired) {
  if (retired || status != "published" || !rating) return {};
  return {*rating, 1};
}

// Adds `delta` to the store's published ratings (meta rating_sum, rating_count).
void add_to_rating_totals(SqlConnection& c, RatingShare delta);

// Moves the change counter of these products' documents (the builder
// rebuilds them), creating their rows when missing.
void mark_products_changed(SqlConnection& c, const std::vector<std::string>& products);

// The shown status of an item of any origin changes: the owner's decision.
// Returns whether the item exists (live or retired).
bool set_shown_status(SqlConnection& c, const std::string& ugc_id, const std::string& status);

// Stores a shopper's review as a UGC item (origin shopper, at the review's
// sequence), its status the owner's decision if one was made before.
void insert_shopper_item(SqlConnection& c, const Ugc& item, std::int64_t sequence);

// Privacy requests (PlatformStore): the items of reviews redacted lose their
// author's name too; erasing the shop's shoppers deletes their items and
// votes. Both mark the products shown changed.
void redact_shopper_items(SqlConnection& c);
void erase_shopper_items(SqlConnection& c);

}  // namespace vouch::server
