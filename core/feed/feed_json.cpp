// Reading feed.json into the typed model: every fault is collected with its
// JSON Pointer and a message in plain words, up to FeedLimits::max_errors.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <iterator>
#include <type_traits>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "common/decimal_conversion.hpp"
#include "common/json_input.hpp"
#include "common/sorting.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"
#include "feed/identifiers.hpp"
#include "feed/review_submission.hpp"

namespace vouch {
namespace {

using nlohmann::json;

// Line and column (1-based, column in bytes) of a byte offset.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string child(const std::string& path, const std::string& key) {
  return path + "/" + json_pointer_token(key);
}
std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

class FeedReader {
 public:
  FeedReader(const FeedLimits& limits, FeedLoadResult& result) : limits_(limits), result_(result) {}

  bool full() const { return result_.errors.size() >= limits_.max_errors; }

  void fail(const char* code, const std::string& path, std::string message) {
    if (full()) {
      result_.truncated = true;
      return;
    }
    // A review read by the feed's rules reports review.* codes (review_submission.hpp).
    if (review_codes_) {
      result_.errors.push_back({std::string("review") + std::strchr(code, '.'), path, std::move(message)});
      return;
    }
    result_.errors.push_back({code, path, std::move(message)});
  }

  void use_review_codes() { review_codes_ = true; }

  // --- generic limits over the whole document (strings, keys, array sizes) ---
  // Depth is bounded by the pre-scan (FeedLimits::max_depth), so recursion is
  // safe. The path of a node is built only when it has a fault: building it
  // for every value cost ~10% of a feed's load. Order of the faults: array
  // elements first to last, object members last to first.
  void check_limits(const json& root) {
    std::vector<std::string> segments;  // JSON Pointer tokens of the current node
    auto path = [&segments] {
      std::string out;
      for (const std::string& s : segments) out += "/" + s;
      return out;
    };
    auto visit = [&](auto& self, const json& v) -> void {
      if (full()) return;
      if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() > limits_.max_string_bytes)
          fail("feed.string_too_long", path(),
               readable_path(path()) + " is " + std::to_string(s.size()) +
                   " bytes long; strings may be at most " +
                   std::to_string(limits_.max_string_bytes) + " bytes");
      } else if (v.is_array()) {
        if (v.size() > limits_.max_items) {
          fail("feed.too_large", path(),
               readable_path(path()) + " has " + std::to_string(v.size()) +
                   " items; at most " + std::to_string(limits_.max_items) + " are allowed");
          return;
        }
        for (std::size_t i = 0; i < v.size() && !full(); ++i) {
          segments.push_back(std::to_string(i));
          self(self, v[i]);
          segments.pop_back();
        }
      } else if (v.is_object()) {
        // Keys first (as they are met, first to last), then the values.
        for (auto it = v.begin(); it != v.end(); ++it)
          if (it.key().size() > limits_.max_string_bytes)
            fail("feed.string_too_long", path(),
                 "a key in " + readable_path(path()) + " is " + std::to_string(it.key().size()) +
                     " bytes long; keys may be at most " +
                     std::to_string(limits_.max_string_bytes) + " bytes");
        for (auto it = v.end(); it != v.begin() && !full();) {
          --it;
          if (it.key().size() > limits_.max_string_bytes) continue;
          segments.push_back(json_pointer_token(it.key()));
          self(self, it.value());
          segments.pop_back();
        }
      }
    };
    visit(visit, root);
  }

  // --- field readers: each reports its own fault and returns a safe value ---

  // The member, or nullptr when absent (reported when required) or null.
  const json* member(const json& obj, const std::string& path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || (it->is_null() && required)) {
      if (required)
        fail("feed.missing_field", child(path, key),
             readable_path(child(path, key)) + " is required");
      return nullptr;
    }
    if (it->is_null()) return nullptr;
    return &*it;
  }

  void wrong_type(const std::string& path, const json& v, const char* expected) {
    fail("feed.invalid_type", path,
         readable_path(path) + " must be " + expected + ", got " + describe_json_value(v));
  }

  bool expect_object(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    wrong_type(path, v, "an object");
    return false;
  }

  std::string string(const json& obj, const std::string& path, const char* key, bool required,
                     std::string fallback = {}) {
    const json* v = member(obj, path, key, required);
    if (!v) return fallback;
    if (!v->is_string()) {
      wrong_type(child(path, key), *v, "a string");
      return fallback;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.empty()) {
      fail("feed.missing_field", child(path, key),
           readable_path(child(path, key)) + " must not be empty");
    }
    return s;
  }

  std::optional<std::string> optional_string(const json& obj, const std::string& path,
                                             const char* key) {
    const json* v = member(obj, path, key, false);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      wrong_type(child(path, key), *v, "a string or null");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  // The value at `path` against its character rule; "" and valid values pass.
  void characters(const std::string& path, const std::string& value, const CharacterRule& rule) {
    if (value.empty() || follows(rule, value)) return;
    fail("feed.invalid_value", path,
         readable_path(path) + " must be " + std::string(rule.description) +
             (value[0] == '@' ? " (without the @)" : "") + ", got " + quote_for_message(value));
  }

  // A required id (store, product, influencer, endorsement, UGC item).
  std::string identifier(const json& obj, const std::string& path) {
    std::string id = string(obj, path, "id", true);
    characters(child(path, "id"), id, kIdRule);
    return id;
  }

  // is_link_url (identifiers.hpp): the widget renders these as links.
  std::string url(const json& obj, const std::string& path, const char* key, bool required) {
    std::string u = string(obj, path, key, required);
    if (u.empty()) return u;
    bool ok = is_link_url(u);
    if (!ok)
      fail("feed.invalid_url", child(path, key),
           readable_path(child(path, key)) + " must be an http(s) URL or a path starting with \"/\", " +
               (u.size() > kMaxLinkBytes ? "of at most " + std::to_string(kMaxLinkBytes) + " bytes, got " +
                                               std::to_string(u.size()) + " bytes"
                                         : "got " + quote_for_message(u)));
    return ok ? u : std::string{};
  }

  std::int64_t integer(const json& obj, const std::string& path, const char* key, bool required,
                       std::int64_t min, std::int64_t max, std::int64_t fallback = 0) {
    const json* v = member(obj, path, key, required);
    if (!v) return fallback;
    // The path and the range's words only when there is a fault to report.
    auto range = [&] {
      return max == INT64_MAX ? "an integer of at least " + std::to_string(min)
                              : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    };
    double d = v->is_number() ? v->get<double>() : 0;
    if (!v->is_number() || (v->is_number_float() && (!std::isfinite(d) || std::floor(d) != d))) {
      wrong_type(child(path, key), *v, range().c_str());
      return fallback;
    }
    // nlohmann reads a non-negative integer as unsigned: its lower bound counts
    // too (a rating of 0 was once taken for "no rating").
    bool out_of_range =
        v->is_number_unsigned()
            ? v->get<std::uint64_t>() > static_cast<std::uint64_t>(max) ||
                  (min > 0 && v->get<std::uint64_t>() < static_cast<std::uint64_t>(min))
            : (d < static_cast<double>(min) || d > static_cast<double>(max));
    if (out_of_range) {
      std::string p = child(path, key);
      fail("feed.out_of_range", p, readable_path(p) + " must be " + range() + ", got " + v->dump());
      return fallback;
    }
    return v->is_number_float() ? static_cast<std::int64_t>(d) : v->get<std::int64_t>();
  }

  double number(const json& v, const std::string& path, double min, double max) {
    if (!v.is_number()) {
      wrong_type(path, v, "a number");
      return 0;
    }
    double d = v.get<double>();
    if (!(d >= min && d <= max)) {
      fail("feed.out_of_range", path,
           readable_path(path) + " must be a number from " + format_general(min, 6) + " to " +
               format_general(max, 6) + ", got " + v.dump());
      return 0;
    }
    return d;
  }

  bool boolean(const json& obj, const std::string& path, const char* key, bool fallback) {
    const json* v = member(obj, path, key, false);
    if (!v) return fallback;
    if (!v->is_boolean()) {
      wrong_type(child(path, key), *v, "true or false");
      return fallback;
    }
    return v->get<bool>();
  }

  Timestamp timestamp(const json& obj, const std::string& path, const char* key, bool required,
                      bool date_allowed = false) {
    const json* v = member(obj, path, key, required);
    if (!v) return 0;
    std::string p = child(path, key);
    const char* expected = date_allowed ? "an RFC 3339 date or date-time such as \"2026-10-02\""
                                        : "an RFC 3339 date-time such as \"2026-10-02T17:00:00Z\"";
    if (!v->is_string()) {
      wrong_type(p, *v, expected);
      return 0;
    }
    const auto& s = v->get_ref<const std::string&>();
    auto t = parse_rfc3339(s);
    if (!t && date_allowed) t = parse_date(s);
    if (!t) {
      fail("feed.invalid_value", p, readable_path(p) + " must be " + expected + ", got " +
                                        quote_for_message(s));
      return 0;
    }
    return *t;
  }

  std::string currency(const json& obj, const std::string& path, const char* key, bool required,
                       const std::string& fallback) {
    std::string c = string(obj, path, key, required, fallback);
    if (!c.empty() && !is_currency_code(c)) {
      fail("feed.invalid_value", child(path, key),
           readable_path(child(path, key)) +
               " must be an ISO 4217 currency code such as \"USD\", got " + quote_for_message(c));
      return fallback;
    }
    return c;
  }

  Money money(const json& obj, const std::string& path, const char* amount_key,
              const std::string& currency_code) {
    const json* v = member(obj, path, amount_key, false);
    Money m{0, currency_code};
    if (!v) return m;
    std::string p = child(path, amount_key);
    if (!v->is_number()) {
      wrong_type(p, *v, "a number");
      return m;
    }
    double d = v->get<double>();
    auto minor = d >= 0 ? to_minor_units(d, currency_code) : std::nullopt;
    if (!minor) {
      fail("feed.out_of_range", p,
           readable_path(p) + " must be a non-negative amount, got " + v->dump());
      return m;
    }
    m.minor = *minor;
    return m;
  }

  template <typename T>
  T enumeration(const json& obj, const std::string& path, const char* key,
                const std::vector<std::pair<std::string_view, T>>& values, T fallback) {
    const json* v = member(obj, path, key, true);
    if (!v) return fallback;
    if (v->is_string())
      for (const auto& [name, value] : values)
        if (v->get_ref<const std::string&>() == name) return value;
    std::string p = child(path, key);
    std::string choices;
    for (std::size_t i = 0; i < values.size(); ++i)
      choices += (i ? (i + 1 == values.size() ? " or " : ", ") : "") +
                 std::string("\"") + std::string(values[i].first) + "\"";
    if (v->is_string())
      fail("feed.invalid_value", p,
           readable_path(p) + " must be one of " + choices + ", got " + describe_json_value(*v));
    else
      wrong_type(p, *v, ("one of " + choices).c_str());
    return fallback;
  }

  std::vector<std::string> string_list(const json& obj, const std::string& path, const char* key) {
    std::vector<std::string> out;
    const json* v = member(obj, path, key, false);
    if (!v) return out;
    std::string p = child(path, key);
    if (!v->is_array()) {
      wrong_type(p, *v, "an array of strings");
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
        wrong_type(child(p, i), e, "a non-empty string");
        continue;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  // A map of share per key: each in [0,1], summing to at most 1.
  Distribution distribution(const json& obj, const std::string& path, const char* key) {
    Distribution out;
    const json* v = member(obj, path, key, false);
    if (!v) return out;
    std::string p = child(path, key);
    if (!expect_object(*v, p)) return out;
    double sum = 0;
    for (auto it = v->begin(); it != v->end(); ++it) {
      double share = number(it.value(), child(p, it.key()), 0.0, 1.0);
      out[it.key()] = share;
      sum += share;
    }
    // 1e-6 of slack for shares rounded by the feed's producer.
    if (sum > 1.0 + 1e-6) {
      fail("feed.out_of_range", p,
           readable_path(p) + " shares add up to " + format_general(sum, 4) + "; they must add up to at most 1");
    }
    return out;
  }

  // What array() calls for each element: a reference to a lambda, without
  // std::function's vtable, copies and type name per lambda (wasm size).
  class EachElement {
   public:
    template <typename F>
    EachElement(F&& f)  // NOLINT(google-explicit-constructor): takes the lambda as written
        : lambda_(&f), call_([](void* lambda, const json& e, const std::string& p) {
            (*static_cast<std::remove_reference_t<F>*>(lambda))(e, p);
          }) {}
    void operator()(const json& e, const std::string& p) const { call_(lambda_, e, p); }

   private:
    void* lambda_;
    void (*call_)(void*, const json&, const std::string&);
  };

  // Calls each(element, path, index) for every element of an optional array.
  void array(const json& obj, const std::string& path, const char* key, bool required, EachElement each) {
    const json* v = member(obj, path, key, required);
    if (!v) return;
    std::string p = child(path, key);
    if (!v->is_array()) {
      wrong_type(p, *v, "an array");
      return;
    }
    std::size_t i = 0;
    for (; i < v->size() && !full(); ++i) each((*v)[i], child(p, i));
    if (i < v->size()) result_.truncated = true;  // stopped at the error cap
  }

  // --- the feed's sections ---

  Store store(const json& v, const std::string& p) {
    Store s;
    if (!expect_object(v, p)) return s;
    s.id = identifier(v, p);
    s.name = string(v, p, "name", true);
    s.currency = currency(v, p, "currency", true, "USD");
    s.locale = string(v, p, "locale", false, "en-US");
    return s;
  }

  Product product(const json& v, const std::string& p, const Store& store) {
    Product pr;
    if (!expect_object(v, p)) return pr;
    pr.id = identifier(v, p);
    pr.title = string(v, p, "title", true);
    pr.url = url(v, p, "url", false);
    pr.image = url(v, p, "image", false);
    pr.price = money(v, p, "price", currency(v, p, "currency", false, store.currency));
    pr.category = string(v, p, "category", false);
    pr.tags = string_list(v, p, "tags");
    return pr;
  }

  Influencer influencer(const json& v, const std::string& p, const Store& store) {
    Influencer in;
    if (!expect_object(v, p)) return in;
    in.id = identifier(v, p);
    in.name = string(v, p, "name", false);
    in.platform = string(v, p, "platform", false);
    in.handle = string(v, p, "handle", true);
    characters(child(p, "handle"), in.handle, handle_rule(in.platform));
    in.avatar = url(v, p, "avatar", false);
    in.profile_url = url(v, p, "profile_url", false);
    in.followers = integer(v, p, "followers", true, 0, INT64_MAX);
    in.following = integer(v, p, "following", false, 0, INT64_MAX);
    if (const json* n = member(v, p, "niches", false); n && expect_object(*n, child(p, "niches")))
      for (auto it = n->begin(); it != n->end(); ++it)
        in.niches[it.key()] = number(it.value(), child(child(p, "niches"), it.key()), 0.0, 1.0);
    if (const json* a = member(v, p, "audience", false); a && expect_object(*a, child(p, "audience"))) {
      std::string ap = child(p, "audience");
      in.audience.countries = distribution(*a, ap, "countries");
      in.audience.ages = distribution(*a, ap, "ages");
      in.audience.genders = distribution(*a, ap, "genders");
    }
    array(v, p, "recent_posts", false, [&](const json& e, const std::string& ep) {
      if (!expect_object(e, ep)) return;
      Post post;
      post.at = timestamp(e, ep, "at", true);
      post.likes = integer(e, ep, "likes", false, 0, INT64_MAX);
      post.comments = integer(e, ep, "comments", false, 0, INT64_MAX);
      post.shares = integer(e, ep, "shares", false, 0, INT64_MAX);
      post.views = integer(e, ep, "views", false, 0, INT64_MAX);
      post.sponsored = boolean(e, ep, "sponsored", false);
      in.recent_posts.push_back(post);
    });
    array(v, p, "follower_history", false, [&](const json& e, const std::string& ep) {
      if (!expect_object(e, ep)) return;
      FollowerCount fc;
      fc.date = timestamp(e, ep, "date", true, true);
      fc.followers = integer(e, ep, "followers", true, 0, INT64_MAX);
      in.follower_history.push_back(fc);
    });
    stable_sort_by(in.follower_history,
                   [](const FollowerCount& a, const FollowerCount& b) { return a.date < b.date; });
    if (const json* r = member(v, p, "rate", false); r && expect_object(*r, child(p, "rate"))) {
      std::string rp = child(p, "rate");
      Rate rate;
      rate.amount = money(*r, rp, "amount", currency(*r, rp, "currency", false, store.currency));
      rate.per = string(*r, rp, "per", false, "post");
      if (!r->contains("amount"))
        fail("feed.missing_field", child(rp, "amount"), readable_path(child(rp, "amount")) + " is required");
      in.rate = rate;
    }
    in.codes = string_list(v, p, "codes");
    for (std::size_t k = 0; k < in.codes.size(); ++k) characters(child(child(p, "codes"), k), in.codes[k], kCodeRule);
    in.customer_hashes = string_list(v, p, "customer_hashes");
    return in;
  }

  Endorsement endorsement(const json& v, const std::string& p) {
    Endorsement e;
    if (!expect_object(v, p)) return e;
    e.id = identifier(v, p);
    e.influencer = string(v, p, "influencer", true);
    e.product = string(v, p, "product", true);
    e.url = url(v, p, "url", false);
    e.quote = string(v, p, "quote", false);
    e.media = url(v, p, "media", false);
    e.at = timestamp(v, p, "at", true);
    e.likes = integer(v, p, "likes", false, 0, INT64_MAX);
    e.comments = integer(v, p, "comments", false, 0, INT64_MAX);
    return e;
  }

  Ugc ugc(const json& v, const std::string& p) {
    Ugc u;
    if (!expect_object(v, p)) return u;
    u.id = identifier(v, p);
    u.product = string(v, p, "product", true);
    u.kind = enumeration<UgcKind>(v, p, "kind",
                                  {{"review", UgcKind::Review},
                                   {"photo", UgcKind::Photo},
                                   {"video", UgcKind::Video},
                                   {"post", UgcKind::Post}},
                                  UgcKind::Review);
    if (const json* a = member(v, p, "author", true); a && expect_object(*a, child(p, "author"))) {
      std::string ap = child(p, "author");
      u.author.name = string(*a, ap, "name", true);
      u.author.verified_buyer = boolean(*a, ap, "verified_buyer", false);
      u.author.influencer = optional_string(*a, ap, "influencer");
    }
    if (u.kind == UgcKind::Review || (v.contains("rating") && !v["rating"].is_null()))
      u.rating = static_cast<int>(integer(v, p, "rating", true, 1, 5, 0));
    if (u.rating == 0) u.rating.reset();
    u.title = string(v, p, "title", false);
    u.body = string(v, p, "body", false);
    array(v, p, "media", false, [&](const json& e, const std::string& ep) {
      if (!expect_object(e, ep)) return;
      Media m;
      m.type = string(e, ep, "type", false, "image");
      if (m.type != "image" && m.type != "video")
        fail("feed.invalid_value", child(ep, "type"),
             readable_path(child(ep, "type")) + " must be \"image\" or \"video\", got " +
                 quote_for_message(m.type));
      m.url = url(e, ep, "url", true);
      m.alt = string(e, ep, "alt", false);
      u.media.push_back(std::move(m));
    });
    u.at = timestamp(v, p, "at", true);
    u.helpful = integer(v, p, "helpful", false, 0, INT64_MAX);
    u.unhelpful = integer(v, p, "unhelpful", false, 0, INT64_MAX);
    u.locale = string(v, p, "locale", false);
    u.status = enumeration<UgcStatus>(v, p, "status",
                                      {{"published", UgcStatus::Published},
                                       {"pending", UgcStatus::Pending},
                                       {"rejected", UgcStatus::Rejected}},
                                      UgcStatus::Pending);
    return u;
  }

  // A storefront document's "document" object (docs/server.md).
  ProductDocumentFacts document(const json& v, const std::string& p) {
    ProductDocumentFacts d;
    if (!expect_object(v, p)) return d;
    // ("kind" is "product"; a document whose `product` is not in `products`
    // stands for nothing: no product's social proof reads it.)
    d.product = string(v, p, "product", true);
    d.as_of = timestamp(v, p, "as_of", true);
    if (const json* r = member(v, p, "store_ratings", true); r && expect_object(*r, child(p, "store_ratings"))) {
      std::string rp = child(p, "store_ratings");
      d.store_rating_count = integer(*r, rp, "count", true, 0, INT64_MAX / 8);
      d.store_rating_sum = integer(*r, rp, "sum", true, 0, INT64_MAX / 2);
    }
    array(v, p, "facets", true, [&](const json& e, const std::string& ep) {
      if (!expect_object(e, ep)) return;
      std::int64_t rating = 0;
      if (const json* r = member(e, ep, "rating", false); r && !r->is_null())
        rating = integer(e, ep, "rating", true, 1, 5, 1);
      bool verified = boolean(e, ep, "verified", false);
      bool media = boolean(e, ep, "media", false);
      d.facets[static_cast<std::size_t>(rating)][verified][media] += integer(e, ep, "count", true, 0, INT64_MAX / 64);
    });
    return d;
  }

  template <typename T>
  void unique_ids(const std::vector<T>& items, const char* section) {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id.empty()) continue;
      auto [it, inserted] = seen.emplace(items[i].id, i);
      if (!inserted) {
        std::string p = child(child(child("", section), i), "id");
        fail("feed.duplicate_id", p,
             readable_path(p) + " " + quote_for_message(items[i].id) + " is already used by " +
                 section + "[" + std::to_string(it->second) + "]");
      }
    }
  }

  void references(const Feed& f) {
    auto missing = [&](const std::string& p, const std::string& id, const char* what) {
      fail("feed.unknown_reference", p,
           readable_path(p) + " refers to " + what + " " + quote_for_message(id) +
               ", which is not in the feed");
    };
    for (std::size_t i = 0; i < f.endorsements.size(); ++i) {
      const auto& e = f.endorsements[i];
      std::string p = "/endorsements/" + std::to_string(i);
      if (!e.product.empty() && !f.find_product(e.product))
        missing(p + "/product", e.product, "product");
      if (!e.influencer.empty() && !f.find_influencer(e.influencer))
        missing(p + "/influencer", e.influencer, "influencer");
    }
    for (std::size_t i = 0; i < f.ugc.size(); ++i) {
      const auto& u = f.ugc[i];
      std::string p = "/ugc/" + std::to_string(i);
      if (!u.product.empty() && !f.find_product(u.product))
        missing(p + "/product", u.product, "product");
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
          fail("feed.duplicate_code", p,
               readable_path(p) + " " + quote_for_message(in.codes[k]) +
                   " is already the code of influencers[" + std::to_string(it->second) + "]");
        }
      }
    }
  }

  Feed feed(const json& root) {
    Feed f;
    if (!expect_object(root, "")) return f;
    const json* version = member(root, "", "version", true);
    if (version) {
      if (!version->is_number_integer() || version->get<std::int64_t>() != 1)
        fail("feed.unsupported_version", "/version",
             "version must be 1 (the only feed version this engine reads), got " +
                 describe_json_value(*version));
    }
    if (const json* s = member(root, "", "store", true)) f.store = store(*s, "/store");
    array(root, "", "products", true, [&](const json& e, const std::string& p) {
      f.products.push_back(product(e, p, f.store));
    });
    array(root, "", "influencers", false, [&](const json& e, const std::string& p) {
      f.influencers.push_back(influencer(e, p, f.store));
    });
    array(root, "", "endorsements", false, [&](const json& e, const std::string& p) {
      f.endorsements.push_back(endorsement(e, p));
    });
    array(root, "", "ugc", false, [&](const json& e, const std::string& p) {
      f.ugc.push_back(ugc(e, p));
    });
    unique_ids(f.products, "products");
    unique_ids(f.influencers, "influencers");
    unique_ids(f.endorsements, "endorsements");
    unique_ids(f.ugc, "ugc");
    f.reindex();
    references(f);
    if (const json* d = member(root, "", "document", false)) f.document = document(*d, "/document");
    return f;
  }

 private:
  const FeedLimits& limits_;
  FeedLoadResult& result_;
  bool review_codes_ = false;
};

}  // namespace

std::optional<Error> check_json_depth(std::string_view text, std::size_t max_depth,
                                      std::string_view code_prefix) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        auto [line, column] = line_column(text, i);
        return Error{std::string(code_prefix) + ".too_deep", "",
                     "the document nests deeper than " + std::to_string(max_depth) +
                         " levels (at line " + std::to_string(line) + ", column " +
                         std::to_string(column) + ")"};
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

namespace {

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// 1..max visible ASCII characters: client ids, order ids in tokens.
bool visible_ascii(std::string_view text, std::size_t max) {
  if (text.empty() || text.size() > max) return false;
  for (char c : text)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Url[(buffer << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    auto v = kBase64Url.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Only the canonical encoding: the unused low bits are zero.
  if (bits >= 6 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

namespace {

// The faults of one submission, in the order they are found.
using ReviewFaults = std::vector<Error>;

void fault(ReviewFaults& faults, const char* code, const std::string& path, std::string message) {
  faults.push_back({code, path, std::move(message)});
}

// The UGC item a feed would hold for the submission: the fields a shopper
// writes, copied; the rest set as the server sets them. Any other field is
// reported (the server's own ones are refused, not trusted).
json review_item_json(const json& body, Timestamp now, ReviewFaults& faults) {
  constexpr std::string_view kServerSets = " id kind at status helpful unhelpful media ";
  json item = json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    std::string p = child("", key);
    if (key == "product" || key == "rating" || key == "title" || key == "body" || key == "locale") {
      item[key] = it.value();
    } else if (key == "author") {
      item[key] = it.value();
      if (!it->is_object()) continue;
      for (auto a = it->begin(); a != it->end(); ++a)
        if (a.key() != "name")
          fault(faults, "review.unknown_field", child(p, a.key()),
                readable_path(child(p, a.key())) +
                    (a.key() == "verified_buyer" || a.key() == "influencer"
                         ? " is decided by the server, not sent"
                         : " is not a field of a review's author (only name is)"));
    } else if (key != "client_id" && key != "token" && key != "visitor" && key != "photos") {
      bool server_sets = kServerSets.find(" " + key + " ") != std::string_view::npos;
      fault(faults, "review.unknown_field", p,
            readable_path(p) + (server_sets ? " is set by the server, not sent"
                                            : " is not a field of a review (client_id, product, rating, title, "
                                              "body, author, locale, token, visitor, photos)"));
    }
  }
  item["id"] = "rv-new";  // named by the server; a valid id so the reader says nothing about it
  item["kind"] = "review";
  item["at"] = format_rfc3339(now);
  item["status"] = "pending";
  return item;
}

// client_id, token, visitor and photos: what comes with the item.
void read_review_envelope(const json& body, const ReviewLimits& limits, ReviewSubmission& review,
                          ReviewFaults& faults) {
  auto client_id = body.find("client_id");
  if (client_id == body.end() || client_id->is_null())
    fault(faults, "review.missing_field", "/client_id",
          "client_id is required (a random id made once per review, so that a retry is not a second review)");
  else if (!client_id->is_string() || !visible_ascii(client_id->get_ref<const std::string&>(), 64))
    fault(faults, "review.invalid_value", "/client_id",
          "client_id must be 1 to 64 visible ASCII characters, got " + describe_json_value(*client_id));
  else
    review.client_id = client_id->get<std::string>();
  if (auto token = body.find("token"); token != body.end() && !token->is_null()) {
    if (!token->is_string() || token->get_ref<const std::string&>().size() > 256)
      fault(faults, "review.invalid_type", "/token",
            "token must be a review token (a string of at most 256 bytes), got " + describe_json_value(*token));
    else
      review.token = token->get<std::string>();
  }
  if (auto visitor = body.find("visitor"); visitor != body.end() && !visitor->is_null()) {
    if (!visitor->is_string() || !visible_ascii(visitor->get_ref<const std::string&>(), 128))
      fault(faults, "review.invalid_value", "/visitor",
            "visitor must be 1 to 128 visible ASCII characters, got " + describe_json_value(*visitor));
    else
      review.visitor = visitor->get<std::string>();
  }
  auto photos = body.find("photos");
  if (photos == body.end() || photos->is_null()) return;
  auto is_name = [](const json& v) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() != 32) return false;
    for (char c : v.get_ref<const std::string&>())
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
  };
  if (!photos->is_array()) {
    fault(faults, "review.invalid_type", "/photos", "photos must be an array of photo names, got " + describe_json_value(*photos));
  } else if (photos->size() > limits.max_photos) {
    fault(faults, "review.too_long", "/photos",
          "a review may have at most " + std::to_string(limits.max_photos) + " photos, got " + std::to_string(photos->size()));
  } else {
    for (std::size_t i = 0; i < photos->size(); ++i) {
      if (is_name((*photos)[i]))
        review.photos.push_back((*photos)[i].get<std::string>());
      else
        fault(faults, "review.invalid_value", child("/photos", i),
              "photos[" + std::to_string(i) + "] must be the name of an uploaded photo (32 hex digits), got " +
                  describe_json_value((*photos)[i]));
    }
  }
}

// The submission's own limits on the item's text, its locale and product.
void check_review_item(const json& body, const Ugc& u, const Feed& feed, const ReviewLimits& limits,
                       ReviewFaults& faults) {
  auto text = [&](const std::string& p, const std::string& value, std::size_t max, bool required) {
    if (required && blank(value) && !value.empty())
      fault(faults, "review.missing_field", p, readable_path(p) + " must not be blank");
    else if (code_points(value) > max)
      fault(faults, "review.too_long", p, readable_path(p) + " is " + std::to_string(code_points(value)) +
                                             " characters long; at most " + std::to_string(max) + " are allowed");
  };
  text("/title", u.title, limits.max_title, false);
  if (!body.contains("body"))
    fault(faults, "review.missing_field", "/body", "body is required");
  else if (u.body.empty() && body["body"].is_string())
    fault(faults, "review.missing_field", "/body", "body must not be empty");
  text("/body", u.body, limits.max_body, true);
  text("/author/name", u.author.name, limits.max_name, true);
  if (!u.locale.empty()) {
    bool ok = u.locale.size() <= 35 && std::isalpha(static_cast<unsigned char>(u.locale[0]));
    for (char c : u.locale) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (!ok)
      fault(faults, "review.invalid_value", "/locale",
            "locale must be a language tag such as \"en\" or \"fr-CA\", got " + quote_for_message(u.locale));
  }
  if (!u.product.empty() && !feed.find_product(u.product))
    fault(faults, "review.unknown_product", "/product", "the store has no product " + quote_for_message(u.product));
}

}  // namespace

ReviewSubmissionResult read_review_submission(const nlohmann::json& body, const Feed& feed, Timestamp now,
                                              const ReviewLimits& limits) {
  ReviewSubmissionResult out;
  if (!body.is_object()) {
    out.errors.push_back({"review.not_object", "", "the review must be a JSON object, got " + describe_json_value(body)});
    return out;
  }
  // The feed's own UGC reader, reporting review.* codes: one definition of a review.
  FeedLoadResult collected;
  FeedLimits feed_limits;
  FeedReader reader(feed_limits, collected);
  reader.use_review_codes();
  ReviewFaults& faults = collected.errors;
  json item = review_item_json(body, now, faults);
  Ugc u = reader.ugc(item, "");
  u.id.clear();
  u.author.verified_buyer = false;
  ReviewSubmission review;
  read_review_envelope(body, limits, review, faults);
  check_review_item(body, u, feed, limits, faults);
  if (!faults.empty()) {
    out.errors = std::move(faults);
    return out;
  }
  review.item = std::move(u);
  out.review = std::move(review);
  return out;
}

std::string review_token_message(std::string_view order_id, std::vector<std::string> products) {
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  std::string text = "vouch-review-token/1\n";
  auto field = [&text](std::string_view s) {
    text += std::to_string(s.size());
    text += ':';
    text += s;
    text += '\n';
  };
  field(order_id);
  for (const auto& p : products) field(p);
  return text;
}

std::vector<std::string> order_product_ids(const nlohmann::json& order) {
  std::vector<std::string> products;
  if (order.is_object() && order.contains("items") && order["items"].is_array())
    for (const auto& item : order["items"])
      if (item.is_object() && item.contains("product") && item["product"].is_string())
        products.push_back(item["product"].get<std::string>());
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  return products;
}

std::string format_review_token(std::string_view order_id, std::string_view mac_hex) {
  return base64url_encode(order_id) + "." + std::string(mac_hex);
}

std::optional<ParsedReviewToken> parse_review_token(std::string_view token) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view mac = token.substr(dot + 1);
  if (mac.size() != 32) return std::nullopt;
  for (char c : mac)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  auto order_id = base64url_decode(token.substr(0, dot));
  if (!order_id || order_id->empty() || order_id->size() > 128) return std::nullopt;
  return ParsedReviewToken{*order_id, std::string(mac)};
}

FeedLoadResult load_feed(std::string_view text, const FeedLimits& limits) {
  FeedLoadResult result;
  auto fail = [&](const char* code, std::string message) {
    result.errors.push_back({code, "", std::move(message)});
    return std::move(result);
  };
  if (text.size() > limits.max_bytes)
    return fail("feed.too_large", "the feed is " + std::to_string(text.size()) +
                                      " bytes; at most " + std::to_string(limits.max_bytes) +
                                      " bytes are accepted");
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    auto [line, column] = line_column(text, bad);
    return fail("feed.invalid_utf8", "the feed is not valid UTF-8: bad byte at line " +
                                         std::to_string(line) + ", column " +
                                         std::to_string(column));
  }
  if (auto deep = check_json_depth(text, limits.max_depth, "feed")) {
    result.errors.push_back(*deep);
    return result;
  }
  JsonSyntaxError fault;
  std::optional<json> root = parse_json_text(text, fault);
  if (!root) {
    if (!fault.byte) return fail("feed.parse_error", "the feed is not valid JSON: " + fault.detail);
    auto [line, column] = line_column(text, *fault.byte == 0 ? 0 : *fault.byte - 1);
    return fail("feed.parse_error", "the feed is not valid JSON: line " + std::to_string(line) +
                                        ", column " + std::to_string(column) + ": " + fault.detail);
  }
  FeedReader reader(limits, result);
  reader.check_limits(*root);
  if (!result.errors.empty()) return result;
  Feed feed = reader.feed(*root);
  if (result.errors.empty()) result.feed = std::move(feed);
  return result;
}

}  // namespace vouch
