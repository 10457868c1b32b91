#pragma once
// Signed webhooks from the store's backend (POST /v1/orders), Stripe-style:
//   X-Vouch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// Signing the timestamp with the body bounds replays to the tolerance window;
// the store's replay table closes the window. Several v1= entries are allowed
// (one per secret during a rotation); any match passes.
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/time.hpp"

namespace vouch::server {

constexpr Timestamp kWebhookToleranceSeconds = 300;

struct VerifiedSignature {
  Timestamp signed_at = 0;
  std::string signature;  // the v1 value that matched: the replay key
};

// Checks the header against the body. Returns the error (webhook.* code)
// when the signature is missing, malformed, wrong or outside the tolerance.
std::optional<Error> verify_webhook_signature(std::string_view header, std::string_view body,
                                              std::string_view secret, Timestamp now,
                                              VerifiedSignature& verified);

// The header value for a body (what the store's backend sends; used by tests
// and docs examples).
std::string sign_webhook(std::string_view body, std::string_view secret, Timestamp t);

// Shopify's and WooCommerce's scheme: the header (`header_name`) holds
// base64(HMAC-SHA256(secret, raw body)); compared in constant time. Returns
// "<platform>.missing_signature" or "<platform>.bad_signature" errors.
std::optional<Error> verify_body_signature(std::string_view header, std::string_view body, std::string_view secret,
                                           const std::string& platform, const std::string& header_name);

}  // namespace vouch::server
