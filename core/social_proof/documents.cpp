// The storefront's public documents and the choice of a product document's
// candidate set (docs/social-proof.md, "Storefront documents").
#include "social_proof/documents.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "common/json_output.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"
#include "feed/feed_write.hpp"
#include "social_proof/signals.hpp"

namespace vouch {

namespace {

using nlohmann::json;

std::string dump(const json& document) { return document.dump(-1, ' ', false, json::error_handler_t::replace); }

// The filters the widget offers, each a combination of min_rating (none,
// 2..5), verified_only and with_media.
struct Filter {
  std::optional<int> min_rating;
  bool verified_only = false;
  bool with_media = false;
  bool passes(const IndexedUgc& item) const {
    const Ugc& u = *item.ugc;
    if (min_rating && (!u.rating || *u.rating < *min_rating)) return false;
    if (verified_only && !u.author.verified_buyer) return false;
    return !with_media || item.has_media;
  }
};

std::vector<Filter> all_filters() {
  std::vector<Filter> out;
  for (int rating : {0, 2, 3, 4, 5})
    for (bool verified : {false, true})
      for (bool media : {false, true})
        out.push_back({rating ? std::optional<int>(rating) : std::nullopt, verified, media});
  return out;
}

std::string language_of(const std::string& normal_tag) { return normal_tag.substr(0, normal_tag.find('-')); }

std::string normal_locale(std::string_view tag) {
  std::string out = ascii_lower(tag);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

// One shopper locale per class of the shopper locales the widget sends (a
// language: "en", "fr") that score the product's items alike: locale_match
// (signals.hpp) gives an item 1 for the same tag, 0.8 for the same language,
// else 0, so only each distinct item locale's fit matters. The classes: each
// language of the items, and one no item has.
std::vector<std::string> shopper_locale_classes(const std::vector<std::string>& item_locales) {
  std::set<std::string> languages;
  for (const auto& locale : item_locales)
    if (!locale.empty()) languages.insert(language_of(normal_locale(locale)));
  std::string other = "zz";
  while (languages.count(other)) other += "z";
  std::vector<std::string> candidates(languages.begin(), languages.end());
  candidates.push_back(other);
  std::vector<std::string> out;
  std::set<std::vector<double>> fits;
  for (const auto& candidate : candidates) {
    std::vector<double> fit;
    for (const auto& locale : item_locales) fit.push_back(locale_match(locale, candidate));
    if (fits.insert(fit).second) out.push_back(candidate);
  }
  return out;
}

json facets_json(const ProductProof& proof) {
  std::array<std::array<std::array<std::int64_t, 2>, 2>, 6> counts{};
  for (const IndexedUgc& item : proof.items)
    ++counts[item.ugc->rating ? static_cast<std::size_t>(*item.ugc->rating) : 0][item.ugc->author.verified_buyer]
            [item.has_media];
  json out = json::array();
  for (std::size_t rating = 0; rating <= 5; ++rating)
    for (std::size_t v = 0; v < 2; ++v)
      for (std::size_t m = 0; m < 2; ++m) {
        if (!counts[rating][v][m]) continue;
        json facet = json::object();
        put(facet, "rating", rating ? json(rating) : json(nullptr));
        put_bool(facet, "verified", v == 1);
        put_bool(facet, "media", m == 1);
        put_int(facet, "count", counts[rating][v][m]);
        out.push_back(std::move(facet));
      }
  return out;
}

// A UGC item as the document shows it: published, title and body masked.
json public_item_json(const Feed& feed, const Ugc& u) {
  json out = to_json(u);
  out["title"] = shown_text(feed, u.title);
  out["body"] = shown_text(feed, u.body);
  return out;
}

json public_endorsement_json(const Feed& feed, const Endorsement& e) {
  json out = to_json(e);
  out["quote"] = shown_text(feed, e.quote);
  return out;
}

// The creators a document names: the product's endorsers and the authors of
// its items (those in the feed), in feed order.
void name_creators(const Feed& feed, const ProductProof& proof, ProductCandidates& out) {
  std::unordered_set<std::string_view> named;
  for (const Endorsement* e : proof.endorsements) named.insert(e->influencer);
  for (const Ugc* u : out.items)
    if (u->author.influencer && feed.find_influencer(*u->author.influencer)) named.insert(*u->author.influencer);
  out.endorsements = proof.endorsements;
  for (const Influencer& in : feed.influencers)
    if (named.count(in.id)) out.creators.push_back(&in);
}

}  // namespace

std::string document_name(std::string_view id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    auto c = static_cast<unsigned char>(id[i]);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                 c == '-' || (c == '.' && i > 0);
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '~';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Timestamp document_day(Timestamp now) { return now - ((now % kSecondsPerDay) + kSecondsPerDay) % kSecondsPerDay; }

StoreRatings store_ratings(const Feed& feed) {
  StoreRatings out;
  for (const Ugc& u : feed.ugc)
    if (u.status == UgcStatus::Published && u.rating) {
      out.sum += *u.rating;
      ++out.count;
    }
  return out;
}

double prior_mean(const StoreRatings& ratings) {
  return ratings.count > 0 ? static_cast<double>(ratings.sum) / static_cast<double>(ratings.count)
                           : kFallbackPriorMean;
}

ProductCandidates choose_candidates(SocialProofIndex& index, const std::string& product, Timestamp as_of,
                                   DocumentScope scope) {
  const Feed& feed = index.feed();
  const ProductProof& proof = index.product(product);
  ProductCandidates out;
  std::unordered_map<const Ugc*, std::size_t> position;  // in proof.items
  for (std::size_t i = 0; i < proof.items.size(); ++i) position.emplace(proof.items[i].ugc, i);
  std::vector<bool> chosen(proof.items.size(), false);
  auto choose = [&](const Ugc* u) { chosen[position.at(u)] = true; };
  // Each first page is computed on a few of the product's items: the best
  // ones of the query's order that pass its filters (a prefix), the best
  // critical ones and all the `via` creator's. When the walk asks for more
  // (WalkRestriction::exhausted), it runs again on four times as many, up
  // to all of them: the same page as on every item, at a fraction of the cost.
  struct Ranked {
    std::vector<std::uint32_t> order, critical;  // positions in proof.items
  };
  std::map<std::pair<SocialProofSort, std::string>, Ranked> ranked;
  auto ranking = [&](SocialProofSort sort, const std::string& locale) -> const Ranked& {
    auto [it, fresh] = ranked.try_emplace({sort, locale});
    if (fresh) {
      SocialProofQuery q;
      q.product = product;
      q.now = as_of;
      q.sort = sort;
      q.locale = locale;
      it->second.order = rank_product(index, q);
      for (std::uint32_t pos : it->second.order)
        if (proof.items[pos].critical) it->second.critical.push_back(pos);
    }
    return it->second;
  };
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_creator;
  for (std::size_t i = 0; i < proof.items.size(); ++i)
    if (const auto& author = proof.items[i].ugc->author.influencer)
      by_creator[*author].push_back(static_cast<std::uint32_t>(i));
  std::vector<std::uint32_t> stamp(proof.items.size(), 0);
  std::uint32_t generation = 0;

  auto run = [&](SocialProofSort sort, const Filter& f, const std::string& locale, const std::string& via,
                 std::size_t limit) {
    const bool scored = sort == SocialProofSort::Relevant || sort == SocialProofSort::Media;
    const Ranked& r = ranking(sort, scored ? locale : std::string());
    std::size_t want = 4 * limit + 16, want_critical = 8;
    while (true) {
      WalkRestriction w;
      ++generation;
      auto add = [&](std::uint32_t pos) {
        if (stamp[pos] == generation || !f.passes(proof.items[pos])) return false;
        stamp[pos] = generation;
        w.items.push_back(pos);
        return true;
      };
      bool all = true;
      for (std::uint32_t pos : r.order)
        if (add(pos) && w.items.size() == want) {
          all = pos == r.order.back();
          break;
        }
      w.prefix = w.items.size();
      w.critical_complete = all;
      if (!all) {
        std::size_t critical = 0;
        w.critical_complete = true;
        for (std::uint32_t pos : r.critical) {
          if (!f.passes(proof.items[pos])) continue;
          add(pos);
          if (++critical == want_critical) {
            w.critical_complete = pos == r.critical.back();
            break;
          }
        }
      }
      if (auto mine = by_creator.find(via); !via.empty() && mine != by_creator.end())
        for (std::uint32_t pos : mine->second) add(pos);

      SocialProofQuery q;
      q.product = product;
      q.now = as_of;
      q.sort = sort;
      q.locale = locale;
      q.via = via;
      q.via_requested = via;
      q.limit = limit;
      q.min_rating = f.min_rating;
      q.verified_only = f.verified_only;
      q.with_media = f.with_media;
      q.moderation_lists = false;
      SocialProofResult result = select_social_proof(index, q, &w);
      ++out.queries;
      if (w.exhausted && !(all && w.critical_complete)) {
        want *= 4;
        want_critical *= 4;
        continue;
      }
      for (const ScoredItem& item : result.items) choose(item.ugc);
      for (std::size_t pos : w.seen) chosen[pos] = true;
      return;
    }
  };

  const bool rail = scope == DocumentScope::Rail;
  const std::size_t limit = rail ? kRailSize : kReviewsPageSize;
  // One filter per distinct set of candidates: the walk sees only its
  // candidates, so two filters that let the same items through give the
  // same pages (on a small product most do). Empty sets give empty pages.
  // The rail has no filter.
  std::vector<Filter> filters;
  std::set<std::vector<bool>> candidate_sets;
  for (const Filter& f : rail ? std::vector<Filter>{Filter{}} : all_filters()) {
    std::vector<bool> passing(proof.items.size());
    for (std::size_t i = 0; i < proof.items.size(); ++i) passing[i] = f.passes(proof.items[i]);
    if (std::find(passing.begin(), passing.end(), true) != passing.end() && candidate_sets.insert(passing).second)
      filters.push_back(f);
  }
  const std::vector<std::string> locales = shopper_locale_classes(proof.locales);

  // Explicit sorts are plain walks down a fixed order, which ignore `via`;
  // only `media` depends on the locale (through the score).
  for (const Filter& f : rail ? std::vector<Filter>{} : filters) {
    for (SocialProofSort sort :
         {SocialProofSort::Newest, SocialProofSort::Highest, SocialProofSort::Lowest, SocialProofSort::Helpful})
      run(sort, f, locales.front(), "", limit);
    for (const std::string& locale : locales) run(SocialProofSort::Media, f, locale, "", limit);
  }

  // `relevant` for every locale class and every creator the document names:
  // its endorsers, and the authors of its items, which are then named too
  // (until no new author appears).
  std::vector<std::string> vias = {""};
  std::unordered_set<std::string> named;
  auto name_creator = [&](const std::string& id) {
    if (named.insert(id).second) vias.push_back(id);
  };
  for (const Endorsement* e : proof.endorsements) name_creator(e->influencer);
  auto name_authors = [&] {
    for (std::size_t i = 0; i < proof.items.size(); ++i) {
      const Ugc& u = *proof.items[i].ugc;
      if (chosen[i] && u.author.influencer && feed.find_influencer(*u.author.influencer))
        name_creator(*u.author.influencer);
    }
  };
  name_authors();
  for (std::size_t v = 0; v < vias.size(); ++v) {
    const std::string via = vias[v];
    for (const Filter& f : filters) {
      // A creator without items among these candidates changes nothing of the items.
      if (!via.empty()) {
        auto mine = by_creator.find(via);
        if (mine == by_creator.end() ||
            std::none_of(mine->second.begin(), mine->second.end(), [&](std::uint32_t pos) { return f.passes(proof.items[pos]); }))
          continue;
      }
      for (const std::string& locale : locales) run(SocialProofSort::Relevant, f, locale, via, limit);
    }
    name_authors();
  }

  for (std::size_t i = 0; i < proof.items.size(); ++i)  // in feed order, as proof.items
    if (chosen[i]) out.items.push_back(proof.items[i].ugc);
  name_creators(feed, proof, out);
  return out;
}

StorefrontDocumentBuilder::StorefrontDocumentBuilder(const Feed& feed, Timestamp as_of, StoreRatings ratings)
    : feed_(feed), as_of_(as_of), ratings_(ratings), index_(feed, prior_mean(ratings)) {
  index_.group_items();
}

namespace {

// A product document: the product as a feed with the given candidates.
std::string product_document(const Feed& feed, const Product& product, const ProductProof& proof,
                             const ProductCandidates& candidates, DocumentScope scope, Timestamp as_of,
                             StoreRatings store) {
  json influencers = json::array(), endorsements = json::array(), ugc = json::array();
  for (const Influencer* in : candidates.creators) influencers.push_back(public_card_json(*in));
  for (const Endorsement* e : candidates.endorsements) endorsements.push_back(public_endorsement_json(feed, *e));
  for (const Ugc* u : candidates.items) ugc.push_back(public_item_json(feed, *u));
  json facts = json::object();
  put_string(facts, "kind", "product");
  put_string(facts, "scope", scope == DocumentScope::Rail ? "rail" : "reviews");
  put_string(facts, "product", product.id);
  put_string(facts, "as_of", format_rfc3339(as_of));
  json ratings = json::object();
  put_int(ratings, "sum", store.sum);
  put_int(ratings, "count", store.count);
  put(facts, "store_ratings", std::move(ratings));
  put(facts, "facets", facets_json(proof));
  put(facts, "page_sizes", json::array({scope == DocumentScope::Rail ? kRailSize : kReviewsPageSize}));
  json document = json::object();
  put_int(document, "version", 1);
  put(document, "store", to_json(feed.store));
  put(document, "products", json::array({to_json(product)}));
  put(document, "influencers", std::move(influencers));
  put(document, "endorsements", std::move(endorsements));
  put(document, "ugc", std::move(ugc));
  put(document, "document", std::move(facts));
  return dump(document);
}

}  // namespace

ProductDocuments StorefrontDocumentBuilder::product(const Product& product) {
  ProductDocuments out;
  out.name = document_name(product.id);
  const ProductProof& proof = index_.product(product.id);
  out.summary = to_json(proof.summary);
  for (DocumentScope scope : {DocumentScope::Rail, DocumentScope::Reviews}) {
    const std::size_t k = scope == DocumentScope::Rail ? 0 : 1;
    ProductCandidates candidates = choose_candidates(index_, product.id, as_of_, scope);
    out.queries += candidates.queries;
    (k == 0 ? out.items : out.reviews_items) = candidates.items.size();
    (k == 0 ? out.product : out.reviews) =
        product_document(feed_, product, proof, candidates, scope, as_of_, ratings_);
  }

  json badge = json::object();
  put_string(badge, "product", product.id);
  put_string(badge, "as_of", format_rfc3339(as_of_));
  put(badge, "summary", out.summary);
  out.badge = dump(badge);

  // The endorsements as the engine ranks them for a shopper without a
  // referral (at most kMaxEndorsements), those without a quote left out as
  // the picks leave them out.
  SocialProofQuery q;
  q.product = product.id;
  q.now = as_of_;
  q.limit = 1;
  q.moderation_lists = false;
  json ranked = to_json(feed_, q, select_social_proof(index_, q))["endorsements"];
  json quoted = json::array();
  for (auto& e : ranked)
    if (!e.value("quote", std::string()).empty()) quoted.push_back(std::move(e));
  if (!quoted.empty()) {
    double score = quoted[0].value("score", 0.0);
    out.pick = StorePick{out.name, score, to_json(product), out.summary, std::move(quoted)};
  }
  index_.release(product.id);
  return out;
}

std::vector<StorePick> choose_store_picks(std::vector<StorePick> picks) {
  auto before = [](const StorePick& a, const StorePick& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.name < b.name;
  };
  stable_sort_by(picks, before);
  if (picks.size() > kStorePicks) picks.resize(kStorePicks);
  return picks;
}

std::vector<std::string> pick_creators(const std::vector<StorePick>& chosen) {
  std::set<std::string> creators;
  for (const StorePick& pick : chosen)
    for (const auto& e : pick.endorsements) creators.insert(e.value("influencer", std::string()));
  return {creators.begin(), creators.end()};
}

std::string store_document(const Store& store, Timestamp as_of, const std::vector<StorePick>& chosen,
                           const std::vector<const Influencer*>& creators) {
  json picks = json::array();
  for (const StorePick& p : chosen) {
    json pick = json::object();
    put(pick, "product", p.product);
    put(pick, "summary", p.summary);
    put(pick, "endorsements", p.endorsements);
    picks.push_back(std::move(pick));
  }
  json cards = json::array();
  for (const Influencer* in : creators) cards.push_back(public_card_json(*in));
  json document = json::object();
  put_int(document, "version", 1);
  put(document, "store", to_json(store));
  put_string(document, "as_of", format_rfc3339(as_of));
  put(document, "picks", std::move(picks));
  put(document, "creators", std::move(cards));
  return dump(document);
}

std::string store_document(const Feed& feed, Timestamp as_of, const std::vector<ProductDocuments>& products) {
  std::vector<StorePick> picks;
  for (const ProductDocuments& p : products)
    if (p.pick) picks.push_back(*p.pick);
  std::vector<StorePick> chosen = choose_store_picks(std::move(picks));
  std::vector<std::string> named = pick_creators(chosen);
  std::vector<const Influencer*> creators;
  for (const Influencer& in : feed.influencers)
    if (std::binary_search(named.begin(), named.end(), in.id)) creators.push_back(&in);
  return store_document(feed.store, as_of, chosen, creators);
}

}  // namespace vouch
