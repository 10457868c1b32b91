#pragma once
// What the creator portal's endpoints share (docs/portal.md): the session
// behind Auth::Creator, magic links made and sent, the ledger caught up
// before it is read, day ranges, the shop's address and the settings' JSON.
// The handlers themselves are declared in backend.hpp: the creator's side in
// portal_endpoints.cpp, the owner's in creator_endpoints.cpp.
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "backend.hpp"
#include "portal_auth.hpp"

namespace vouch::server {

// Auth::Creator (HttpPolicy::creator_session): the live session of the
// request's portal cookie, whose creator the feed still has.
std::optional<CreatorSession> portal_session_of(Backend& b, const httplib::Request& req);
// The body as a JSON object ({} when empty); 400 request.invalid_json otherwise.
nlohmann::json json_body(const Call& call);
// A body's field: its text ("" when absent or not text) and its flag (false
// when absent; 400 request.invalid_field when not true or false).
std::string text_field(const nlohmann::json& body, const char* key);
bool flag_field(const nlohmann::json& body, const char* key);
// A new link for the creator, stored (hashed), logged as made by `by`.
PortalLinkToken make_portal_link(Backend& b, const std::string& influencer, const std::string& by, Timestamp now);
// The same, sent through the store's mailer (the portal settings' URL).
PortalLinkToken send_portal_link(Backend& b, const PortalCreator& creator, const std::string& base,
                                 const std::string& by, Timestamp now);
// The ledger read up to `now` (commission_ledger.hpp) with the server's config.
void catch_up_ledger(Backend& b, Timestamp now);
// ?from=&to= as UTC days [from, to); the last `default_days` days by default.
std::pair<Timestamp, Timestamp> day_range(const httplib::Request& req, Timestamp now, int default_days);
// Where creators' links point: the first --allow-origin shop, else this server.
std::string shop_origin(const Backend& b, const httplib::Request& req);
nlohmann::json settings_json(const PortalSettings& settings, const std::string& currency);

}  // namespace vouch::server
