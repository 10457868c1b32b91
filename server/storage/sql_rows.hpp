#pragma once
// Reading rows, as every part of SqlStore does (sql_store.cpp, sql_portal.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

}  // namespace vouch::server
