#pragma once
// Doubles to decimal text and back, correctly rounded, byte for byte what
// glibc's printf and strtod produce. Ours rather than the C library's so that
// the wasm modules carry neither musl's printf (long double soft-float) nor
// its strtod, and so that native and wasm output are the same by construction.
// Both directions work on the exact value: a double is m * 2^e, which a small
// big integer holds exactly; ties are rounded half to even.
#include <cstddef>
#include <string>
#include <string_view>

namespace vouch {

// printf("%.<precision>g", value): `precision` significant digits (0 counts
// as 1), trailing zeros removed, exponent form ("1e+06", "1e-05") when the
// decimal exponent is below -4 or at least `precision`.
std::string format_general(double value, int precision);

// printf("%.<decimals>f", value), "-0.00" included.
std::string format_fixed(double value, int decimals);

struct DecimalParse {
  double value = 0;
  std::size_t length = 0;  // characters read; 0 when text does not start with a number
};

// The longest prefix of `text` that is a decimal number ([+-] digits [. digits]
// [e|E [+-] digits], a JSON number and a little more, as strtod reads it),
// correctly rounded: ±inf above the largest double, ±0 below half the
// smallest. No "inf", "nan" or hex floats. Linear in the length of the text.
DecimalParse parse_decimal(std::string_view text);

}  // namespace vouch
