#pragma once
// Moderation of user-generated text before a shopper sees it: contact
// details are masked, and items that are mostly spam are excluded with the
// signals that condemned them. Rules are documented in docs/social-proof.md.
#include <string>
#include <string_view>
#include <vector>

namespace vouch {

struct MaskedText {
  std::string text;
  int links = 0;
  int emails = 0;
  int phones = 0;
};

// Replaces e-mail addresses with "[email removed]", URLs and bare domains
// (http://…, www.…, shop.example.com/…) with "[link removed]" and phone
// numbers (7 to 15 digits, optionally with + ( ) - . or spaces between) with
// "[phone removed]". Counts what it masked.
MaskedText mask_contact_details(std::string_view text);

struct SpamVerdict {
  int points = 0;
  std::vector<std::string> signals;  // "shouting", "repeated_characters", "promo_phrase:buy now", "markup", "script", ...
  bool is_spam() const;
};

// Points: shouting +2; a character repeated 5+ times in a row +1; each promo
// phrase +1 (at most 3); one link +1, two or more ("many links") +2; an
// e-mail address +1; a phone number +1; markup (an HTML tag) +2; script (a
// javascript: URL, a <script> element, an event-handler attribute such as
// onerror=, or a call only script makes such as alert( or document.cookie)
// +kSpamThreshold, so script alone excludes an item. Spam from kSpamThreshold
// points.
constexpr int kSpamThreshold = 3;
SpamVerdict judge_spam(std::string_view title, std::string_view body);

}  // namespace vouch
