#include "input/json_tape.hpp"

#include <algorithm>
#include <cstring>

#include "common/text.hpp"

namespace vouch {

namespace {

std::uint64_t bits_of(double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}

}  // namespace

// --- reading ---

JsonValue::Elements JsonValue::elements() const {
  bool array = kind() == JsonKind::Array;
  return {tape_, array ? at_ + 1 : at_, array ? next() : at_};
}

JsonValue::Members JsonValue::members() const {
  bool object = kind() == JsonKind::Object;
  return {tape_, object ? at_ + 1 : at_, object ? next() : at_};
}

nlohmann::json JsonValue::to_json() const {
  switch (kind()) {
    case JsonKind::Null: return nullptr;
    case JsonKind::Boolean: return boolean();
    case JsonKind::Integer: return integer();
    case JsonKind::Unsigned: return unsigned_integer();
    case JsonKind::Float: return number();
    case JsonKind::String:
    case JsonKind::Key: return std::string(string());
    case JsonKind::Array: {
      nlohmann::json out = nlohmann::json::array();
      for (JsonValue e : elements()) out.push_back(e.to_json());
      return out;
    }
    case JsonKind::Object: {
      nlohmann::json out = nlohmann::json::object();
      for (auto [key, value] : members()) out[std::string(key)] = value.to_json();
      return out;
    }
  }
  return nullptr;
}

std::string JsonValue::scalar_text() const {
  switch (kind()) {
    case JsonKind::Null: return "null";
    case JsonKind::Boolean: return boolean() ? "true" : "false";
    case JsonKind::Integer: return nlohmann::json(integer()).dump();
    case JsonKind::Unsigned: return nlohmann::json(unsigned_integer()).dump();
    case JsonKind::Float: return nlohmann::json(number()).dump();
    case JsonKind::String:
    case JsonKind::Key: return nlohmann::json(std::string(string())).dump();
    case JsonKind::Array: return "an array";
    case JsonKind::Object: return "an object";
  }
  return {};
}

std::string describe_json_value(const JsonValue& value) {
  switch (value.kind()) {
    case JsonKind::String: return quote_for_message(std::string(value.string()));
    case JsonKind::Object: return "an object";
    case JsonKind::Array: return "an array";
    default: break;
  }
  std::string s = value.scalar_text();  // null, true, false, numbers
  if (s.size() > 40) {
    s.resize(40);
    s += "…";
  }
  return s;
}

// --- recording ---

JsonRecorder::JsonRecorder(JsonTape& tape, const JsonLimits& limits, std::vector<Error>* limit_faults,
                           std::string_view code_prefix, JsonElementStream* stream)
    : tape_(tape), limits_(limits), limit_faults_(limit_faults), prefix_(code_prefix), stream_(stream),
      levels_(tape.levels_) {
  tape_.clear();
  levels_.clear();
  limits_.max_string_bytes = std::min(limits_.max_string_bytes, JsonTape::kMaxSize);
}

JsonTape& JsonRecorder::target() {
  if (levels_.empty()) return tape_;
  return levels_.back().streamed ? stream_->element_tape() : *levels_.back().tape;
}

std::uint32_t JsonRecorder::push(JsonTape& tape, JsonKind kind, std::uint32_t size, std::uint64_t bits) {
  auto at = static_cast<std::uint32_t>(tape.entries_.size());
  tape.entries_.push_back({at + 1, JsonTape::size_kind(size, kind), bits});
  return at;
}

std::uint32_t JsonRecorder::push_chars(JsonTape& tape, JsonKind kind, const std::string& text) {
  std::uint64_t offset = tape.chars_.size();
  tape.chars_.append(text);
  return push(tape, kind, static_cast<std::uint32_t>(text.size()), offset);
}

// The JSON Pointer of the value being read at the given depth.
std::string JsonRecorder::path_of(std::size_t levels) const {
  std::string path;
  for (std::size_t i = 0; i < levels && i < levels_.size(); ++i) {
    const Level& level = levels_[i];
    if (!level.array && level.last_key != 0) {
      path += '/';
      path += json_pointer_token(std::string(JsonValue(*level.tape, level.last_key).string()));
    } else if (level.array && level.count > 0) {
      path += '/';
      path += std::to_string(level.count - 1);
    }
  }
  return path;
}

bool JsonRecorder::limit_fault(const char* what, std::string path, std::string message) {
  for (const Level& level : levels_)
    if (level.quiet) return true;  // inside a member whose key was too long: reported once
  if (!limit_faults_) {
    stop_ = Stop::Limit;
    return false;
  }
  limit_faults_->push_back({std::string(prefix_) + "." + what, std::move(path), std::move(message)});
  return true;
}

// A new value: counted as an element of its array; a new element of a
// streamed array starts on a cleared record.
void JsonRecorder::begin_value() {
  if (levels_.empty() || !levels_.back().array) return;
  ++levels_.back().count;
  if (levels_.back().streamed) stream_->element_tape().clear();
}

bool JsonRecorder::value(JsonKind kind, std::uint64_t bits) {
  begin_value();
  push(target(), kind, 0, bits);
  return after_value();
}

bool JsonRecorder::streamed_element_done() {
  const Level& array = levels_.back();
  const Level& root = levels_.front();
  std::string_view key = JsonValue(*root.tape, root.last_key).string();
  if (stream_->element(key, array.count - 1, stream_->element_tape().root())) return true;
  stop_ = Stop::ByStream;
  return false;
}

bool JsonRecorder::root_member_done() {
  const Level& root = levels_.front();
  if (stream_->member(JsonValue(tape_, root.last_key).string(), JsonValue(tape_, root.last_key + 1))) return true;
  stop_ = Stop::ByStream;
  return false;
}

bool JsonRecorder::null() { return value(JsonKind::Null, 0); }
bool JsonRecorder::boolean(bool v) { return value(JsonKind::Boolean, v ? 1 : 0); }
bool JsonRecorder::number_integer(std::int64_t v) { return value(JsonKind::Integer, static_cast<std::uint64_t>(v)); }
bool JsonRecorder::number_unsigned(std::uint64_t v) { return value(JsonKind::Unsigned, v); }
bool JsonRecorder::number_float(double v, const string_t& /*text*/) { return value(JsonKind::Float, bits_of(v)); }
bool JsonRecorder::binary(nlohmann::json::binary_t& /*value*/) { return false; }  // not in JSON text

bool JsonRecorder::string(string_t& v) {
  begin_value();
  if (v.size() > limits_.max_string_bytes) {
    std::string path = path_of(levels_.size());
    std::string name = readable_path(path);
    if (!limit_fault("string_too_long", path,
                     name + " is " + std::to_string(v.size()) + " bytes long; strings may be at most " +
                         std::to_string(limits_.max_string_bytes) + " bytes"))
      return false;
    v.clear();  // kept as "": only the limit's fault is reported
  }
  push_chars(target(), JsonKind::String, v);
  return after_value();
}

bool JsonRecorder::start_object(std::size_t /*size*/) {
  if (levels_.size() >= limits_.max_depth) {
    stop_ = Stop::TooDeep;
    return false;
  }
  begin_value();
  JsonTape& tape = target();
  std::uint32_t at = push(tape, JsonKind::Object, 0, 0);
  levels_.push_back({&tape, at, 0, 0, false, false, false});
  return true;
}

bool JsonRecorder::key(string_t& v) {
  Level& object = levels_.back();
  object.quiet = false;
  if (v.size() > limits_.max_string_bytes) {
    std::string path = path_of(levels_.size() - 1);
    std::string name = readable_path(path);
    if (!limit_fault("string_too_long", path,
                     "a key in " + name + " is " + std::to_string(v.size()) + " bytes long; keys may be at most " +
                         std::to_string(limits_.max_string_bytes) + " bytes"))
      return false;
    object.quiet = true;
  }
  std::uint32_t at = push_chars(*object.tape, JsonKind::Key, v);
  object.tape->entries_[at].link = object.last_key;
  object.last_key = at;
  ++object.count;
  return true;
}

bool JsonRecorder::end_object() {
  Level object = levels_.back();
  levels_.pop_back();
  auto& entry = object.tape->entries_[object.entry];
  entry.link = static_cast<std::uint32_t>(object.tape->entries_.size());
  entry.size_kind = JsonTape::size_kind(object.count, JsonKind::Object);
  entry.bits = object.last_key;
  return after_value();
}

bool JsonRecorder::start_array(std::size_t /*size*/) {
  if (levels_.size() >= limits_.max_depth) {
    stop_ = Stop::TooDeep;
    return false;
  }
  // A root member whose elements are streamed.
  bool streamed = stream_ && levels_.size() == 1 && !levels_[0].array && levels_[0].last_key != 0 &&
                  stream_->streams(JsonValue(tape_, levels_[0].last_key).string());
  begin_value();
  JsonTape& tape = target();
  std::uint32_t at = push(tape, JsonKind::Array, 0, 0);
  levels_.push_back({&tape, at, 0, 0, true, streamed, false});
  return true;
}

bool JsonRecorder::end_array() {
  Level array = levels_.back();
  auto& entry = array.tape->entries_[array.entry];
  // A streamed array keeps no elements in the root's record.
  entry.link = array.streamed ? array.entry + 1 : static_cast<std::uint32_t>(array.tape->entries_.size());
  entry.size_kind = JsonTape::size_kind(array.streamed ? 0 : array.count, JsonKind::Array);
  if (array.count > limits_.max_items) {
    std::string path = path_of(levels_.size() - 1);
    std::string name = readable_path(path);
    if (!limit_fault("too_large", path,
                     name + " has " + std::to_string(array.count) + " items; at most " +
                         std::to_string(limits_.max_items) + " are allowed"))
      return false;
  }
  levels_.pop_back();
  return after_value();
}

void JsonRecorder::note_syntax_error(std::string_view what, std::optional<std::size_t> byte) {
  stop_ = Stop::Syntax;
  if (byte) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
    // while parsing value - invalid literal; last read: 'tru,'": the part after " - ".
    // The excerpt ends where the parser stopped, which may be inside a
    // multi-byte character (`{🇨🇭}` stops after the first byte of U+1F1E8):
    // each byte that breaks UTF-8 becomes U+FFFD.
    auto dash = what.find(" - ");
    syntax_.detail = valid_utf8(dash == std::string_view::npos ? what : what.substr(dash + 3));
  } else {
    // A number beyond double's range: "[json.exception.out_of_range.406]
    // number overflow parsing '1e400'": the part after "] ".
    auto bracket = what.find("] ");
    syntax_.detail = std::string(bracket == std::string_view::npos ? what : what.substr(bracket + 2));
  }
  syntax_.byte = byte;
}

namespace {

bool replay(const nlohmann::json& v, JsonRecorder& r) {
  using nlohmann::json;
  switch (v.type()) {
    case json::value_t::null: return r.null();
    case json::value_t::boolean: return r.boolean(v.get<bool>());
    case json::value_t::number_integer: return r.number_integer(v.get<std::int64_t>());
    case json::value_t::number_unsigned: return r.number_unsigned(v.get<std::uint64_t>());
    case json::value_t::number_float: return r.number_float(v.get<double>(), {});
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      return r.string(s);
    }
    case json::value_t::array:
      if (!r.start_array(v.size())) return false;
      for (const auto& e : v)
        if (!replay(e, r)) return false;
      return r.end_array();
    case json::value_t::object:
      if (!r.start_object(v.size())) return false;
      for (auto it = v.begin(); it != v.end(); ++it) {
        std::string key = it.key();
        if (!r.key(key) || !replay(it.value(), r)) return false;
      }
      return r.end_object();
    default: return r.null();  // binary and discarded values do not come from JSON text
  }
}

}  // namespace

bool record_value(const JsonValue& value, JsonRecorder& r) {
  switch (value.kind()) {
    case JsonKind::Null: return r.null();
    case JsonKind::Boolean: return r.boolean(value.boolean());
    case JsonKind::Integer: return r.number_integer(value.integer());
    case JsonKind::Unsigned: return r.number_unsigned(value.unsigned_integer());
    case JsonKind::Float: return r.number_float(value.number(), {});
    case JsonKind::String:
    case JsonKind::Key: {
      std::string s(value.string());
      return r.string(s);
    }
    case JsonKind::Array:
      if (!r.start_array(value.size())) return false;
      for (JsonValue e : value.elements())
        if (!record_value(e, r)) return false;
      return r.end_array();
    case JsonKind::Object:
      if (!r.start_object(value.size())) return false;
      for (auto [key, v] : value.members()) {
        std::string k(key);
        if (!r.key(k) || !record_value(v, r)) return false;
      }
      return r.end_object();
  }
  return false;
}

void record_json(const nlohmann::json& value, JsonTape& tape) {
  JsonLimits unlimited;
  unlimited.max_depth = SIZE_MAX;
  JsonRecorder recorder(tape, unlimited);
  replay(value, recorder);
}

}  // namespace vouch
