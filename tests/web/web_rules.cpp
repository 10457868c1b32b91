// The rules the widget and the dashboard share with the C++ core, written out
// for JavaScript from the core's own definitions, so that there is one source.
//
//   web_rules js      prints web/shared/rules.js (scripts/gen-rules.sh writes it)
//   web_rules cases   reads a JSON table of cases on stdin and prints what the
//                     C++ makes of each (tests/web/rules.test.mjs runs the same
//                     table through the JavaScript and compares)
//
// Exit status 2 on a usage error or a case table that is not JSON.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "attribution/attribution.hpp"
#include "csv.hpp"
#include "common/money.hpp"
#include "input/rules.hpp"
#include "feed/review_submission.hpp"
#include "photos.hpp"
#include "social_proof/documents.hpp"

namespace {

using nlohmann::json;
using namespace vouch;

// A CharacterRule as a JavaScript regular expression literal.
std::string regex_of(const CharacterRule& rule) {
  std::string alnum = "A-Za-z0-9", cls = alnum;
  for (char c : rule.punctuation) {
    if (std::string_view("\\]^-/").find(c) != std::string_view::npos) cls += '\\';
    cls += c;
  }
  std::string out = "/^";
  std::size_t min = rule.min, max = rule.max;
  if (rule.alnum_first) {
    out += "[" + alnum + "]";
    min -= 1;
    max -= 1;
  }
  return out + "[" + cls + "]{" + std::to_string(min) + "," + std::to_string(max) + "}$/";
}

// A review token (parse_review_token): base64url, unpadded, of an order id of
// 1 to kMaxReferenceBytes bytes (the order reader's bound on order_id), ".",
// then 32 lower-case hex digits. n bytes are ceil(8n / 6) digits: 1 byte is 2;
// 128 bytes are 1024 bits = 170 digits and 4 bits, so 171 (a 204-character token).
std::string review_token_regex() {
  auto digits = [](std::size_t bytes) { return std::to_string((8 * bytes + 5) / 6); };
  return "/^[A-Za-z0-9_\\-]{" + digits(1) + "," + digits(kMaxReferenceBytes) + "}\\.[0-9a-f]{32}$/";
}

// Three-letter codes whose exponent is not the default 2, asked of
// currency_exponent itself (every code from AAA to ZZZ).
json currency_exponents() {
  json out = json::object();
  std::string code = "AAA";
  for (code[0] = 'A'; code[0] <= 'Z'; ++code[0])
    for (code[1] = 'A'; code[1] <= 'Z'; ++code[1])
      for (code[2] = 'A'; code[2] <= 'Z'; ++code[2])
        if (int e = currency_exponent(code); e != 2) out[code] = e;
  return out;
}

void print_js(std::ostream& out) {
  const ReviewLimits review;
  const server::PhotoLimits photo;
  out << "// Generated from the C++ core by tests/web/web_rules.cpp (scripts/gen-rules.sh): do not edit.\n"
         "// tests/web/rules.test.mjs fails when this file and the core disagree.\n\n"
         "/** A referral code (?ref=, ?via=, a coupon, a feed's codes): core/input/rules.hpp kCodeRule. */\n"
         "export const REFERRAL_CODE = "
      << regex_of(kCodeRule)
      << ";\n"
         "/** A creator's source tag (?src=, a touch's src; stored in lower case): kSourceTagRule. */\n"
         "export const SOURCE_TAG = "
      << regex_of(kSourceTagRule)
      << ";\n"
         "/** An id of a product, creator or item: kIdRule. */\n"
         "export const IDENTIFIER = "
      << regex_of(kIdRule)
      << ";\n"
         "/** A creator's handle per platform (\"\": any other platform): kHandleRules. */\n"
         "export const HANDLES = {";
  for (std::size_t i = 0; i < std::size(kHandleRules); ++i)
    out << (i ? ", " : " ") << json(kHandleRules[i].platform).dump() << ": " << regex_of(kHandleRules[i]);
  out << " };\n"
         "/** Links (is_link_url): http(s) or a path on the site, at most this many UTF-8 bytes, none of these. */\n"
         "export const LINK_MAX_BYTES = "
      << kMaxLinkBytes << ";\nexport const LINK_FORBIDDEN = " << json(kLinkForbidden).dump()
      << ";\n"
         "/** A review a shopper writes (ReviewLimits, in characters; PhotoLimits::max_bytes). */\n"
         "export const REVIEW_LIMITS = { title: "
      << review.max_title << ", body: " << review.max_body << ", name: " << review.max_name
      << ", photos: " << review.max_photos << ", photoBytes: " << photo.max_bytes
      << " };\n"
         "/** A verified buyer's review token (parse_review_token): base64url(order id) \".\" 32 hex digits. */\n"
         "export const REVIEW_TOKEN = "
      << review_token_regex()
      << ";\n"
         "/** Items on the rail and on a page of \"See all\": the public documents are exact for these. */\n"
         "export const RAIL_SIZE = "
      << kRailSize << ";\nexport const PAGE_SIZE = " << kReviewsPageSize
      << ";\n"
         "/** ISO 4217 digits after the decimal point where they are not 2 (currency_exponent). */\n"
         "export const CURRENCY_EXPONENTS = "
      << currency_exponents().dump()
      << ";\n"
         "/** A CSV field starting with one of these is written with a leading ' (server/csv.hpp). */\n"
         "export const CSV_FORMULA_START = "
      << json(server::kCsvFormulaStart).dump() << ";\n";
}

// Each list of the table through its C++ rule, in the same order.
json run_cases(const json& table) {
  json out = json::object();
  auto each = [&](const char* name, auto rule) {
    json results = json::array();
    for (const json& value : table.value(name, json::array())) results.push_back(rule(value));
    out[name] = results;
  };
  each("links", [](const json& v) { return is_link_url(v.get<std::string>()); });
  each("codes", [](const json& v) { return follows(kCodeRule, v.get<std::string>()); });
  each("ids", [](const json& v) { return follows(kIdRule, v.get<std::string>()); });
  each("tags", [](const json& v) { return follows(kSourceTagRule, v.get<std::string>()); });
  each("handles", [](const json& v) {
    return follows(handle_rule(v.at(0).get<std::string>()), v.at(1).get<std::string>());
  });
  each("documents", [](const json& v) { return document_name(v.get<std::string>()); });
  each("csv", [](const json& v) { return server::csv_field(v.get<std::string>()); });
  each("currencies", [](const json& v) { return currency_exponent(v.get<std::string>()); });
  each("review_tokens", [](const json& v) { return parse_review_token(v.get<std::string>()).has_value(); });
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc == 2 ? argv[1] : "";
  if (mode == "js") {
    print_js(std::cout);
    return 0;
  }
  if (mode == "cases") {
    std::stringstream text;
    text << std::cin.rdbuf();
    try {
      std::cout << run_cases(json::parse(text.str())).dump() << "\n";
      return 0;
    } catch (const json::exception& e) {
      std::cerr << "web_rules: the case table is not what it should be: " << e.what() << "\n";
      return 2;
    }
  }
  std::cerr << "usage: web_rules js | web_rules cases < TABLE.json\n";
  return 2;
}
