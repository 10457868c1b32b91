#pragma once
// Reading a contract's fields from a recorded value (input/json_tape.hpp):
// the one place where "required", "a string", "an integer from 1 to 5", "an
// amount", "an RFC 3339 time", "a currency", "a URL", "an id" are decided and
// worded. Each contract (feed, review, touch, order, refund, config, query,
// brief, event) names the faults in its own codes (a Vocabulary) and chooses
// its error policy: the first fault, or every fault up to a cap.
//
// Messages name the field by its path ("ugc[3].rating", "events[0].at"; the
// whole document is "the <contract>") and say what was expected and what came:
// "ugc[3].rating must be an integer from 1 to 5, got \"five\"".
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/money.hpp"
#include "common/time.hpp"
#include "input/json_tape.hpp"
#include "input/rules.hpp"

namespace vouch {

// The faults the shared rules find.
enum class Fault : std::uint8_t {
  MissingField,  // absent, null, or an empty required string
  InvalidType,   // the wrong JSON type (a fraction where an integer goes is one)
  InvalidValue,  // the right type, not an allowed value
  OutOfRange,    // a number outside its range
  InvalidUrl,    // a URL the widget must not render
  InvalidTime,   // not an RFC 3339 time, or too far ahead
  TooLong,       // a string over its length
};
inline constexpr std::size_t kFaultKinds = 7;

// A contract's codes: "<prefix>.<name of the fault>".
struct Vocabulary {
  std::string_view prefix;
  std::array<std::string_view, kFaultKinds> names;
};

enum class FaultPolicy {
  First,  // keep the first fault (a query, a brief, a touch, an order, an event)
  All,    // keep every fault up to max_errors (a feed, a review a shopper writes)
};

class Faults {
  static const Vocabulary kNoVocabulary;

 public:
  Faults(const Vocabulary& vocabulary, FaultPolicy policy, std::size_t max_errors = 100)
      : vocabulary_(&vocabulary), policy_(policy), max_errors_(max_errors) {}
  // For a reader that names its own vocabulary (use()).
  explicit Faults(FaultPolicy policy, std::size_t max_errors = 100) : Faults(kNoVocabulary, policy, max_errors) {}

  void add(Fault fault, std::string path, std::string message);
  // A contract's own fault: "<prefix>.<name>".
  void add(std::string_view name, std::string path, std::string message);
  void add(Error error);

  bool any() const { return !errors_.empty(); }
  // No more faults are kept (the first, or the cap).
  bool full() const { return policy_ == FaultPolicy::First ? !errors_.empty() : errors_.size() >= max_errors_; }
  bool truncated() const { return truncated_; }
  // Every fault added, kept or not: whether a part read had one.
  std::size_t added() const { return added_; }
  void set_truncated() { truncated_ = true; }
  const std::vector<Error>& errors() const { return errors_; }
  std::vector<Error> take() { return std::move(errors_); }
  // Throws the first fault as a VouchException when there is one.
  void throw_first() const;

  const Vocabulary& vocabulary() const { return *vocabulary_; }
  void use(const Vocabulary& vocabulary) { vocabulary_ = &vocabulary; }

 private:
  const Vocabulary* vocabulary_;
  FaultPolicy policy_;
  std::size_t max_errors_;
  std::vector<Error> errors_;
  std::size_t added_ = 0;
  bool truncated_ = false;
};

// Faults in `vocabulary` until the end of the scope: a contract's reader
// names its faults in its own codes, and a contract read inside another (a
// touch inside an event) gives the outer one its codes back after.
class VocabularyScope {
 public:
  VocabularyScope(Faults& faults, const Vocabulary& vocabulary) : faults_(faults), saved_(&faults.vocabulary()) {
    faults.use(vocabulary);
  }
  ~VocabularyScope() { faults_.use(*saved_); }
  VocabularyScope(const VocabularyScope&) = delete;
  VocabularyScope& operator=(const VocabularyScope&) = delete;

 private:
  Faults& faults_;
  const Vocabulary* saved_;
};

// "/ugc/3" + "rating" -> "/ugc/3/rating" (the key escaped as RFC 6901 says).
std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, std::size_t index);

// How an enumeration's choices read: "\"a\", \"b\" or \"c\"".
std::string choices_text(std::initializer_list<std::string_view> names);

// Reads fields by the shared rules, reporting each fault to `faults` and
// returning a safe value, so that a reader goes on to the next field.
class FieldReader {
 public:
  explicit FieldReader(Faults& faults) : faults_(&faults) {}
  Faults& faults() const { return *faults_; }
  void report_to(Faults& faults) { faults_ = &faults; }

  // The field in messages: "ugc[3].rating", "the query" for the document.
  std::string name(const std::string& path) const;
  void fail(Fault fault, const std::string& path, const std::string& what);   // "<name> <what>"
  void wrong_type(const std::string& path, const JsonValue& value, std::string_view expected);
  // "<name> must be <expected>, got <got>"
  void fail_got(Fault fault, const std::string& path, std::string_view expected, const std::string& got);
  bool expect_object(const JsonValue& value, const std::string& path);

  // The member, or nullopt when absent or null (reported when required).
  std::optional<JsonValue> member(const JsonValue& object, const std::string& path, std::string_view key,
                                  bool required);

  // A string of at most max_bytes. A required one must not be empty. text()
  // points into the record.
  std::string_view text(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                        std::size_t max_bytes = SIZE_MAX, std::string_view fallback = {});
  std::string string(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                     std::string_view fallback = {}, std::size_t max_bytes = SIZE_MAX) {
    return std::string(text(object, path, key, required, max_bytes, fallback));
  }
  // A string, or nullopt when absent or null.
  std::optional<std::string> optional_string(const JsonValue& object, const std::string& path, std::string_view key,
                                             std::size_t max_bytes = SIZE_MAX);
  // A string following a character rule ("" when absent).
  std::string identifier(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                         const CharacterRule& rule);
  // The rule on a value read already; "" and valid values pass.
  void characters(const std::string& path, const std::string& value, const CharacterRule& rule);
  // An id a store may also write as an integer: 1001 and "1001" are the same.
  std::string id_or_integer(const JsonValue& object, const std::string& path, std::string_view key,
                            std::size_t max_bytes);

  // An integer (no fraction, no exponent) from min to max.
  std::optional<std::int64_t> optional_integer(const JsonValue& object, const std::string& path,
                                               std::string_view key, bool required, std::int64_t min,
                                               std::int64_t max);
  std::int64_t integer(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                       std::int64_t min, std::int64_t max, std::int64_t fallback = 0) {
    return optional_integer(object, path, key, required, min, max).value_or(fallback);
  }
  // A number from min to max; the value itself, at `path`.
  std::optional<double> number(const JsonValue& value, const std::string& path, double min, double max);
  std::optional<double> optional_number(const JsonValue& object, const std::string& path, std::string_view key,
                                        bool required, double min, double max);
  // Any number.
  std::optional<double> optional_number(const JsonValue& object, const std::string& path, std::string_view key,
                                        bool required);
  std::optional<bool> optional_boolean(const JsonValue& object, const std::string& path, std::string_view key);
  bool boolean(const JsonValue& object, const std::string& path, std::string_view key, bool fallback) {
    return optional_boolean(object, path, key).value_or(fallback);
  }

  // An RFC 3339 date-time (or, date_allowed, a full date read as midnight
  // UTC), not later than `latest`.
  std::optional<Timestamp> optional_time(const JsonValue& object, const std::string& path, std::string_view key,
                                         bool required, bool date_allowed = false,
                                         std::optional<Timestamp> latest = std::nullopt);
  Timestamp time(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                 bool date_allowed = false) {
    return optional_time(object, path, key, required, date_allowed).value_or(0);
  }

  // An ISO 4217 code; `fallback` when absent or refused.
  std::string currency(const JsonValue& object, const std::string& path, std::string_view key, bool required,
                       const std::string& fallback);
  // An amount of `currency` in minor units, rounded half away from zero.
  // Never below zero unless negative_allowed (a refund's value): -0.001 is
  // refused although it rounds to 0.
  std::optional<std::int64_t> amount(const JsonValue& object, const std::string& path, std::string_view key,
                                     bool required, std::string_view currency, bool negative_allowed = false);

  // http(s) or a site path; "" when absent or refused.
  std::string url(const JsonValue& object, const std::string& path, std::string_view key, bool required);
  // A language tag; `fallback` when absent or refused.
  std::string language(const JsonValue& object, const std::string& path, std::string_view key,
                       std::string_view fallback);

  // The member when it is an array (a fault when it is anything else).
  std::optional<JsonValue> array(const JsonValue& object, const std::string& path, std::string_view key,
                                 bool required);

  // One of `names`; its index, or nullopt (absent, or reported). A string
  // that is none of them is Fault::InvalidValue, or the contract's own
  // `unknown_name` ("invalid_model").
  std::optional<std::size_t> choice(const JsonValue& object, const std::string& path, std::string_view key,
                                    bool required, std::initializer_list<std::string_view> names,
                                    std::string_view unknown_name = {});

  // An array of non-empty strings.
  std::vector<std::string> string_list(const JsonValue& object, const std::string& path, std::string_view key);

 private:
  Faults* faults_;
};

// Vocabularies of the contracts of the core.
extern const Vocabulary kFeedVocabulary;    // feed.*
extern const Vocabulary kReviewVocabulary;  // review.*: a review read by the feed's UGC rules

}  // namespace vouch
