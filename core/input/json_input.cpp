#include "input/json_input.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "common/text.hpp"

namespace vouch {

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

namespace {

std::string at_line_column(std::string_view text, std::size_t offset) {
  auto [line, column] = line_column(text, offset);
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Where the parser stopped for depth: the first '{' or '[' (outside strings)
// that opens level max_depth + 1. Only on that error's path.
std::size_t too_deep_offset(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

}  // namespace

namespace {

Error too_large(const std::string& prefix, std::size_t size, std::size_t max_bytes) {
  return {prefix + ".too_large", "",
          "the " + prefix + " is " + std::to_string(size) + " bytes; at most " + std::to_string(max_bytes) +
              " bytes are accepted"};
}

Error invalid_utf8(const std::string& prefix, const std::string& where) {
  return {prefix + ".invalid_utf8", "", "the " + prefix + " is not valid UTF-8: bad byte at " + where};
}

// Why the recorder stopped, worded; `where(offset)` says "line L, column C".
template <typename Where>
Error stopped(const std::string& prefix, const JsonRecorder& recorder, std::size_t max_depth,
              std::size_t too_deep_at, Where where) {
  switch (recorder.stopped()) {
    case JsonRecorder::Stop::TooDeep:
      return {prefix + ".too_deep", "",
              "the document nests deeper than " + std::to_string(max_depth) + " levels (at " + where(too_deep_at) +
                  ")"};
    case JsonRecorder::Stop::Syntax: {
      const JsonSyntaxError& fault = recorder.syntax_error();
      std::string at = fault.byte ? where(*fault.byte == 0 ? 0 : *fault.byte - 1) + ": " : "";
      return {prefix + ".parse_error", "", "the " + prefix + " is not valid JSON: " + at + fault.detail};
    }
    default:
      return {};  // a limit or the stream stopped it: the caller holds that fault
  }
}

}  // namespace

bool read_json_input(std::string_view text, std::string_view code_prefix, std::size_t max_bytes,
                     std::size_t max_depth, JsonRecorder& recorder, Error& error) {
  // A text the parser takes whole is valid UTF-8: nlohmann checks every byte
  // of a string as RFC 3629 says, and a byte over 0x7F anywhere else is no
  // JSON. So UTF-8 is scanned for only when the parse fails, and its fault
  // comes first, as if it had been checked before.
  if (text.size() <= max_bytes && nlohmann::json::sax_parse(text, &recorder))  // strict: trailing input too
    return true;
  // What went wrong, worded only now.
  std::string prefix(code_prefix);
  if (text.size() > max_bytes) {
    error = too_large(prefix, text.size(), max_bytes);
  } else if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    error = invalid_utf8(prefix, at_line_column(text, bad));
  } else {
    std::size_t deep_at = recorder.stopped() == JsonRecorder::Stop::TooDeep ? too_deep_offset(text, max_depth) : 0;
    error = stopped(prefix, recorder, max_depth, deep_at,
                    [text](std::size_t offset) { return at_line_column(text, offset); });
  }
  return false;
}

namespace {

// A stream read in chunks: nlohmann's input iterator, and what the messages
// need of the text read so far (its line count, a few bytes back).
class ChunkedText {
 public:
  ChunkedText(ByteSource& in, std::size_t max_bytes, std::size_t chunk_bytes)
      : in_(in), max_bytes_(max_bytes), chunk_bytes_(std::max<std::size_t>(chunk_bytes, 1)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;
    explicit iterator(ChunkedText* text) : text_(text) {}
    const char& operator*() const { return *p_; }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    // The parser only asks `current != end`: whether the text goes on. Its
    // position lives here, in registers, until the chunk is used up.
    bool operator!=(const iterator& /*end*/) const { return p_ != end_ || text_->next_chunk(*this); }
    bool operator==(const iterator& end) const { return !(*this != end); }

   private:
    friend class ChunkedText;
    ChunkedText* text_;
    mutable const char* p_ = nullptr;
    mutable const char* end_ = nullptr;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(this); }

  // Where the parser is now (while it runs: the recorder stopped it).
  bool stop_here() {
    if (live_) pos_ = static_cast<std::size_t>(live_->p_ - window_.data());
    return false;
  }
  bool over() const { return over_; }                        // longer than max_bytes
  std::size_t consumed() const { return start_ + pos_; }     // bytes the parser took
  std::size_t total_size();                                  // reads to the end
  std::size_t first_invalid_utf8();                          // reads to the end; npos when none
  std::string at_line_column(std::size_t offset) const;      // an offset in the window

 private:
  // A few bytes stay before the parser's position: what a message points at
  // (the byte the parser stopped after, a character begun) may lie there.
  static constexpr std::size_t kKeep = 8;
  bool next_chunk(const iterator& it) {
    live_ = &it;
    if (it.p_) pos_ = static_cast<std::size_t>(it.p_ - window_.data());
    if (pos_ > kKeep) drop(pos_ - kKeep);
    read_more();
    it.p_ = window_.data() + pos_;
    it.end_ = window_.data() + window_.size();
    return it.p_ != it.end_;
  }
  bool read_more();
  void drop(std::size_t n);

  ByteSource& in_;
  std::size_t max_bytes_, chunk_bytes_;
  std::string window_;          // bytes [start_, start_ + window_.size()) of the text
  std::size_t pos_ = 0;         // the parser's, in window_
  std::size_t start_ = 0;
  std::size_t read_ = 0;        // bytes read from the stream
  std::size_t lines_ = 0;       // newlines before start_
  std::size_t line_start_ = 0;  // where the line of start_ begins
  bool eof_ = false, over_ = false;
  const iterator* live_ = nullptr;  // the parser's copy, while it runs
};

// The recorder, and the parser's position taken when it stops it for depth.
class Watched {
 public:
  using string_t = nlohmann::json::string_t;
  Watched(JsonRecorder& r, ChunkedText& text) : r_(r), text_(text) {}
  bool null() { return r_.null(); }
  bool boolean(bool v) { return r_.boolean(v); }
  bool number_integer(std::int64_t v) { return r_.number_integer(v); }
  bool number_unsigned(std::uint64_t v) { return r_.number_unsigned(v); }
  bool number_float(double v, const string_t& s) { return r_.number_float(v, s); }
  bool string(string_t& v) { return r_.string(v); }
  bool binary(nlohmann::json::binary_t& v) { return r_.binary(v); }
  bool start_object(std::size_t n) { return r_.start_object(n) || text_.stop_here(); }
  bool key(string_t& v) { return r_.key(v); }
  bool end_object() { return r_.end_object(); }
  bool start_array(std::size_t n) { return r_.start_array(n) || text_.stop_here(); }
  bool end_array() { return r_.end_array(); }
  template <typename Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& ex) {
    return r_.parse_error(position, last_token, ex);
  }

 private:
  JsonRecorder& r_;
  ChunkedText& text_;
};

bool ChunkedText::read_more() {
  if (eof_) return false;
  std::size_t room = max_bytes_ - read_;  // one byte more than room says the text is too long
  std::size_t want = room >= chunk_bytes_ ? chunk_bytes_ : room + 1;
  std::size_t old = window_.size();
  window_.resize(old + want);
  std::size_t got = 0;
  while (got < want) {  // a source may give less than asked before its end
    std::size_t n = in_.read(window_.data() + old + got, want - got);
    if (n == 0) break;
    got += n;
  }
  read_ += got;
  window_.resize(old + got);
  if (got < want) eof_ = true;
  if (read_ > max_bytes_) {
    over_ = eof_ = true;
    window_.resize(max_bytes_ - start_);
  }
  return got > 0;
}

void ChunkedText::drop(std::size_t n) {
  const char* begin = window_.data();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', begin + n - p))) != nullptr; ++p) {
    ++lines_;
    line_start_ = start_ + static_cast<std::size_t>(p - begin) + 1;
  }
  window_.erase(0, n);
  start_ += n;
  pos_ -= n;
}

std::size_t ChunkedText::total_size() {
  if (eof_ && !over_) return read_;
  std::string rest(chunk_bytes_, '\0');
  while (std::size_t n = in_.read(rest.data(), rest.size())) read_ += n;
  eof_ = true;
  return read_;
}

std::size_t ChunkedText::first_invalid_utf8() {
  // What the parser took before the window was valid UTF-8 (it checks each
  // byte it reads): the scan starts on the window's first character.
  std::size_t from = 0;
  while (from < window_.size() && (static_cast<unsigned char>(window_[from]) & 0xC0) == 0x80) ++from;
  for (;;) {
    // Up to a character that cannot have been cut by the chunk's end.
    std::size_t upto = window_.size();
    if (!eof_) {
      upto = upto >= 4 ? upto - 4 : 0;
      while (upto > from && (static_cast<unsigned char>(window_[upto]) & 0xC0) == 0x80) --upto;
    }
    if (upto > from) {
      std::size_t bad = find_invalid_utf8(std::string_view(window_).substr(from, upto - from));
      if (bad != std::string_view::npos) return start_ + from + bad;
      from = upto;
    }
    if (eof_) return std::string_view::npos;
    pos_ = window_.size();
    drop(from);
    from = 0;
    read_more();
  }
}

std::string ChunkedText::at_line_column(std::size_t offset) const {
  std::size_t line = lines_ + 1, begins = line_start_;
  for (std::size_t i = 0; i + start_ < offset && i < window_.size(); ++i)
    if (window_[i] == '\n') {
      ++line;
      begins = start_ + i + 1;
    }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - begins + 1);
}

}  // namespace

std::size_t TextSource::read(char* out, std::size_t max) {
  std::size_t n = std::min(max, text_.size());
  std::memcpy(out, text_.data(), n);
  text_.remove_prefix(n);
  return n;
}

bool read_json_input(ByteSource& in, std::string_view code_prefix, std::size_t max_bytes, std::size_t max_depth,
                     JsonRecorder& recorder, Error& error, std::size_t chunk_bytes) {
  ChunkedText text(in, max_bytes, chunk_bytes);
  Watched watched(recorder, text);
  if (nlohmann::json::sax_parse(text.begin(), text.end(), &watched) && !text.over()) return true;
  // The same order as on a whole text: the size, UTF-8, then the parse. The
  // parse's fault is worded first, while the window still holds its place.
  std::string prefix(code_prefix);
  // The parser took the '{' or '[' that opened one level too many last.
  error = stopped(prefix, recorder, max_depth, text.consumed() - 1,
                  [&text](std::size_t offset) { return text.at_line_column(offset); });
  std::size_t bad = text.first_invalid_utf8();
  if (std::size_t size = text.total_size(); size > max_bytes)
    error = too_large(prefix, size, max_bytes);
  else if (bad != std::string_view::npos)
    error = invalid_utf8(prefix, text.at_line_column(bad));
  return false;
}

bool read_json_input(std::string_view text, std::string_view code_prefix, const JsonInputLimits& limits,
                     JsonTape& tape, Error& error) {
  JsonLimits record_limits;
  record_limits.max_depth = limits.max_depth;
  JsonRecorder recorder(tape, record_limits);
  return read_json_input(text, code_prefix, limits.max_bytes, limits.max_depth, recorder, error);
}

void read_json_input(std::string_view text, std::string_view code_prefix, JsonTape& tape,
                     const JsonInputLimits& limits) {
  Error error;
  if (!read_json_input(text, code_prefix, limits, tape, error)) throw_error(std::move(error));
}

std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string_view code_prefix,
                                               const JsonInputLimits& limits, Error& error) {
  JsonTape tape;
  if (!read_json_input(text, code_prefix, limits, tape, error)) return std::nullopt;
  return tape.root().to_json();
}

nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits) {
  Error error;
  std::optional<nlohmann::json> value = parse_json_input(text, code_prefix, limits, error);
  if (!value) throw_error(std::move(error));
  return std::move(*value);
}

bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape, Error& error) {
  tape.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return true;
  if (read_json_input(line, kind, {}, tape, error)) return true;
  error.path = "/" + std::string(array) + "/" + std::to_string(index) + error.path;
  error.message = "line " + std::to_string(index + 1) + " of " + std::string(source) + ": " + error.message;
  return false;
}

bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape) {
  Error error;
  if (!read_json_line(line, index, kind, array, source, tape, error)) throw_error(std::move(error));
  return !tape.empty();
}

}  // namespace vouch
