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

// Cache-Control of the public documents and pages: a CDN or browser may use a
// copy for a minute, then serve it up to ten more while it revalidates.
inline constexpr const char* kPublicCacheControl = "public, max-age=60, stale-while-revalidate=600";

// A JSON body computed once: 304 when If-None-Match has its ETag, else sent
// gzip-compressed when the client accepts it, else inflated (or `body` when
// given). The "; charset=utf-8" type keeps cpp-httplib from compressing it
// again per request (it compresses "application/json" exactly, at brotli's
// slowest).
void send_cached(const httplib::Request& req, httplib::Response& res, const std::string& etag,
                 const std::string& gzip_body, const std::string* body);

}  // namespace vouch::server
