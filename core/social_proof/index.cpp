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
  if (feed.document) {
    const ProductDocumentFacts& d = *feed.document;
    return d.store_rating_count > 0
               ? static_cast<double>(d.store_rating_sum) / static_cast<double>(d.store_rating_count)
               : kFallbackPriorMean;
  }
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

// The summary a storefront document's facets give: the same sums, in the
// same double arithmetic (integers, exact below 2^53), as adding the items.
void summarize_facets(RatingSummary& s, const ProductDocumentFacts& d, double prior) {
  double sum = 0;
  std::int64_t verified = 0;
  for (std::size_t rating = 1; rating <= 5; ++rating)
    for (std::size_t v = 0; v < 2; ++v)
      for (std::size_t m = 0; m < 2; ++m) {
        std::int64_t n = d.facets[rating][v][m];
        s.count += n;
        s.distribution[rating - 1] += n;
        sum += static_cast<double>(n) * static_cast<double>(rating);
        if (v) verified += n;
      }
  finish_summary(s, sum, verified, prior);
}

// The relevance terms that do not depend on the query, summed in the order of
// the full score (social_proof.cpp adds recency, then locale).
double base_score(const Ugc& u, std::size_t words, const Feed& feed, const RelevanceWeights& w) {
  double s = 0;
  if (u.author.verified_buyer) s += w.verified;
  s += w.helpful * wilson_lower_bound(u.helpful, u.unhelpful);
  if (u.author.influencer && feed.find_influencer(*u.author.influencer)) s += w.influencer;
  if (!u.media.empty()) s += w.media;
  s += w.text * text_informativeness(words);
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

// `positions`: the product's items in feed.ugc, in feed order.
// `positions`: the product's items in feed.ugc, in feed order (count of
// them); null: all `count` items of the feed, other products' skipped.
ProductProof build_product(const Feed& feed, const std::string& product, const std::uint32_t* positions,
                           std::size_t count, double prior_mean) {
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
  // A storefront document holds only items the server judged not spam, with
  // their texts masked; its facets stand for all the product's items.
  if (feed.document && feed.document->product == product) p.document = &*feed.document;
  for (std::size_t k = 0; k < count; ++k) {
    const Ugc& u = feed.ugc[positions ? positions[k] : k];
    if (u.product != product || u.status != UgcStatus::Published) continue;
    if (!p.document) {
      SpamVerdict verdict = judge_spam(u.title, u.body);
      if (verdict.is_spam()) {
        p.excluded.push_back({u.id, "spam", std::move(verdict.signals)});
        continue;
      }
      add_rating(p.summary, u, rating_sum, verified);
    }
    // Title and body as shown (masking never joins them: '\n' ends every
    // token and digit run), so words and shingles are those of the shown text.
    const std::string shown = shown_text(feed, u.title + "\n" + u.body);
    IndexedUgc item;
    item.ugc = &u;
    item.words = static_cast<std::uint32_t>(count_words(shown));
    item.base_score = base_score(u, item.words, feed, weights);
    item.helpfulness = wilson_lower_bound(u.helpful, u.unhelpful);
    item.has_media = !u.media.empty();
    item.critical = u.rating && *u.rating <= kCriticalRating;
    item.author = authors(u.author.influencer ? "influencer:" + *u.author.influencer
                                              : "name:" + ascii_lower(u.author.name));
    item.locale = locales(u.locale);
    if (item.locale == p.locales.size()) p.locales.push_back(u.locale);
    std::vector<std::uint64_t> shingles = word_shingles(shown);
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
  if (p.document) summarize_facets(p.summary, *p.document, prior_mean);
  else finish_summary(p.summary, rating_sum, verified, prior_mean);
  // UGC ids are unique, so stable_sort_by gives std::sort's order.
  stable_sort_by(p.excluded, [](const Exclusion& a, const Exclusion& b) { return a.id < b.id; });
  for (const Endorsement& e : feed.endorsements)
    if (e.product == product) p.endorsements.push_back(&e);
  return p;
}

}  // namespace

SocialProofIndex::SocialProofIndex(const Feed& feed) : SocialProofIndex(feed, store_prior_mean(feed)) {}

SocialProofIndex::SocialProofIndex(const Feed& feed, double prior_mean)
    : feed_(&feed), prior_mean_(prior_mean), products_(feed.products.size()),
      first_item_(), items_() {
}

const ProductProof& SocialProofIndex::product(const std::string& id) {
  const Product* known = feed_->find_product(id);
  if (!known) return unknown_;
  auto& slot = products_[static_cast<std::size_t>(known - feed_->products.data())];
  if (!slot) {
    auto p = static_cast<std::size_t>(known - feed_->products.data());
    const std::uint32_t* positions = first_item_.empty() ? nullptr : items_.data() + first_item_[p];
    std::size_t count = positions ? first_item_[p + 1] - first_item_[p] : feed_->ugc.size();
    slot = std::make_unique<ProductProof>(build_product(*feed_, id, positions, count, prior_mean_));
  }
  return *slot;
}

void SocialProofIndex::group_items() {
  const Feed& feed = *feed_;
  first_item_.assign(feed.products.size() + 1, 0);
  items_.assign(feed.ugc.size(), 0);
  std::vector<std::uint32_t> product_of(feed.ugc.size());
  const auto none = static_cast<std::uint32_t>(feed.products.size());
  for (std::size_t i = 0; i < feed.ugc.size(); ++i) {
    const Product* p = feed.find_product(feed.ugc[i].product);
    product_of[i] = p ? static_cast<std::uint32_t>(p - feed.products.data()) : none;
    if (p) ++first_item_[product_of[i] + 1];
  }
  for (std::size_t p = 1; p < first_item_.size(); ++p) first_item_[p] += first_item_[p - 1];
  std::vector<std::uint32_t> next(first_item_.begin(), first_item_.end() - 1);
  for (std::size_t i = 0; i < feed.ugc.size(); ++i)
    if (product_of[i] != none) items_[next[product_of[i]]++] = static_cast<std::uint32_t>(i);
}

void SocialProofIndex::release(const std::string& id) {
  if (const Product* known = feed_->find_product(id))
    products_[static_cast<std::size_t>(known - feed_->products.data())].reset();
}

std::string shown_text(const Feed& feed, const std::string& text) {
  return feed.document ? text : mask_contact_details(text).text;
}

RatingSummary summarize_ratings(const Feed& feed, const std::string& product) {
  SocialProofIndex index(feed);
  return index.product(product).summary;
}

}  // namespace vouch
