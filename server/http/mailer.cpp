#include "mailer.hpp"

#include <httplib.h>

#include "webhook_signature.hpp"

namespace vouch::server {

bool is_mailer_url(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) || (url.rfind("https://", 0) == 0 && url.size() > 8);
}

MailerAnswer post_to_mailer(const std::string& url, const std::string& payload, const std::string& secret,
                            Timestamp now) {
  auto scheme_end = url.find("://");
  auto path_start = url.find('/', scheme_end + 3);
  MailerAnswer answer;
  answer.origin = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(answer.origin);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(10, 0);
  client.set_follow_location(false);
  auto result = client.Post(path, {{"X-Vouch-Signature", sign_webhook(payload, secret, now)}}, payload, "application/json");
  if (!result) answer.problem = httplib::to_string(result.error());
  else answer.status = result->status;
  return answer;
}

}  // namespace vouch::server
