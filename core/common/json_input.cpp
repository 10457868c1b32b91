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

std::string parse_error_detail(const nlohmann::json::parse_error& error) {
  std::string what = error.what();
  auto dash = what.find(" - ");
  return valid_utf8(dash == std::string::npos ? what : what.substr(dash + 3));
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
                              "): " + parse_error_detail(e)});
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
