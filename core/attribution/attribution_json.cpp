// The JSON edge of the attribution engine: touches, orders and the config are
// checked and converted to the typed model here, once; results go back out.
#include <algorithm>
#include <cmath>

#include "attribution/attribution.hpp"
#include "common/error.hpp"
#include "common/json_output.hpp"
#include "common/money.hpp"
#include "common/text.hpp"
#include "feed/identifiers.hpp"

namespace vouch {

namespace {

using nlohmann::json;

// Field access for one input object, with the error code prefix ("touch",
// "order", "config") and the object's JSON Pointer.
class Fields {
 public:
  Fields(const json& object, std::string prefix, std::string path)
      : object_(object), prefix_(std::move(prefix)), path_(std::move(path)) {
    if (!object_.is_object())
      fail("invalid_type", "", "must be an object, got " + std::string(object_.type_name()));
  }

  [[noreturn]] void fail(const std::string& code, const std::string& key,
                         const std::string& what) const {
    std::string path = key.empty() ? path_ : path_ + "/" + key;
    std::string name = path.empty() ? "the " + prefix_ : readable_path(path);
    throw_error({prefix_ + "." + code, path, name + " " + what});
  }

  const json* find(const std::string& key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::optional<std::string> string(const std::string& key, bool required,
                                    std::size_t max_bytes = kMaxReferenceBytes) const {
    const json* v = find(key);
    if (!v) {
      if (required) fail("missing_field", key, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) fail("invalid_type", key, "must be a string, got " + std::string(v->type_name()));
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.empty()) fail("missing_field", key, "must not be empty");
    if (s.size() > max_bytes)
      fail("invalid_value", key, "must be at most " + std::to_string(max_bytes) + " bytes long");
    return s;
  }

  // An id that may also be written as an integer: 1001 and "1001" are the same.
  std::string id(const std::string& key) const {
    if (const json* v = find(key); v && v->is_number_integer()) return v->dump();
    return *string(key, true);
  }

  // An RFC 3339 time; absent means rules.default_at when there is one.
  Timestamp time(const std::string& key, const InputRules& rules = {}) const {
    if (!find(key) && rules.default_at) return *rules.default_at;
    auto text = string(key, true, 64);
    auto t = parse_rfc3339(*text);
    if (!t)
      fail("invalid_time", key,
           "must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got " + quote_for_message(*text));
    if (rules.latest && *t > *rules.latest) fail("invalid_time", key, "is too far in the future: " + quote_for_message(*text));
    return *t;
  }

  // The currency when given: an ISO 4217 code, and the store's.
  std::string currency(const InputRules& rules) const {
    auto code = string("currency", false, 16);
    if (!code) return rules.currency;
    if (!is_currency_code(*code))
      fail("invalid_value", "currency", "must be an ISO 4217 code such as USD, got " + quote_for_message(*code));
    if (!rules.currency.empty() && *code != rules.currency)
      fail("currency_mismatch", "currency", "is " + quote_for_message(*code) + " but the store sells in " + rules.currency);
    return *code;
  }

  std::int64_t amount(const std::string& key, double major, const std::string& currency) const {
    auto minor = to_minor_units(major, currency);
    if (!minor) fail("invalid_value", key, "must be a finite amount below 10000000000000");
    return *minor;
  }

  std::optional<double> number(const std::string& key, bool required) const {
    const json* v = find(key);
    if (!v) {
      if (required) fail("missing_field", key, "is required");
      return std::nullopt;
    }
    if (!v->is_number()) fail("invalid_type", key, "must be a number, got " + std::string(v->type_name()));
    return v->get<double>();
  }

  std::optional<bool> boolean(const std::string& key) const {
    const json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail("invalid_type", key, "must be true or false, got " + std::string(v->type_name()));
    return v->get<bool>();
  }

  const json& object() const { return object_; }
  const std::string& path() const { return path_; }

 private:
  const json& object_;
  std::string prefix_;
  std::string path_;
};

std::string index_path(const char* array, std::size_t index) {
  return std::string("/") + array + "/" + std::to_string(index);
}


CommissionRule commission_rule(const json& value, const std::string& path, const std::string& currency) {
  Fields f(value, "config", path);
  auto percent = f.number("percent", false);
  auto fixed = f.number("fixed", false);
  for (const auto& [key, v] : value.items())
    if (key != "percent" && key != "fixed")
      f.fail("unknown_field", key, "is not a commission field (percent or fixed)");
  if (percent.has_value() == fixed.has_value())
    f.fail("invalid_commission", "", "must have exactly one of percent or fixed");
  CommissionRule rule;
  if (percent) {
    if (!(*percent >= 0 && *percent <= 100)) f.fail("out_of_range", "percent", "must be from 0 to 100");
    rule.kind = CommissionRule::Kind::Percent;
    rule.basis_points = std::llround(*percent * 100.0);
  } else {
    auto minor = to_minor_units(*fixed, currency);
    if (!minor || *minor < 0) f.fail("out_of_range", "fixed", "must be a non-negative amount");
    rule.kind = CommissionRule::Kind::Fixed;
    rule.fixed_minor = *minor;
  }
  return rule;
}

}  // namespace

std::string_view to_string(AttributionModel model) {
  switch (model) {
    case AttributionModel::LastClick: return "last_click";
    case AttributionModel::FirstClick: return "first_click";
    case AttributionModel::Linear: return "linear";
    case AttributionModel::TimeDecay: return "time_decay";
    case AttributionModel::PositionBased: return "position_based";
  }
  return "last_click";
}

AttributionConfig parse_attribution_config(const json& config, const Feed& feed) {
  AttributionConfig c;
  if (config.is_null()) return c;
  Fields f(config, "config", "");
  static const std::vector<std::string> kKnown = {
      "model", "window_days", "half_life_days", "coupon_overrides_link", "click_injection_seconds",
      "click_flood", "commission", "from", "to", "commission_basis"};
  for (const auto& [key, v] : config.items())
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end())
      f.fail("unknown_field", json_pointer_token(key), "is not an attribution setting");

  if (auto model = f.string("model", false)) {
    static const AttributionModel kModels[] = {AttributionModel::LastClick, AttributionModel::FirstClick,
                                               AttributionModel::Linear, AttributionModel::TimeDecay,
                                               AttributionModel::PositionBased};
    bool found = false;
    for (auto m : kModels)
      if (to_string(m) == *model) c.model = m, found = true;
    if (!found)
      f.fail("invalid_model", "model",
             "must be one of last_click, first_click, linear, time_decay, position_based, got " +
                 quote_for_message(*model));
  }
  if (auto days = f.number("window_days", false)) {
    if (!(*days > 0 && *days <= 3650)) f.fail("out_of_range", "window_days", "must be more than 0 and at most 3650");
    c.window_seconds = std::llround(*days * static_cast<double>(kSecondsPerDay));
  }
  if (auto days = f.number("half_life_days", false)) {
    if (!(*days > 0 && *days <= 3650)) f.fail("out_of_range", "half_life_days", "must be more than 0 and at most 3650");
    c.half_life_seconds = *days * static_cast<double>(kSecondsPerDay);
  }
  if (auto b = f.boolean("coupon_overrides_link")) c.coupon_overrides_link = *b;
  if (auto s = f.number("click_injection_seconds", false)) {
    if (!(*s >= 0 && *s <= 3600)) f.fail("out_of_range", "click_injection_seconds", "must be from 0 to 3600");
    c.click_injection_seconds = std::llround(*s);
  }
  if (const json* flood = f.find("click_flood")) {
    Fields ff(*flood, "config", "/click_flood");
    if (auto n = ff.number("clicks", false)) {
      if (!(*n >= 2 && *n <= 1e6)) ff.fail("out_of_range", "clicks", "must be from 2 to 1000000");
      c.flood_clicks = std::llround(*n);
    }
    if (auto s = ff.number("seconds", false)) {
      if (!(*s >= 1 && *s <= 86400)) ff.fail("out_of_range", "seconds", "must be from 1 to 86400");
      c.flood_seconds = std::llround(*s);
    }
  }
  if (const json* commission = f.find("commission")) {
    Fields cf(*commission, "config", "/commission");
    for (const auto& [key, v] : commission->items())
      if (key != "default" && key != "by_influencer")
        cf.fail("unknown_field", json_pointer_token(key), "is not a commission setting (default or by_influencer)");
    if (const json* d = cf.find("default"))
      c.default_commission = commission_rule(*d, "/commission/default", feed.store.currency);
    if (const json* by = cf.find("by_influencer")) {
      Fields bf(*by, "config", "/commission/by_influencer");
      for (const auto& [id, rule] : by->items()) {
        std::string key = json_pointer_token(id);
        if (!feed.find_influencer(id))
          bf.fail("unknown_influencer", key, "names no influencer of the feed");
        c.commission_by_influencer[id] =
            commission_rule(rule, "/commission/by_influencer/" + key, feed.store.currency);
      }
    }
  }
  if (auto basis = f.string("commission_basis", false)) {
    if (*basis == "auto") c.commission_basis = CommissionBasis::Auto;
    else if (*basis == "verified") c.commission_basis = CommissionBasis::Verified;
    else if (*basis == "reported") c.commission_basis = CommissionBasis::Reported;
    else f.fail("invalid_value", "commission_basis", "must be auto, verified or reported, got " + quote_for_message(*basis));
  }
  if (f.find("from")) c.from = f.time("from");
  if (f.find("to")) c.to = f.time("to");
  if (c.from && c.to && *c.from > *c.to) f.fail("out_of_range", "to", "must not be before from");
  return c;
}

AttributionData::AttributionData(const Feed& feed) : feed_(&feed) {
  for (std::size_t i = 0; i < feed.influencers.size(); ++i)
    handles_.emplace(ascii_lower(feed.influencers[i].handle), static_cast<std::int32_t>(i));
}

std::uint32_t AttributionData::intern_visitor(const std::string& visitor) {
  auto [it, inserted] = visitor_ids_.try_emplace(visitor, static_cast<std::uint32_t>(visitor_name.size()));
  if (inserted) visitor_name.push_back(visitor);
  return it->second;
}

std::int32_t AttributionData::note_unknown(const std::string& kind, const std::string& value, bool order) {
  std::string key = kind + ":" + ascii_lower(value);
  auto [it, inserted] = unknown_ids_.try_emplace(key, static_cast<std::int32_t>(unknown_referrers.size()));
  if (inserted) unknown_referrers.push_back({kind, value, 0, 0});
  auto& u = unknown_referrers[static_cast<std::size_t>(it->second)];
  (order ? u.orders : u.touches) += 1;
  return it->second;
}

TouchInput read_touch(const json& value, const std::string& path, const InputRules& rules) {
  Fields f(value, "touch", path);
  TouchInput t;
  t.visitor = *f.string("visitor", true);
  t.at = f.time("at", rules);
  if (auto source = f.string("source", false)) {
    if (*source == "link") t.source = TouchSource::Link;
    else if (*source == "coupon") t.source = TouchSource::Coupon;
    else f.fail("invalid_source", "source", "must be \"link\" or \"coupon\", got " + quote_for_message(*source));
  }
  t.landing = f.string("landing", false, kMaxLandingBytes).value_or("");
  t.influencer = f.string("influencer", false).value_or("");
  t.code = f.string("code", false).value_or("");
  if (t.influencer.empty() && t.code.empty()) f.fail("missing_referrer", "", "needs an influencer or a code");
  t.src = ascii_lower(f.string("src", false).value_or(""));
  if (!t.src.empty() && !follows(kSourceTagRule, t.src))
    f.fail("invalid_src", "src", std::string("must be ") + std::string(kSourceTagRule.description));
  return t;
}

OrderInput read_order(const json& value, const std::string& path, const InputRules& rules) {
  Fields f(value, "order", path);
  OrderInput o;
  o.order_id = f.id("order_id");
  o.visitor = f.string("visitor", false).value_or("");
  o.at = f.time("at", rules);
  o.currency = f.currency(rules);
  o.refund_of = f.string("refund_of", false).value_or("");
  if (!o.refund_of.empty() && !rules.refunds)
    f.fail("refund_not_allowed", "refund_of", "is not accepted here: refunds come from the store's backend");
  // A refund without a value cancels what is left of the order.
  if (auto major = f.number("value", o.refund_of.empty())) {
    std::int64_t minor = f.amount("value", *major, o.currency);
    if (!o.refund_of.empty() && minor >= 0)
      f.fail("invalid_refund", "value", "must be negative for a refund (refund_of is set)");
    if (o.refund_of.empty() && minor < 0)
      f.fail("invalid_value", "value",
             rules.refunds ? "must not be negative unless the order is a refund (set refund_of)"
                           : "must not be negative");
    o.value_minor = minor;
  }
  if (const json* items = f.find("items")) {
    if (!items->is_array()) f.fail("invalid_type", "items", "must be an array, got " + std::string(items->type_name()));
    if (items->size() > kMaxOrderItems)
      f.fail("invalid_value", "items", "must have at most " + std::to_string(kMaxOrderItems) + " entries");
    for (std::size_t i = 0; i < items->size(); ++i) {
      Fields item((*items)[i], "order", path + "/items/" + std::to_string(i));
      OrderItem line;
      line.product = *item.string("product", true);
      const json* qty = item.find("qty");
      if (!qty) item.fail("missing_field", "qty", "is required");
      if (!qty->is_number_integer() || qty->get<std::int64_t>() < 1 || qty->get<std::int64_t>() > 1'000'000)
        item.fail("invalid_value", "qty", "must be an integer from 1 to 1000000, got " + describe_json_value(*qty));
      line.qty = qty->get<std::int64_t>();
      line.price_minor = item.amount("price", *item.number("price", true), o.currency);
      if (line.price_minor < 0) item.fail("invalid_value", "price", "must not be negative");
      o.items.push_back(std::move(line));
    }
  }
  o.coupon = f.string("coupon", false).value_or("");
  o.customer = f.string("customer", false).value_or("");
  o.verified = f.boolean("verified").value_or(true);
  return o;
}

RefundInput read_refund(const json& value, const std::string& path, const InputRules& rules) {
  Fields f(value, "refund", path);
  RefundInput r;
  r.refund_id = f.id("refund_id");
  if (r.refund_id.size() > kMaxReferenceBytes - 7)  // "refund:" + id stays a valid order id
    f.fail("invalid_value", "refund_id", "must be at most " + std::to_string(kMaxReferenceBytes - 7) + " bytes long");
  OrderInput& o = r.order;
  o.order_id = "refund:" + r.refund_id;
  o.refund_of = f.id("order_id");
  o.at = f.time("at", rules);
  o.currency = f.currency(rules);
  if (auto amount = f.number("amount", false)) {
    std::int64_t minor = f.amount("amount", *amount, o.currency);
    if (minor <= 0) f.fail("invalid_value", "amount", "must be more than 0 (leave it out to cancel the whole order)");
    o.value_minor = -minor;
  }
  return r;
}

json to_json(const TouchInput& t) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json out = json::object();
  put_string(out, "visitor", t.visitor);
  put_string(out, "at", format_rfc3339(t.at));
  put(out, "influencer", or_null(t.influencer));
  put(out, "code", or_null(t.code));
  put_string(out, "source", t.source == TouchSource::Coupon ? "coupon" : "link");
  put(out, "landing", or_null(t.landing));
  if (!t.src.empty()) put_string(out, "src", t.src);
  return out;
}

json to_json(const OrderInput& o) {
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json items = json::array();
  for (const auto& item : o.items) {
    json line = json::object();
    put_string(line, "product", item.product);
    put_int(line, "qty", item.qty);
    put_number(line, "price", to_major_units(item.price_minor, o.currency));
    items.push_back(std::move(line));
  }
  json out = json::object();
  put_string(out, "order_id", o.order_id);
  put(out, "visitor", or_null(o.visitor));
  put_string(out, "at", format_rfc3339(o.at));
  put(out, "value", o.value_minor ? json(to_major_units(*o.value_minor, o.currency)) : json(nullptr));
  put_string(out, "currency", o.currency);
  put(out, "items", std::move(items));
  put(out, "coupon", or_null(o.coupon));
  put(out, "customer", or_null(o.customer));
  if (!o.refund_of.empty()) put_string(out, "refund_of", o.refund_of);
  put_bool(out, "verified", o.verified);
  return out;
}

void AttributionData::add_touch(const json& value, std::size_t index) {
  InputRules rules;
  rules.currency = feed_->store.currency;
  TouchInput in = read_touch(value, index_path("touches", index), rules);
  Touch t;
  t.seq = static_cast<std::uint32_t>(index);
  t.visitor = intern_visitor(in.visitor);
  t.at = in.at;
  t.source = in.source;
  // An explicit influencer id wins over the code (the code is what the
  // shopper typed or the link carried; the id is what the store resolved).
  if (!in.influencer.empty()) {
    auto it = feed_->influencer_index.find(in.influencer);
    if (it != feed_->influencer_index.end()) t.influencer = static_cast<std::int32_t>(it->second);
    else t.unknown = note_unknown("influencer", in.influencer, false);
  } else {
    // What a shopper's ?ref= carried: a code, else a handle ("@" optional,
    // any case), else an id (docs/attribution.md).
    if (auto* inf = feed_->find_influencer_by_code(in.code)) {
      t.influencer = static_cast<std::int32_t>(feed_->influencer_index.at(inf->id));
    } else {
      std::string_view handle(in.code);
      if (!handle.empty() && handle.front() == '@') handle.remove_prefix(1);
      auto by_handle = handles_.find(ascii_lower(handle));
      auto by_id = feed_->influencer_index.find(in.code);
      if (by_handle != handles_.end()) t.influencer = by_handle->second;
      else if (by_id != feed_->influencer_index.end()) t.influencer = static_cast<std::int32_t>(by_id->second);
      else t.unknown = note_unknown("code", in.code, false);
    }
  }
  touches.push_back(t);
}

void AttributionData::add_order(const json& value, std::size_t index) {
  InputRules rules;
  rules.currency = feed_->store.currency;
  OrderInput in = read_order(value, index_path("orders", index), rules);
  Order o;
  o.seq = static_cast<std::uint32_t>(index);
  o.order_id = std::move(in.order_id);
  if (!in.visitor.empty()) o.visitor = intern_visitor(in.visitor);
  o.at = in.at;
  o.value_minor = in.value_minor.value_or(0);
  o.cancellation = !in.value_minor.has_value();
  o.customer = ascii_lower(in.customer);
  if (!in.refund_of.empty()) o.refund_of = std::move(in.refund_of);
  o.verified = in.verified;
  if (!in.coupon.empty()) {
    auto* inf = feed_->find_influencer_by_code(in.coupon);
    if (inf) o.coupon_influencer = static_cast<std::int32_t>(feed_->influencer_index.at(inf->id));
    else o.unknown_coupon = note_unknown("code", in.coupon, true);
  }
  orders.push_back(std::move(o));
}

void AttributionData::add_order_or_set_aside(const json& value, std::size_t index) {
#if __cpp_exceptions
  try {
    add_order(value, index);
  } catch (const VouchException& e) {
    std::string id;
    if (value.is_object())
      if (auto it = value.find("order_id"); it != value.end() && (it->is_string() || it->is_number_integer()))
        id = it->is_string() ? it->get<std::string>() : it->dump();
    unattributable.push_back({id, e.error()});
  }
#else
  // Without exceptions (the storefront wasm module, which never attributes:
  // throw_error in common/error.hpp), a refused order aborts as elsewhere.
  add_order(value, index);
#endif
}

json to_json(const OrderAttribution& r, const Feed& feed) {
  const std::string& currency = feed.store.currency;
  json credits = json::array();
  for (const auto& c : r.credits) {
    json credit = json::object();
    put_string(credit, "influencer", feed.influencers[static_cast<std::size_t>(c.influencer)].id);
    put_score(credit, "share", static_cast<double>(c.share_ppm) / 1e6);
    put_number(credit, "revenue", to_major_units(c.revenue_minor, currency));
    put_number(credit, "commission", to_major_units(c.commission_minor, currency));
    credits.push_back(std::move(credit));
  }
  json out = json::object();
  put_string(out, "order_id", r.order_id);
  put_string(out, "at", format_rfc3339(r.at));
  put_number(out, "value", to_major_units(r.value_minor, currency));
  put_string(out, "currency", currency);
  put_string(out, "model", r.model);
  put(out, "credits", std::move(credits));
  put_strings(out, "flags", r.flags);
  put_strings(out, "reasons", r.reasons);
  put_bool(out, "duplicate", r.duplicate);
  return out;
}

namespace {

// A report sets aside the orders it cannot attribute; attribute() refuses them.
AttributionData load_data(const Feed& feed, const json& touches, const json& orders, bool for_report) {
  if (!touches.is_array())
    throw_error({"touch.invalid_type", "/touches", "touches must be an array of touches"});
  if (!orders.is_array())
    throw_error({"order.invalid_type", "/orders", "orders must be an array of orders"});
  AttributionData data(feed);
  data.touches.reserve(touches.size());
  data.orders.reserve(orders.size());
  for (std::size_t i = 0; i < touches.size(); ++i) data.add_touch(touches[i], i);
  for (std::size_t i = 0; i < orders.size(); ++i)
    for_report ? data.add_order_or_set_aside(orders[i], i) : data.add_order(orders[i], i);
  return data;
}

}  // namespace

json attribute_json(const Feed& feed, const json& touches, const json& orders, const json& config,
                    Timestamp now) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders, false);
  return attribute_to_json(data, c, now);
}

json attribute_to_json(AttributionData& data, const AttributionConfig& config, Timestamp now) {
  json out = json::array();
  for (const auto& r : attribute(data, config, now)) out.push_back(to_json(r, data.feed()));
  return out;
}

json report_json(const Feed& feed, const json& touches, const json& orders, const json& config) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders, true);
  return attribute_and_report(data, c);
}

}  // namespace vouch
