#include "mailer.hpp"

#include <httplib.h>

#include "route_table.hpp"
#include "webhook_signature.hpp"

namespace vouch::server {

int post_to_mailer(const std::string& url, const std::string& payload, const std::string& secret, Timestamp now,
                   const std::string& area) {
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    throw HttpError(400, area + ".invalid_url", "url must be the mailer's http(s) URL", "/url");
  auto path_start = url.find('/', scheme_end + 3);
  std::string origin = url.substr(0, path_start), path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  client.set_follow_location(false);
  auto answer = client.Post(path, {{"X-Vouch-Signature", sign_webhook(payload, secret, now)}}, payload, "application/json");
  if (!answer)
    throw HttpError(502, area + ".mailer_unreachable",
                    "the mailer at " + origin + " could not be reached (" + httplib::to_string(answer.error()) + ")");
  return answer->status;
}

}  // namespace vouch::server
