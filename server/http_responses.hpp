#pragma once
// How every endpoint answers: JSON bodies, JSON errors
// ({"error": {"code", "message", "path"?}}), and conditional requests.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace vouch::server {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                const std::string& path = "");
void send_error(httplib::Response& res, int status, const Error& e);

// If-None-Match against an ETag (weak comparison, RFC 9110 13.1.2).
bool etag_matches(const std::string& if_none_match, const std::string& etag);

}  // namespace vouch::server
