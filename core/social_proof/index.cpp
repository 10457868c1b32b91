// Preparing a feed for social-proof queries: everything that depends only on
// the items (moderation, shingles, the rating summary, most of the relevance
// score) is computed once per product, so that a query only does what depends
// on it (recency against `now`, locale, via, filters, ordering).
#include <string>
#include <unordered_map>

#include "common/sorting.hpp"
#include "common/text.hpp"
#include "social_proof/moderation.hpp"
#include "social_proof/near_duplicates.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch {

namespace {

double store_prior_mean(const Feed& feed) {
  double sum = 0;
  std::int64_t n = 0;
  for (const Ugc& u : feed.ugc)
    if (u.status == UgcStatus::Published && u.rating) {
      sum += *u.rating;
      ++n;
    }
  return n > 0 ? sum / static_cast<double>(n) : kFallbackPriorMean;
}

void add_rating(RatingSummary& s, const Ugc& u, double& sum, std::int64_t& verified) {
  if (!u.rating || *u.rating < 1 || *u.rating > 5) return;
  ++s.count;
  ++s.distribution[static_cast<std::size_t>(*u.rating - 1)];
  sum += *u.rating;
  if (u.author.verified_buyer) ++verified;
}

void finish_summary(RatingSummary& s, double sum, std::int64_t verified, double prior) {
  s.prior_mean = prior;
  if (s.count > 0) {
    s.average = sum / static_cast<double>(s.count);
    s.verified_share = static_cast<double>(verified) / static_cast<double>(s.count);
  }
  s.bayesian_average = bayesian_average(sum, s.count, prior, kBayesianPriorStrength);
}

// The relevance terms that do not depend on the query, summed in the order of
// the full score (social_proof.cpp adds recency, then locale).
double base_score(const Ugc& u, const Feed& feed, const RelevanceWeights& w) {
  double s = 0;
  if (u.author.verified_buyer) s += w.verified;
  s += w.helpful * wilson_lower_bound(u.helpful, u.unhelpful);
  if (u.author.influencer && feed.find_influencer(*u.author.influencer)) s += w.influencer;
  if (!u.media.empty()) s += w.media;
  s += w.text * text_informativeness(count_words(u.title) + count_words(u.body));
  return s;
}

// Numbers equal keys 0, 1, 2, ... in order of first appearance. Lookup only:
// the numbers, not the map's order, reach the index.
class Interner {
 public:
  std::uint32_t operator()(std::string key) {
    return static_cast<std::uint32_t>(map_.emplace(std::move(key), map_.size()).first->second);
  }

 private:
  std::unordered_map<std::string, std::size_t> map_;
};

std::uint64_t fingerprint(const std::vector<std::uint64_t>& set) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (std::uint64_t x : set) h = (h ^ x) * 0x100000001b3ULL;
  return h;
}

ProductProof build_product(const Feed& feed, const std::string& product, double prior_mean) {
  ProductProof p;
  const RelevanceWeights weights;
  double rating_sum = 0;
  std::int64_t verified = 0;
  Interner authors, locales;
  // Identical shingle sets share one entry: generated feeds (and copy-paste
  // waves) repeat a few texts many times. A fingerprint maps to the first set
  // that had it; a different set with the same fingerprint (a 64-bit
  // collision) just gets its own entry. Lookup only, never iterated.
  std::unordered_map<std::uint64_t, std::size_t> texts_by_fingerprint;
  for (const Ugc& u : feed.ugc) {
    if (u.product != product || u.status != UgcStatus::Published) continue;
    SpamVerdict verdict = judge_spam(u.title, u.body);
    if (verdict.is_spam()) {
      p.excluded.push_back({u.id, "spam", std::move(verdict.signals)});
      continue;
    }
    add_rating(p.summary, u, rating_sum, verified);
    IndexedUgc item;
    item.ugc = &u;
    item.base_score = base_score(u, feed, weights);
    item.helpfulness = wilson_lower_bound(u.helpful, u.unhelpful);
    item.has_media = !u.media.empty();
    item.critical = u.rating && *u.rating <= kCriticalRating;
    item.author = authors(u.author.influencer ? "influencer:" + *u.author.influencer
                                              : "name:" + ascii_lower(u.author.name));
    item.locale = locales(u.locale);
    if (item.locale == p.locales.size()) p.locales.push_back(u.locale);
    std::vector<std::uint64_t> shingles = word_shingles(u.title + "\n" + u.body);
    std::uint64_t fp = fingerprint(shingles);
    auto known = texts_by_fingerprint.find(fp);
    if (known != texts_by_fingerprint.end() && p.texts[known->second] == shingles) {
      item.text = static_cast<std::uint32_t>(known->second);
    } else {
      item.text = static_cast<std::uint32_t>(p.texts.size());
      texts_by_fingerprint.emplace(fp, p.texts.size());
      p.texts.push_back(std::move(shingles));
    }
    p.items.push_back(item);
  }
  finish_summary(p.summary, rating_sum, verified, prior_mean);
  // UGC ids are unique, so stable_sort_by gives std::sort's order.
  stable_sort_by(p.excluded, [](const Exclusion& a, const Exclusion& b) { return a.id < b.id; });
  for (const Endorsement& e : feed.endorsements)
    if (e.product == product) p.endorsements.push_back(&e);
  return p;
}

}  // namespace

SocialProofIndex::SocialProofIndex(const Feed& feed)
    : feed_(&feed), prior_mean_(store_prior_mean(feed)), products_(feed.products.size()) {
  unknown_.summary.prior_mean = prior_mean_;
  unknown_.summary.bayesian_average = bayesian_average(0, 0, prior_mean_, kBayesianPriorStrength);
}

const ProductProof& SocialProofIndex::product(const std::string& id) {
  const Product* known = feed_->find_product(id);
  if (!known) return unknown_;
  auto& slot = products_[static_cast<std::size_t>(known - feed_->products.data())];
  if (!slot) slot = std::make_unique<ProductProof>(build_product(*feed_, id, prior_mean_));
  return *slot;
}

RatingSummary summarize_ratings(const Feed& feed, const std::string& product) {
  SocialProofIndex index(feed);
  return index.product(product).summary;
}

}  // namespace vouch
