#include "common/json_input.hpp"

#include <type_traits>

#include "common/error.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"

namespace vouch {

namespace {

// nlohmann's DOM builder, with the parse error kept instead of thrown.
class DomBuilder : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  DomBuilder(nlohmann::json& result, JsonSyntaxError& fault)
      : json_sax_dom_parser(result, /*allow_exceptions_=*/false), fault_(fault) {}

  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/, const Exception& ex) {
    std::string what = ex.what();
    if constexpr (std::is_same_v<Exception, nlohmann::json::parse_error>) {
      // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
      // while parsing value - invalid literal; last read: 'tru,'": the part after " - ".
      // The excerpt ends where the parser stopped, which may be inside a
      // multi-byte character (`{🇨🇭}` stops after the first byte of U+1F1E8):
      // each byte that breaks UTF-8 becomes U+FFFD, or the message could not
      // be dumped (type_error.316) and validate --json printed nothing.
      auto dash = what.find(" - ");
      fault_.detail = valid_utf8(dash == std::string::npos ? what : what.substr(dash + 3));
      fault_.byte = ex.byte;
    } else {
      // A number beyond double's range: "[json.exception.out_of_range.406]
      // number overflow parsing '1e400'": the part after "] ".
      auto bracket = what.find("] ");
      fault_.detail = bracket == std::string::npos ? what : what.substr(bracket + 2);
      fault_.byte.reset();
    }
    return false;
  }

 private:
  JsonSyntaxError& fault_;
};

}  // namespace

std::optional<nlohmann::json> parse_json_text(std::string_view text, JsonSyntaxError& fault) {
  nlohmann::json result;
  DomBuilder sax(result, fault);
  // strict: trailing input is a parse error too
  if (!nlohmann::json::sax_parse(text, &sax)) return std::nullopt;
  return result;
}

std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string_view code_prefix,
                                               const JsonInputLimits& limits, Error& error) {
  std::string prefix(code_prefix);
  if (text.size() > limits.max_bytes) {
    error = {prefix + ".too_large", "",
             "the " + prefix + " is " + std::to_string(text.size()) + " bytes; at most " +
                 std::to_string(limits.max_bytes) + " bytes are accepted"};
    return std::nullopt;
  }
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    error = {prefix + ".invalid_utf8", "",
             "the " + prefix + " is not valid UTF-8 (bad byte at offset " + std::to_string(bad) + ")"};
    return std::nullopt;
  }
  if (auto deep = check_json_depth(text, limits.max_depth, prefix)) {
    error = *deep;
    return std::nullopt;
  }
  JsonSyntaxError fault;
  std::optional<nlohmann::json> value = parse_json_text(text, fault);
  if (!value) {
    std::string where = fault.byte ? " (byte " + std::to_string(*fault.byte) + ")" : "";
    error = {prefix + ".parse_error", "", "the " + prefix + " is not valid JSON" + where + ": " + fault.detail};
  }
  return value;
}

nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits) {
  Error error;
  std::optional<nlohmann::json> value = parse_json_input(text, code_prefix, limits, error);
  if (!value) throw_error(std::move(error));
  return std::move(*value);
}

std::optional<nlohmann::json> parse_json_line(std::string_view line, std::size_t index,
                                              std::string_view kind, std::string_view array,
                                              std::string_view source) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  Error error;
  std::optional<nlohmann::json> value = parse_json_input(line, kind, {}, error);
  if (!value) {
    error.path = "/" + std::string(array) + "/" + std::to_string(index) + error.path;
    error.message = "line " + std::to_string(index + 1) + " of " + std::string(source) + ": " + error.message;
    throw_error(std::move(error));
  }
  return value;
}

}  // namespace vouch
