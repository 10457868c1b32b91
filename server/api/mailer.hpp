#pragma once
// The store's mailer: Vouch sends no e-mail itself. What should reach
// someone's inbox (review requests, creators' sign-in links) is POSTed as one
// JSON document to the mailer's URL, signed X-Vouch-Signature with the
// webhook secret (the orders webhook's scheme, webhook_signature.hpp), and
// the store's own mailer sends it.
#include <string>

#include "common/time.hpp"

namespace vouch::server {

// POSTs `payload` and returns the mailer's HTTP status. Throws HttpError 400
// AREA.invalid_url for a URL that is not http(s), 502 AREA.mailer_unreachable
// when it cannot be reached (5 s to connect, 10 s to answer; no redirects).
int post_to_mailer(const std::string& url, const std::string& payload, const std::string& secret, Timestamp now,
                   const std::string& area);

}  // namespace vouch::server
