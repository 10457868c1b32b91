#pragma once
// JSON text that comes from outside (feeds, queries, briefs, touches, orders,
// configs, event batches, reviews): its size and UTF-8 are checked before
// nlohmann's parser sees it, its depth while the parser runs (JsonRecorder),
// and every failure is an Error with a stable code:
//   <prefix>.too_large     the text is longer than max_bytes
//   <prefix>.invalid_utf8  "the <prefix> is not valid UTF-8: bad byte at line 1, column 13"
//   <prefix>.too_deep      "the document nests deeper than 32 levels (at line 1, column 33)"
//   <prefix>.parse_error   "the <prefix> is not valid JSON: line 1, column 25: unexpected '}'; ..."
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "input/json_tape.hpp"

namespace vouch {

struct JsonInputLimits {
  std::size_t max_bytes = 64u << 20;  // 64 MiB
  std::size_t max_depth = 32;
};

// Reads `text` into `tape` (its record is replaced). code_prefix names the
// input in error codes and messages ("brief" gives brief.parse_error, "the
// brief is not valid JSON"). False and `error` when the text is refused;
// never throws (the storefront wasm module has no exceptions).
bool read_json_input(std::string_view text, std::string_view code_prefix, const JsonInputLimits& limits,
                     JsonTape& tape, Error& error);

// The same with a recorder of the caller's (limits on strings and arrays,
// streamed elements): the parse itself, after the size and UTF-8 checks.
bool read_json_input(std::string_view text, std::string_view code_prefix, std::size_t max_bytes,
                     std::size_t max_depth, JsonRecorder& recorder, Error& error);

// Bytes that come in pieces (a stream, a file, a socket): read() fills up
// to `max` bytes of `out` and says how many; 0 at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* out, std::size_t max) = 0;
};

// A text as a ByteSource (what a whole text and a stream share).
class TextSource : public ByteSource {
 public:
  explicit TextSource(std::string_view text) : text_(text) {}
  std::size_t read(char* out, std::size_t max) override;

 private:
  std::string_view text_;
};

// The same from bytes read chunk_bytes at a time (a feed of hundreds of
// megabytes is never whole in memory): the same checks in the same order and
// the same errors as on the whole text, lines and columns counted as the text
// goes by. On a fault, the rest is read to size it and check its UTF-8.
bool read_json_input(ByteSource& in, std::string_view code_prefix, std::size_t max_bytes, std::size_t max_depth,
                     JsonRecorder& recorder, Error& error, std::size_t chunk_bytes = std::size_t{1} << 16);

// The same, throwing the error as a VouchException.
void read_json_input(std::string_view text, std::string_view code_prefix, JsonTape& tape,
                     const JsonInputLimits& limits = {});

// For the few inputs no contract reads (a moderation decision, the server's
// attribution config file): the document as nlohmann's tree, by the same rules.
std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string_view code_prefix,
                                               const JsonInputLimits& limits, Error& error);
nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits = {});

// One line of a JSON lines input (one value per line: the CLI's --touches and
// --orders files, the wasm engine's attribution chunks), read into `tape`.
// Line `index` (0-based) is element `index` of `array`: false for a blank line
// (its number still counts); otherwise true, or a VouchException with the
// path "/<array>/<index>..." and the message "line <index + 1> of <source>:
// ...". A trailing '\r' is ignored.
bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape);
// The same, returning the error as a value: false with `error` set, or true
// with the line in `tape` (left empty for a blank line).
bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape, Error& error);

// Line and column (1-based, column in bytes) of a byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);

}  // namespace vouch
