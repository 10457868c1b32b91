// Decimal text <-> double: our printf/strtod replacements against glibc's,
// which they must match byte for byte (the wasm modules use ours, the native
// build glibc's formatting elsewhere; the parity tests compare the two).
#include <catch2/catch.hpp>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/decimal_conversion.hpp"
#include "common/time.hpp"
#include "feed/generate.hpp"

using namespace vouch;

namespace {

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

double from_bits(std::uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

std::uint64_t parsed_bits(const std::string& text) { return bits(parse_decimal(text).value); }

std::uint64_t glibc_bits(const std::string& text) { return bits(std::strtod(text.c_str(), nullptr)); }

std::string glibc_format(const char* format, double v) {
  char buf[1600];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string glibc_fixed(double v, int decimals) {
  char buf[1600];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Collects the first few disagreements of a sweep, so that one CHECK reports them.
struct Mismatches {
  std::vector<std::string> seen;
  std::size_t count = 0;
  void add(const std::string& what) {
    if (seen.size() < 5) seen.push_back(what);
    ++count;
  }
};

}  // namespace

TEST_CASE("decimal text parses to the nearest double, ties to even", "[decimal]") {
  SECTION("halfway between two doubles above 2^53, where doubles are 2 apart") {
    // 2^53 + 1 lies halfway between 2^53 (mantissa 2^52, even) and 2^53 + 2
    // (mantissa 2^52 + 1, odd): the tie goes to the even one, 2^53.
    CHECK(parsed_bits("9007199254740993") == bits(9007199254740992.0));
    // 2^53 + 3 lies halfway between 2^53 + 2 (odd) and 2^53 + 4 (even).
    CHECK(parsed_bits("9007199254740995") == bits(9007199254740996.0));
    // Anything above the halfway point, however far down, rounds up.
    CHECK(parsed_bits("9007199254740993.0000000000000000000000000001") == bits(9007199254740994.0));
  }

  SECTION("beyond 800 significant digits the rest still decides a tie") {
    // The same 2^53 + 1 with 2000 zeros: still an exact tie, down to 2^53;
    // with a 1 after the zeros it is above the tie, up to 2^53 + 2.
    const std::string zeros(2000, '0');
    CHECK(parsed_bits("9007199254740993." + zeros) == bits(9007199254740992.0));
    CHECK(parsed_bits("9007199254740993." + zeros + "1") == bits(9007199254740994.0));
    CHECK(parsed_bits("9007199254740993" + zeros + "1e-2001") == bits(9007199254740994.0));
    // A million digits of 1s: about 1.111e999999, far above the largest double.
    CHECK(parse_decimal(std::string(1000000, '1')).value == HUGE_VAL);
  }

  SECTION("1e23 is an exact tie between 99999999999999991611392 and 100000000000000008388608") {
    // Both neighbours are 8388608 (2^23) away; the lower one has the even
    // mantissa (0x1.52d02c7e14af6p+76, last hex digit 6), %.17g 9.9999999999999992e+22.
    CHECK(parsed_bits("1e23") == bits(0x1.52d02c7e14af6p+76));
    CHECK(parsed_bits("100000000000000000000000") == bits(0x1.52d02c7e14af6p+76));
  }

  SECTION("short decimals take the fast path: one exact multiply or divide") {
    // 0.1 = 1 / 10: the correctly rounded quotient is 0x1.999999999999ap-4
    // (0.1000000000000000055511151231257827...).
    CHECK(parsed_bits("0.1") == bits(0x1.999999999999ap-4));
    CHECK(parsed_bits("1.5") == bits(1.5));
    CHECK(parsed_bits("-12.25e1") == bits(-122.5));
    CHECK(parsed_bits("123456789012345e-22") == glibc_bits("123456789012345e-22"));
  }

  SECTION("the edges of the normal and subnormal range") {
    // The value that hung PHP and Java: between the largest subnormal
    // 2.2250738585072009e-308 (0x000fffffffffffff) and DBL_MIN
    // 2.2250738585072014e-308, nearer the first.
    CHECK(parsed_bits("2.2250738585072011e-308") == 0x000fffffffffffffULL);
    CHECK(parsed_bits("2.2250738585072014e-308") == bits(DBL_MIN));
    // 2^-1074 = 4.9406564584124654e-324, the smallest subnormal (bits 1).
    CHECK(parsed_bits("4.9406564584124654e-324") == 1);
    // Half of it is 2^-1075 = 2.4703282292062327208...e-324: the shorter text
    // is below half (to 0), the next one above (to 2^-1074).
    CHECK(parsed_bits("2.4703282292062327e-324") == 0);
    CHECK(parsed_bits("2.4703282292062328e-324") == 1);
    CHECK(parsed_bits("1e-400") == 0);
    CHECK(parsed_bits("-1e-400") == bits(-0.0));
  }

  SECTION("above the largest double is infinity, as nlohmann/json expects") {
    // DBL_MAX = 1.7976931348623157e308; the halfway point to 2^1024 is
    // 1.797693134862315807937...e308, so ...58e308 still rounds to DBL_MAX.
    CHECK(parsed_bits("1.7976931348623157e308") == bits(DBL_MAX));
    CHECK(parsed_bits("1.7976931348623158e308") == bits(DBL_MAX));
    CHECK(parse_decimal("1.7976931348623159e308").value == HUGE_VAL);
    CHECK(parse_decimal("1e400").value == HUGE_VAL);
    CHECK(parse_decimal("-1e400").value == -HUGE_VAL);
    CHECK(parse_decimal("1e99999999999999999999").value == HUGE_VAL);
  }

  SECTION("zero keeps its sign, whatever the exponent") {
    CHECK(parsed_bits("0") == 0);
    CHECK(parsed_bits("-0") == bits(-0.0));
    CHECK(parsed_bits("0.000e999999") == 0);
    CHECK(parsed_bits("-0.0e-5") == bits(-0.0));
  }

  SECTION("it reads the longest number at the start, as strtod does") {
    CHECK(parse_decimal("1e+2x").length == 4);
    CHECK(parse_decimal("1e+2x").value == 100);
    CHECK(parse_decimal("1.5e").length == 3);   // "e" without digits is not an exponent
    CHECK(parse_decimal("1.5e-").length == 3);
    CHECK(parse_decimal(".5").value == 0.5);
    CHECK(parse_decimal("7.").length == 2);
    CHECK(parse_decimal("-").length == 0);
    CHECK(parse_decimal(".").length == 0);
    CHECK(parse_decimal("").length == 0);
    CHECK(parse_decimal("abc").length == 0);
  }
}

TEST_CASE("%.Nf formatting rounds the exact value, ties to even", "[decimal]") {
  SECTION("exact ties") {
    // 0.125 and 0.375 are exact binary fractions: true ties at 2 decimals.
    CHECK(format_fixed(0.125, 2) == "0.12");
    CHECK(format_fixed(0.375, 2) == "0.38");
    CHECK(format_fixed(2.5, 0) == "2");
    CHECK(format_fixed(3.5, 0) == "4");
    CHECK(format_fixed(0.5, 0) == "0");
    CHECK(format_fixed(1.5, 0) == "2");
    CHECK(format_fixed(-2.5, 0) == "-2");
  }

  SECTION("what looks like a tie in decimal is not one in binary") {
    // 0.05 is 0.05000000000000000277...: above the tie, up.
    CHECK(format_fixed(0.05, 1) == "0.1");
    // 1.005 is 1.00499999999999989341...: below, down.
    CHECK(format_fixed(1.005, 2) == "1.00");
    // 2.675 is 2.67499999999999982236...
    CHECK(format_fixed(2.675, 2) == "2.67");
    // 5e-7 is 4.99999999999999977374e-7: below half a millionth.
    CHECK(format_fixed(5e-7, 6) == "0.000000");
  }

  SECTION("carries, signs and large numbers") {
    CHECK(format_fixed(9.995, 2) == glibc_fixed(9.995, 2));
    CHECK(format_fixed(99.96, 1) == "100.0");
    CHECK(format_fixed(-0.001, 2) == "-0.00");  // glibc keeps the sign of a negative that rounds to 0
    CHECK(format_fixed(-0.0, 1) == "-0.0");
    CHECK(format_fixed(0.0, 0) == "0");
    CHECK(format_fixed(1e21, 0) == "1000000000000000000000");
    // 1e23 prints its exact value, 99999999999999991611392.
    CHECK(format_fixed(1e23, 1) == "99999999999999991611392.0");
    CHECK(format_fixed(HUGE_VAL, 2) == "inf");
    CHECK(format_fixed(-HUGE_VAL, 2) == "-inf");
    CHECK(format_fixed(std::nan(""), 2) == glibc_fixed(std::nan(""), 2));
  }
}

TEST_CASE("%g formatting: significant digits, then the shorter style", "[decimal]") {
  SECTION("the exponent style starts below 1e-4 and at 10^precision") {
    CHECK(format_general(0.0001, 6) == "0.0001");
    CHECK(format_general(0.00001, 6) == "1e-05");
    CHECK(format_general(100000, 6) == "100000");
    CHECK(format_general(1e6, 6) == "1e+06");
    CHECK(format_general(1e21, 6) == "1e+21");
    CHECK(format_general(1e-300, 6) == "1e-300");
    CHECK(format_general(1234567, 6) == "1.23457e+06");
  }

  SECTION("rounding to the precision decides the style") {
    // 123456.5 is exact: 6 digits leave a tie after the even 6, down.
    CHECK(format_general(123456.5, 6) == "123456");
    // 999999.5 is exact: the tie after an odd 9 rounds up to 1000000, whose
    // exponent 6 is not below the precision: exponent style.
    CHECK(format_general(999999.5, 6) == "1e+06");
    // 1234.5 with %.4g: a tie after the even 4, down.
    CHECK(format_general(1234.5, 4) == "1234");
    // 1.00005 is 1.00005000000000010551...: 5 digits round up, 4 give 1.000 -> "1".
    CHECK(format_general(1.00005, 5) == "1.0001");
    CHECK(format_general(1.00005, 4) == "1");
  }

  SECTION("zeros, signs and the extremes") {
    CHECK(format_general(0.0, 6) == "0");
    CHECK(format_general(-0.0, 6) == "-0");
    CHECK(format_general(1.5, 6) == "1.5");
    CHECK(format_general(-1.5, 4) == "-1.5");
    CHECK(format_general(DBL_MAX, 6) == "1.79769e+308");
    CHECK(format_general(from_bits(1), 6) == "4.94066e-324");  // 2^-1074
    CHECK(format_general(0.1, 0) == "0.1");                     // precision 0 counts as 1
    CHECK(format_general(HUGE_VAL, 6) == "inf");
  }
}

TEST_CASE("RFC 3339 output pads years like %04d, also outside 0000-9999", "[decimal][time]") {
  // 253402300799 s is 9999-12-31T23:59:59Z; one second later is year 10000,
  // printed in full. -62167219200 s is 0000-01-01 (proleptic Gregorian), and
  // year -1, not a leap year, starts 365 days earlier.
  CHECK(format_rfc3339(253402300799) == "9999-12-31T23:59:59Z");
  CHECK(format_rfc3339(253402300800) == "10000-01-01T00:00:00Z");
  CHECK(format_rfc3339(-62167219200) == "0000-01-01T00:00:00Z");
  CHECK(format_rfc3339(-62167219200 - 365 * 86400) == "-001-01-01T00:00:00Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
}

// Sweeps: deterministic pseudo-random inputs, each result compared with glibc.
// A behaviour test (every value must agree), not a timing.
TEST_CASE("a sweep of 200,000 values agrees with glibc's strtod and printf", "[decimal][sweep]") {
  SplitMix64 rng(20260301);

  SECTION("random bit patterns: %.17g, %g, %.4g and %.*f, then parsed back") {
    Mismatches bad;
    for (int i = 0; i < 60000; ++i) {
      double v = from_bits(rng.next());
      if (!std::isfinite(v)) continue;
      std::string text = glibc_format("%.17g", v);
      if (parsed_bits(text) != bits(v)) bad.add("parse " + text);
      if (format_general(v, 6) != glibc_format("%g", v)) bad.add("%g " + text);
      if (format_general(v, 4) != glibc_format("%.4g", v)) bad.add("%.4g " + text);
      int decimals = static_cast<int>(rng.below(7));
      if (format_fixed(v, decimals) != glibc_fixed(v, decimals))
        bad.add("%." + std::to_string(decimals) + "f " + text);
    }
    INFO(bad.count << " mismatches");
    CHECK(bad.seen == std::vector<std::string>{});
  }

  SECTION("random digit strings with random exponents") {
    Mismatches bad;
    for (int i = 0; i < 80000; ++i) {
      std::string text = rng.chance(0.5) ? "-" : "";
      // Mostly short (the fast path and its edge), some long (the exact path).
      std::size_t digits = rng.chance(0.9) ? 1 + rng.below(25) : 1 + rng.below(900);
      std::size_t point = rng.below(digits + 1);
      for (std::size_t d = 0; d < digits; ++d) {
        if (d == point && d > 0) text += '.';
        text += static_cast<char>('0' + rng.below(10));
      }
      text += "e" + std::to_string(static_cast<int>(rng.below(700)) - 350);
      if (parsed_bits(text) != glibc_bits(text)) bad.add(text);
    }
    INFO(bad.count << " mismatches");
    CHECK(bad.seen == std::vector<std::string>{});
  }

  SECTION("everyday magnitudes and exact binary fractions, where ties happen") {
    Mismatches bad;
    for (int i = 0; i < 60000; ++i) {
      // n / 2^k terminates within k decimals: %.Nf and %g meet exact ties.
      double v = rng.chance(0.5)
                     ? static_cast<double>(rng.below(2000000)) / static_cast<double>(1 << rng.below(12))
                     : rng.range(-1, 1) * std::pow(10.0, static_cast<double>(rng.below(17)) - 8);
      std::string text = glibc_format("%.17g", v);
      if (format_general(v, 6) != glibc_format("%g", v)) bad.add("%g " + text);
      if (format_general(v, 4) != glibc_format("%.4g", v)) bad.add("%.4g " + text);
      for (int decimals = 0; decimals <= 6; ++decimals)
        if (format_fixed(v, decimals) != glibc_fixed(v, decimals))
          bad.add("%." + std::to_string(decimals) + "f " + text);
      if (parsed_bits(text) != bits(v)) bad.add("parse " + text);
    }
    INFO(bad.count << " mismatches");
    CHECK(bad.seen == std::vector<std::string>{});
  }
}
