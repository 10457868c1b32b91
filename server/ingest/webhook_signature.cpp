#include "webhook_signature.hpp"

#include <charconv>
#include <vector>

#include "crypto.hpp"

namespace vouch::server {

std::optional<Error> verify_webhook_signature(std::string_view header, std::string_view body,
                                              std::string_view secret, Timestamp now,
                                              VerifiedSignature& verified) {
  if (header.empty())
    return Error{"webhook.missing_signature", "", "the X-Vouch-Signature header is required"};
  std::optional<Timestamp> t;
  std::vector<std::string_view> candidates;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "t") {
      Timestamp parsed = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) t = parsed;
    } else if (key == "v1") {
      candidates.push_back(value);
    }
  }
  if (!t || candidates.empty())
    return Error{"webhook.malformed_signature", "",
                 "X-Vouch-Signature must look like t=<unix seconds>,v1=<hex HMAC-SHA256>"};
  if (*t < now - kWebhookToleranceSeconds || *t > now + kWebhookToleranceSeconds)
    return Error{"webhook.stale_timestamp", "",
                 "the signature timestamp is more than 300 seconds away from the server's clock"};
  std::string signed_payload = std::to_string(*t);
  signed_payload += '.';
  signed_payload += body;
  std::string expected = hmac_sha256_hex(secret, signed_payload);
  bool matched = false;
  for (auto candidate : candidates) {
    // Every candidate is compared, in constant time, whatever the earlier ones gave.
    if (constant_time_equal(expected, candidate) && !matched) {
      matched = true;
      verified.signature = std::string(candidate);
    }
  }
  if (!matched)
    return Error{"webhook.bad_signature", "", "the signature does not match the body and the shared secret"};
  verified.signed_at = *t;
  return std::nullopt;
}

std::string sign_webhook(std::string_view body, std::string_view secret, Timestamp t) {
  std::string payload = std::to_string(t) + "." + std::string(body);
  return "t=" + std::to_string(t) + ",v1=" + hmac_sha256_hex(secret, payload);
}

std::optional<Error> verify_body_signature(std::string_view header, std::string_view body, std::string_view secret,
                                           const std::string& platform, const std::string& header_name) {
  if (header.empty())
    return Error{platform + ".missing_signature", "", "the " + header_name + " header is required"};
  if (!constant_time_equal(hmac_sha256_base64(secret, body), header))
    return Error{platform + ".bad_signature", "",
                 header_name + " does not match the body and the " + platform + " secret"};
  return std::nullopt;
}

}  // namespace vouch::server
