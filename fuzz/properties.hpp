#pragma once
// The properties every fuzz target checks, shared by the libFuzzer targets
// (fuzz/fuzz_*.cpp) and the regression replay (tests/fuzz/): one input goes
// through one entry point twice, and the first broken property is returned
// as a sentence ("" when all hold).
//   - no crash and no sanitizer report (the sanitizers abort on their own);
//   - nothing but VouchException leaves an entry point;
//   - every error has a non-empty code and message, and a path that is ""
//     or a JSON Pointer starting with "/";
//   - every number in an output is finite;
//   - the same input gives the same output bytes (run twice, compared).
#include <string>
#include <string_view>

namespace vouch::fuzz {

// load_feed on the input; when the feed loads, the engines run on it too
// (social proof for its first products, a fixed brief, a fixed attribution).
std::string check_load_feed(std::string_view input);
// parse_json_input with small limits; a parsed document never nests deeper
// than the limit.
std::string check_json_input(std::string_view input);
// The input is a social-proof query, run against a fixed generated feed.
std::string check_social_proof(std::string_view input);
// The input is a brief, run against a fixed generated feed.
std::string check_match(std::string_view input);
// The input is {"touches": [...], "orders": [...], "config": {...}}; it runs
// through attribute_json and report_json against a fixed generated feed.
std::string check_attribution(std::string_view input);

// The server's ingest, on the fixed feed's store: the input is an event
// batch {"events": [...]} (validate_batch), an order or refund webhook body
// (validate_server_order and validate_refund), or "HEADER\nBODY" for the
// X-Vouch-Signature check. Accepted touches and orders must all be
// attributable (the report sets none aside); a passing signature must be the
// body's HMAC, and the body's own signature must pass.
std::string check_event_batch(std::string_view input);
std::string check_webhook(std::string_view input);
std::string check_signature_header(std::string_view input);

// The fixed feed of the engine targets: `vouch generate --seed 7 --products 3
// --influencers 12 --ugc 60` (seed corpora are made against the same feed).
inline constexpr const char* kFixtureFeedCommand =
    "vouch generate --seed 7 --products 3 --influencers 12 --ugc 60";

}  // namespace vouch::fuzz
