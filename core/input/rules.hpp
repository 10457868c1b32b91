#pragma once
// The field rules every contract shares (docs/feed.md, "Identifiers" and
// "Rules every contract shares"): what an id, a code, a handle, a link, a
// language tag and a browser-made id may hold, and the lengths of references.
// One definition, read by every reader of the core (input/fields.hpp) and by
// the web side: web/shared/rules.js is generated from this file
// (tests/web/web_rules.cpp; a test fails when the two disagree). Ids, codes
// and handles end up in HTML attributes, URLs, CSV files, events and logs.
#include <cstddef>
#include <iterator>
#include <string_view>

namespace vouch {

// ASCII letters and digits, and `punctuation`, as `description` says in messages.
struct CharacterRule {
  std::string_view platform;  // handles only: "" for ids, codes and other platforms
  std::size_t min, max;       // length in bytes
  std::string_view punctuation;
  bool alnum_first;
  std::string_view description;
};

// Ids (SKUs such as TS-001/BLK:XL pass) and codes (what the loader accepts in ?ref=).
inline constexpr CharacterRule kIdRule = {
    "", 1, 128, "._-:/", true,
    "1 to 128 letters, digits, \".\", \"_\", \"-\", \":\" or \"/\", starting with a letter or digit"};
inline constexpr CharacterRule kCodeRule = {
    "", 1, 64, "._-", true, "1 to 64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit"};
// A creator's source tag (?src= on their link: instagram, tiktok,
// newsletter...): what a touch records so reports split by where it came from.
inline constexpr CharacterRule kSourceTagRule = {
    "", 1, 32, "_-", true, "1 to 32 letters, digits, \"_\" or \"-\", starting with a letter or digit"};
// Handles: the platforms' own sign-up rules; the last is any other platform.
inline constexpr CharacterRule kHandleRules[] = {
    {"instagram", 1, 30, "._", false, "1 to 30 letters, digits, \".\" or \"_\" on instagram"},
    {"tiktok", 2, 24, "._", false, "2 to 24 letters, digits, \".\" or \"_\" on tiktok"},
    {"youtube", 3, 30, "._-", false, "3 to 30 letters, digits, \".\", \"_\" or \"-\" on youtube"},
    {"x", 1, 15, "_", false, "1 to 15 letters, digits or \"_\" on x"},
    {"", 1, 30, "._", false, "1 to 30 letters, digits, \".\" or \"_\""},
};

constexpr bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The rule of a platform's handles (case-insensitive name; any other platform: the last rule).
constexpr const CharacterRule& handle_rule(std::string_view platform) {
  for (const CharacterRule& rule : kHandleRules) {
    bool same = rule.platform.size() == platform.size();
    for (std::size_t i = 0; same && i < platform.size(); ++i) {
      char c = platform[i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == rule.platform[i];
    }
    if (same) return rule;
  }
  return kHandleRules[std::size(kHandleRules) - 1];
}

constexpr bool follows(const CharacterRule& rule, std::string_view value) {
  if (value.size() < rule.min || value.size() > rule.max) return false;
  if (rule.alnum_first && !ascii_alnum(value[0])) return false;
  for (char c : value)
    if (!ascii_alnum(c) && rule.punctuation.find(c) == std::string_view::npos) return false;
  return true;
}

// Links (product and media URLs, avatars, profiles): at most this many bytes,
// none of them a control character, a space or one of these.
inline constexpr std::size_t kMaxLinkBytes = 2048;
inline constexpr std::string_view kLinkForbidden = "\"<>\\";

// An http(s) URL (scheme in any case) or a path on the shop's own site
// ("/p/1"). Anything else (javascript:, data:, "//evil.example", a relative
// "p/1") is refused, because the widget renders these as links and images.
constexpr bool is_link_url(std::string_view url) {
  if (url.empty() || url.size() > kMaxLinkBytes) return false;
  auto starts_ci = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = url[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != prefix[i]) return false;
    }
    return true;
  };
  bool ok = starts_ci("https://") || starts_ci("http://") || (url[0] == '/' && (url.size() == 1 || url[1] != '/'));
  for (char c : url)
    ok = ok && static_cast<unsigned char>(c) > 0x20 && kLinkForbidden.find(c) == std::string_view::npos;
  return ok;
}


// A language tag (BCP 47's shape): a letter first, then letters, digits and
// "-", at most 35 bytes: "en", "fr-CA", "zh-Hant-TW" (a store's, an item's,
// a review's and a query's locale).
inline constexpr CharacterRule kLanguageRule = {"", 1, 35, "-", false, "a language tag such as \"en\" or \"fr-CA\""};
constexpr bool is_language_tag(std::string_view tag) {
  return follows(kLanguageRule, tag) && ((tag[0] >= 'a' && tag[0] <= 'z') || (tag[0] >= 'A' && tag[0] <= 'Z'));
}

// 1..max visible ASCII characters (0x21..0x7e): what browsers make (visitor
// ids, event ids, a review's client id).
constexpr bool is_visible_ascii(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char c : text)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

// Lengths every reader of touches, orders and events shares.
inline constexpr std::size_t kMaxReferenceBytes = 128;  // visitors, order ids, codes, customer hashes
inline constexpr std::size_t kMaxLandingBytes = 2048;   // landing pages, click targets
inline constexpr std::size_t kMaxOrderItems = 100;

}  // namespace vouch
