// Attribution models, largest-remainder apportionment and commission: the
// arithmetic of the engine, in integers wherever money is involved.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "attribution/attribution.hpp"
#include "common/sorting.hpp"

namespace vouch {

namespace {

__extension__ typedef __int128 Wide;  // money x millionths overflows 64 bits

// Rounds numerator / denominator half away from zero; denominator > 0.
std::int64_t divide_rounded(Wide numerator, Wide denominator) {
  Wide half = denominator / 2;
  Wide q = numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
  return static_cast<std::int64_t>(q);
}

// Hands out the units left after flooring, largest remainder first, ties to
// the lower index: deterministic, and the parts sum exactly to the total.
template <typename Remainder>
void give_leftover(std::vector<std::int64_t>& parts, const std::vector<Remainder>& remainders,
                   std::int64_t leftover) {
  std::vector<std::size_t> order =
      stable_order(parts.size(), [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; leftover > 0 && !order.empty(); ++k, --leftover) parts[order[k % order.size()]] += 1;
  // Floating-point quotas could, in theory, floor to one unit too many:
  // take it back from the smallest remainders so the sum stays exact.
  for (std::size_t k = order.size(); leftover < 0 && k-- > 0;)
    if (parts[order[k]] > 0) parts[order[k]] -= 1, ++leftover;
}

}  // namespace

std::vector<double> model_weights(AttributionModel model, const std::vector<Timestamp>& age_seconds,
                                  double half_life_seconds) {
  const std::size_t n = age_seconds.size();
  std::vector<double> w(n, 0.0);
  if (n == 0) return w;
  switch (model) {
    case AttributionModel::LastClick:
      w[n - 1] = 1.0;
      break;
    case AttributionModel::FirstClick:
      w[0] = 1.0;
      break;
    case AttributionModel::Linear:
      std::fill(w.begin(), w.end(), 1.0);
      break;
    case AttributionModel::TimeDecay:
      // Exponential decay: a touch half_life older weighs half as much
      // (the "time decay" model of Google Analytics, 7-day half-life).
      for (std::size_t i = 0; i < n; ++i)
        w[i] = std::exp2(-static_cast<double>(age_seconds[i]) / half_life_seconds);
      break;
    case AttributionModel::PositionBased:
      // 40% first, 40% last, 20% shared by the middle; one touch takes all,
      // two touches split 50/50. Written as integers (2(n-2) : 1 : 2(n-2))
      // so the shares are exact before apportionment.
      if (n == 1) {
        w[0] = 1.0;
      } else if (n == 2) {
        w[0] = w[1] = 1.0;
      } else {
        std::fill(w.begin(), w.end(), 1.0);
        w[0] = w[n - 1] = 2.0 * static_cast<double>(n - 2);
      }
      break;
  }
  return w;
}

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  double sum = 0;
  for (double w : weights) sum += w;
  if (weights.empty() || !(sum > 0)) return parts;
  bool negative = total < 0;
  std::int64_t magnitude = negative ? -total : total;
  std::vector<double> remainders(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    double quota = static_cast<double>(magnitude) * weights[i] / sum;
    double floor = std::floor(quota);
    parts[i] = static_cast<std::int64_t>(floor);
    remainders[i] = quota - floor;
    given += parts[i];
  }
  give_leftover(parts, remainders, magnitude - given);
  if (negative)
    for (auto& p : parts) p = -p;
  return parts;
}

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<std::int64_t>& weights) {
  std::vector<std::int64_t> parts(weights.size(), 0);
  Wide sum = 0;
  for (auto w : weights) sum += w;
  if (weights.empty() || sum <= 0) return parts;
  bool negative = total < 0;
  Wide magnitude = negative ? -static_cast<Wide>(total) : static_cast<Wide>(total);
  std::vector<Wide> remainders(weights.size());
  Wide given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Wide product = magnitude * weights[i];
    parts[i] = static_cast<std::int64_t>(product / sum);
    remainders[i] = product % sum;
    given += parts[i];
  }
  give_leftover(parts, remainders, static_cast<std::int64_t>(magnitude - given));
  if (negative)
    for (auto& p : parts) p = -p;
  return parts;
}

std::int64_t commission_for(const CommissionRule& rule, std::int64_t revenue_minor, std::int64_t share_ppm) {
  if (rule.kind == CommissionRule::Kind::Percent)
    return divide_rounded(static_cast<Wide>(revenue_minor) * rule.basis_points, 10000);
  return divide_rounded(static_cast<Wide>(rule.fixed_minor) * share_ppm, 1000000);
}

}  // namespace vouch
