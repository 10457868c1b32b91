#pragma once
// The signals behind the "relevant" order of social proof: each a small pure
// function with its formula, so that tests can check them by hand and the
// documentation (docs/social-proof.md) can quote them.
#include <cstdint>
#include <string_view>

#include "common/time.hpp"

namespace vouch {

// Defaults of the relevance score. Weights sum to 1, so a score lies in [0, 1].
struct RelevanceWeights {
  double verified = 0.15;     // author is a verified buyer
  double helpful = 0.15;      // Wilson lower bound of helpful votes
  double influencer = 0.05;   // author is a known influencer
  double media = 0.10;        // carries a photo or video
  double text = 0.15;         // informative text
  double recency = 0.25;      // exponential decay against `now`
  double locale = 0.15;       // written in the shopper's language
};

constexpr double kRecencyHalfLifeDays = 180.0;
constexpr double kWilsonZ = 1.96;  // 95% confidence

// Wilson score interval lower bound, z = 1.96 (Wilson 1927; E. Miller, "How
// Not To Sort By Average Rating", 2009). 0 when there are no votes.
// (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n), p = positive / n.
double wilson_lower_bound(std::int64_t positive, std::int64_t negative, double z = kWilsonZ);

// 0.5^(age_days / half_life_days); an item dated after `now` counts as new (1).
double recency_weight(Timestamp at, Timestamp now, double half_life_days = kRecencyHalfLifeDays);

// Words of running text (maximal runs of letters/digits; any non-ASCII byte
// counts as a letter so that accented and non-Latin words are words).
std::size_t count_words(std::string_view text);

// Informative text: length with diminishing returns, and walls of text
// penalised: (1 − e^(−words/25)) · min(1, 150/words). 0 for no words.
double text_informativeness(std::size_t words);

// How well an item's locale fits the shopper's: 1 for the same tag
// ("fr-CA" = "fr-ca"), 0.8 for the same language ("en" vs "en-US"), else 0.
double locale_match(std::string_view item_locale, std::string_view shopper_locale);

// Bayesian (shrunk) mean: (strength·prior + sum) / (strength + count)
// (a Dirichlet/"Bayesian average" as used by IMDb's top-250 formula).
double bayesian_average(double sum, std::int64_t count, double prior, double strength);

}  // namespace vouch
