#include "common/json_input.hpp"

#include "common/error.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"

namespace vouch {

nlohmann::json parse_json_text(std::string_view text) {
  nlohmann::json result;
  nlohmann::detail::json_sax_dom_parser<nlohmann::json> sax(result, /*allow_exceptions_=*/true);
  nlohmann::json::sax_parse(text, &sax);  // strict: trailing input is a parse_error too
  return result;
}

namespace {

// Bytes of the UTF-8 character a lead byte starts (0 for a continuation or
// an invalid byte).
std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::string parse_error_detail(const nlohmann::json::parse_error& error, std::string_view text) {
  std::string what = error.what();
  auto dash = what.find(" - ");
  std::string detail = dash == std::string::npos ? what : what.substr(dash + 3);
  std::size_t bad = find_invalid_utf8(detail);
  // error.byte counts the bytes read, so the last one read is text[byte - 1]:
  // the excerpt's unfinished character started `have` bytes before it.
  if (bad != std::string::npos && error.byte >= 1 && error.byte <= text.size()) {
    std::size_t length = utf8_length(static_cast<unsigned char>(detail[bad]));
    std::size_t have = 1;
    while (bad + have < detail.size() && have < length &&
           (static_cast<unsigned char>(detail[bad + have]) & 0xC0) == 0x80)
      ++have;
    if (length > 1 && have < length && error.byte >= have) {
      std::size_t start = error.byte - have;
      std::string_view whole = text.substr(start, length);
      if (whole.size() == length && whole.substr(0, have) == std::string_view(detail).substr(bad, have) &&
          is_valid_utf8(whole))
        detail.replace(bad, have, whole);
    }
  }
  return valid_utf8(detail);
}

nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits) {
  std::string prefix(code_prefix);
  if (text.size() > limits.max_bytes)
    throw VouchException({prefix + ".too_large", "",
                          "the " + prefix + " is " + std::to_string(text.size()) +
                              " bytes; at most " + std::to_string(limits.max_bytes) +
                              " bytes are accepted"});
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos)
    throw VouchException({prefix + ".invalid_utf8", "",
                          "the " + prefix + " is not valid UTF-8 (bad byte at offset " +
                              std::to_string(bad) + ")"});
  if (auto deep = check_json_depth(text, limits.max_depth, prefix)) throw VouchException(*deep);
  try {
    return parse_json_text(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw VouchException({prefix + ".parse_error", "",
                          "the " + prefix + " is not valid JSON (byte " + std::to_string(e.byte) +
                              "): " + parse_error_detail(e, text)});
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond double's range (1e400): "[json.exception.out_of_range.406]
    // number overflow parsing '1e400'"; keep the part after "] ".
    std::string what = e.what();
    auto bracket = what.find("] ");
    throw VouchException({prefix + ".parse_error", "",
                          "the " + prefix + " is not valid JSON: " +
                              (bracket == std::string::npos ? what : what.substr(bracket + 2))});
  }
}

std::optional<nlohmann::json> parse_json_line(std::string_view line, std::size_t index,
                                              std::string_view kind, std::string_view array,
                                              std::string_view source) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  try {
    return parse_json_input(line, kind);
  } catch (const VouchException& e) {
    Error error = e.error();
    error.path = "/" + std::string(array) + "/" + std::to_string(index) + error.path;
    error.message = "line " + std::to_string(index + 1) + " of " + std::string(source) + ": " + error.message;
    throw VouchException(error);
  }
}

}  // namespace vouch
