#include "http_responses.hpp"

namespace vouch::server {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                const std::string& path) {
  json error = {{"code", code}, {"message", message}};
  if (!path.empty()) error["path"] = path;
  send_json(res, status, {{"error", error}});
}

void send_error(httplib::Response& res, int status, const Error& e) {
  send_error(res, status, e.code, e.message, e.path);
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match.find('*') != std::string::npos) return true;
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    auto comma = if_none_match.find(',', start);
    std::string tag = if_none_match.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    tag.erase(0, tag.find_first_not_of(' '));
    tag.erase(tag.find_last_not_of(' ') + 1);
    if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
    if (tag == etag) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace vouch::server
