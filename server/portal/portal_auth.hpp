#pragma once
// Signing in to the creator portal (docs/portal.md, "Signing in").
//
// A magic link is  BASE/portal/#token=TOKEN  with
//   TOKEN = INFLUENCER "~" EXPIRES "~" NONCE "~" MAC
//   MAC   = hex HMAC-SHA256(portal key, INFLUENCER "~" EXPIRES "~" NONCE)
// The token sits in the fragment, which browsers never send: mail scanners
// that fetch links, proxies and access logs never see it, and only the
// sign-in page's script, which POSTs it, spends it. The MAC turns a forged
// or damaged token away before the database is asked; the database keeps
// SHA-256(TOKEN) only, and the link signs in once, within 15 minutes.
//
// A session is a random secret in an HttpOnly, SameSite=Strict cookie
// (Secure, but on plain-http loopback: the demo), kept as its SHA-256. Every
// state-changing portal request also carries the session's CSRF token
// (X-Vouch-CSRF), an HMAC of the session: nothing is stored for it.
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/time.hpp"

namespace vouch::server {

inline constexpr Timestamp kPortalLinkSeconds = 15 * 60;
inline constexpr Timestamp kPortalSessionSeconds = 30 * kSecondsPerDay;
inline constexpr const char* kPortalCookie = "vouch_portal";
inline constexpr const char* kCsrfHeader = "X-Vouch-CSRF";

struct PortalLinkToken {
  std::string token;
  std::string influencer;
  Timestamp expires_at = 0;
};

// A new link's token for `influencer`, valid until now + 15 minutes.
PortalLinkToken make_link_token(const std::string& key, const std::string& influencer, Timestamp now);
// The influencer and expiry a token names, when `key` signed it (else
// nullopt: forged, damaged or another store's). Expiry is the caller's.
std::optional<PortalLinkToken> read_link_token(const std::string& key, const std::string& token);

// The sign-in URL of a token on the portal at `base` ("https://shop.example").
std::string portal_link_url(const std::string& base, const std::string& token);

// A new session's cookie secret (32 random bytes, hex) and what is stored of it.
std::string new_session_secret();
std::string session_hash(const std::string& secret);
// The CSRF token of a session (by its hash).
std::string csrf_token(const std::string& key, const std::string& session_hash);

// Set-Cookie values: the session for `max_age` seconds, and its removal.
std::string session_cookie(const std::string& secret, Timestamp max_age, bool secure);
std::string cleared_session_cookie(bool secure);
// The value of cookie `name` in a Cookie header, "" when absent.
std::string cookie_value(const std::string& header, const std::string& name);

// Whether the session cookie is Secure: always, but for a plain-http request
// to a loopback host name from a loopback peer (the demo on this machine).
// Behind a proxy, the Host is the public name, so the cookie is Secure.
bool secure_cookie(const httplib::Request& req, const std::vector<std::string>& trusted_proxies);

// The origin the browser is on: its Origin header, else scheme and Host
// (https unless secure_cookie() says plain-http loopback).
std::string request_origin(const httplib::Request& req, const std::vector<std::string>& trusted_proxies);

}  // namespace vouch::server
