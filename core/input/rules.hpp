#pragma once
// The field rules every contract shares (docs/feed.md, "Identifiers" and
// "Fields"): what an id, a code, a handle, a URL, a language tag and a
// visitor-made id may hold. One table, read by every reader of the core
// (input/fields.hpp), and by anyone who must agree with them (the web side
// checks ?ref= codes with kCodeRule's characters).
#include <cstddef>
#include <string_view>

namespace vouch {

// What an identifier may hold: ASCII letters and digits, and `punctuation`,
// as `description` says in messages. Ids, codes and handles end up in HTML
// attributes, URLs, CSV files, events and logs.
struct CharacterRule {
  std::string_view platform;  // handles only: "" for ids, codes and other platforms
  std::size_t min, max;       // bytes
  std::string_view punctuation;
  bool alnum_first;
  std::string_view description;
};

// Ids of the feed (SKUs such as TS-001/BLK:XL pass) and the influencer a
// touch names.
inline constexpr CharacterRule kIdRule = {
    "", 1, 128, "._-:/", true,
    "1 to 128 letters, digits, \".\", \"_\", \"-\", \":\" or \"/\", starting with a letter or digit"};
// Referral codes: what the loader accepts in ?ref= and ?via=.
inline constexpr CharacterRule kCodeRule = {
    "", 1, 64, "._-", true, "1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit"};
// Handles: the platforms' own sign-up rules; the last is any other platform.
inline constexpr CharacterRule kHandleRules[] = {
    {"instagram", 1, 30, "._", false, "1 to 30 letters, digits, \".\" or \"_\" on instagram"},
    {"tiktok", 2, 24, "._", false, "2 to 24 letters, digits, \".\" or \"_\" on tiktok"},
    {"youtube", 3, 30, "._-", false, "3 to 30 letters, digits, \".\", \"_\" or \"-\" on youtube"},
    {"x", 1, 15, "_", false, "1 to 15 letters, digits or \"_\" on x"},
    {"", 1, 30, "._", false, "1 to 30 letters, digits, \".\" or \"_\""},
};
// A language tag (BCP 47's shape): a letter first, then letters, digits and
// "-", at most 35 characters: "en", "fr-CA", "zh-Hant-TW".
inline constexpr CharacterRule kLanguageRule = {
    "", 1, 35, "-", false, "a language tag such as \"en\" or \"fr-CA\""};

// The rule of a platform's handles (case-insensitive; others share the last).
const CharacterRule& handle_rule(std::string_view platform);

bool follows(const CharacterRule& rule, std::string_view value);
bool is_language_tag(std::string_view tag);

// http(s) absolute, or a site path ("/p/1"); not javascript:, data: or
// //host, and no spaces, quotes, angle brackets or backslashes: the widget
// renders these as links.
bool is_link_url(std::string_view url);

// 1..max visible ASCII characters (0x21..0x7e): what browsers make (visitor
// ids, event ids, a review's client id).
bool is_visible_ascii(std::string_view text, std::size_t max);

// Limits every reader of touches, orders and events shares.
inline constexpr std::size_t kMaxReferenceBytes = 128;  // visitors, order ids, codes, customer hashes
inline constexpr std::size_t kMaxLandingBytes = 2048;   // landing pages, click targets
inline constexpr std::size_t kMaxOrderItems = 100;

}  // namespace vouch
