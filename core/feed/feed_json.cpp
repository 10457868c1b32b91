// Reading feed.json into the typed model, element by element: nlohmann's SAX
// parser records each element of products, influencers, endorsements and ugc
// alone (input/json_tape.hpp), which is read at once and handed to the
// caller (FeedElements), so a 2,000,000-review feed never stands as a tree nor
// as a whole in memory. Every fault is collected with its JSON Pointer and a
// message in plain words (input/fields.hpp), up to FeedLimits::max_errors, in
// one order whatever the document's order.
#include <algorithm>
#include <array>
#include <unordered_map>

#include "common/interner.hpp"
#include "common/decimal_conversion.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"
#include "feed/feed_stream.hpp"
#include "input/fields.hpp"
#include "input/json_input.hpp"

namespace vouch {
namespace {

// The order faults are reported in: the document's own (an object, its
// version, sections written twice), the store, each section's, the checks
// across sections (ids used twice in each section, references, codes), a
// storefront document's facts.
enum Section : std::size_t {
  kRoot, kStore, kProducts, kInfluencers, kEndorsements, kUgc,
  kProductIds, kInfluencerIds, kEndorsementIds, kUgcIds, kReferences, kCodes, kDocument, kSections
};
constexpr std::size_t kStreamed = 4;  // kProducts..kUgc; their ids' checks are 4 further

constexpr std::array<std::string_view, kStreamed> kSectionKeys = {"products", "influencers", "endorsements", "ugc"};

Section streamed_section(std::string_view key) {
  for (std::size_t s = 0; s < kStreamed; ++s)
    if (kSectionKeys[s] == key) return static_cast<Section>(kProducts + s);
  return kSections;
}

// What the checks across sections keep of a section: its ids (each numbered
// once, with the element it first came in).
struct SectionIds {
  Interner ids;
  std::vector<std::uint32_t> first;
  int seen = 0;  // times the section was written
};

// What an endorsement or a review names (numbers of FeedReader::names_).
struct References {
  std::uint32_t product, influencer;
};

// A product or influencer read before the store: handed over once the store
// is, its amount in the store's currency converted then.
template <typename T>
struct Held {
  T item;
  std::size_t index;
  std::optional<double> amount;
};

class FeedReader : public JsonElementStream {
 public:
  FeedReader(const FeedLimits& limits, FeedElements& out)
      : limits_(limits), out_(out), faults_(kSections, Faults(kFeedVocabulary, FaultPolicy::All, limits.max_errors)),
        r_(faults_[kRoot]) {}

  std::vector<Error>& limit_faults() { return limit_faults_; }

  // --- the stream of sections ---

  bool streams(std::string_view key) override {
    Section s = streamed_section(key);
    if (s == kSections) return false;
    twice(key, ids_of(s).seen);
    return true;
  }

  JsonTape& element_tape() override { return element_; }

  bool element(std::string_view key, std::size_t index, JsonValue value) override {
    Section s = streamed_section(key);
    SectionIds& ids = ids_of(s);
    if (!limit_faults_.empty() || ids.seen > 1) return true;  // only the limits' faults are reported now
    std::string path = "/" + std::string(key) + "/" + std::to_string(index);
    r_.report_to(faults_[s]);
    std::size_t before = faults_[s].added();
    amount_.reset();
    switch (s) {
      case kProducts: {
        Product p = product(value, path);
        note_id(s, p.id, index);
        pass(s, std::move(p), index, before, held_products_);
        break;
      }
      case kInfluencers: {
        Influencer in = influencer(value, path);
        note_id(s, in.id, index);
        note_codes(in, index);
        pass(s, std::move(in), index, before, held_influencers_);
        break;
      }
      case kEndorsements: {
        Endorsement e = endorsement(value, path);
        note_id(s, e.id, index);
        endorsement_refs_.push_back({name(e.product), name(e.influencer)});
        if (faults_[s].added() == before) out_.endorsement(std::move(e), index);
        break;
      }
      default: {
        Ugc u = read_ugc(value, path, r_);
        note_id(s, u.id, index);
        ugc_refs_.push_back({name(u.product), u.author.influencer ? name(*u.author.influencer) : Interner::kNone});
        if (faults_[s].added() == before) out_.ugc(std::move(u), index);
        break;
      }
    }
    return true;
  }

  // The store, read as soon as it is complete: what was held for it goes.
  bool member(std::string_view key, JsonValue value) override {
    if (key != "store") return true;
    if (twice(key, store_seen_) || !limit_faults_.empty() || value.is_null()) return true;
    r_.report_to(faults_[kStore]);
    store(value, "/store");
    if (faults_[kStore].added() > 0) return true;
    store_ready_ = true;
    out_.store(store_);
    for (auto& held : held_products_) hand_over(std::move(held.item), held.index, held.amount);
    for (auto& held : held_influencers_) hand_over(std::move(held.item), held.index, held.amount);
    held_products_ = {};
    held_influencers_ = {};
    return true;
  }

  // After the parse: the root's own members, then the checks across sections.
  FeedStreamResult finish(const JsonValue& root) {
    r_.report_to(faults_[kRoot]);
    if (r_.expect_object(root, "")) read_root(root);
    FeedStreamResult result;
    for (Faults& section : faults_) {
      for (const Error& e : section.errors()) {
        if (result.errors.size() < limits_.max_errors) result.errors.push_back(e);
        else result.truncated = true;
      }
      result.truncated = result.truncated || section.truncated();
    }
    return result;
  }

 private:
  SectionIds& ids_of(Section s) { return ids_[s - kProducts]; }

  // A section or the store written twice: refused (what was handed over of
  // the first cannot be taken back, so the last cannot win).
  bool twice(std::string_view key, auto& seen) {
    if (seen++ == 0) return false;
    if (seen == 2)
      faults_[kRoot].add("duplicate_key", "/" + std::string(key),
                         std::string(key) + " is written twice in the feed; write each section once");
    return true;
  }

  std::uint32_t name(const std::string& id) { return id.empty() ? Interner::kNone : names_.intern(id); }

  void note_id(Section s, const std::string& id, std::size_t index) {
    if (id.empty()) return;
    SectionIds& ids = ids_of(s);
    std::uint32_t n = ids.ids.intern(id);
    if (n == ids.first.size()) {
      ids.first.push_back(static_cast<std::uint32_t>(index));
      return;
    }
    std::string section(kSectionKeys[s - kProducts]);
    std::string p = "/" + section + "/" + std::to_string(index) + "/id";
    faults_[s + kStreamed].add("duplicate_id", p,
                               readable_path(p) + " " + quote_for_message(id) + " is already used by " + section +
                                   "[" + std::to_string(ids.first[n]) + "]");
  }

  // A code may belong to one influencer only, or attribution is ambiguous.
  void note_codes(const Influencer& in, std::size_t index) {
    for (std::size_t k = 0; k < in.codes.size(); ++k) {
      auto [it, inserted] = codes_.emplace(ascii_lower(in.codes[k]), index);
      if (inserted || it->second == index) continue;
      std::string p = "/influencers/" + std::to_string(index) + "/codes/" + std::to_string(k);
      faults_[kCodes].add("duplicate_code", p,
                          readable_path(p) + " " + quote_for_message(in.codes[k]) +
                              " is already the code of influencers[" + std::to_string(it->second) + "]");
    }
  }

  // A product or influencer without faults: handed over, or held for the
  // store when it is still to come.
  template <typename T>
  void pass(Section s, T&& item, std::size_t index, std::size_t faults_before, std::vector<Held<T>>& held) {
    if (faults_[s].added() != faults_before || (store_seen_ > 0 && !store_ready_)) return;
    if (store_ready_) hand_over(std::move(item), index, amount_);
    else held.push_back({std::move(item), index, amount_});
  }

  Money in_store_currency(std::optional<double> amount) const {
    return {to_minor_units(*amount, store_.currency).value_or(0), store_.currency};
  }
  void hand_over(Product&& p, std::size_t index, std::optional<double> amount) {
    if (amount) p.price = in_store_currency(amount);
    out_.product(std::move(p), index);
  }
  void hand_over(Influencer&& in, std::size_t index, std::optional<double> amount) {
    if (amount) in.rate->amount = in_store_currency(amount);
    out_.influencer(std::move(in), index);
  }

  void read_root(const JsonValue& root) {
    if (auto version = r_.member(root, "", "version", true))
      if (!version->is_integer() || version->integer() != 1)
        faults_[kRoot].add("unsupported_version", "/version",
                           "version must be 1 (the only feed version this engine reads), got " +
                               describe_json_value(*version));
    r_.report_to(faults_[kStore]);
    if (store_seen_ == 0) r_.member(root, "", "store", true);  // absent or null: the store was not read
    // A section that is not an array was recorded whole, not streamed.
    for (std::size_t s = 0; s < kStreamed; ++s) {
      r_.report_to(faults_[kProducts + s]);
      r_.array(root, "", kSectionKeys[s], s == 0);
    }
    references();
    r_.report_to(faults_[kDocument]);
    if (auto d = r_.member(root, "", "document", false)) {
      ProductDocumentFacts facts = document(*d, "/document");
      if (faults_[kDocument].added() == 0) out_.document(std::move(facts));
    }
  }

  // In its own currency, or in the store's, converted once the store is read
  // (the store may come after the sections): amount_ holds it till then.
  Money money(const JsonValue& v, const std::string& p, std::string_view key, bool required) {
    std::string currency = r_.currency(v, p, "currency", false, {});
    if (!currency.empty()) return {r_.amount(v, p, key, required, currency).value_or(0), currency};
    // Its faults now: no currency changes them.
    if (r_.amount(v, p, key, required, "USD")) amount_ = v.find(key)->number();
    return {};
  }

  void store(const JsonValue& v, const std::string& p) {
    Store& s = store_;
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
    pr.price = money(v, p, "price", false);
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
      in.rate = Rate{money(*rate, rp, "amount", true), {}};
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

  // What endorsements and reviews name, once every section is read.
  void references() {
    auto check = [&](std::uint32_t name, Section section, const char* what, const std::string& p) {
      if (name == Interner::kNone || ids_of(section).ids.find(names_.name(name)) != Interner::kNone) return;
      faults_[kReferences].add("unknown_reference", p,
                               readable_path(p) + " refers to " + what + " " +
                                   quote_for_message(std::string(names_.name(name))) + ", which is not in the feed");
    };
    for (std::size_t i = 0; i < endorsement_refs_.size(); ++i) {
      std::string p = "/endorsements/" + std::to_string(i);
      check(endorsement_refs_[i].product, kProducts, "product", p + "/product");
      check(endorsement_refs_[i].influencer, kInfluencers, "influencer", p + "/influencer");
    }
    for (std::size_t i = 0; i < ugc_refs_.size(); ++i) {
      std::string p = "/ugc/" + std::to_string(i);
      check(ugc_refs_[i].product, kProducts, "product", p + "/product");
      check(ugc_refs_[i].influencer, kInfluencers, "influencer", p + "/author/influencer");
    }
  }

  const FeedLimits& limits_;
  FeedElements& out_;
  std::vector<Faults> faults_;  // by Section
  FieldReader r_;
  std::vector<Error> limit_faults_;
  JsonTape element_;
  Store store_;
  int store_seen_ = 0;
  bool store_ready_ = false;  // read without a fault, handed over
  std::optional<double> amount_;  // the element's amount in the store's currency, before the store is read
  std::vector<Held<Product>> held_products_;
  std::vector<Held<Influencer>> held_influencers_;
  std::array<SectionIds, kStreamed> ids_;
  Interner names_;  // what endorsements and reviews name
  std::vector<References> endorsement_refs_, ugc_refs_;
  std::unordered_map<std::string, std::size_t> codes_;  // lower-cased code -> influencer
};

// Everything handed over, kept: what load_feed returns.
class FeedCollector : public FeedElements {
 public:
  Feed feed;
  void store(const Store& store) override { feed.store = store; }
  void product(Product&& p, std::size_t /*index*/) override { feed.products.push_back(std::move(p)); }
  void influencer(Influencer&& in, std::size_t /*index*/) override { feed.influencers.push_back(std::move(in)); }
  void endorsement(Endorsement&& e, std::size_t /*index*/) override { feed.endorsements.push_back(std::move(e)); }
  void ugc(Ugc&& u, std::size_t /*index*/) override { feed.ugc.push_back(std::move(u)); }
  void document(ProductDocumentFacts&& facts) override { feed.document = std::move(facts); }
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

FeedStreamResult read_feed_elements(ByteSource& in, const FeedLimits& limits, FeedElements& out,
                                    std::size_t chunk_bytes) {
  FeedReader reader(limits, out);
  JsonTape root;
  JsonLimits record_limits{limits.max_depth, limits.max_string_bytes, limits.max_items};
  JsonRecorder recorder(root, record_limits, &reader.limit_faults(), "feed", &reader);
  Error error;
  FeedStreamResult result;
  if (!read_json_input(in, "feed", limits.max_bytes, limits.max_depth, recorder, error, chunk_bytes)) {
    result.errors.push_back(std::move(error));
    return result;
  }
  if (!reader.limit_faults().empty()) {
    result.errors = std::move(reader.limit_faults());
    result.truncated = result.errors.size() > limits.max_errors;
    if (result.truncated) result.errors.resize(limits.max_errors);
    return result;
  }
  return reader.finish(root.root());
}

FeedLoadResult load_feed(std::string_view text, const FeedLimits& limits) {
  TextSource in(text);
  FeedCollector collector;
  FeedStreamResult read = read_feed_elements(in, limits, collector);
  FeedLoadResult result;
  result.errors = std::move(read.errors);
  result.truncated = read.truncated;
  if (result.errors.empty()) {
    collector.feed.reindex();
    result.feed = std::move(collector.feed);
  }
  return result;
}

}  // namespace vouch
