#pragma once
// Parsing JSON that comes from outside (queries, briefs, touches, orders,
// configs): size, depth and UTF-8 are checked before nlohmann sees the text,
// and every failure is an Error with a stable code.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace vouch {

struct JsonInputLimits {
  std::size_t max_bytes = 64u << 20;  // 64 MiB
  std::size_t max_depth = 32;
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

// nlohmann::json::parse(text): the same document, or nullopt and the same
// parse error in `fault`; never throws. Through the one parser instantiation
// the core uses: json::parse would also compile nlohmann's callback parser,
// unused here (~10 KB of wasm).
std::optional<nlohmann::json> parse_json_text(std::string_view text, JsonSyntaxError& fault);

// code_prefix names the input in error codes: "brief" gives brief.parse_error,
// brief.too_large, brief.too_deep, brief.invalid_utf8. Returns the document,
// or nullopt and `error` when the text is refused; never throws (the
// storefront wasm module has no exceptions).
std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string_view code_prefix,
                                               const JsonInputLimits& limits, Error& error);

// The same, throwing the error as a VouchException.
nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits = {});

// One line of a JSON lines input (one value per line: the CLI's --touches and
// --orders files, the wasm engine's attribution chunks). Line `index` (0-based)
// is element `index` of `array`: nullopt for a blank line (its number still
// counts); otherwise the value, or a VouchException with the path
// "/<array>/<index>..." and the message "line <index + 1> of <source>: ...".
// A trailing '\r' is ignored.
std::optional<nlohmann::json> parse_json_line(std::string_view line, std::size_t index,
                                              std::string_view kind, std::string_view array,
                                              std::string_view source);

}  // namespace vouch
