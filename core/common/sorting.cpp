#include "common/sorting.hpp"

#include <algorithm>
#include <numeric>

namespace vouch {

std::vector<std::size_t> stable_order(std::size_t n, const void* less,
                                      bool (*call)(const void* less, std::size_t a, std::size_t b)) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return call(less, a, b); });
  return order;
}

}  // namespace vouch
