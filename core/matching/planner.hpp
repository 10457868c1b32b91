#pragma once
// Budget planning: choose influencers whose rates fit the budget and whose
// combined value, with diminishing returns where audiences overlap, is as
// large as the cost-aware lazy greedy (CELF) can find.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vouch {

// One influencer as the planner sees it: a cost and its value spread over
// audience cells (e.g. (niche, country) pairs), indexed 0..cell_count-1.
struct PlanCandidate {
  std::int64_t cost = 0;  // minor units, > 0
  std::vector<std::pair<std::size_t, double>> cells;  // (cell, value >= 0)
};

enum class PlanMethod { None, CostBenefitGreedy, UnitCostGreedy, BestSingle };
std::string_view to_string(PlanMethod method);

struct PlanChoice {
  std::vector<std::size_t> chosen;  // candidate indexes, in the order picked
  std::int64_t cost = 0;
  double value = 0;
  PlanMethod method = PlanMethod::None;
};

// The objective: f(S) = Σ_c C_c · (1 − exp(−X_c(S) / C_c)) with X_c(S) the
// summed value of S in cell c and C_c = 2 · max_i value_{i,c} (the cell's
// saturation scale). Concave in each cell's sum, so f is monotone submodular:
// a second influencer in the same cell adds less than the first.
class CoverageObjective {
 public:
  CoverageObjective(const std::vector<PlanCandidate>& candidates, std::size_t cell_count);
  // f(S ∪ {i}) − f(S) for the current S.
  double gain(std::size_t candidate) const;
  void add(std::size_t candidate);
  double value() const { return value_; }
  void reset();

 private:
  const std::vector<PlanCandidate>& candidates_;
  std::vector<double> scale_;  // C_c
  std::vector<double> sum_;    // X_c(S)
  double value_ = 0;
};

// Chooses a set with total cost <= budget. Runs lazy greedy twice (by gain
// per unit of cost, and by gain), takes the best single affordable candidate
// too, and returns the best of the three (ties: lower cost, then the earlier
// method). Deterministic: ties between candidates go to the lower index.
PlanChoice plan_budget(const std::vector<PlanCandidate>& candidates, std::size_t cell_count,
                       std::int64_t budget);

}  // namespace vouch
