#pragma once
// Money is integer minor units with its ISO 4217 currency; decimal amounts
// from JSON are converted once, at the edge.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vouch {

struct Money {
  std::int64_t minor = 0;  // cents for USD, yen for JPY
  std::string currency;    // "USD"

  bool operator==(const Money&) const = default;
};

// Digits after the decimal point (ISO 4217): 0 for JPY, KRW, ...; 3 for KWD,
// BHD, ...; 2 otherwise.
int currency_exponent(std::string_view currency);

// "USD": three ASCII capitals.
bool is_currency_code(std::string_view code);

// 129.0 USD -> 12900. Rounds half away from zero. nullopt when the amount is
// not finite or does not fit (|amount| > 1e13 major units).
std::optional<std::int64_t> to_minor_units(double amount, std::string_view currency);

// 12900 USD -> 129.0
double to_major_units(std::int64_t minor, std::string_view currency);

}  // namespace vouch
