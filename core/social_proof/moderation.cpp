#include "social_proof/moderation.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "common/text.hpp"

namespace vouch {

namespace {

constexpr std::string_view kLinkRemoved = "[link removed]";
constexpr std::string_view kEmailRemoved = "[email removed]";
constexpr std::string_view kPhoneRemoved = "[phone removed]";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

// Top-level domains that make "word.word" a link rather than a typo such as
// "fit.Great" (a missing space): the common generic ones and a few country
// codes seen in shop spam.
constexpr std::array<std::string_view, 26> kTopLevelDomains = {
    "com", "net", "org", "io", "co", "info", "biz", "shop", "store", "app", "me", "ly", "xyz",
    "online", "site", "link", "club", "top", "us", "uk", "de", "fr", "es", "nl", "ca", "au"};

// "shop.example.com/promo" (already lower-cased): host labels of [a-z0-9-],
// at least two, the last a known top-level domain.
bool is_bare_domain(std::string_view core) {
  std::string_view host = core.substr(0, core.find_first_of("/?#"));
  if (host.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  std::string_view last;
  while (true) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (label.empty()) return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-') return false;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::find(kTopLevelDomains.begin(), kTopLevelDomains.end(), last) != kTopLevelDomains.end();
}

bool is_link(std::string_view lower_core) {
  if (lower_core.rfind("http://", 0) == 0 || lower_core.rfind("https://", 0) == 0) return true;
  if (lower_core.rfind("www.", 0) == 0 && lower_core.size() > 4) return true;
  return is_bare_domain(lower_core);
}

bool is_email(std::string_view lower_core) {
  std::size_t at = lower_core.find('@');
  if (at == 0 || at == std::string_view::npos || lower_core.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : lower_core.substr(0, at))
    if (!is_alnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') return false;
  std::string_view domain = lower_core.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return false;
  for (char c : domain)
    if (!is_alnum(c) && c != '.' && c != '-') return false;
  std::string_view tld = domain.substr(domain.rfind('.') + 1);
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), is_alpha);
}

constexpr std::string_view kLeadingPunctuation = "([{<\"'";
constexpr std::string_view kTrailingPunctuation = ".,;:!?)]}>\"'";

// Pass 1: whitespace-separated tokens whose core (punctuation around it
// stripped) is an e-mail address or a link.
MaskedText mask_links_and_emails(std::string_view text) {
  MaskedText out;
  out.text.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      out.text += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    std::size_t lead = 0;
    while (lead < token.size() && kLeadingPunctuation.find(token[lead]) != std::string_view::npos) ++lead;
    std::size_t trail = token.size();
    while (trail > lead && kTrailingPunctuation.find(token[trail - 1]) != std::string_view::npos) --trail;
    std::string_view raw_core = token.substr(lead, trail - lead);
    std::string_view replacement;
    // Links and e-mail addresses need one of '@', '.' or ':'; most words have
    // none and skip the (allocating) checks.
    std::string core = raw_core.find_first_of("@.:") == std::string_view::npos ? std::string() : ascii_lower(raw_core);
    if (!core.empty() && is_email(core)) {
      replacement = kEmailRemoved;
      ++out.emails;
    } else if (!core.empty() && is_link(core)) {
      replacement = kLinkRemoved;
      ++out.links;
    }
    if (replacement.empty()) {
      out.text += token;
    } else {
      out.text += token.substr(0, lead);
      out.text += replacement;
      out.text += token.substr(trail);
    }
    i = end;
  }
  return out;
}

// "2026-10-02", "02/10/2026": three digit groups joined by one repeated
// separator, shaped like a date, are not phone numbers.
bool looks_like_date(std::string_view run) {
  std::array<std::size_t, 4> groups{};
  std::size_t count = 0;
  char separator = 0;
  for (char c : run) {
    if (is_digit(c)) {
      if (count == 0) count = 1;
      ++groups[count - 1];
    } else {
      if (separator == 0) separator = c;
      if (c != separator || c == ' ' || count >= 3) return false;
      ++count;
    }
  }
  if (count != 3) return false;
  bool year_first = groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2;
  bool year_last = groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4);
  return year_first || year_last;
}

// Pass 2: runs of digits with + ( ) - . or single spaces between them.
std::string mask_phones(const std::string& text, int& phones) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool can_start = (is_digit(c) || c == '+' || c == '(') && (i == 0 || !is_alnum(text[i - 1]));
    if (!can_start) {
      out += text[i++];
      continue;
    }
    std::size_t j = i + 1;
    while (j < text.size()) {
      char d = text[j];
      if (is_digit(d) || d == '-' || d == '.' || d == '(' || d == ')') {
        ++j;
      } else if (d == ' ' && j + 1 < text.size() && (is_digit(text[j + 1]) || text[j + 1] == '(')) {
        ++j;
      } else {
        break;
      }
    }
    std::size_t end = j;
    while (end > i && !is_digit(text[end - 1])) --end;  // no trailing separators
    std::string_view run(text.data() + i, end - i);
    auto digits = static_cast<std::size_t>(std::count_if(run.begin(), run.end(), is_digit));
    bool followed_by_word = end < text.size() && is_alpha(text[end]);
    if (digits >= 7 && digits <= 15 && !followed_by_word && !looks_like_date(run)) {
      out += kPhoneRemoved;
      ++phones;
      i = end;
    } else {
      // Not a phone: copy the whole digit run so that its tail is not retried.
      std::size_t copy_to = std::max(end, i + 1);
      out.append(text, i, copy_to - i);
      i = copy_to;
    }
  }
  return out;
}

// Phrases that sell rather than review. Matched on lower-cased text at word
// boundaries.
constexpr std::array<std::string_view, 28> kPromoPhrases = {
    "buy now",       "best price",    "click here",   "free gift",      "gift card",  "limited offer",
    "limited time",  "act now",       "discount code", "promo code",    "amazing discount",
    "wholesale",     "whatsapp",      "telegram",     "email me",       "call me",    "dm me",
    "text me",       "see my page",   "visit my",     "check my profile", "follow me", "make $$$",
    "make money",    "from home",     "100% free",    "cheap deals",    "earn $"};

// One pass over the words: which promo phrases start at a word boundary and
// end at one (phrases ending in a symbol, "make $$$", need no end boundary).
std::array<bool, kPromoPhrases.size()> find_promo_phrases(std::string_view lower) {
  std::array<bool, kPromoPhrases.size()> found{};
  for (std::size_t at = 0; at < lower.size(); ++at) {
    if (at > 0 && is_alnum(lower[at - 1])) continue;
    for (std::size_t p = 0; p < kPromoPhrases.size(); ++p) {
      std::string_view phrase = kPromoPhrases[p];
      if (found[p] || lower[at] != phrase.front() || lower.compare(at, phrase.size(), phrase) != 0) continue;
      std::size_t after = at + phrase.size();
      found[p] = after >= lower.size() || !is_alnum(lower[after]) || !is_alnum(phrase.back());
    }
  }
  return found;
}

// Shouting: at least three words written in capitals, and they are at least
// half of the words with two or more letters.
bool is_shouting(std::string_view masked) {
  int lettered = 0, capitals = 0;
  std::size_t i = 0;
  while (i < masked.size()) {
    while (i < masked.size() && is_space(masked[i])) ++i;
    std::size_t end = i;
    while (end < masked.size() && !is_space(masked[end])) ++end;
    std::string_view token = masked.substr(i, end - i);
    i = end;
    if (token.find("removed]") != std::string_view::npos) continue;  // a masked link, not words
    int upper = 0, lower = 0;
    for (char c : token) {
      if (c >= 'A' && c <= 'Z') ++upper;
      if (c >= 'a' && c <= 'z') ++lower;
    }
    if (upper + lower < 2) continue;
    ++lettered;
    if (lower == 0) ++capitals;
  }
  return capitals >= 3 && capitals * 2 >= lettered;
}

// The same character (not a space or digit) five or more times in a row:
// "!!!!!", "goooood".
bool has_repeated_characters(std::string_view text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    run = (i > 0 && text[i] == text[i - 1]) ? run + 1 : 1;
    if (run >= 5 && !is_space(text[i]) && !is_digit(text[i])) return true;
  }
  return false;
}

// Markup: "<" then an optional "/", a letter, more letters, digits or
// hyphens, and a space, "/" or ">" ("<b>", "</p>", "<iframe src=...>");
// "I <3 it" and "size < 10" are not tags.
bool has_markup(std::string_view lower) {
  for (std::size_t i = 0; i + 1 < lower.size(); ++i) {
    if (lower[i] != '<') continue;
    std::size_t j = i + 1;
    if (lower[j] == '/') ++j;
    if (j >= lower.size() || !is_alpha(lower[j])) continue;
    while (j < lower.size() && (is_alnum(lower[j]) || lower[j] == '-')) ++j;
    if (j < lower.size() && (is_space(lower[j]) || lower[j] == '/' || lower[j] == '>')) return true;
  }
  return false;
}

// Event handlers a browser runs from an attribute (the common ones; any
// on...= counts inside markup).
constexpr std::array<std::string_view, 40> kEventHandlers = {
    "onabort", "onanimationend", "onanimationstart", "onbegin", "onbeforeunload", "onblur", "onchange",
    "onclick", "oncontextmenu", "oncopy", "oncut", "ondblclick", "ondrag", "ondrop", "onerror", "onfocus",
    "onfocusin", "onhashchange", "oninput", "onkeydown", "onkeypress", "onkeyup", "onload", "onmessage",
    "onmousedown", "onmouseenter", "onmouseleave", "onmousemove", "onmouseout", "onmouseover", "onmouseup",
    "onpageshow", "onpaste", "onpointerdown", "onpointerover", "onresize", "onscroll", "onsubmit", "ontoggle",
    "onwheel"};

// An event-handler attribute: "on" and three or more letters, then "=",
// after a space, quote, "/" or ";" ("<img src=x onerror=...", "\" onload=").
// Outside markup only a known handler counts ("online=cheaper" is prose).
bool has_event_handler(std::string_view lower, bool in_markup) {
  for (std::size_t i = 0; i + 2 < lower.size(); ++i) {
    if (lower[i] != 'o' || lower[i + 1] != 'n') continue;
    if (i > 0 && !is_space(lower[i - 1]) && std::string_view("\"'/;").find(lower[i - 1]) == std::string_view::npos)
      continue;
    std::size_t j = i + 2;
    while (j < lower.size() && is_alpha(lower[j])) ++j;
    std::string_view name = lower.substr(i, j - i);
    if (name.size() < 5) continue;
    while (j < lower.size() && is_space(lower[j])) ++j;
    if (j >= lower.size() || lower[j] != '=') continue;
    if (in_markup || std::find(kEventHandlers.begin(), kEventHandlers.end(), name) != kEventHandlers.end())
      return true;
  }
  return false;
}

// Script: a script URL or element, an event handler, or a call that only
// script makes. Checked on the lower-cased text with spaces and control
// characters removed, so "java script:" and "alert (1)" do not slip by.
constexpr std::array<std::string_view, 13> kScriptMarks = {
    "javascript:", "vbscript:", "data:text/html", "<script", "alert(", "prompt(", "confirm(",
    "eval(", "document.cookie", "document.location", "window.location", ".constructor(", "fromcharcode("};

bool looks_like_script(std::string_view lower, bool in_markup) {
  if (has_event_handler(lower, in_markup)) return true;
  std::string squeezed;
  squeezed.reserve(lower.size());
  for (char c : lower)
    if (static_cast<unsigned char>(c) > 0x20) squeezed += c;
  return std::any_of(kScriptMarks.begin(), kScriptMarks.end(),
                     [&](std::string_view mark) { return squeezed.find(mark) != std::string::npos; });
}

}  // namespace

MaskedText mask_contact_details(std::string_view text) {
  MaskedText out = mask_links_and_emails(text);
  out.text = mask_phones(out.text, out.phones);
  return out;
}

bool SpamVerdict::is_spam() const { return points >= kSpamThreshold; }

SpamVerdict judge_spam(std::string_view title, std::string_view body) {
  std::string text;
  text.reserve(title.size() + body.size() + 1);
  text.append(title).append("\n").append(body);
  MaskedText masked = mask_contact_details(text);
  SpamVerdict verdict;
  auto add = [&](int points, std::string signal) {
    verdict.points += points;
    verdict.signals.push_back(std::move(signal));
  };
  if (is_shouting(masked.text)) add(2, "shouting");
  if (has_repeated_characters(masked.text)) add(1, "repeated_characters");
  std::string lower = ascii_lower(masked.text);
  int promo = 0;
  auto found = find_promo_phrases(lower);
  for (std::size_t p = 0; p < kPromoPhrases.size(); ++p) {
    if (!found[p]) continue;
    verdict.signals.push_back("promo_phrase:" + std::string(kPromoPhrases[p]));
    if (promo < 3) {
      ++promo;
      ++verdict.points;
    }
  }
  if (masked.links >= 2) add(2, "many_links");
  else if (masked.links == 1) add(1, "link");
  if (masked.emails > 0) add(1, "email");
  if (masked.phones > 0) add(1, "phone");
  // Markup and script are judged on the text as written: masking a link
  // could hide "javascript:" inside "[link removed]".
  std::string raw_lower = ascii_lower(text);
  bool markup = has_markup(raw_lower);
  if (markup) add(2, "markup");
  if (looks_like_script(raw_lower, markup)) add(kSpamThreshold, "script");
  return verdict;
}

}  // namespace vouch
