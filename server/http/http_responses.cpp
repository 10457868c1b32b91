#include "http_responses.hpp"

#include "crypto.hpp"

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

void send_cached(const httplib::Request& req, httplib::Response& res, const std::string& etag,
                 const std::string& gzip_body, const std::string* body) {
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(gzip_body, "application/json; charset=utf-8");
  } else {
    res.set_content(body ? *body : inflate_gzip(gzip_body), "application/json; charset=utf-8");
  }
}

}  // namespace vouch::server
