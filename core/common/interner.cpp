#include "common/interner.hpp"

#include <cstring>

namespace vouch {

namespace {

// Eight bytes at a time, each mixed by a multiply (the finaliser of
// MurmurHash3's 64-bit variant, Appleby 2011): ids and codes are short.
std::uint32_t hash_of(std::string_view text) {
  std::uint64_t h = 0x9E3779B97F4A7C15u ^ text.size();
  auto mix = [&h](std::uint64_t word) {
    h ^= word;
    h *= 0xFF51AFD7ED558CCDu;
    h ^= h >> 33;
  };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    mix(word);
  }
  if (i < text.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, text.size() - i);
    mix(word);
  }
  h *= 0xC4CEB9FE1A85EC53u;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

void Interner::grow() {
  std::vector<std::uint32_t> slots(slots_.empty() ? 64 : slots_.size() * 2, 0);
  std::size_t mask = slots.size() - 1;
  for (std::uint32_t id = 0; id < hashes_.size(); ++id) {
    std::size_t s = hashes_[id] & mask;
    while (slots[s] != 0) s = (s + 1) & mask;
    slots[s] = id + 1;
  }
  slots_ = std::move(slots);
}

std::size_t Interner::slot_of(std::string_view text, std::uint32_t hash) const {
  std::size_t mask = slots_.size() - 1;
  std::size_t s = hash & mask;
  for (; slots_[s] != 0; s = (s + 1) & mask) {
    std::uint32_t id = slots_[s] - 1;
    if (hashes_[id] == hash && name(id) == text) break;
  }
  return s;
}

std::uint32_t Interner::find(std::string_view text) const {
  if (slots_.empty()) return kNone;
  std::uint32_t slot = slots_[slot_of(text, hash_of(text))];
  return slot == 0 ? kNone : slot - 1;
}

std::uint32_t Interner::intern(std::string_view text) {
  if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
  std::uint32_t h = hash_of(text);
  std::size_t s = slot_of(text, h);
  if (slots_[s] != 0) return slots_[s] - 1;
  auto id = static_cast<std::uint32_t>(hashes_.size());
  slots_[s] = id + 1;
  hashes_.push_back(h);
  chars_.append(text);
  offsets_.push_back(static_cast<std::uint32_t>(chars_.size()));
  return id;
}

}  // namespace vouch
