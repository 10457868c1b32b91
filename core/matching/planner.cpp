#include "matching/planner.hpp"

#include <algorithm>
#include <cmath>
#include <queue>

namespace vouch {

std::string_view to_string(PlanMethod method) {
  switch (method) {
    case PlanMethod::None: return "none";
    case PlanMethod::CostBenefitGreedy: return "cost_benefit_greedy";
    case PlanMethod::UnitCostGreedy: return "unit_cost_greedy";
    case PlanMethod::BestSingle: return "best_single";
  }
  return "none";
}

CoverageObjective::CoverageObjective(const std::vector<PlanCandidate>& candidates,
                                     std::size_t cell_count)
    : candidates_(candidates), scale_(cell_count, 0.0), sum_(cell_count, 0.0) {
  for (const auto& c : candidates)
    for (const auto& [cell, v] : c.cells) scale_[cell] = std::max(scale_[cell], 2.0 * v);
}

// C · (1 − exp(−x / C)): about x while x is small against C, never above C.
static double saturate(double x, double scale) {
  return scale > 0 ? scale * -std::expm1(-x / scale) : 0.0;
}

double CoverageObjective::gain(std::size_t candidate) const {
  double g = 0;
  for (const auto& [cell, v] : candidates_[candidate].cells)
    g += saturate(sum_[cell] + v, scale_[cell]) - saturate(sum_[cell], scale_[cell]);
  return g;
}

void CoverageObjective::add(std::size_t candidate) {
  value_ += gain(candidate);
  for (const auto& [cell, v] : candidates_[candidate].cells) sum_[cell] += v;
}

void CoverageObjective::reset() {
  std::fill(sum_.begin(), sum_.end(), 0.0);
  value_ = 0;
}

namespace {

// CELF lazy greedy (Leskovec, Krause, Guestrin, Faloutsos, VanBriesen &
// Glance, "Cost-effective Outbreak Detection in Networks", KDD 2007).
// Because f is submodular, a gain computed against a smaller S is an upper
// bound on the gain now; so only the top of the heap needs re-evaluating,
// and it is taken once its gain is fresh and still the best. A candidate
// that no longer fits the remaining budget never will again and is dropped.
PlanChoice lazy_greedy(const std::vector<PlanCandidate>& candidates, CoverageObjective& f,
                       std::int64_t budget, bool per_cost) {
  struct Entry {
    double key;
    std::size_t index;
    std::size_t round;  // picks made when key was computed
  };
  auto worse = [](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.index > b.index;  // ties: lower index first
  };
  auto key_of = [&](std::size_t i, double gain) {
    return per_cost ? gain / static_cast<double>(candidates[i].cost) : gain;
  };
  f.reset();
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].cost > 0 && candidates[i].cost <= budget)
      heap.push({key_of(i, f.gain(i)), i, 0});
  PlanChoice choice;
  choice.method = per_cost ? PlanMethod::CostBenefitGreedy : PlanMethod::UnitCostGreedy;
  std::int64_t remaining = budget;
  while (!heap.empty()) {
    Entry top = heap.top();
    heap.pop();
    if (candidates[top.index].cost > remaining) continue;
    if (top.round != choice.chosen.size()) {
      heap.push({key_of(top.index, f.gain(top.index)), top.index, choice.chosen.size()});
      continue;
    }
    if (top.key <= 0) break;  // nothing left adds value
    f.add(top.index);
    choice.chosen.push_back(top.index);
    choice.cost += candidates[top.index].cost;
    remaining -= candidates[top.index].cost;
  }
  choice.value = f.value();
  return choice;
}

bool better(const PlanChoice& a, const PlanChoice& b) {
  if (a.value != b.value) return a.value > b.value;
  return a.cost < b.cost;
}

}  // namespace

// Guarantee. Either greedy alone can be arbitrarily bad under a budget (by
// gain: it buys one expensive item; by gain per cost: it fills up on cheap
// ones and cannot afford the one that matters). The better of the cost-
// benefit greedy and the unit-cost greedy achieves at least (1 − 1/e)/2 ≈
// 0.316 of the optimum (Leskovec et al. 2007, Theorem 1); so does the better
// of the cost-benefit greedy and the best single affordable element (Khuller,
// Moss & Naor 1999 for budgeted coverage; Krause & Guestrin 2005 for any
// monotone submodular f). Returning the best of all three keeps that bound.
// The plan never exceeds the budget: every pick is checked against what is left.
PlanChoice plan_budget(const std::vector<PlanCandidate>& candidates, std::size_t cell_count,
                       std::int64_t budget) {
  CoverageObjective f(candidates, cell_count);
  PlanChoice best = lazy_greedy(candidates, f, budget, true);
  PlanChoice by_gain = lazy_greedy(candidates, f, budget, false);
  if (better(by_gain, best)) best = by_gain;

  PlanChoice single;
  single.method = PlanMethod::BestSingle;
  f.reset();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].cost <= 0 || candidates[i].cost > budget) continue;
    double g = f.gain(i);
    if (g <= 0) continue;
    PlanChoice one{{i}, candidates[i].cost, g, PlanMethod::BestSingle};
    if (single.chosen.empty() || better(one, single)) single = one;
  }
  if (!single.chosen.empty() && better(single, best)) best = single;
  if (best.chosen.empty()) best = PlanChoice{};
  return best;
}

}  // namespace vouch
