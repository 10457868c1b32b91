#pragma once
// Stable sorting through one std::stable_sort instantiation for the whole
// core: std::stable_sort is ~2.5 KB of wasm per element type and comparator,
// and the engines sort many small lists. Same order as std::stable_sort.
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace vouch {

// The permutation that stable-sorts n items, compared by their indices.
std::vector<std::size_t> stable_order(std::size_t n, const void* less,
                                      bool (*call)(const void* less, std::size_t a, std::size_t b));

template <typename T, typename Less>
void stable_sort_by(std::vector<T>& items, const Less& less) {
  auto by_index = [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); };
  std::vector<std::size_t> order =
      stable_order(items.size(), &by_index, [](const void* f, std::size_t a, std::size_t b) {
        return (*static_cast<const decltype(by_index)*>(f))(a, b);
      });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (std::size_t i : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace vouch
