#include "feed/feed.hpp"

#include "common/text.hpp"

namespace vouch {

std::string_view to_string(UgcKind kind) {
  switch (kind) {
    case UgcKind::Review: return "review";
    case UgcKind::Photo: return "photo";
    case UgcKind::Video: return "video";
    case UgcKind::Post: return "post";
  }
  return "review";
}

std::string_view to_string(UgcStatus status) {
  switch (status) {
    case UgcStatus::Published: return "published";
    case UgcStatus::Pending: return "pending";
    case UgcStatus::Rejected: return "rejected";
  }
  return "pending";
}

namespace {
template <typename T>
const T* find_in(const std::unordered_map<std::string, std::size_t>& index,
                 const std::vector<T>& items, std::string_view key) {
  auto it = index.find(std::string(key));
  return it == index.end() ? nullptr : &items[it->second];
}
}  // namespace

const Product* Feed::find_product(std::string_view id) const {
  return find_in(product_index, products, id);
}

const Influencer* Feed::find_influencer(std::string_view id) const {
  return find_in(influencer_index, influencers, id);
}

const Influencer* Feed::find_influencer_by_code(std::string_view code) const {
  return find_in(code_index, influencers, ascii_lower(code));
}

void Feed::reindex() {
  product_index.clear();
  influencer_index.clear();
  code_index.clear();
  // First occurrence wins, so a duplicate id never shadows the original.
  for (std::size_t i = 0; i < products.size(); ++i) product_index.emplace(products[i].id, i);
  for (std::size_t i = 0; i < influencers.size(); ++i) {
    influencer_index.emplace(influencers[i].id, i);
    for (const auto& code : influencers[i].codes) code_index.emplace(ascii_lower(code), i);
  }
}

}  // namespace vouch
