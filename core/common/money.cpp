#include "common/money.hpp"

#include <array>
#include <cmath>

namespace vouch {

int currency_exponent(std::string_view currency) {
  static constexpr std::array<std::string_view, 16> kZero = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  for (auto c : kZero)
    if (c == currency) return 0;
  for (auto c : kThree)
    if (c == currency) return 3;
  return 2;
}

bool is_currency_code(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

std::optional<std::int64_t> to_minor_units(double amount, std::string_view currency) {
  if (!std::isfinite(amount) || std::fabs(amount) > 1e13) return std::nullopt;
  double scaled = amount * std::pow(10.0, currency_exponent(currency));
  // Amounts are decimals written in JSON: 0.295 USD is 30 cents, although
  // 0.295 * 100 is 29.499999999999996 in binary. Snapping to 6 decimals first
  // removes the representation error before rounding half away from zero.
  scaled = std::round(scaled * 1e6) / 1e6;
  return static_cast<std::int64_t>(std::llround(scaled));
}

double to_major_units(std::int64_t minor, std::string_view currency) {
  return static_cast<double>(minor) / std::pow(10.0, currency_exponent(currency));
}

}  // namespace vouch
