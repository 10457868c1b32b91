#include "common/error.hpp"

#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/json_output.hpp"
#include "common/text.hpp"

namespace vouch {

// Errors leave the program as JSON: their text must be valid UTF-8 however
// it was made (a path built from a hostile key, a quoted value).
void to_json(nlohmann::json& j, const Error& e) {
  j = nlohmann::json::object();
  put_string(j, "code", valid_utf8(e.code));
  put_string(j, "path", valid_utf8(e.path));
  put_string(j, "message", valid_utf8(e.message));
}

VouchException::VouchException(Error error)
    : std::runtime_error(error.code + ": " + error.message), error_(std::move(error)) {}

void throw_error(Error error) {
#if __cpp_exceptions
  throw VouchException(std::move(error));
#else
  (void)error;
  std::abort();
#endif
}

std::string readable_path(const std::string& pointer) {
  std::string out;
  size_t i = 0;
  while (i < pointer.size()) {
    if (pointer[i] != '/') return pointer;  // not a pointer: leave as is
    size_t end = pointer.find('/', i + 1);
    if (end == std::string::npos) end = pointer.size();
    std::string token = pointer.substr(i + 1, end - i - 1);
    // RFC 6901 unescaping: ~1 is '/', ~0 is '~'.
    std::string unescaped;
    for (size_t k = 0; k < token.size(); ++k) {
      if (token[k] == '~' && k + 1 < token.size()) {
        unescaped += token[k + 1] == '1' ? '/' : '~';
        ++k;
      } else {
        unescaped += token[k];
      }
    }
    bool numeric = !unescaped.empty();
    for (char c : unescaped) numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
    if (numeric && !out.empty()) {
      out += "[" + unescaped + "]";
    } else {
      if (!out.empty()) out += ".";
      out += unescaped;
    }
    i = end;
  }
  return out.empty() ? "the feed" : out;
}

std::string quote_for_message(const std::string& value) {
  constexpr size_t kMax = 40;  // bytes, cut on a character boundary
  nlohmann::json s = value.size() > kMax ? value.substr(0, utf8_prefix_length(value, kMax)) + "…" : value;
  return s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

}  // namespace vouch
