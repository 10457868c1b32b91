#pragma once
// Setters for the engines' output objects: each field is one call to a plain
// function. nlohmann's initializer lists ({{"key", value}, ...}) expand inline
// into a lot of code per field; built this way the output costs a few bytes a
// field, which is what keeps the wasm engine in its size budget (docs/wasm.md,
// Size). The object's keys are sorted by nlohmann::json, so the order of the
// calls does not change the printed bytes.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vouch {

// `object` must be a JSON object (or null, which becomes one).
void put(nlohmann::json& object, const char* key, nlohmann::json value);
void put_string(nlohmann::json& object, const char* key, std::string_view value);
// null when `value` is null.
void put_string_or_null(nlohmann::json& object, const char* key, const std::string* value);
void put_int(nlohmann::json& object, const char* key, std::int64_t value);
void put_bool(nlohmann::json& object, const char* key, bool value);
// Printed as is (not rounded): money amounts, configured values.
void put_number(nlohmann::json& object, const char* key, double value);
// Through round_score, as every printed score.
void put_score(nlohmann::json& object, const char* key, double value);
// round_score, or null when there is no value.
void put_score_or_null(nlohmann::json& object, const char* key, const std::optional<double>& value);
void put_strings(nlohmann::json& object, const char* key, const std::vector<std::string>& values);

// Writes JSON straight into a string the caller reuses, byte for byte as
// nlohmann's dump() writes the same value (compact; numbers by the same
// shortest round-trip digits; strings escaped the same way, UTF-8 kept): a
// stream of 100,000 results needs no tree of them. The caller writes an
// object's keys in sorted order, as dump() prints them.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view key);
  JsonWriter& string(std::string_view value);
  JsonWriter& number(double value);  // as dump() writes a double: 1.0, 232.97, 1e+21
  JsonWriter& integer(std::int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& strings(const std::vector<std::string>& values);

 private:
  void separate();
  std::string& out_;
  bool first_ = true;  // no value yet in the innermost container
};

}  // namespace vouch
