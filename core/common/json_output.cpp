#include "common/json_output.hpp"

#include "common/text.hpp"

#include <charconv>
#include <cmath>

namespace vouch {

void put(nlohmann::json& object, const char* key, nlohmann::json value) { object[key] = std::move(value); }

void put_string(nlohmann::json& object, const char* key, std::string_view value) {
  put(object, key, std::string(value));
}

void put_string_or_null(nlohmann::json& object, const char* key, const std::string* value) {
  put(object, key, value ? nlohmann::json(*value) : nlohmann::json(nullptr));
}

void put_int(nlohmann::json& object, const char* key, std::int64_t value) { put(object, key, value); }

void put_bool(nlohmann::json& object, const char* key, bool value) { put(object, key, value); }

void put_number(nlohmann::json& object, const char* key, double value) { put(object, key, value); }

void put_score(nlohmann::json& object, const char* key, double value) { put(object, key, round_score(value)); }

void put_score_or_null(nlohmann::json& object, const char* key, const std::optional<double>& value) {
  put(object, key, value ? nlohmann::json(round_score(*value)) : nlohmann::json(nullptr));
}

void put_strings(nlohmann::json& object, const char* key, const std::vector<std::string>& values) {
  put(object, key, values);
}

}  // namespace vouch

namespace vouch {

void JsonWriter::separate() {
  if (!first_) out_ += ',';
  first_ = false;
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view key) {
  string(key);
  out_ += ':';
  first_ = true;  // the value follows without a comma
  return *this;
}

// nlohmann's escapes with ensure_ascii off: the two-character ones, \u00xx
// (lower-case hex) for the other control characters, every other byte as is.
JsonWriter& JsonWriter::string(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  separate();
  out_ += '"';
  std::size_t plain = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(value.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
    }
  }
  out_.append(value.substr(plain));
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  separate();
  if (!std::isfinite(value)) {
    out_ += "null";
    return *this;
  }
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
  separate();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& values) {
  begin_array();
  for (const auto& v : values) string(v);
  return end_array();
}

}  // namespace vouch
