#include "common/sorting.hpp"

#include <algorithm>
#include <numeric>

namespace vouch {

void sort_indices(std::vector<std::size_t>& indices, const void* less, IndexLess call) {
  std::sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) { return call(less, a, b); });
}

std::vector<std::size_t> stable_order(std::size_t n, const void* less, IndexLess call) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return call(less, a, b); });
  return order;
}

}  // namespace vouch
