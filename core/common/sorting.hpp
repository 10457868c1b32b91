#pragma once
// Sorting through one std::sort and one std::stable_sort instantiation for the
// whole core: each instantiation is 1-2.5 KB of wasm per element type and
// comparator, and the engines sort many small lists.
#include <cstddef>
#include <utility>
#include <vector>

namespace vouch {

using IndexLess = bool (*)(const void* less, std::size_t a, std::size_t b);

// std::sort of indices: the same order as std::sort with `less` itself.
void sort_indices(std::vector<std::size_t>& indices, const void* less, IndexLess call);
// The permutation that stable-sorts n items, compared by their indices.
std::vector<std::size_t> stable_order(std::size_t n, const void* less, IndexLess call);

template <typename Less>
void sort_indices(std::vector<std::size_t>& indices, const Less& less) {
  sort_indices(indices, &less, [](const void* f, std::size_t a, std::size_t b) {
    return (*static_cast<const Less*>(f))(a, b);
  });
}

template <typename Less>
std::vector<std::size_t> stable_order(std::size_t n, const Less& less) {
  return stable_order(n, &less, [](const void* f, std::size_t a, std::size_t b) {
    return (*static_cast<const Less*>(f))(a, b);
  });
}

// The same order as std::stable_sort (and as std::sort when `less` orders
// the items totally).
template <typename T, typename Less>
void stable_sort_by(std::vector<T>& items, const Less& less) {
  std::vector<std::size_t> order =
      stable_order(items.size(), [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (std::size_t i : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace vouch
