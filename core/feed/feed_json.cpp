// Reading feed.json into the typed model, element by element: nlohmann's SAX
// parser records each element of products, influencers, endorsements and ugc
// alone (input/json_tape.hpp), which is read into the model at once, so a
// 2,000,000-review feed never stands as a tree. Every fault is collected with
// its JSON Pointer and a message in plain words (input/fields.hpp), up to
// FeedLimits::max_errors, in one order whatever the document's order.
#include <algorithm>
#include <array>
#include <unordered_map>

#include "common/decimal_conversion.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"
#include "input/fields.hpp"
#include "input/json_input.hpp"

namespace vouch {
namespace {

// The order faults are reported in: the document's own (an object, its
// version), the store, each section's, the checks across sections (ids used
// twice, references, codes), a storefront document's facts.
enum Section : std::size_t { kRoot, kStore, kProducts, kInfluencers, kEndorsements, kUgc, kAcross, kDocument, kSections };

constexpr std::array<std::string_view, kSections> kSectionKeys = {"", "store", "products", "influencers",
                                                                  "endorsements", "ugc", "", "document"};

Section streamed_section(std::string_view key) {
  for (std::size_t s = kProducts; s <= kUgc; ++s)
    if (kSectionKeys[s] == key) return static_cast<Section>(s);
  return kSections;
}

// A money amount in the store's currency read before the store was (a
// document may name "products" before "store"): converted at the end.
struct PendingMoney {
  Section section;
  std::size_t index;
  double amount;
};

class FeedReader : public JsonElementStream {
 public:
  explicit FeedReader(const FeedLimits& limits)
      : limits_(limits), faults_(kSections, Faults(kFeedVocabulary, FaultPolicy::All, limits.max_errors)),
        r_(faults_[kRoot]) {}

  std::vector<Error>& limit_faults() { return limit_faults_; }

  // --- the stream of sections ---

  bool streams(std::string_view key) override {
    Section s = streamed_section(key);
    if (s == kSections) return false;
    // A section written twice is the last one, as in nlohmann's tree.
    faults_[s] = Faults(kFeedVocabulary, FaultPolicy::All, limits_.max_errors);
    switch (s) {
      case kProducts: feed_.products.clear(); break;
      case kInfluencers: feed_.influencers.clear(); break;
      case kEndorsements: feed_.endorsements.clear(); break;
      default: feed_.ugc.clear(); break;
    }
    std::erase_if(pending_, [s](const PendingMoney& m) { return m.section == s; });
    return true;
  }

  JsonTape& element_tape() override { return element_; }

  bool element(std::string_view key, std::size_t index, JsonValue value) override {
    if (!limit_faults_.empty()) return true;  // only the limits' faults are reported now
    Section s = streamed_section(key);
    std::string path = "/" + std::string(key) + "/" + std::to_string(index);
    r_.report_to(faults_[s]);
    switch (s) {
      case kProducts: feed_.products.push_back(product(value, path)); break;
      case kInfluencers: feed_.influencers.push_back(influencer(value, path)); break;
      case kEndorsements: feed_.endorsements.push_back(endorsement(value, path)); break;
      default: feed_.ugc.push_back(read_ugc(value, path, r_)); break;
    }
    return true;
  }

  // After the parse: the root's own members, then the checks across sections.
  FeedLoadResult finish(const JsonValue& root) {
    r_.report_to(faults_[kRoot]);
    if (r_.expect_object(root, "")) read_root(root);
    FeedLoadResult result;
    for (Faults& section : faults_) {
      for (const Error& e : section.errors()) {
        if (result.errors.size() < limits_.max_errors) result.errors.push_back(e);
        else result.truncated = true;
      }
      result.truncated = result.truncated || section.truncated();
    }
    if (result.errors.empty()) result.feed = std::move(feed_);
    return result;
  }

 private:
  void read_root(const JsonValue& root) {
    if (auto version = r_.member(root, "", "version", true))
      if (!version->is_integer() || version->integer() != 1)
        faults_[kRoot].add("unsupported_version", "/version",
                           "version must be 1 (the only feed version this engine reads), got " +
                               describe_json_value(*version));
    r_.report_to(faults_[kStore]);
    if (auto s = r_.member(root, "", "store", true)) store(*s, "/store");
    for (const PendingMoney& m : pending_) {
      Money& money = m.section == kProducts ? feed_.products[m.index].price : feed_.influencers[m.index].rate->amount;
      money = {to_minor_units(m.amount, feed_.store.currency).value_or(0), feed_.store.currency};
    }
    // A section that is not an array was recorded whole, not streamed.
    for (std::size_t s = kProducts; s <= kUgc; ++s) {
      r_.report_to(faults_[s]);
      r_.array(root, "", kSectionKeys[s], s == kProducts);
    }
    r_.report_to(faults_[kAcross]);
    unique_ids(feed_.products, "products");
    unique_ids(feed_.influencers, "influencers");
    unique_ids(feed_.endorsements, "endorsements");
    unique_ids(feed_.ugc, "ugc");
    feed_.reindex();
    references();
    r_.report_to(faults_[kDocument]);
    if (auto d = r_.member(root, "", "document", false)) feed_.document = document(*d, "/document");
  }

  // In its own currency, or in the store's, converted once the store is read
  // (the store may come after the sections).
  Money money(const JsonValue& v, const std::string& p, std::string_view key, bool required, Section section,
              std::size_t index) {
    std::string currency = r_.currency(v, p, "currency", false, {});
    if (!currency.empty()) return {r_.amount(v, p, key, required, currency).value_or(0), currency};
    // Its faults now: no currency changes them.
    if (r_.amount(v, p, key, required, "USD")) pending_.push_back({section, index, v.find(key)->number()});
    return {};
  }

  void store(const JsonValue& v, const std::string& p) {
    Store& s = feed_.store;
    if (!r_.expect_object(v, p)) return;
    s.id = r_.identifier(v, p, "id", true, kIdRule);
    s.name = r_.string(v, p, "name", true);
    s.currency = r_.currency(v, p, "currency", true, "USD");
    s.locale = r_.language(v, p, "locale", "en-US");
  }

  Product product(const JsonValue& v, const std::string& p) {
    Product pr;
    if (!r_.expect_object(v, p)) return pr;
    pr.id = r_.identifier(v, p, "id", true, kIdRule);
    pr.title = r_.string(v, p, "title", true);
    pr.url = r_.url(v, p, "url", false);
    pr.image = r_.url(v, p, "image", false);
    pr.price = money(v, p, "price", false, kProducts, feed_.products.size());
    pr.category = r_.string(v, p, "category", false);
    pr.tags = r_.string_list(v, p, "tags");
    return pr;
  }

  // A map of share per key: each in [0,1], summing to at most 1.
  Distribution distribution(const JsonValue& object, const std::string& path, std::string_view key) {
    Distribution out;
    std::optional<JsonValue> v = r_.member(object, path, key, false);
    std::string p = child_path(path, key);
    if (!v || !r_.expect_object(*v, p)) return out;
    for (auto [name, share] : v->members()) out[std::string(name)] = r_.number(share, child_path(p, name), 0.0, 1.0).value_or(0);
    double sum = 0;
    for (const auto& [name, share] : out) sum += share;
    // 1e-6 of slack for shares rounded by the feed's producer.
    if (sum > 1.0 + 1e-6)
      r_.fail(Fault::OutOfRange, p,
              "shares add up to " + format_general(sum, 4) + "; they must add up to at most 1");
    return out;
  }

  void posts(const JsonValue& v, const std::string& p, Influencer& in) {
    std::optional<JsonValue> list = r_.array(v, p, "recent_posts", false);
    std::string lp = child_path(p, "recent_posts");
    if (!list) return;
    std::size_t i = 0;
    for (JsonValue e : list->elements()) {
      std::string ep = child_path(lp, i++);
      if (!r_.expect_object(e, ep)) continue;
      Post post;
      post.at = r_.time(e, ep, "at", true);
      post.likes = r_.integer(e, ep, "likes", false, 0, INT64_MAX);
      post.comments = r_.integer(e, ep, "comments", false, 0, INT64_MAX);
      post.shares = r_.integer(e, ep, "shares", false, 0, INT64_MAX);
      post.views = r_.integer(e, ep, "views", false, 0, INT64_MAX);
      post.sponsored = r_.boolean(e, ep, "sponsored", false);
      in.recent_posts.push_back(post);
    }
  }

  void follower_history(const JsonValue& v, const std::string& p, Influencer& in) {
    std::optional<JsonValue> list = r_.array(v, p, "follower_history", false);
    std::string lp = child_path(p, "follower_history");
    if (!list) return;
    std::size_t i = 0;
    for (JsonValue e : list->elements()) {
      std::string ep = child_path(lp, i++);
      if (!r_.expect_object(e, ep)) continue;
      FollowerCount fc;
      fc.date = r_.time(e, ep, "date", true, /*date_allowed=*/true);
      fc.followers = r_.integer(e, ep, "followers", true, 0, INT64_MAX);
      in.follower_history.push_back(fc);
    }
    stable_sort_by(in.follower_history,
                   [](const FollowerCount& a, const FollowerCount& b) { return a.date < b.date; });
  }

  Influencer influencer(const JsonValue& v, const std::string& p) {
    Influencer in;
    if (!r_.expect_object(v, p)) return in;
    in.id = r_.identifier(v, p, "id", true, kIdRule);
    in.name = r_.string(v, p, "name", false);
    in.platform = r_.string(v, p, "platform", false);
    in.handle = r_.string(v, p, "handle", true);
    r_.characters(child_path(p, "handle"), in.handle, handle_rule(in.platform));
    in.avatar = r_.url(v, p, "avatar", false);
    in.profile_url = r_.url(v, p, "profile_url", false);
    in.followers = r_.integer(v, p, "followers", true, 0, INT64_MAX);
    in.following = r_.integer(v, p, "following", false, 0, INT64_MAX);
    std::string np = child_path(p, "niches");
    if (auto n = r_.member(v, p, "niches", false); n && r_.expect_object(*n, np))
      for (auto [name, weight] : n->members())
        in.niches[std::string(name)] = r_.number(weight, child_path(np, name), 0.0, 1.0).value_or(0);
    std::string ap = child_path(p, "audience");
    if (auto a = r_.member(v, p, "audience", false); a && r_.expect_object(*a, ap)) {
      in.audience.countries = distribution(*a, ap, "countries");
      in.audience.ages = distribution(*a, ap, "ages");
      in.audience.genders = distribution(*a, ap, "genders");
    }
    posts(v, p, in);
    follower_history(v, p, in);
    std::string rp = child_path(p, "rate");
    if (auto rate = r_.member(v, p, "rate", false); rate && r_.expect_object(*rate, rp)) {
      in.rate = Rate{money(*rate, rp, "amount", true, kInfluencers, feed_.influencers.size()), {}};
      in.rate->per = r_.string(*rate, rp, "per", false, "post");
    }
    in.codes = r_.string_list(v, p, "codes");
    for (std::size_t k = 0; k < in.codes.size(); ++k)
      r_.characters(child_path(child_path(p, "codes"), k), in.codes[k], kCodeRule);
    in.customer_hashes = r_.string_list(v, p, "customer_hashes");
    return in;
  }

  Endorsement endorsement(const JsonValue& v, const std::string& p) {
    Endorsement e;
    if (!r_.expect_object(v, p)) return e;
    e.id = r_.identifier(v, p, "id", true, kIdRule);
    e.influencer = r_.string(v, p, "influencer", true);
    e.product = r_.string(v, p, "product", true);
    e.url = r_.url(v, p, "url", false);
    e.quote = r_.string(v, p, "quote", false);
    e.media = r_.url(v, p, "media", false);
    e.at = r_.time(v, p, "at", true);
    e.likes = r_.integer(v, p, "likes", false, 0, INT64_MAX);
    e.comments = r_.integer(v, p, "comments", false, 0, INT64_MAX);
    return e;
  }

  // A storefront document's "document" object (docs/server.md).
  ProductDocumentFacts document(const JsonValue& v, const std::string& p) {
    ProductDocumentFacts d;
    if (!r_.expect_object(v, p)) return d;
    // ("kind" is "product"; a document whose `product` is not in `products`
    // stands for nothing: no product's social proof reads it.)
    d.product = r_.string(v, p, "product", true);
    d.as_of = r_.time(v, p, "as_of", true);
    std::string rp = child_path(p, "store_ratings");
    if (auto ratings = r_.member(v, p, "store_ratings", true); ratings && r_.expect_object(*ratings, rp)) {
      d.store_rating_count = r_.integer(*ratings, rp, "count", true, 0, INT64_MAX / 8);
      d.store_rating_sum = r_.integer(*ratings, rp, "sum", true, 0, INT64_MAX / 2);
    }
    std::string fp = child_path(p, "facets");
    std::optional<JsonValue> facets = r_.array(v, p, "facets", true);
    if (!facets) return d;
    std::size_t i = 0;
    for (JsonValue e : facets->elements()) {
      std::string ep = child_path(fp, i++);
      if (!r_.expect_object(e, ep)) continue;
      std::int64_t rating = r_.integer(e, ep, "rating", false, 1, 5, 0);
      bool verified = r_.boolean(e, ep, "verified", false);
      bool media = r_.boolean(e, ep, "media", false);
      d.facets[static_cast<std::size_t>(rating)][verified][media] += r_.integer(e, ep, "count", true, 0, INT64_MAX / 64);
    }
    return d;
  }

  template <typename T>
  void unique_ids(const std::vector<T>& items, const char* section) {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id.empty()) continue;
      auto [it, inserted] = seen.emplace(items[i].id, i);
      if (!inserted) {
        std::string p = child_path(child_path(child_path("", section), i), "id");
        faults_[kAcross].add("duplicate_id", p,
                             readable_path(p) + " " + quote_for_message(items[i].id) + " is already used by " +
                                 section + "[" + std::to_string(it->second) + "]");
      }
    }
  }

  void references() {
    const Feed& f = feed_;
    auto missing = [&](const std::string& p, const std::string& id, const char* what) {
      faults_[kAcross].add("unknown_reference", p,
                           readable_path(p) + " refers to " + what + " " + quote_for_message(id) +
                               ", which is not in the feed");
    };
    for (std::size_t i = 0; i < f.endorsements.size(); ++i) {
      const auto& e = f.endorsements[i];
      std::string p = "/endorsements/" + std::to_string(i);
      if (!e.product.empty() && !f.find_product(e.product)) missing(p + "/product", e.product, "product");
      if (!e.influencer.empty() && !f.find_influencer(e.influencer)) missing(p + "/influencer", e.influencer, "influencer");
    }
    for (std::size_t i = 0; i < f.ugc.size(); ++i) {
      const auto& u = f.ugc[i];
      std::string p = "/ugc/" + std::to_string(i);
      if (!u.product.empty() && !f.find_product(u.product)) missing(p + "/product", u.product, "product");
      if (u.author.influencer && !f.find_influencer(*u.author.influencer))
        missing(p + "/author/influencer", *u.author.influencer, "influencer");
    }
    // A code may belong to one influencer only, or attribution is ambiguous.
    std::unordered_map<std::string, std::size_t> codes;
    for (std::size_t i = 0; i < f.influencers.size(); ++i) {
      const auto& in = f.influencers[i];
      for (std::size_t k = 0; k < in.codes.size(); ++k) {
        auto [it, inserted] = codes.emplace(ascii_lower(in.codes[k]), i);
        if (!inserted && it->second != i) {
          std::string p = "/influencers/" + std::to_string(i) + "/codes/" + std::to_string(k);
          faults_[kAcross].add("duplicate_code", p,
                               readable_path(p) + " " + quote_for_message(in.codes[k]) +
                                   " is already the code of influencers[" + std::to_string(it->second) + "]");
        }
      }
    }
  }

  const FeedLimits& limits_;
  std::vector<Faults> faults_;  // by Section
  FieldReader r_;
  std::vector<Error> limit_faults_;
  JsonTape element_;
  Feed feed_;
  std::vector<PendingMoney> pending_;
};

}  // namespace

Ugc read_ugc(const JsonValue& v, const std::string& p, FieldReader& r) {
  Ugc u;
  if (!r.expect_object(v, p)) return u;
  u.id = r.identifier(v, p, "id", true, kIdRule);
  u.product = r.string(v, p, "product", true);
  u.kind = static_cast<UgcKind>(r.choice(v, p, "kind", true, {"review", "photo", "video", "post"}).value_or(0));
  std::string ap = child_path(p, "author");
  if (auto a = r.member(v, p, "author", true); a && r.expect_object(*a, ap)) {
    u.author.name = r.string(*a, ap, "name", true);
    u.author.verified_buyer = r.boolean(*a, ap, "verified_buyer", false);
    u.author.influencer = r.optional_string(*a, ap, "influencer");
  }
  std::optional<JsonValue> rating = v.find("rating");
  if (u.kind == UgcKind::Review || (rating && !rating->is_null()))
    u.rating = static_cast<int>(r.integer(v, p, "rating", true, 1, 5, 0));
  if (u.rating == 0) u.rating.reset();
  u.title = r.string(v, p, "title", false);
  u.body = r.string(v, p, "body", false);
  std::string mp = child_path(p, "media");
  std::size_t i = 0;
  if (std::optional<JsonValue> media = r.array(v, p, "media", false))
    for (JsonValue e : media->elements()) {
      std::string ep = child_path(mp, i++);
      if (!r.expect_object(e, ep)) continue;
      Media m;
      m.type = r.choice(e, ep, "type", false, {"image", "video"}).value_or(0) == 0 ? "image" : "video";
      m.url = r.url(e, ep, "url", true);
      m.alt = r.string(e, ep, "alt", false);
      u.media.push_back(std::move(m));
    }
  u.at = r.time(v, p, "at", true);
  u.helpful = r.integer(v, p, "helpful", false, 0, INT64_MAX);
  u.unhelpful = r.integer(v, p, "unhelpful", false, 0, INT64_MAX);
  u.locale = r.language(v, p, "locale", "");
  u.status = static_cast<UgcStatus>(r.choice(v, p, "status", true, {"published", "pending", "rejected"}).value_or(1));
  return u;
}

FeedLoadResult load_feed(std::string_view text, const FeedLimits& limits) {
  FeedReader reader(limits);
  JsonTape root;
  JsonLimits record_limits{limits.max_depth, limits.max_string_bytes, limits.max_items};
  JsonRecorder recorder(root, record_limits, &reader.limit_faults(), "feed", &reader);
  Error error;
  if (!read_json_input(text, "feed", limits.max_bytes, limits.max_depth, recorder, error)) {
    FeedLoadResult result;
    result.errors.push_back(std::move(error));
    return result;
  }
  if (!reader.limit_faults().empty()) {
    FeedLoadResult result;
    result.errors = std::move(reader.limit_faults());
    result.truncated = result.errors.size() > limits.max_errors;
    if (result.truncated) result.errors.resize(limits.max_errors);
    return result;
  }
  return reader.finish(root.root());
}

}  // namespace vouch
