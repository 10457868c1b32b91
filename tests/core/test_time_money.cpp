// Times and money: the conversions every engine relies on at its edges.
#include <catch2/catch.hpp>
#include <cmath>

#include "common/money.hpp"
#include "common/text.hpp"
#include "common/time.hpp"

using namespace vouch;

// Worked example: 2026-01-01 is 56 years after 1970 with 14 leap days
// (1972..2024), so 56*365 + 14 = 20454 days. Jan..Sep 2026 add 273 days and
// October 2nd one more: 20728 days = 1,790,899,200 s; 17:00 adds 61,200 s.
constexpr Timestamp kOct2At17 = 1790960400;

TEST_CASE("RFC 3339 date-times parse to UTC seconds", "[time]") {
  CHECK(parse_rfc3339("2026-10-02T17:00:00Z") == kOct2At17);
  CHECK(parse_rfc3339("2026-10-02T19:00:00+02:00") == kOct2At17);
  CHECK(parse_rfc3339("2026-10-02T12:30:00-04:30") == kOct2At17);
  CHECK(parse_rfc3339("2026-10-02T17:00:00.999Z") == kOct2At17);  // fractions truncate
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_date("2026-11-01") == (20728 + 30) * kSecondsPerDay);
}

TEST_CASE("malformed times are refused, not guessed", "[time]") {
  CHECK_FALSE(parse_rfc3339("2026-02-29T00:00:00Z"));  // 2026 is not a leap year
  CHECK_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-10-02T17:00:00"));  // no offset
  CHECK_FALSE(parse_rfc3339("2026-10-02T24:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2026-10-02T17:00:00Zjunk"));
  CHECK_FALSE(parse_rfc3339("yesterday"));
  CHECK_FALSE(parse_rfc3339(""));
  CHECK_FALSE(parse_date("2026-10-02T17:00:00Z"));
  CHECK(parse_rfc3339("2024-02-29T00:00:00Z"));  // 2024 is
}

TEST_CASE("times format back to RFC 3339", "[time]") {
  CHECK(format_rfc3339(kOct2At17) == "2026-10-02T17:00:00Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_date(kOct2At17) == "2026-10-02");
}

TEST_CASE("money converts to minor units of its currency", "[money]") {
  CHECK(to_minor_units(129.0, "USD") == 12900);
  CHECK(to_minor_units(129.99, "USD") == 12999);
  // 0.295 * 100 is 29.499999999999996 in binary; as a decimal it is 29.5 -> 30.
  CHECK(to_minor_units(0.295, "USD") == 30);
  CHECK(to_minor_units(1500, "JPY") == 1500);     // yen have no minor unit
  CHECK(to_minor_units(1.2345, "KWD") == 1235);   // dinar: three decimals, 1234.5 rounds up
  CHECK_FALSE(to_minor_units(1e300, "USD"));
  CHECK(to_major_units(12999, "USD") == Approx(129.99));
  CHECK(is_currency_code("USD"));
  CHECK_FALSE(is_currency_code("usd"));
  CHECK_FALSE(is_currency_code("US"));
}

TEST_CASE("UTF-8 validation finds the first bad byte", "[text]") {
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("Très bien \xF0\x9F\x91\x8D"));  // é and a thumbs-up
  CHECK(find_invalid_utf8("ok\xFF") == 2);
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);          // overlong '/'
  CHECK(find_invalid_utf8("a\xED\xA0\x80") == 1);     // UTF-16 surrogate
  CHECK(find_invalid_utf8("ab\xE2\x82") == 2);        // truncated sequence
}

TEST_CASE("scores print rounded to six decimals", "[text]") {
  CHECK(round_score(0.1234564) == 0.123456);
  CHECK(round_score(0.1234565) == Approx(0.123457));
  CHECK(round_score(-0.0000001) == 0.0);
  CHECK_FALSE(std::signbit(round_score(-0.0000001)));
}
