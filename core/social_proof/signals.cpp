#include "social_proof/signals.hpp"

#include <algorithm>
#include <cmath>

#include "common/text.hpp"

namespace vouch {

double wilson_lower_bound(std::int64_t positive, std::int64_t negative, double z) {
  positive = std::max<std::int64_t>(positive, 0);
  negative = std::max<std::int64_t>(negative, 0);
  const double n = static_cast<double>(positive) + static_cast<double>(negative);
  if (n <= 0) return 0.0;
  const double p = static_cast<double>(positive) / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double margin = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return std::max(0.0, (centre - margin) / (1 + z2 / n));
}

double recency_weight(Timestamp at, Timestamp now, double half_life_days) {
  if (at >= now || half_life_days <= 0) return 1.0;
  const double age_days = static_cast<double>(now - at) / static_cast<double>(kSecondsPerDay);
  return std::pow(0.5, age_days / half_life_days);
}

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool word_char = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                     u >= 0x80 || u == '\'';
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words;
}

double text_informativeness(std::size_t words) {
  if (words == 0) return 0.0;
  const double w = static_cast<double>(words);
  return (1.0 - std::exp(-w / 25.0)) * std::min(1.0, 150.0 / w);
}

double locale_match(std::string_view item_locale, std::string_view shopper_locale) {
  if (item_locale.empty() || shopper_locale.empty()) return 0.0;
  std::string a = ascii_lower(item_locale), b = ascii_lower(shopper_locale);
  std::replace(a.begin(), a.end(), '_', '-');
  std::replace(b.begin(), b.end(), '_', '-');
  if (a == b) return 1.0;
  auto language = [](const std::string& tag) { return tag.substr(0, tag.find('-')); };
  return language(a) == language(b) ? 0.8 : 0.0;
}

double bayesian_average(double sum, std::int64_t count, double prior, double strength) {
  return (strength * prior + sum) / (strength + static_cast<double>(count));
}

}  // namespace vouch
