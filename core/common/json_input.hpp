#pragma once
// Parsing JSON that comes from outside (queries, briefs, touches, orders,
// configs): size, depth and UTF-8 are checked before nlohmann sees the text,
// and every failure is a VouchException with a stable code.
#include <cstddef>
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

// code_prefix names the input in error codes: "brief" gives brief.parse_error,
// brief.too_large, brief.too_deep, brief.invalid_utf8.
nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits = {});

}  // namespace vouch
