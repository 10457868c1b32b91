#include "input/rules.hpp"

#include <iterator>

#include "common/text.hpp"

namespace vouch {

namespace {

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

const CharacterRule& handle_rule(std::string_view platform) {
  std::string lower = ascii_lower(platform);
  for (const CharacterRule& rule : kHandleRules)
    if (rule.platform == lower) return rule;
  return kHandleRules[std::size(kHandleRules) - 1];
}

bool follows(const CharacterRule& rule, std::string_view value) {
  if (value.size() < rule.min || value.size() > rule.max) return false;
  if (rule.alnum_first && !ascii_alnum(value[0])) return false;
  for (char c : value)
    if (!ascii_alnum(c) && rule.punctuation.find(c) == std::string_view::npos) return false;
  return true;
}

bool is_language_tag(std::string_view tag) { return follows(kLanguageRule, tag) && ascii_letter(tag[0]); }

bool is_link_url(std::string_view u) {
  if (u.empty()) return false;
  std::string lower = ascii_lower(u.substr(0, 8));
  bool ok = lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0 ||
            (u[0] == '/' && (u.size() == 1 || u[1] != '/'));
  for (char c : u) ok = ok && static_cast<unsigned char>(c) > 0x20 && c != '"' && c != '<' && c != '>' && c != '\\';
  return ok;
}

bool is_visible_ascii(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char c : text)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

}  // namespace vouch
