#include "social_proof/near_duplicates.hpp"

#include <algorithm>

namespace vouch {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// FNV-1a hash of each lower-cased word, without building the words.
std::vector<std::uint64_t> word_hashes(std::string_view text) {
  std::vector<std::uint64_t> hashes;
  std::uint64_t h = kFnvOffset;
  bool in_word = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (is_word_byte(u)) {
      if (u >= 'A' && u <= 'Z') u = static_cast<unsigned char>(u - 'A' + 'a');
      h = (h ^ u) * kFnvPrime;
      in_word = true;
    } else if (in_word) {
      hashes.push_back(h);
      h = kFnvOffset;
      in_word = false;
    }
  }
  if (in_word) hashes.push_back(h);
  return hashes;
}

}  // namespace

std::vector<std::uint64_t> word_shingles(std::string_view text, std::size_t k) {
  std::vector<std::uint64_t> words = word_hashes(text);
  std::vector<std::uint64_t> out;
  if (words.empty() || k == 0) return out;
  std::size_t span = std::min(k, words.size());
  out.reserve(words.size() - span + 1);
  for (std::size_t i = 0; i + span <= words.size(); ++i) {
    std::uint64_t h = kFnvOffset;
    for (std::size_t w = i; w < i + span; ++w) h = (h ^ words[w]) * kFnvPrime;  // order-sensitive
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() || b.empty()) return 0.0;
  std::size_t common = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common, ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

bool is_near_duplicate(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                       double threshold) {
  std::size_t small = std::min(a.size(), b.size()), large = std::max(a.size(), b.size());
  if (small == 0) return false;
  if (static_cast<double>(small) < threshold * static_cast<double>(large)) return false;
  return jaccard(a, b) >= threshold;
}

}  // namespace vouch
