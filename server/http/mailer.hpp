#pragma once
// The store's mailer: Vouch sends no e-mail itself. What should reach
// someone's inbox (review requests, creators' sign-in links) is POSTed as one
// JSON document to the mailer's URL, signed X-Vouch-Signature with the
// webhook secret (the orders webhook's scheme, webhook_signature.hpp), and
// the store's own mailer sends it.
#include <string>

#include "common/time.hpp"

namespace vouch::server {

// An http(s) URL a mailer may have.
bool is_mailer_url(const std::string& url);

struct MailerAnswer {
  int status = 0;       // the mailer's HTTP status; 0 when it could not be reached
  std::string problem;  // why it could not be reached ("" when it answered)
  std::string origin;   // where it was sent
};

// POSTs `payload` to `url` (is_mailer_url): 5 s to connect, 10 s to answer,
// no redirects followed.
MailerAnswer post_to_mailer(const std::string& url, const std::string& payload, const std::string& secret,
                            Timestamp now);

}  // namespace vouch::server
