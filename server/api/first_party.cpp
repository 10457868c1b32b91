#include "first_party.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "backend.hpp"
#include "clock.hpp"
#include "crypto.hpp"
#include "input/rules.hpp"
#include "http_responses.hpp"

namespace vouch::server {

namespace {

// A code in ?ref= follows the core's kCodeRule, as the loader's does
// (web/shared/rules.js, generated from it): nothing that could end a cookie
// value or carry markup gets this far.
bool valid_referral_code(const std::string& code) { return follows(kCodeRule, code); }

// "v-" and 24 lower-case hex digits, as the loader makes it.
bool valid_visitor(std::string_view visitor) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  return visitor.size() == 26 && visitor.substr(0, 2) == "v-" && std::all_of(visitor.begin() + 2, visitor.end(), hex);
}

// A host name the browser could accept as a cookie's Domain: at most 253
// characters, two or more LDH labels (1 to 63 lower-case letters, digits or
// inner "-"; the loader sends the registrable domain it found). The browser
// itself refuses a domain the page's host is not within.
bool valid_cookie_domain(std::string_view domain) {
  auto ldh = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
  if (domain.size() > 253) return false;
  std::size_t labels = 0;
  for (std::size_t start = 0; start <= domain.size(); ++labels) {
    std::size_t end = std::min(domain.find('.', start), domain.size());
    std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), ldh))
      return false;
    start = end + 1;
  }
  return labels >= 2;
}

std::optional<Timestamp> unix_seconds(const std::string& text) {
  Timestamp value = 0;
  if (text.empty() || text.size() > 12) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The shopper's page is https when the browser says so (Origin on a POST) or
// when a trusted proxy says so (X-Forwarded-Proto); the server itself speaks
// plain HTTP behind its proxy.
bool page_is_https(const httplib::Request& req, const std::vector<std::string>& trusted_proxies) {
  if (req.get_header_value("Origin").rfind("https://", 0) == 0) return true;
  bool trusted = std::find(trusted_proxies.begin(), trusted_proxies.end(), req.remote_addr) != trusted_proxies.end();
  return trusted && req.get_header_value("X-Forwarded-Proto") == "https";
}

// The checked query; 400 for a bad one.
ReferralCookieRequest read_request(const httplib::Request& req, Timestamp now, int window_days) {
  ReferralCookieRequest r;
  r.code = req.get_param_value("code");
  if (!valid_referral_code(r.code))
    throw HttpError(400, "referral.invalid_code",
                    "code must be a referral code: a letter or digit, then up to 63 letters, digits, '_', '.' or '-'");
  auto at = unix_seconds(req.get_param_value("at"));
  // A touch carried from another of the shop's domains keeps its own time;
  // one from the future (beyond five minutes of clock skew) or already
  // outside the window is refused.
  if (!at || *at > now + 300 || *at < now - window_days * kSecondsPerDay)
    throw HttpError(400, "referral.invalid_time",
                    "at must be the referral's time in unix seconds, within the last " + std::to_string(window_days) +
                        " days");
  r.at = *at;
  r.visitor = req.has_param("visitor") ? req.get_param_value("visitor") : "v-" + random_hex(12);
  if (!valid_visitor(r.visitor))
    throw HttpError(400, "referral.invalid_visitor", "visitor must be \"v-\" followed by 24 lower-case hex digits");
  r.domain = req.get_param_value("domain");
  if (!r.domain.empty() && !valid_cookie_domain(r.domain))
    throw HttpError(400, "referral.invalid_domain",
                    "domain must be the shop's registrable domain in lower case (shop.example), or absent");
  return r;
}

}  // namespace

std::string referral_set_cookie(const std::string& name, const std::string& value, long long max_age_seconds,
                                const std::string& domain, bool secure) {
  std::string cookie = name + "=" + value + "; Max-Age=" + std::to_string(max_age_seconds) + "; Path=/";
  if (!domain.empty()) cookie += "; Domain=" + domain;
  cookie += "; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

void post_first_party_referral(Backend& b, Call& call) {
  const httplib::Request& req = call.req;
  httplib::Response& res = call.res;
  res.set_header("Cache-Control", "no-store");
  // Only the shop's own pages (same site) may set the shop's referral:
  // another site cannot stuff a cookie through a shopper's browser.
  if (req.get_header_value("Sec-Fetch-Site") == "cross-site")
    throw HttpError(403, "referral.cross_site", "the referral cookie is set only for the shop's own pages");
  int window_days = std::clamp(attribution_window_days(b.config.attribution_config), 1, 365);
  ReferralCookieRequest r = read_request(req, unix_now(), window_days);
  long long max_age = static_cast<long long>(window_days) * kSecondsPerDay;
  bool secure = page_is_https(req, b.config.trusted_proxies);
  // Not HttpOnly: the loader reads both (and erases both when consent is withdrawn).
  // "|" is written %7C, as the loader's encodeURIComponent writes it.
  res.set_header("Set-Cookie",
                 referral_set_cookie("vouch_ref", r.code + "%7C" + std::to_string(r.at), max_age, r.domain, secure));
  res.set_header("Set-Cookie", referral_set_cookie("vouch_vid", r.visitor, max_age, r.domain, secure));
  res.status = 204;
}

}  // namespace vouch::server
