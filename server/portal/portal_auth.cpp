#include "portal_auth.hpp"

#include <algorithm>
#include <charconv>

#include "crypto.hpp"
#include "input/rules.hpp"

namespace vouch::server {

namespace {

std::string signed_part(const std::string& influencer, Timestamp expires_at, const std::string& nonce) {
  return influencer + "~" + std::to_string(expires_at) + "~" + nonce;
}

// The host name of a Host header ("localhost:8080" -> "localhost", "[::1]:80" -> "[::1]").
std::string host_name(const std::string& host) {
  if (!host.empty() && host[0] == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

bool loopback_address(const std::string& address) {
  return address == "::1" || address.rfind("127.", 0) == 0 || address == "::ffff:127.0.0.1";
}

}  // namespace

PortalLinkToken make_link_token(const std::string& key, const std::string& influencer, Timestamp now) {
  PortalLinkToken link{"", influencer, now + kPortalLinkSeconds};
  std::string part = signed_part(influencer, link.expires_at, random_hex(16));
  link.token = part + "~" + hmac_sha256_hex(key, part);
  return link;
}

std::optional<PortalLinkToken> read_link_token(const std::string& key, const std::string& token) {
  if (token.size() > 400) return std::nullopt;
  auto mac_at = token.rfind('~');
  if (mac_at == std::string::npos) return std::nullopt;
  std::string part = token.substr(0, mac_at);
  if (!constant_time_equal(token.substr(mac_at + 1), hmac_sha256_hex(key, part))) return std::nullopt;
  // INFLUENCER~EXPIRES~NONCE: the id may not hold "~" (kIdRule), so split from the right.
  auto nonce_at = part.rfind('~');
  if (nonce_at == std::string::npos || nonce_at == 0) return std::nullopt;
  auto expires_at = part.rfind('~', nonce_at - 1);
  if (expires_at == std::string::npos) return std::nullopt;
  PortalLinkToken link{token, part.substr(0, expires_at), 0};
  const char* first = part.data() + expires_at + 1;
  const char* last = part.data() + nonce_at;
  auto [end, ec] = std::from_chars(first, last, link.expires_at);
  if (ec != std::errc() || end != last || !follows(kIdRule, link.influencer)) return std::nullopt;
  return link;
}

std::string portal_link_url(const std::string& base, const std::string& token) {
  return base + "/portal/#token=" + token;
}

std::string new_session_secret() { return random_hex(32); }

std::string session_hash(const std::string& secret) { return sha256_hex(secret); }

std::string csrf_token(const std::string& key, const std::string& session_hash) {
  return hmac_sha256_hex(key, "csrf~" + session_hash);
}

std::string session_cookie(const std::string& secret, Timestamp max_age, bool secure) {
  // Path /v1/portal: the widget's, the shop's and the dashboard's requests never carry it.
  return std::string(kPortalCookie) + "=" + secret + "; Max-Age=" + std::to_string(max_age) +
         "; Path=/v1/portal; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string cleared_session_cookie(bool secure) { return session_cookie("", 0, secure); }

std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::size_t start = header.find_first_not_of(' ', at);
    if (start < end) {
      std::string pair = header.substr(start, end - start);
      auto eq = pair.find('=');
      if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
    at = end + 1;
  }
  return "";
}

bool secure_cookie(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
  bool proxied = std::find(trusted_proxies.begin(), trusted_proxies.end(), req.remote_addr) != trusted_proxies.end();
  if (proxied && req.get_header_value("X-Forwarded-Proto") == "https") return true;
  if (req.get_header_value("Origin").rfind("https://", 0) == 0) return true;
  std::string host = host_name(req.get_header_value("Host"));
  bool loopback_host = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
  return !(loopback_host && loopback_address(req.remote_addr));
}

std::string request_origin(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
  if (req.has_header("Origin") && req.get_header_value("Origin") != "null") return req.get_header_value("Origin");
  return (secure_cookie(req, trusted_proxies) ? "https://" : "http://") + req.get_header_value("Host");
}

}  // namespace vouch::server
