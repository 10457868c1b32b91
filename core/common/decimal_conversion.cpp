#include "common/decimal_conversion.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

namespace vouch {
namespace {

// An unsigned integer of 32-bit limbs, least significant first, on the stack.
// The largest number below is ~3,800 bits (parse_decimal's slow path with 801
// digits at 10^-1125); 128 limbs hold 4,096.
struct BigUint {
  static constexpr int kLimbs = 128;
  std::uint32_t limb[kLimbs];
  int size = 0;  // no leading zero limb

  explicit BigUint(std::uint64_t value) {
    while (value) {
      limb[size++] = static_cast<std::uint32_t>(value);
      value >>= 32;
    }
  }
  void trim() {
    while (size > 0 && limb[size - 1] == 0) --size;
  }
};

// x = x * factor + addend
void mul_add(BigUint& x, std::uint32_t factor, std::uint32_t addend) {
  std::uint64_t carry = addend;
  for (int i = 0; i < x.size; ++i) {
    std::uint64_t t = std::uint64_t{x.limb[i]} * factor + carry;
    x.limb[i] = static_cast<std::uint32_t>(t);
    carry = t >> 32;
  }
  if (carry) x.limb[x.size++] = static_cast<std::uint32_t>(carry);
}

void mul_pow5(BigUint& x, int n) {
  for (; n > 0; n -= 13) {  // 5^13 is the largest power of 5 below 2^32
    std::uint32_t p = 1;
    for (int i = 0; i < n && i < 13; ++i) p *= 5;
    mul_add(x, p, 0);
  }
}

void shift_left(BigUint& x, int bits) {
  if (x.size == 0) return;
  const int limbs = bits / 32, b = bits % 32;
  for (int i = x.size; i >= 0; --i) {
    std::uint32_t hi = i < x.size ? x.limb[i] : 0;
    std::uint32_t lo = i > 0 ? x.limb[i - 1] : 0;
    x.limb[i + limbs] = b ? (hi << b | lo >> (32 - b)) : hi;
  }
  for (int i = 0; i < limbs; ++i) x.limb[i] = 0;
  x.size += limbs + 1;
  x.trim();
}

int bit_length(const BigUint& x) {
  return x.size ? 32 * (x.size - 1) + static_cast<int>(std::bit_width(x.limb[x.size - 1])) : 0;
}

bool less(const BigUint& a, const BigUint& b) {
  if (a.size != b.size) return a.size < b.size;
  for (int i = a.size - 1; i >= 0; --i)
    if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i];
  return false;
}

// a -= b, where a >= b
void subtract(BigUint& a, const BigUint& b) {
  std::int64_t borrow = 0;
  for (int i = 0; i < a.size; ++i) {
    std::int64_t t = std::int64_t{a.limb[i]} - (i < b.size ? b.limb[i] : 0) - borrow;
    borrow = t < 0;
    a.limb[i] = static_cast<std::uint32_t>(t + (borrow << 32));
  }
  a.trim();
}

// x /= divisor, returning the remainder.
std::uint32_t divide_small(BigUint& x, std::uint32_t divisor) {
  std::uint64_t rest = 0;
  for (int i = x.size - 1; i >= 0; --i) {
    std::uint64_t t = rest << 32 | x.limb[i];
    x.limb[i] = static_cast<std::uint32_t>(t / divisor);
    rest = t % divisor;
  }
  x.trim();
  return static_cast<std::uint32_t>(rest);
}

std::uint64_t bits_of(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// |value| = 0.digit[0] digit[1] ... digit[count-1] * 10^point, exactly: the
// digits of a double's exact value (at most 767 significant digits), without
// trailing zeros. Zero has no digits.
struct Decimal {
  char digit[800];
  int count = 0;
  int point = 1;

  char at(int i) const { return i >= 0 && i < count ? digit[i] : '0'; }
};

Decimal exact_decimal(double value) {
  Decimal out;
  std::uint64_t bits = bits_of(value);
  int biased = static_cast<int>(bits >> 52 & 0x7FF);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  if (biased) mantissa |= std::uint64_t{1} << 52;
  else biased = 1;  // subnormal
  const int exp2 = biased - 1075;  // |value| = mantissa * 2^exp2
  if (mantissa == 0) return out;
  BigUint n(mantissa);
  int fraction_digits = 0;
  if (exp2 >= 0) {
    shift_left(n, exp2);
  } else {  // m * 2^-k = m * 5^k / 10^k
    mul_pow5(n, -exp2);
    fraction_digits = -exp2;
  }
  char reversed[810];  // least significant digit first, in groups of 9
  int length = 0;
  while (n.size) {
    std::uint32_t group = divide_small(n, 1000000000);
    for (int i = 0; i < 9; ++i, group /= 10) reversed[length++] = static_cast<char>('0' + group % 10);
  }
  while (reversed[length - 1] == '0') --length;
  int low = 0;
  while (reversed[low] == '0') ++low;
  out.count = length - low;
  for (int i = 0; i < out.count; ++i) out.digit[i] = reversed[length - 1 - i];
  out.point = length - fraction_digits;
  return out;
}

// Keeps the first `keep` digits, rounding half to even. The digits are the
// exact value, so a tie is a 5 with nothing after it.
void round_to(Decimal& x, int keep) {
  if (keep >= x.count) return;
  if (keep < 0) {  // below a tenth of the last kept place: rounds to zero
    x.count = 0;
    return;
  }
  const char next = x.digit[keep];
  const bool odd = keep > 0 && (x.digit[keep - 1] - '0') % 2;
  const bool up = next > '5' || (next == '5' && (keep + 1 < x.count || odd));
  x.count = keep;
  if (up) {
    int i = keep - 1;
    while (i >= 0 && x.digit[i] == '9') --i;
    if (i < 0) {  // 999.. -> 1000..
      x.digit[0] = '1';
      x.count = 1;
      ++x.point;
    } else {
      ++x.digit[i];
      x.count = i + 1;
    }
  }
  while (x.count > 0 && x.digit[x.count - 1] == '0') --x.count;
}

// Writes the sign and "inf"/"nan" as printf does; false when value is finite.
bool start_number(std::string& out, double value) {
  if (bits_of(value) >> 63) out += '-';
  if (value - value == 0) return false;
  out += value == value ? "inf" : "nan";
  return true;
}

void write_fixed(std::string& out, const Decimal& x, int decimals) {
  if (x.point <= 0) out += '0';
  for (int i = 0; i < x.point; ++i) out += x.at(i);
  if (decimals > 0) out += '.';
  for (int i = x.point; i < x.point + decimals; ++i) out += x.at(i);
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  std::string out;
  if (start_number(out, value)) return out;
  if (decimals < 0) decimals = 6;  // printf: a negative precision is no precision
  Decimal x = exact_decimal(value);
  round_to(x, x.point + decimals);
  write_fixed(out, x, decimals);
  return out;
}

std::string format_general(double value, int precision) {
  std::string out;
  if (start_number(out, value)) return out;
  if (precision < 0) precision = 6;
  if (precision == 0) precision = 1;
  Decimal x = exact_decimal(value);
  round_to(x, precision);
  // C11 7.21.6.1: the style follows the exponent X of the rounded value.
  const int exponent = x.point - 1;
  if (exponent >= -4 && exponent < precision) {
    write_fixed(out, x, x.count > x.point ? x.count - x.point : 0);
    return out;
  }
  out += x.digit[0];
  if (x.count > 1) {
    out += '.';
    out.append(x.digit + 1, x.digit + x.count);
  }
  out += exponent < 0 ? "e-" : "e+";
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude >= 100) out += static_cast<char>('0' + magnitude / 100);
  out += static_cast<char>('0' + magnitude / 10 % 10);
  out += static_cast<char>('0' + magnitude % 10);
  return out;
}

namespace {

// Significant digits kept exactly; any nonzero digit after them is one sticky
// '1'. Halfway points between doubles have at most 767 significant digits, so
// 800 digits and the sticky digit round like the full text.
constexpr int kMaxDigits = 800;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Correctly rounded digits * 10^exp10, digits[0] != '0', for
// -324 <= count + exp10 <= 310 (outside, the result is 0 or inf).
double decimal_to_double(const char* digits, int count, int exp10) {
  std::uint64_t small = 0;
  for (int i = 0; i < count && i < 19; ++i) small = small * 10 + static_cast<std::uint64_t>(digits[i] - '0');
  // Clinger's fast path (W. D. Clinger, "How to read floating point numbers
  // accurately", PLDI 1990): both operands exact, so one rounding.
  if (count <= 19 && small <= std::uint64_t{1} << 53 && exp10 >= -22 && exp10 <= 22) {
    double power = 1;  // 10^0 .. 10^22 are exact doubles
    for (int i = 0; i < (exp10 < 0 ? -exp10 : exp10); ++i) power *= 10;
    const auto m = static_cast<double>(small);
    return exp10 < 0 ? m / power : m * power;
  }
  // Exact: digits * 10^exp10 = num / den * 2^exp10 with 10^e = 5^e * 2^e.
  BigUint num(0), den(1);
  for (int i = 0; i < count;) {
    std::uint32_t group = 0, scale = 1;
    for (int j = 0; j < 9 && i < count; ++j, ++i) {
      group = group * 10 + static_cast<std::uint32_t>(digits[i] - '0');
      scale *= 10;
    }
    mul_add(num, scale, group);
  }
  if (exp10 >= 0) mul_pow5(num, exp10);
  else mul_pow5(den, -exp10);
  // Scale by 2^k so that the quotient q = num * 2^k / den lies in [2^62, 2^64).
  const int k = 63 - (bit_length(num) - bit_length(den));
  if (k > 0) shift_left(num, k);
  else shift_left(den, -k);
  shift_left(den, 64);
  // Long division, one bit at a time: num < den * 2^64 holds throughout.
  std::uint64_t q = 0;
  for (int i = 0; i < 64; ++i) {
    shift_left(num, 1);
    q <<= 1;
    if (!less(num, den)) {
      subtract(num, den);
      q |= 1;
    }
  }
  const bool sticky = num.size != 0;
  // value = (q + fraction) * 2^-scale; keep 53 bits, fewer for subnormals
  // (whose last bit is 2^-1074), and round half to even on the dropped ones.
  const int scale = k - exp10;
  const int drop = std::max(static_cast<int>(std::bit_width(q)) - 53, scale - 1074);
  if (drop > 64) return 0;  // below 2^-1075
  std::uint64_t mantissa = drop == 64 ? 0 : q >> drop;
  const std::uint64_t half = std::uint64_t{1} << (drop - 1);
  if ((q & half) && ((q & (half - 1)) || sticky || (mantissa & 1))) ++mantissa;
  // Exponent field and mantissa added: a carry into bit 53 (or, for a
  // subnormal, into bit 52) moves the exponent up as it should.
  std::uint64_t bits = (static_cast<std::uint64_t>(drop - scale + 1074) << 52) + mantissa;
  if (bits >= std::uint64_t{0x7FF} << 52) bits = std::uint64_t{0x7FF} << 52;  // inf
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

DecimalParse parse_decimal(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  const bool negative = i < n && text[i] == '-';
  if (i < n && (text[i] == '-' || text[i] == '+')) ++i;
  char digits[kMaxDigits + 1];
  int count = 0;
  bool sticky = false, any_digit = false;
  std::int64_t exp10 = 0;
  for (; i < n && is_digit(text[i]); ++i) {
    any_digit = true;
    if (count == 0 && text[i] == '0') continue;  // leading zero
    if (count < kMaxDigits) {
      digits[count++] = text[i];
    } else {
      ++exp10;
      sticky |= text[i] != '0';
    }
  }
  if (i < n && text[i] == '.') {
    for (++i; i < n && is_digit(text[i]); ++i) {
      any_digit = true;
      if (count == 0 && text[i] == '0') {
        --exp10;
      } else if (count < kMaxDigits) {
        digits[count++] = text[i];
        --exp10;
      } else {
        sticky |= text[i] != '0';
      }
    }
  }
  if (!any_digit) return {};
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    const bool exp_negative = j < n && text[j] == '-';
    if (j < n && (text[j] == '-' || text[j] == '+')) ++j;
    if (j < n && is_digit(text[j])) {
      std::int64_t e = 0;
      for (; j < n && is_digit(text[j]); ++j)
        if (e < 100000000) e = e * 10 + (text[j] - '0');  // far past any double
      exp10 += exp_negative ? -e : e;
      i = j;
    }
  }
  if (sticky) {
    digits[count++] = '1';
    --exp10;
  } else {
    for (; count > 0 && digits[count - 1] == '0'; --count) ++exp10;
  }
  double magnitude;
  if (count == 0 || count + exp10 < -324) {  // below 10^-325, under half of 2^-1074
    magnitude = 0;
  } else if (count + exp10 > 310) {  // at least 10^310 > DBL_MAX
    magnitude = std::numeric_limits<double>::infinity();
  } else {
    magnitude = decimal_to_double(digits, count, static_cast<int>(exp10));
  }
  return {negative ? -magnitude : magnitude, i};
}

}  // namespace vouch

#ifdef __EMSCRIPTEN__
// nlohmann/json's lexer reads numbers with std::strtod. Defining it here keeps
// musl's (__floatscan, decfloat, long double arithmetic) out of the wasm
// modules. Only under Emscripten: natively it would replace glibc's for the
// whole process.
extern "C" double strtod(const char* text, char** end) {
  vouch::DecimalParse result = vouch::parse_decimal(text);
  if (end) *end = const_cast<char*>(text + result.length);
  return result.value;
}
// musl defines strtof and strtold in the same object as strtod, and libc++'s
// string.o (std::stof, std::stold) refers to them: defined here too, or the
// linker would pull musl's object and its second strtod. Nothing in the core
// calls them (wasm-ld drops them); they round through double, which is not
// correctly rounded for float.
extern "C" float strtof(const char* text, char** end) { return static_cast<float>(strtod(text, end)); }
extern "C" long double strtold(const char* text, char** end) { return strtod(text, end); }
#endif
