#pragma once
// Small text facts shared by the engines: UTF-8 validity, ASCII case folding,
// and the fixed rounding every printed score goes through.
#include <string>
#include <string_view>

namespace vouch {

// Offset of the first byte that breaks UTF-8 well-formedness (RFC 3629: no
// overlongs, no surrogates), or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);
inline bool is_valid_utf8(std::string_view text) { return find_invalid_utf8(text) == std::string_view::npos; }

// The text with each byte that breaks UTF-8 replaced by U+FFFD: what may be
// printed or sent (nlohmann's dump throws type_error.316 on a bad byte).
std::string valid_utf8(std::string_view text);

// The length of the longest prefix of `text` of at most max_bytes that does
// not end inside a UTF-8 character.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

// ASCII lower-casing; other bytes pass through (codes, locales, handles).
std::string ascii_lower(std::string_view text);

// Scores are printed rounded to 6 decimals so that native and wasm output is
// byte-identical even if a last-bit difference ever crept in.
double round_score(double value);

}  // namespace vouch
