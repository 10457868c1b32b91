#pragma once
// The input layer's record of JSON: what nlohmann's SAX parser reads is written
// into two flat, reusable buffers (an entry per value or key, and the bytes of
// the strings), never into a tree of nodes. Each contract's reader
// (input/fields.hpp) looks its fields up in a record through JsonValue.
//
// A record is reused: clear() keeps its capacity, so reading a million JSON
// lines, or a feed element by element, allocates nothing per line once the
// buffers have grown. The limits (depth, string and key length, array size)
// are enforced while the parser runs (JsonRecorder): a 100,000-level bomb
// stops at level 33 without recursion.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace vouch {

enum class JsonKind : std::uint8_t { Null, Boolean, Integer, Unsigned, Float, String, Array, Object, Key };

class JsonTape;

// One recorded value: a view, cheap to copy, valid until its record changes.
class JsonValue {
 public:
  JsonValue(const JsonTape& tape, std::uint32_t at) : tape_(&tape), at_(at) {}

  JsonKind kind() const;
  bool is_null() const { return kind() == JsonKind::Null; }
  bool is_boolean() const { return kind() == JsonKind::Boolean; }
  bool is_string() const { return kind() == JsonKind::String; }
  bool is_object() const { return kind() == JsonKind::Object; }
  bool is_array() const { return kind() == JsonKind::Array; }
  bool is_number() const { auto k = kind(); return k == JsonKind::Integer || k == JsonKind::Unsigned || k == JsonKind::Float; }
  // Written without fraction or exponent (the input layer's integer-ness:
  // 3.0 and 3e0 are numbers, not integers).
  bool is_integer() const { auto k = kind(); return k == JsonKind::Integer || k == JsonKind::Unsigned; }
  bool is_unsigned() const { return kind() == JsonKind::Unsigned; }  // an integer >= 0, as nlohmann reads it

  std::string_view string() const;  // strings (and keys)
  bool boolean() const;
  double number() const;             // any number
  std::int64_t integer() const;      // Integer, or Unsigned (wraps above INT64_MAX)
  std::uint64_t unsigned_integer() const;

  // Arrays and objects: elements or members.
  std::size_t size() const;
  // The member `key`, the last one when a key repeats (as nlohmann's tree
  // keeps it); nullopt when absent.
  std::optional<JsonValue> find(std::string_view key) const;

  class Elements;
  class Members;
  Elements elements() const;  // for (JsonValue e : v.elements())
  Members members() const;    // for (auto [key, value] : v.members()), in document order

  // A number, true, false or null as nlohmann's dump() writes it (a string
  // quoted; a container as "an object" or "an array"): for messages and ids
  // written as integers. No tree is built.
  std::string scalar_text() const;
  // The value as nlohmann's tree (the last of repeated keys).
  nlohmann::json to_json() const;

 private:
  friend class JsonTape;
  std::uint32_t next() const;  // the entry after this value
  const JsonTape* tape_;
  std::uint32_t at_;
};

struct JsonMember {
  std::string_view key;
  JsonValue value;
};

class JsonValue::Elements {
 public:
  class iterator {
   public:
    iterator(const JsonTape* tape, std::uint32_t at) : tape_(tape), at_(at) {}
    JsonValue operator*() const { return {*tape_, at_}; }
    iterator& operator++() { at_ = JsonValue(*tape_, at_).next(); return *this; }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }
   private:
    const JsonTape* tape_;
    std::uint32_t at_;
  };
  Elements(const JsonTape* tape, std::uint32_t first, std::uint32_t end) : tape_(tape), first_(first), end_(end) {}
  iterator begin() const { return {tape_, first_}; }
  iterator end() const { return {tape_, end_}; }
 private:
  const JsonTape* tape_;
  std::uint32_t first_, end_;
};

class JsonValue::Members {
 public:
  class iterator {
   public:
    iterator(const JsonTape* tape, std::uint32_t at) : tape_(tape), at_(at) {}
    JsonMember operator*() const { return {JsonValue(*tape_, at_).string(), JsonValue(*tape_, at_ + 1)}; }
    iterator& operator++() { at_ = JsonValue(*tape_, at_ + 1).next(); return *this; }
    bool operator!=(const iterator& other) const { return at_ != other.at_; }
   private:
    const JsonTape* tape_;
    std::uint32_t at_;
  };
  Members(const JsonTape* tape, std::uint32_t first, std::uint32_t end) : tape_(tape), first_(first), end_(end) {}
  iterator begin() const { return {tape_, first_}; }
  iterator end() const { return {tape_, end_}; }
 private:
  const JsonTape* tape_;
  std::uint32_t first_, end_;
};

// How a value reads in a message: strings quoted and cut to a readable
// length, "an object", "an array", null, true, false and numbers as written.
std::string describe_json_value(const JsonValue& value);

// The record: entries of 16 bytes and the strings' bytes.
class JsonTape {
 public:
  void clear() {
    entries_.clear();
    chars_.clear();
  }
  bool empty() const { return entries_.empty(); }
  // The first value recorded (the document, or the element).
  JsonValue root() const { return {*this, 0}; }

 private:
  friend class JsonValue;
  friend class JsonRecorder;
  static constexpr std::uint32_t kKindBits = 4;
  static constexpr std::uint32_t kKindMask = (1u << kKindBits) - 1;
  static constexpr std::size_t kMaxSize = (std::size_t{1} << (32 - kKindBits)) - 1;
  static std::uint32_t size_kind(std::size_t size, JsonKind kind) {
    return static_cast<std::uint32_t>((size < kMaxSize ? size : kMaxSize) << kKindBits) |
           static_cast<std::uint32_t>(kind);
  }
  // Scalars: link = index + 1. Containers: link = the entry after their end,
  // bits of an object = its last key (0: none). Keys: link = the previous key
  // of the object (0: none), so that find() meets the last of repeated keys
  // first. Strings and keys: bits = offset in chars_.
  struct Entry {
    std::uint32_t link;
    std::uint32_t size_kind;  // kind in the low 4 bits; length or count above
    std::uint64_t bits;
  };
  // The open containers while a recorder writes (JsonRecorder::Level), kept
  // here so that a record read again and again allocates nothing.
  struct Level {
    JsonTape* tape;
    std::uint32_t entry;
    std::uint32_t count;     // members or elements so far
    std::uint32_t last_key;  // objects: the current member's key entry
    bool array;
    bool streamed;           // a root member whose elements are streamed
    bool quiet;              // under a key too long to report under
  };
  std::vector<Entry> entries_;
  std::string chars_;
  std::vector<Level> levels_;
};

// Why a text is not JSON, in nlohmann's words.
struct JsonSyntaxError {
  // nlohmann's message from what went wrong on: "unexpected end of input;
  // expected string literal", or "number overflow parsing '1e400'"; valid
  // UTF-8 (a bad byte of the quoted excerpt is U+FFFD).
  std::string detail;
  // The byte the parser stopped at, as nlohmann counts (1 = the first); none
  // for a number beyond double's range.
  std::optional<std::size_t> byte;
};

// The accessors, inline: a reader calls them for every field of every line.
inline JsonKind JsonValue::kind() const {
  return static_cast<JsonKind>(tape_->entries_[at_].size_kind & JsonTape::kKindMask);
}
inline std::uint32_t JsonValue::next() const { return kind() == JsonKind::Key ? at_ + 1 : tape_->entries_[at_].link; }
inline std::string_view JsonValue::string() const {
  const auto& e = tape_->entries_[at_];
  return {tape_->chars_.data() + e.bits, e.size_kind >> JsonTape::kKindBits};
}
inline bool JsonValue::boolean() const { return tape_->entries_[at_].bits != 0; }
inline double JsonValue::number() const {
  const auto& e = tape_->entries_[at_];
  switch (kind()) {
    case JsonKind::Integer: return static_cast<double>(static_cast<std::int64_t>(e.bits));
    case JsonKind::Unsigned: return static_cast<double>(e.bits);
    case JsonKind::Float: {
      double d;
      std::memcpy(&d, &e.bits, sizeof d);
      return d;
    }
    default: return 0;
  }
}
inline std::int64_t JsonValue::integer() const { return static_cast<std::int64_t>(tape_->entries_[at_].bits); }
inline std::uint64_t JsonValue::unsigned_integer() const { return tape_->entries_[at_].bits; }
inline std::size_t JsonValue::size() const { return tape_->entries_[at_].size_kind >> JsonTape::kKindBits; }
inline std::optional<JsonValue> JsonValue::find(std::string_view key) const {
  const auto& entries = tape_->entries_;
  if (kind() != JsonKind::Object) return std::nullopt;
  // From the last key back: the first match is the last of repeated keys.
  const std::uint32_t key_size_kind = JsonTape::size_kind(key.size(), JsonKind::Key);
  for (auto k = static_cast<std::uint32_t>(entries[at_].bits); k != 0; k = entries[k].link) {
    const auto& e = entries[k];
    if (e.size_kind != key_size_kind) continue;
    const char* a = tape_->chars_.data() + e.bits;
    std::size_t i = 0;  // keys are short: compared here, not in memcmp
    while (i < key.size() && a[i] == key[i]) ++i;
    if (i == key.size()) return JsonValue(*tape_, k + 1);
  }
  return std::nullopt;
}

// The limits the recorder enforces while the parser runs.
struct JsonLimits {
  std::size_t max_depth = 32;
  std::size_t max_string_bytes = 1u << 28;  // any one string or key
  std::size_t max_items = SIZE_MAX;         // elements of any one array
};

// Streams the elements of chosen arrays of the root object (a feed's
// sections, a batch's events) instead of recording them whole: each element
// is recorded alone into `element_tape()`, handed over when complete, and
// cleared. The root's record keeps, for such an array, an empty array.
class JsonElementStream {
 public:
  virtual ~JsonElementStream() = default;
  // Whether the root object's member `key`, an array, is streamed.
  virtual bool streams(std::string_view key) = 0;
  virtual JsonTape& element_tape() = 0;
  // One complete element; returns false to stop the parse.
  virtual bool element(std::string_view key, std::size_t index, JsonValue value) = 0;
  // A member of the root object that is not streamed, complete, in the
  // root's record (a feed's store, read before the sections after it); false
  // stops the parse.
  virtual bool member(std::string_view /*key*/, JsonValue /*value*/) { return true; }
};

// nlohmann's SAX interface writing into a JsonTape. A fault of a limit is
// reported to `limit_faults` (code "<prefix>.string_too_long" or
// "<prefix>.too_large", with the JSON Pointer of the value) and the parse goes
// on, or, without it, stops the parse; too deep always stops it.
class JsonRecorder {
 public:
  using string_t = nlohmann::json::string_t;

  JsonRecorder(JsonTape& tape, const JsonLimits& limits, std::vector<Error>* limit_faults = nullptr,
               std::string_view code_prefix = {}, JsonElementStream* stream = nullptr);

  // Why the parse stopped, when it did.
  enum class Stop { None, TooDeep, Limit, Syntax, ByStream };
  Stop stopped() const { return stop_; }
  const JsonSyntaxError& syntax_error() const { return syntax_; }

  bool null();
  bool boolean(bool value);
  bool number_integer(std::int64_t value);
  bool number_unsigned(std::uint64_t value);
  bool number_float(double value, const string_t& text);
  bool string(string_t& value);
  bool binary(nlohmann::json::binary_t& value);
  bool start_object(std::size_t size);
  bool key(string_t& value);
  bool end_object();
  bool start_array(std::size_t size);
  bool end_array();
  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/, const Exception& ex) {
    if constexpr (std::is_same_v<Exception, nlohmann::json::parse_error>)
      note_syntax_error(ex.what(), ex.byte);
    else
      note_syntax_error(ex.what(), std::nullopt);
    return false;
  }

 private:
  using Level = JsonTape::Level;
  JsonTape& target();
  void begin_value();
  bool value(JsonKind kind, std::uint64_t bits);
  // After a complete value: an element of a streamed array is handed over.
  // A member of the root object, complete, is shown to the stream.
  bool after_value() {
    if (levels_.empty()) return true;
    if (levels_.back().streamed) return streamed_element_done();
    return !stream_ || levels_.size() != 1 || levels_[0].array || root_member_done();
  }
  std::uint32_t push(JsonTape& tape, JsonKind kind, std::uint32_t size, std::uint64_t bits);
  std::uint32_t push_chars(JsonTape& tape, JsonKind kind, const std::string& text);
  bool streamed_element_done();
  bool root_member_done();
  bool limit_fault(const char* what, std::string path, std::string message);
  std::string path_of(std::size_t levels) const;
  void note_syntax_error(std::string_view what, std::optional<std::size_t> byte);

  JsonTape& tape_;
  JsonLimits limits_;
  std::vector<Error>* limit_faults_;
  std::string_view prefix_;
  JsonElementStream* stream_;
  std::vector<Level>& levels_;
  std::size_t element_level_ = SIZE_MAX;  // the level of a streamed array
  Stop stop_ = Stop::None;
  JsonSyntaxError syntax_;
};

// Records a value of another record into `recorder`'s (a reader that builds
// a value from parts: a review's item). False when the recorder stops.
bool record_value(const JsonValue& value, JsonRecorder& recorder);

// Records a value built in memory (nlohmann's tree: tests, a server's
// configuration) as the parser would have: readers take one kind of input.
void record_json(const nlohmann::json& value, JsonTape& tape);

}  // namespace vouch
