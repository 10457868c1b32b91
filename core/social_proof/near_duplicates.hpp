#pragma once
// Near-duplicate text: word-shingle sets compared by Jaccard similarity
// (Broder, "On the resemblance and containment of documents", 1997).
#include <cstdint>
#include <string_view>
#include <vector>

namespace vouch {

// Words per shingle, and the similarity from which two items count as near
// duplicates. Reposts with a word added ("... Great.") of a ten-word review
// score 8/9 ≈ 0.89; two reviews that share one sentence of three score < 0.4.
constexpr std::size_t kShingleWords = 3;
constexpr double kNearDuplicateThreshold = 0.6;

// The sorted, de-duplicated hashes (FNV-1a, 64-bit) of the k-word shingles of
// a text, after lower-casing ASCII and splitting on anything but letters,
// digits and non-ASCII bytes. A text shorter than k words is one shingle.
std::vector<std::uint64_t> word_shingles(std::string_view text, std::size_t k = kShingleWords);

// |A ∩ B| / |A ∪ B| of two sorted sets; 0 when either is empty (an item
// without text is no evidence of copying).
double jaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

// Same as jaccard(a, b) >= threshold, but returns early when the sizes alone
// rule it out (J ≤ min/max).
bool is_near_duplicate(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                       double threshold = kNearDuplicateThreshold);

}  // namespace vouch
