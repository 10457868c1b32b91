#pragma once
// Strings that repeat (visitor ids, referral codes) numbered 0, 1, 2, ... in
// the order they are first seen: one copy of each in one buffer and an
// open-addressing table of their numbers, so that a million touches naming a
// few hundred thousand visitors allocate nothing per touch once the buffers
// have grown.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vouch {

class Interner {
 public:
  // The number of `text`: a new one (size() before the call) when unseen.
  std::uint32_t intern(std::string_view text);
  // The number of `text`, or kNone when it was never interned.
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::uint32_t find(std::string_view text) const;
  std::string_view name(std::uint32_t id) const {
    return std::string_view(chars_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::size_t size() const { return offsets_.size() - 1; }

 private:
  void grow();
  std::size_t slot_of(std::string_view text, std::uint32_t hash) const;  // its slot, or the empty one it goes in

  std::string chars_;                      // every name, one after the other
  std::vector<std::uint32_t> offsets_{0};  // name i is chars_[offsets_[i], offsets_[i + 1])
  std::vector<std::uint32_t> hashes_;      // of name i
  std::vector<std::uint32_t> slots_;       // id + 1 (0: empty); a power of two, at most half full
};

}  // namespace vouch
