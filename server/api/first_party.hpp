#pragma once
// The first-party referral cookie (docs/widget.md, "First-party referral
// cookie"): `POST /v1/first-party/referral?code=&at=&visitor=&domain=`
// answers 204 with two Set-Cookie headers, vouch_ref=<code>|<at> and
// vouch_vid=<visitor>, each Max-Age = the attribution window, SameSite=Lax,
// Path=/, Domain=<domain> when given, Secure when the shopper's page is https.
//
// It is meant to be mounted under a path of the shop's own origin by a
// reverse proxy (nginx, Caddy): the cookies are then set by the site's own
// server from the site's own address, which Safari's tracking prevention does
// not cap at 7 days as it caps cookies written by script.
//
// Self-contained: it reads nothing but the request and stores nothing. Its
// handler is post_first_party_referral (backend.hpp, the route table).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/time.hpp"

namespace vouch::server {

// What a valid request asks for (the query, checked).
struct ReferralCookieRequest {
  std::string code;     // a referral code as the loader accepts it
  Timestamp at = 0;     // when the shopper arrived through it (unix seconds)
  std::string visitor;  // "v-" + 24 hex
  std::string domain;   // the cookie's Domain; empty: a host-only cookie
};

// One Set-Cookie value, e.g. "vouch_ref=TESS10%7C1764547200; Max-Age=2592000;
// Path=/; Domain=shop.example; SameSite=Lax; Secure".
std::string referral_set_cookie(const std::string& name, const std::string& value, long long max_age_seconds,
                                const std::string& domain, bool secure);

}  // namespace vouch::server
