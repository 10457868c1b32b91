#include "input/fields.hpp"

#include <cmath>

#include "common/decimal_conversion.hpp"
#include "common/text.hpp"

namespace vouch {

const Vocabulary kFeedVocabulary = {
    "feed",
    {"missing_field", "invalid_type", "invalid_value", "out_of_range", "invalid_url", "invalid_value", "invalid_value"}};
const Vocabulary kReviewVocabulary = {
    "review", {"missing_field", "invalid_type", "invalid_value", "out_of_range", "invalid_url", "invalid_value", "too_long"}};

// --- faults ---

const Vocabulary Faults::kNoVocabulary = {"input", {"missing_field", "invalid_type", "invalid_value", "out_of_range",
                                                     "invalid_url", "invalid_time", "too_long"}};

void Faults::add(Error error) {
  ++added_;
  if (full()) {
    if (policy_ == FaultPolicy::All) truncated_ = true;
    return;
  }
  errors_.push_back(std::move(error));
}

void Faults::add(Fault fault, std::string path, std::string message) {
  add(vocabulary_->names[static_cast<std::size_t>(fault)], std::move(path), std::move(message));
}

void Faults::add(std::string_view name, std::string path, std::string message) {
  ++added_;
  if (full()) {
    if (policy_ == FaultPolicy::All) truncated_ = true;
    return;
  }
  std::string code(vocabulary_->prefix);
  code += '.';
  code += name;
  errors_.push_back({std::move(code), std::move(path), std::move(message)});
}

void Faults::throw_first() const {
  if (!errors_.empty()) throw_error(errors_.front());
}

// --- paths and words ---

std::string child_path(const std::string& path, std::string_view key) {
  return path + "/" + json_pointer_token(std::string(key));
}

std::string child_path(const std::string& path, std::size_t index) { return path + "/" + std::to_string(index); }

std::string choices_text(std::initializer_list<std::string_view> names) {
  std::string out;
  std::size_t i = 0;
  for (std::string_view name : names) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += "\"";
    out += name;
    out += "\"";
    ++i;
  }
  return out;
}

namespace {

// A bound as people write it: 1000000000000, not 1e+12.
std::string number_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<std::int64_t>(value));
  return format_general(value, 6);
}

std::string integer_range(std::int64_t min, std::int64_t max) {
  return max == INT64_MAX ? "an integer of at least " + std::to_string(min)
                          : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

constexpr std::string_view kTimeExpected = "an RFC 3339 time such as 2026-10-02T17:00:00Z";
constexpr std::string_view kDateExpected = "an RFC 3339 date or time such as 2026-10-02";
constexpr std::string_view kCurrencyExpected = "an ISO 4217 code such as USD";
constexpr std::string_view kUrlExpected = "an http(s) URL or a path starting with \"/\"";

}  // namespace

std::string FieldReader::name(const std::string& path) const {
  return path.empty() ? "the " + std::string(faults_->vocabulary().prefix) : readable_path(path);
}

void FieldReader::fail(Fault fault, const std::string& path, const std::string& what) {
  if (faults_->full()) {
    faults_->add(fault, path, {});  // not kept: only noted as truncated
    return;
  }
  faults_->add(fault, path, name(path) + " " + what);
}

void FieldReader::fail_got(Fault fault, const std::string& path, std::string_view expected, const std::string& got) {
  std::string what = "must be ";
  what.append(expected).append(", got ").append(got);
  fail(fault, path, what);
}

void FieldReader::wrong_type(const std::string& path, const JsonValue& value, std::string_view expected) {
  fail_got(Fault::InvalidType, path, expected, describe_json_value(value));
}

bool FieldReader::expect_object(const JsonValue& value, const std::string& path) {
  if (value.is_object()) return true;
  wrong_type(path, value, path.empty() ? "a JSON object" : "an object");
  return false;
}

std::optional<JsonValue> FieldReader::member(const JsonValue& object, const std::string& path, std::string_view key,
                                             bool required) {
  std::optional<JsonValue> v = object.find(key);
  if (v && !v->is_null()) return v;
  if (required) fail(Fault::MissingField, child_path(path, key), "is required");
  return std::nullopt;
}

std::string_view FieldReader::text(const JsonValue& object, const std::string& path, std::string_view key,
                                   bool required, std::size_t max_bytes, std::string_view fallback) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return fallback;
  if (!v->is_string()) {
    wrong_type(child_path(path, key), *v, "a string");
    return fallback;
  }
  std::string_view s = v->string();
  if (required && s.empty()) fail(Fault::MissingField, child_path(path, key), "must not be empty");
  if (s.size() > max_bytes) {
    fail(Fault::TooLong, child_path(path, key), "must be at most " + std::to_string(max_bytes) + " bytes long");
    return fallback;
  }
  return s;
}

std::optional<std::string> FieldReader::optional_string(const JsonValue& object, const std::string& path,
                                                        std::string_view key, std::size_t max_bytes) {
  std::optional<JsonValue> v = member(object, path, key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    wrong_type(child_path(path, key), *v, "a string or null");
    return std::nullopt;
  }
  if (v->string().size() > max_bytes) {
    fail(Fault::TooLong, child_path(path, key), "must be at most " + std::to_string(max_bytes) + " bytes long");
    return std::nullopt;
  }
  return std::string(v->string());
}

void FieldReader::characters(const std::string& path, const std::string& value, const CharacterRule& rule) {
  if (value.empty() || follows(rule, value)) return;
  fail(Fault::InvalidValue, path,
       "must be " + std::string(rule.description) + (value[0] == '@' ? " (without the @)" : "") + ", got " +
           quote_for_message(value));
}

std::string FieldReader::identifier(const JsonValue& object, const std::string& path, std::string_view key,
                                   bool required, const CharacterRule& rule) {
  std::string id = string(object, path, key, required);
  characters(child_path(path, key), id, rule);
  return id;
}

std::string FieldReader::id_or_integer(const JsonValue& object, const std::string& path, std::string_view key,
                                       std::size_t max_bytes) {
  if (std::optional<JsonValue> v = object.find(key); v && v->is_integer()) return v->scalar_text();
  return string(object, path, key, true, {}, max_bytes);
}

std::optional<std::int64_t> FieldReader::optional_integer(const JsonValue& object, const std::string& path,
                                                          std::string_view key, bool required, std::int64_t min,
                                                          std::int64_t max) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  // The path and the range's words only when there is a fault to report.
  if (!v->is_integer()) {
    wrong_type(child_path(path, key), *v, integer_range(min, max));
    return std::nullopt;
  }
  // nlohmann reads a non-negative integer as unsigned: its lower bound counts
  // too (a rating of 0 was once taken for "no rating").
  bool in_range = v->is_unsigned()
                      ? v->unsigned_integer() <= static_cast<std::uint64_t>(max) &&
                            (min <= 0 || v->unsigned_integer() >= static_cast<std::uint64_t>(min))
                      : v->integer() >= min && v->integer() <= max;
  if (!in_range) {
    fail_got(Fault::OutOfRange, child_path(path, key), integer_range(min, max), v->scalar_text());
    return std::nullopt;
  }
  return v->integer();
}

std::optional<double> FieldReader::number(const JsonValue& value, const std::string& path, double min, double max) {
  auto expected = [&] { return "a number from " + number_text(min) + " to " + number_text(max); };
  if (!value.is_number()) {
    wrong_type(path, value, expected());
    return std::nullopt;
  }
  double d = value.number();
  if (!(d >= min && d <= max)) {
    fail_got(Fault::OutOfRange, path, expected(), value.scalar_text());
    return std::nullopt;
  }
  return d;
}

std::optional<double> FieldReader::optional_number(const JsonValue& object, const std::string& path,
                                                   std::string_view key, bool required, double min, double max) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  return number(*v, child_path(path, key), min, max);
}

std::optional<double> FieldReader::optional_number(const JsonValue& object, const std::string& path,
                                                   std::string_view key, bool required) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  if (v->is_number()) return v->number();
  wrong_type(child_path(path, key), *v, "a number");
  return std::nullopt;
}

std::optional<bool> FieldReader::optional_boolean(const JsonValue& object, const std::string& path,
                                                  std::string_view key) {
  std::optional<JsonValue> v = member(object, path, key, false);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    wrong_type(child_path(path, key), *v, "true or false");
    return std::nullopt;
  }
  return v->boolean();
}

std::optional<Timestamp> FieldReader::optional_time(const JsonValue& object, const std::string& path,
                                                    std::string_view key, bool required, bool date_allowed,
                                                    std::optional<Timestamp> latest) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  std::string_view expected = date_allowed ? kDateExpected : kTimeExpected;
  if (!v->is_string()) {
    wrong_type(child_path(path, key), *v, expected);
    return std::nullopt;
  }
  std::string_view s = v->string();
  auto t = parse_rfc3339(s);
  if (!t && date_allowed) t = parse_date(s);
  if (!t) {
    fail_got(Fault::InvalidTime, child_path(path, key), expected, quote_for_message(std::string(s)));
    return std::nullopt;
  }
  if (latest && *t > *latest) {
    fail(Fault::InvalidTime, child_path(path, key), "is too far in the future: " + quote_for_message(std::string(s)));
    return std::nullopt;
  }
  return t;
}

std::string FieldReader::currency(const JsonValue& object, const std::string& path, std::string_view key,
                                  bool required, const std::string& fallback) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return fallback;
  if (!v->is_string()) {
    wrong_type(child_path(path, key), *v, kCurrencyExpected);
    return fallback;
  }
  if (!is_currency_code(v->string())) {
    fail_got(Fault::InvalidValue, child_path(path, key), kCurrencyExpected, quote_for_message(std::string(v->string())));
    return fallback;
  }
  return std::string(v->string());
}

std::optional<std::int64_t> FieldReader::amount(const JsonValue& object, const std::string& path,
                                                std::string_view key, bool required, std::string_view currency,
                                                bool negative_allowed) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    wrong_type(child_path(path, key), *v, "a number");
    return std::nullopt;
  }
  double d = v->number();
  if (d < 0 && !negative_allowed) {
    fail_got(Fault::OutOfRange, child_path(path, key), "a non-negative amount", v->scalar_text());
    return std::nullopt;
  }
  std::optional<std::int64_t> minor = to_minor_units(d, currency);
  if (!minor) fail_got(Fault::OutOfRange, child_path(path, key), "an amount below 10000000000000", v->scalar_text());
  return minor;
}

std::string FieldReader::url(const JsonValue& object, const std::string& path, std::string_view key, bool required) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return {};
  if (!v->is_string()) {
    wrong_type(child_path(path, key), *v, kUrlExpected);
    return {};
  }
  std::string u(v->string());
  if (required && u.empty()) {
    fail(Fault::MissingField, child_path(path, key), "must not be empty");
    return {};
  }
  if (u.empty() || is_link_url(u)) return u;
  fail(Fault::InvalidUrl, child_path(path, key),
       "must be " + std::string(kUrlExpected) + ", " +
           (u.size() > kMaxLinkBytes ? "of at most " + std::to_string(kMaxLinkBytes) + " bytes, got " +
                                           std::to_string(u.size()) + " bytes"
                                     : "got " + quote_for_message(u)));
  return {};
}

std::string FieldReader::language(const JsonValue& object, const std::string& path, std::string_view key,
                                  std::string_view fallback) {
  if (!member(object, path, key, false)) return std::string(fallback);
  std::string tag = string(object, path, key, false, fallback);
  if (tag.empty() || is_language_tag(tag)) return tag;
  fail_got(Fault::InvalidValue, child_path(path, key), kLanguageRule.description, quote_for_message(tag));
  return std::string(fallback);
}

std::optional<JsonValue> FieldReader::array(const JsonValue& object, const std::string& path, std::string_view key,
                                            bool required) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v || v->is_array()) return v;
  wrong_type(child_path(path, key), *v, "an array");
  return std::nullopt;
}

std::optional<std::size_t> FieldReader::choice(const JsonValue& object, const std::string& path,
                                               std::string_view key, bool required,
                                               std::initializer_list<std::string_view> names,
                                               std::string_view unknown_name) {
  std::optional<JsonValue> v = member(object, path, key, required);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    std::size_t i = 0;
    for (std::string_view name : names) {
      if (v->string() == name) return i;
      ++i;
    }
  }
  std::string p = child_path(path, key);
  std::string what = "must be " + std::string(names.size() > 2 ? "one of " : "") + choices_text(names) + ", got " +
                     describe_json_value(*v);
  if (!v->is_string())
    fail(Fault::InvalidType, p, what);
  else if (!unknown_name.empty())
    faults_->add(unknown_name, p, name(p) + " " + what);
  else
    fail(Fault::InvalidValue, p, what);
  return std::nullopt;
}

std::vector<std::string> FieldReader::string_list(const JsonValue& object, const std::string& path,
                                                  std::string_view key) {
  std::vector<std::string> out;
  std::optional<JsonValue> v = member(object, path, key, false);
  if (!v) return out;
  if (!v->is_array()) {
    wrong_type(child_path(path, key), *v, "an array of strings");
    return out;
  }
  out.reserve(v->size());
  std::size_t i = 0;
  for (JsonValue e : v->elements()) {
    if (!e.is_string() || e.string().empty())
      wrong_type(child_path(child_path(path, key), i), e, "a non-empty string");
    else
      out.emplace_back(e.string());
    ++i;
  }
  return out;
}

}  // namespace vouch
