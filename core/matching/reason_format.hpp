#pragma once
// Numbers as they appear in reasons, through format_fixed (printf's %.Nf,
// correctly rounded, the same bytes natively and in wasm).
#include <cmath>
#include <cstdint>
#include <string>

#include "common/decimal_conversion.hpp"

namespace vouch::reason {

inline std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) value = 0;
  std::string s = format_fixed(value, decimals);
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    bool zero = s.find_first_not_of("-0.") == std::string::npos;
    if (zero) s.erase(0, 1);
  }
  return s;
}

// 0.0345 -> "3.5%"
inline std::string percent(double share, int decimals = 1) { return fixed(share * 100.0, decimals) + "%"; }

// 18400 -> "18,400"
inline std::string count(double value) {
  std::string digits = fixed(std::round(value), 0);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

}  // namespace vouch::reason
