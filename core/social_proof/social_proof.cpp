// Selection of social proof: moderation, scoring, ordering (with MMR
// diversity, near-duplicate collapsing and balance), summary, endorsements.
#include "social_proof/social_proof.hpp"

#include "input/json_tape.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/json_output.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"
#include "input/json_tape.hpp"
#include "social_proof/moderation.hpp"
#include "social_proof/near_duplicates.hpp"

namespace vouch {

namespace {

// One item that passes the query's filters, with its query-dependent keys.
struct Candidate {
  const IndexedUgc* item = nullptr;
  const Ugc* ugc = nullptr;
  double score = 0;  // relevance; only computed when the sort needs it, else for the page
  bool via = false;
};

// The full relevance score: the prepared base plus recency and locale, added
// in the order of docs/social-proof.md's table.
double relevance_score(const IndexedUgc& item, const SocialProofQuery& q, double locale_fit,
                       const RelevanceWeights& w) {
  double s = item.base_score;
  s += w.recency * recency_weight(item.ugc->at, q.now);
  s += w.locale * locale_fit;
  return s;
}

std::string handle_of(const Feed& feed, const std::string& influencer_id) {
  const Influencer* inf = feed.find_influencer(influencer_id);
  return inf ? "@" + inf->handle : influencer_id;
}

std::vector<std::string> item_reasons(const Candidate& c, const SocialProofQuery& q, const Feed& feed,
                                      bool balance) {
  const Ugc& u = *c.ugc;
  std::vector<std::string> r;
  if (c.via) r.push_back("from " + handle_of(feed, q.via) + ", who referred you");
  if (balance) r.push_back("a critical review, shown for balance");
  if (u.author.verified_buyer) r.push_back("verified buyer");
  if (u.helpful + u.unhelpful > 0)
    r.push_back(std::to_string(u.helpful) + " of " + std::to_string(u.helpful + u.unhelpful) +
                " found it helpful");
  if (u.author.influencer && feed.find_influencer(*u.author.influencer))
    r.push_back("by " + handle_of(feed, *u.author.influencer));
  if (!u.media.empty()) r.push_back(u.media.front().type == "video" ? "has a video" : "has a photo");
  std::size_t words = c.item->words;
  if (words >= 20 && words <= 150) r.push_back("detailed (" + std::to_string(words) + " words)");
  if (u.at <= q.now && q.now - u.at < 30 * kSecondsPerDay) {
    auto days = (q.now - u.at) / kSecondsPerDay;
    r.push_back(days == 0 ? "recent (today)" : "recent (" + std::to_string(days) + (days == 1 ? " day ago)" : " days ago)"));
  }
  if (locale_match(u.locale, q.locale) > 0) r.push_back("in your language (" + u.locale + ")");
  return r;
}

// "a before b" for each sort; the last key is always the id.
bool ranks_before(const Candidate& a, const Candidate& b, SocialProofSort sort) {
  const Ugc& x = *a.ugc;
  const Ugc& y = *b.ugc;
  switch (sort) {
    case SocialProofSort::Relevant:
      if (a.score != b.score) return a.score > b.score;
      break;
    case SocialProofSort::Newest:
      if (x.at != y.at) return x.at > y.at;
      break;
    case SocialProofSort::Highest:
    case SocialProofSort::Lowest: {
      if (x.rating.has_value() != y.rating.has_value()) return x.rating.has_value();  // unrated last
      if (x.rating && *x.rating != *y.rating)
        return sort == SocialProofSort::Highest ? *x.rating > *y.rating : *x.rating < *y.rating;
      if (x.at != y.at) return x.at > y.at;
      break;
    }
    case SocialProofSort::Helpful:
      if (a.item->helpfulness != b.item->helpfulness) return a.item->helpfulness > b.item->helpfulness;
      if (x.helpful != y.helpful) return x.helpful > y.helpful;
      break;
    case SocialProofSort::Media:
      if (a.item->has_media != b.item->has_media) return a.item->has_media;
      if (a.score != b.score) return a.score > b.score;
      break;
  }
  return x.id < y.id;
}

// Walks candidates in rank order and builds the list up to offset + limit.
// Every candidate met is either picked or collapsed as a near-duplicate of
// an earlier pick. Items with the same text share one prepared shingle set,
// and what is known of a set (the picks it was compared with, the first it
// nearly duplicates, the pick that is its exact copy) is kept per set, so
// that each set is compared with each pick at most once however many copies
// the walk passes over.
// kRestricted: the storefront documents' walk over a WalkRestriction (a
// separate instantiation, so that the shopper's wasm module, which never
// restricts a walk, carries none of it).
template <bool kRestricted>
class Walk {
 public:
  Walk(std::vector<Candidate>& candidates, const ProductProof& product, const SocialProofQuery& q,
       WalkRestriction* restriction)
      : c_(candidates), texts_(product.texts), q_(q), restriction_(restriction), taken_(candidates.size(), false),
        checked_(candidates.size(), 0), text_checked_(product.texts.size(), 0),
        text_duplicate_of_(product.texts.size(), kNone), exact_pick_(product.texts.size(), kNone) {
    order_.resize(c_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  }

  struct Pick {
    std::size_t index;
    bool balance;
  };

  std::vector<Pick> run() {
    const std::size_t wanted = q_.offset + q_.limit;
    if (q_.sort != SocialProofSort::Relevant) {
      for (std::size_t pos = 0; picks_.size() < wanted && ensure_sorted(pos + 1); ++pos) accept(order_[pos], false);
      return picks_;
    }
    std::vector<std::size_t> via, critical;
    for (std::size_t i = 0; i < c_.size(); ++i) {
      if (c_[i].via) via.push_back(i);
      if (c_[i].item->critical) critical.push_back(i);
    }
    auto cmp = [&](std::size_t a, std::size_t b) { return before(a, b); };
    sort_indices(via, cmp);
    std::size_t next_via = 0, next_critical = 0;
    bool critical_sorted = false;
    while (picks_.size() < wanted) {
      if (balance_slot()) {
        if (!critical_sorted) {  // once per query, only when the page needs it
          sort_indices(critical, cmp);
          critical_sorted = true;
        }
        while (next_critical < critical.size() && taken_[critical[next_critical]]) ++next_critical;
        if (next_critical < critical.size()) {
          accept(critical[next_critical], true);
          continue;
        }
        no_critical_left_ = true;
        if constexpr (kRestricted)
          if (!restriction_->critical_complete) restriction_->exhausted = true;
      }
      while (next_via < via.size() && taken_[via[next_via]]) ++next_via;
      if (next_via < via.size()) {
        accept(via[next_via], false);
        continue;
      }
      auto pick = mmr_pick();
      if (!pick) break;
      accept(*pick, false);
    }
    return picks_;
  }

  const std::vector<Collapse>& collapsed() const { return collapsed_; }
  const std::vector<std::size_t>& seen() const { return seen_; }

 private:
  bool before(std::size_t a, std::size_t b) const { return ranks_before(c_[a], c_[b], q_.sort); }

  // Makes order_[0, n) the n best candidates in rank order, extending the
  // sorted prefix geometrically: std::partial_sort of the unsorted rest,
  // O((N - s) log m) per extension, O(N log k) in all for the k best.
  // False when fewer than n candidates exist.
  bool ensure_sorted(std::size_t n) {
    if constexpr (kRestricted) {
      if (n > restriction_->prefix) {  // beyond what the caller knows to be the best
        restriction_->exhausted = true;
        return false;
      }
    }
    if (n > order_.size()) return false;
    if (n <= sorted_) return true;
    std::size_t target = std::min(order_.size(), std::max({n, 2 * sorted_, std::size_t{64}}));
    auto cmp = [&](std::size_t a, std::size_t b) { return before(a, b); };
    std::partial_sort(order_.begin() + static_cast<std::ptrdiff_t>(sorted_),
                      order_.begin() + static_cast<std::ptrdiff_t>(target), order_.end(), cmp);
    sorted_ = target;
    return true;
  }

  static constexpr std::uint32_t kNone = 0xffffffffU;

  const std::vector<std::uint64_t>& shingles(std::size_t i) const { return texts_[c_[i].item->text]; }

  // The first pick that text t nearly duplicates, comparing t only with the
  // picks it has not met yet.
  std::optional<std::size_t> first_near_duplicate(std::uint32_t t) {
    if (text_duplicate_of_[t] != kNone) return text_duplicate_of_[t];
    for (std::size_t k = text_checked_[t]; k < picks_.size(); ++k)
      if (is_near_duplicate(texts_[t], shingles(picks_[k].index))) {
        text_duplicate_of_[t] = static_cast<std::uint32_t>(k);
        return k;
      }
    text_checked_[t] = static_cast<std::uint32_t>(picks_.size());
    return std::nullopt;
  }

  // The pick (position in picks_) this candidate nearly duplicates, if any:
  // at the candidate's first check its exact copy when one was picked, else
  // the first pick it nearly duplicates.
  std::optional<std::size_t> duplicate_of(std::size_t i) {
    std::uint32_t t = c_[i].item->text;
    if (texts_[t].empty()) return std::nullopt;
    if (checked_[i] == 0 && exact_pick_[t] != kNone) return exact_pick_[t];
    if (auto k = first_near_duplicate(t)) return k;
    checked_[i] = picks_.size();
    return std::nullopt;
  }

  // Marks i as met; collapses it when it nearly duplicates a pick. Returns
  // true when it was collapsed.
  bool collapse_if_duplicate(std::size_t i) {
    auto dup = duplicate_of(i);
    if (!dup) return false;
    taken_[i] = true;
    std::size_t j = picks_[*dup].index;
    collapsed_.push_back({c_[i].ugc->id, c_[j].ugc->id, round_score(jaccard(shingles(i), shingles(j)))});
    return true;
  }

  void accept(std::size_t i, bool balance) {
    if (collapse_if_duplicate(i)) return;
    taken_[i] = true;
    std::uint32_t t = c_[i].item->text;
    if (!texts_[t].empty()) exact_pick_[t] = static_cast<std::uint32_t>(picks_.size());
    picks_.push_back({i, balance});
    if (c_[i].item->critical && picks_.size() <= q_.limit) critical_on_first_page_ = true;
  }

  // The last slot of the first page, when the page has none critical yet.
  bool balance_slot() const {
    return q_.limit >= kBalanceMinLimit && picks_.size() == q_.limit - 1 && !critical_on_first_page_ &&
           !no_critical_left_;
  }

  double similarity(std::size_t a, std::size_t b) const {
    double s = 0;
    if (c_[a].item->author == c_[b].item->author) s += kSameAuthorSimilarity;
    if (c_[a].ugc->kind == c_[b].ugc->kind) s += kSameKindSimilarity;
    return s;
  }

  // Maximal marginal relevance over the next 3·limit untaken candidates:
  // λ·score − (1 − λ)·max similarity to the previous limit − 1 picks.
  // Near-duplicates met on the way are collapsed and do not count.
  // Stops early once λ·score cannot beat the best (penalties are ≥ 0).
  std::optional<std::size_t> mmr_pick() {
    const std::size_t window = std::min(picks_.size(), q_.limit - 1);
    const std::size_t horizon = 3 * q_.limit;
    std::optional<std::size_t> best;
    double best_value = 0;
    std::size_t seen = 0;
    while (ensure_sorted(first_untaken_ + 1) && taken_[order_[first_untaken_]]) ++first_untaken_;
    for (std::size_t pos = first_untaken_; seen < horizon && ensure_sorted(pos + 1); ++pos) {
      std::size_t i = order_[pos];
      if (taken_[i]) continue;
      double relevance = kMmrLambda * c_[i].score;
      if (best && relevance <= best_value) break;
      if (collapse_if_duplicate(i)) continue;
      ++seen;
      if constexpr (kRestricted) seen_.push_back(i);
      double max_sim = 0;
      for (std::size_t k = picks_.size() - window; k < picks_.size(); ++k)
        max_sim = std::max(max_sim, similarity(i, picks_[k].index));
      double value = relevance - (1 - kMmrLambda) * max_sim;
      if (!best || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    return best;
  }

  std::vector<Candidate>& c_;
  const std::vector<std::vector<std::uint64_t>>& texts_;
  const SocialProofQuery& q_;
  WalkRestriction* restriction_;
  std::vector<std::size_t> order_;
  std::size_t sorted_ = 0;
  std::size_t first_untaken_ = 0;
  std::vector<bool> taken_;
  std::vector<std::size_t> checked_;  // picks already compared with, per candidate (0: first check)
  // Per prepared text: picks compared with, the first it nearly duplicates,
  // the pick that is its exact copy.
  std::vector<std::uint32_t> text_checked_, text_duplicate_of_, exact_pick_;
  std::vector<Pick> picks_;
  std::vector<Collapse> collapsed_;
  std::vector<std::size_t> seen_;  // with a restriction: candidates MMR counted
  bool critical_on_first_page_ = false;
  bool no_critical_left_ = false;
};

// Engagement on a log scale, 1 at 100,000 (likes + 3·comments); comments
// weigh more because they cost the audience more effort.
double endorsement_score(const Endorsement& e, Timestamp now) {
  double engagement = static_cast<double>(std::max<std::int64_t>(e.likes, 0)) +
                      3.0 * static_cast<double>(std::max<std::int64_t>(e.comments, 0));
  double reach = std::min(1.0, std::log10(1.0 + engagement) / 5.0);
  return 0.6 * reach + 0.4 * recency_weight(e.at, now);
}

std::vector<ScoredEndorsement> rank_endorsements(const Feed& feed, const ProductProof& product,
                                                 const SocialProofQuery& q) {
  struct Entry {
    const Endorsement* e;
    double score;
    bool via;
  };
  std::vector<Entry> entries;
  for (const Endorsement* e : product.endorsements)
    entries.push_back({e, endorsement_score(*e, q.now), !q.via.empty() && e->influencer == q.via});
  auto before = [](const Entry& a, const Entry& b) {
    if (a.via != b.via) return a.via;
    if (a.score != b.score) return a.score > b.score;
    return a.e->id < b.e->id;
  };
  std::size_t keep = std::min(entries.size(), kMaxEndorsements);
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep), entries.end(), before);
  std::vector<ScoredEndorsement> out;
  for (std::size_t i = 0; i < keep; ++i) {
    const Endorsement& e = *entries[i].e;
    ScoredEndorsement s{&e, entries[i].score, {}, shown_text(feed, e.quote)};
    if (entries[i].via) s.reasons.push_back("from " + handle_of(feed, e.influencer) + ", who referred you");
    s.reasons.push_back(std::to_string(e.likes) + " likes, " + std::to_string(e.comments) + " comments");
    if (e.at <= q.now && q.now - e.at < 30 * kSecondsPerDay) s.reasons.push_back("recent");
    out.push_back(std::move(s));
  }
  return out;
}

// The items of a storefront document's product that pass the filters: its
// facets count all of them, the document holds a chosen few.
std::size_t document_total(const ProductDocumentFacts& d, const SocialProofQuery& q) {
  std::int64_t total = 0;
  for (std::size_t rating = 0; rating <= 5; ++rating) {
    if (q.min_rating && (rating == 0 || static_cast<int>(rating) < *q.min_rating)) continue;
    for (std::size_t v = q.verified_only ? 1 : 0; v < 2; ++v)
      for (std::size_t m = q.with_media ? 1 : 0; m < 2; ++m) total += d.facets[rating][v][m];
  }
  return static_cast<std::size_t>(total);
}

}  // namespace

std::vector<std::uint32_t> rank_product(SocialProofIndex& index, const SocialProofQuery& q) {
  const ProductProof& product = index.product(q.product);
  const RelevanceWeights weights;
  std::vector<double> locale_fit;
  for (const std::string& locale : product.locales) locale_fit.push_back(locale_match(locale, q.locale));
  std::vector<Candidate> all;
  all.reserve(product.items.size());
  for (const IndexedUgc& item : product.items) {
    Candidate c;
    c.item = &item;
    c.ugc = item.ugc;
    c.score = relevance_score(item, q, locale_fit[item.locale], weights);
    all.push_back(c);
  }
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  sort_indices(order, [&](std::size_t a, std::size_t b) { return ranks_before(all[a], all[b], q.sort); });
  return std::vector<std::uint32_t>(order.begin(), order.end());
}

namespace {

template <bool kRestricted>
SocialProofResult select(SocialProofIndex& index, const SocialProofQuery& q, WalkRestriction* restriction) {
  const Feed& feed = index.feed();
  const ProductProof& product = index.product(q.product);
  SocialProofResult result;
  result.summary = product.summary;
  result.excluded = product.excluded;  // a view: spam verdicts are the same for every query
  const RelevanceWeights weights;
  // Locale fit per distinct item locale, not per item.
  std::vector<double> locale_fit;
  locale_fit.reserve(product.locales.size());
  for (const std::string& locale : product.locales) locale_fit.push_back(locale_match(locale, q.locale));
  // Only the relevance-based sorts need every candidate's score; the others
  // compute it for the page alone.
  const bool scored = q.sort == SocialProofSort::Relevant || q.sort == SocialProofSort::Media;
  std::vector<Candidate> candidates;
  const std::size_t considered = kRestricted ? restriction->items.size() : product.items.size();
  candidates.reserve(considered);
  for (std::size_t k = 0; k < considered; ++k) {
    const IndexedUgc& item = product.items[kRestricted ? restriction->items[k] : k];
    const Ugc& u = *item.ugc;
    if (q.min_rating && (!u.rating || *u.rating < *q.min_rating)) continue;
    if (q.verified_only && !u.author.verified_buyer) continue;
    if (q.with_media && !item.has_media) continue;
    Candidate c;
    c.item = &item;
    c.ugc = &u;
    if (scored) c.score = relevance_score(item, q, locale_fit[item.locale], weights);
    c.via = !q.via.empty() && u.author.influencer == q.via;
    candidates.push_back(c);
  }
  result.total = candidates.size();
  if (product.document) result.total = document_total(*product.document, q);

  Walk<kRestricted> walk(candidates, product, q, restriction);
  std::vector<typename Walk<kRestricted>::Pick> picks = walk.run();
  result.collapsed = walk.collapsed();
  if constexpr (kRestricted)
    for (std::size_t i : walk.seen())
      restriction->seen.push_back(static_cast<std::size_t>(candidates[i].item - product.items.data()));
  for (std::size_t pos = q.offset; pos < picks.size(); ++pos) {
    const Candidate& c = candidates[picks[pos].index];
    ScoredItem item;
    item.ugc = c.ugc;
    if constexpr (kRestricted) {
      result.items.push_back(std::move(item));
      continue;
    }
    item.score = scored ? c.score : relevance_score(*c.item, q, locale_fit[c.item->locale], weights);
    item.helpfulness = c.item->helpfulness;
    item.reasons = item_reasons(c, q, feed, picks[pos].balance);
    item.title = shown_text(feed, c.ugc->title);
    item.body = shown_text(feed, c.ugc->body);
    result.items.push_back(std::move(item));
  }
  if constexpr (!kRestricted) result.endorsements = rank_endorsements(feed, product, q);
  return result;
}

}  // namespace

SocialProofResult select_social_proof(SocialProofIndex& index, const SocialProofQuery& q) {
  return select<false>(index, q, nullptr);
}

SocialProofResult select_social_proof(SocialProofIndex& index, const SocialProofQuery& q,
                                      WalkRestriction* restriction) {
  return select<true>(index, q, restriction);
}

nlohmann::json to_json(const RatingSummary& s) {
  using json = nlohmann::json;
  json distribution = json::object();
  for (std::size_t star = 1; star <= 5; ++star)
    put_int(distribution, std::to_string(star).c_str(), s.distribution[star - 1]);
  json summary = json::object();
  put_int(summary, "count", s.count);
  put_score_or_null(summary, "average", s.average);
  put_score(summary, "bayesian_average", s.bayesian_average);
  put_score(summary, "prior_mean", s.prior_mean);
  put_number(summary, "prior_strength", kBayesianPriorStrength);
  put(summary, "distribution", std::move(distribution));
  put_score(summary, "verified_share", s.verified_share);
  return summary;
}

nlohmann::json to_json(const Feed& feed, const SocialProofQuery& q, const SocialProofResult& r) {
  using json = nlohmann::json;
  json summary = to_json(r.summary);
  json items = json::array();
  for (const ScoredItem& item : r.items) {
    const Ugc& u = *item.ugc;
    json media = json::array();
    for (const Media& m : u.media) {
      json one = json::object();
      put_string(one, "type", m.type);
      put_string(one, "url", m.url);
      put_string(one, "alt", m.alt);
      media.push_back(std::move(one));
    }
    json influencer = nullptr;
    if (u.author.influencer) {
      if (const Influencer* inf = feed.find_influencer(*u.author.influencer)) {
        influencer = json::object();
        put_string(influencer, "id", inf->id);
        put_string(influencer, "handle", inf->handle);
        put_string(influencer, "name", inf->name);
        put_string(influencer, "avatar", inf->avatar);
        put_string(influencer, "profile_url", inf->profile_url);
      }
    }
    json author = json::object();
    put_string(author, "name", u.author.name);
    put_bool(author, "verified_buyer", u.author.verified_buyer);
    json out = json::object();
    put_string(out, "id", u.id);
    put_score(out, "score", item.score);
    put_strings(out, "reasons", item.reasons);
    put_string(out, "kind", to_string(u.kind));
    put(out, "rating", u.rating ? json(*u.rating) : json(nullptr));
    put_string(out, "title", item.title);
    put_string(out, "body", item.body);
    put(out, "author", std::move(author));
    put_bool(out, "verified", u.author.verified_buyer);
    put(out, "influencer", std::move(influencer));
    put(out, "media", std::move(media));
    put_string(out, "at", format_rfc3339(u.at));
    put_int(out, "helpful", u.helpful);
    put_int(out, "unhelpful", u.unhelpful);
    put_score(out, "helpfulness", item.helpfulness);
    put_string(out, "locale", u.locale);
    items.push_back(std::move(out));
  }

  json endorsements = json::array();
  for (const ScoredEndorsement& se : r.endorsements) {
    const Endorsement& e = *se.endorsement;
    const Influencer* inf = feed.find_influencer(e.influencer);
    json out = json::object();
    put_string(out, "id", e.id);
    put_string(out, "influencer", e.influencer);
    put_string_or_null(out, "handle", inf ? &inf->handle : nullptr);
    put_string_or_null(out, "name", inf ? &inf->name : nullptr);
    put_string_or_null(out, "avatar", inf ? &inf->avatar : nullptr);
    put_score(out, "score", se.score);
    put_strings(out, "reasons", se.reasons);
    put_string(out, "quote", se.quote);
    put_string(out, "media", e.media);
    put_string(out, "url", e.url);
    put_string(out, "at", format_rfc3339(e.at));
    put_int(out, "likes", e.likes);
    put_int(out, "comments", e.comments);
    endorsements.push_back(std::move(out));
  }

  json page = json::object();
  put_int(page, "offset", static_cast<std::int64_t>(q.offset));
  put_int(page, "limit", static_cast<std::int64_t>(q.limit));
  put_string(page, "sort", to_string(q.sort));
  json context = json::object();
  put_string(context, "locale", q.locale);
  put_string_or_null(context, "via", q.via.empty() ? nullptr : &q.via);
  put_string(context, "now", format_rfc3339(q.now));

  json out = json::object();
  put_string(out, "product", q.product);
  put(out, "summary", std::move(summary));
  put(out, "items", std::move(items));
  put(out, "endorsements", std::move(endorsements));
  put_int(out, "total", static_cast<std::int64_t>(r.total));
  if (q.moderation_lists) {
    json excluded = json::array();
    for (const Exclusion& e : r.excluded) {
      json item = json::object();
      put_string(item, "id", e.id);
      put_string(item, "reason", e.reason);
      put_strings(item, "signals", e.signals);
      excluded.push_back(std::move(item));
    }
    json collapsed = json::array();
    for (const Collapse& c : r.collapsed) {
      json item = json::object();
      put_string(item, "id", c.id);
      put_string(item, "duplicate_of", c.duplicate_of);
      put_number(item, "similarity", c.similarity);
      collapsed.push_back(std::move(item));
    }
    put(out, "excluded", std::move(excluded));
    put(out, "collapsed", std::move(collapsed));
  }
  put(out, "page", std::move(page));
  put(out, "context", std::move(context));
  return out;
}

std::optional<nlohmann::json> social_proof_json(SocialProofIndex& index, const JsonValue& query, Error& error,
                                                std::optional<Timestamp> default_now) {
  std::optional<SocialProofQuery> q = parse_social_proof_query(index.feed(), query, error, default_now);
  if (!q) return std::nullopt;
  return to_json(index.feed(), *q, select_social_proof(index, *q));
}

std::optional<nlohmann::json> social_proof_json(SocialProofIndex& index, const nlohmann::json& query,
                                                Error& error) {
  JsonTape tape;
  record_json(query, tape);
  return social_proof_json(index, tape.root(), error);
}

nlohmann::json social_proof_json(SocialProofIndex& index, const nlohmann::json& query) {
  Error error;
  std::optional<nlohmann::json> result = social_proof_json(index, query, error);
  if (!result) throw_error(std::move(error));
  return std::move(*result);
}

nlohmann::json social_proof_json(const Feed& feed, const nlohmann::json& query) {
  SocialProofIndex index(feed);  // prepares the query's product only
  return social_proof_json(index, query);
}

}  // namespace vouch
