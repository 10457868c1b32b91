#pragma once
// The one error shape every engine returns: a stable code, the JSON Pointer of
// the fault and a message a store owner understands. Codes are part of the API.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace vouch {

struct Error {
  std::string code;     // e.g. "feed.invalid_type"
  std::string path;     // JSON Pointer, e.g. "/ugc/3/rating"; "" for the whole document
  std::string message;  // e.g. "ugc[3].rating must be an integer from 1 to 5, got \"five\""

  bool operator==(const Error&) const = default;
};

// Every error leaves the program through this (the CLI, the wasm boundary):
// its text is made valid UTF-8 here.
void to_json(nlohmann::json& j, const Error& e);

// Thrown by engine entry points for bad queries (not for bad feeds, which
// are collected). Carries one Error; the CLI and the wasm boundary turn it
// into {code, path, message}.
class VouchException : public std::runtime_error {
 public:
  explicit VouchException(Error error);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// throw VouchException(error), written so that the core also compiles without
// exceptions: the storefront wasm module is built -fno-exceptions (docs/wasm.md,
// Size), and there it aborts. The paths that module runs (load_feed, the
// Error& overloads of parse_json_input and social_proof_json) return their
// errors as values and never get here.
[[noreturn]] void throw_error(Error error);

// "/ugc/3/rating" -> "ugc[3].rating": how paths read in messages.
std::string readable_path(const std::string& pointer);

// Quotes a value for a message, cut to a readable length.
std::string quote_for_message(const std::string& value);

// One JSON Pointer token (RFC 6901): "~" becomes "~0", "/" becomes "~1".
std::string json_pointer_token(const std::string& key);

}  // namespace vouch
