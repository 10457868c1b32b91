#include "common/money.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace vouch {

int currency_exponent(std::string_view currency) {
  // The codes as three-byte numbers: a read of every order compares them.
  auto packed = [](std::string_view code) {
    return code.size() != 3 ? 0u
                            : static_cast<std::uint32_t>(static_cast<unsigned char>(code[0])) << 16 |
                                  static_cast<std::uint32_t>(static_cast<unsigned char>(code[1])) << 8 |
                                  static_cast<unsigned char>(code[2]);
  };
  static constexpr std::array<std::string_view, 16> kZero = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  std::uint32_t code = packed(currency);
  if (code == packed("USD") || code == packed("EUR")) return 2;
  for (auto c : kZero)
    if (packed(c) == code) return 0;
  for (auto c : kThree)
    if (packed(c) == code) return 3;
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
  static constexpr double kScale[] = {1.0, 10.0, 100.0, 1000.0};
  double scaled = amount * kScale[currency_exponent(currency)];
  // Amounts are decimals written in JSON: 0.295 USD is 30 cents, although
  // 0.295 * 100 is 29.499999999999996 in binary. Snapping to 6 decimals first
  // removes the representation error before rounding half away from zero.
  scaled = std::round(scaled * 1e6) / 1e6;
  return static_cast<std::int64_t>(std::llround(scaled));
}

double to_major_units(std::int64_t minor, std::string_view currency) {
  static constexpr double kScale[] = {1.0, 10.0, 100.0, 1000.0};
  return static_cast<double>(minor) / kScale[currency_exponent(currency)];
}

}  // namespace vouch
