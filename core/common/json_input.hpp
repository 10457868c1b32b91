#pragma once
// Parsing JSON that comes from outside (queries, briefs, touches, orders,
// configs): size, depth and UTF-8 are checked before nlohmann sees the text,
// and every failure is a VouchException with a stable code.
#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vouch {

struct JsonInputLimits {
  std::size_t max_bytes = 64u << 20;  // 64 MiB
  std::size_t max_depth = 32;
};

// nlohmann::json::parse(text), the same document or the same parse_error,
// through the one parser instantiation the core uses: json::parse would also
// compile nlohmann's callback parser, unused here (~10 KB of wasm).
nlohmann::json parse_json_text(std::string_view text);

// What a parse_error says, after nlohmann's "[json.exception.parse_error.101]
// parse error at line 1, column 2: syntax error while parsing value - ", made
// fit to leave the program: its "last read" excerpt ends where the parser
// stopped, which may be inside a multi-byte character (`{🇨🇭}` stops after
// the first byte of U+1F1E8), and dumping it threw type_error.316. Each byte
// that breaks UTF-8 becomes U+FFFD: "last read: '{�'".
std::string parse_error_detail(const nlohmann::json::parse_error& error);

// code_prefix names the input in error codes: "brief" gives brief.parse_error,
// brief.too_large, brief.too_deep, brief.invalid_utf8.
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
