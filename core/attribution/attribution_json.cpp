// The JSON edge of the attribution engine: touches, orders and the config are
// checked and converted to the typed model here, once; results go back out.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <cmath>
#include <iterator>

#include "attribution/attribution.hpp"
#include "common/error.hpp"
#include "common/json_output.hpp"
#include "common/money.hpp"
#include "common/text.hpp"
#include "input/json_input.hpp"

namespace vouch {

namespace {

using nlohmann::json;

// touch.*, order.*, refund.* (a range fault is an invalid value), config.*.
const Vocabulary kTouchVocabulary = {
    "touch", {"missing_field", "invalid_type", "invalid_value", "invalid_value", "invalid_value", "invalid_time", "invalid_value"}};
const Vocabulary kOrderVocabulary = {
    "order", {"missing_field", "invalid_type", "invalid_value", "invalid_value", "invalid_value", "invalid_time", "invalid_value"}};
const Vocabulary kRefundVocabulary = {
    "refund", {"missing_field", "invalid_type", "invalid_value", "invalid_value", "invalid_value", "invalid_time", "invalid_value"}};
const Vocabulary kConfigVocabulary = {
    "config", {"missing_field", "invalid_type", "invalid_value", "out_of_range", "invalid_value", "invalid_time", "invalid_value"}};

// A visitor id: what the widget makes, 1..128 visible ASCII characters.
std::string_view visitor(FieldReader& r, const JsonValue& object, const std::string& path, bool required) {
  std::optional<JsonValue> v = r.member(object, path, "visitor", required);
  if (!v) return {};
  if (v->is_string() && is_visible_ascii(v->string(), kMaxReferenceBytes)) return v->string();
  r.fail(v->is_string() ? Fault::InvalidValue : Fault::InvalidType, child_path(path, "visitor"),
         "must be 1 to " + std::to_string(kMaxReferenceBytes) + " visible ASCII characters, got " +
             describe_json_value(*v));
  return {};
}

// "at", or the caller's default when it is absent.
Timestamp time_of(FieldReader& r, const JsonValue& object, const std::string& path, const InputRules& rules) {
  if (rules.default_at)
    if (std::optional<JsonValue> v = object.find("at"); !v || v->is_null()) return *rules.default_at;
  return r.optional_time(object, path, "at", true, false, rules.latest).value_or(0);
}

// The currency when given: an ISO 4217 code, and the store's.
std::string currency_of(FieldReader& r, const JsonValue& object, const std::string& path, const InputRules& rules) {
  std::string code = r.currency(object, path, "currency", false, {});
  if (code.empty()) return rules.currency;
  if (!rules.currency.empty() && code != rules.currency)
    r.faults().add("currency_mismatch", child_path(path, "currency"),
                   r.name(child_path(path, "currency")) + " is " + quote_for_message(code) +
                       " but the store sells in " + rules.currency);
  return code;
}

// One line of an order: {"product", "qty", "price"}.
std::optional<OrderItem> order_item(FieldReader& r, const JsonValue& value, const std::string& path,
                                    const std::string& currency) {
  if (!r.expect_object(value, path)) return std::nullopt;
  OrderItem line;
  line.product = r.string(value, path, "product", true, {}, kMaxReferenceBytes);
  line.qty = r.integer(value, path, "qty", true, 1, 1'000'000, 1);
  line.price_minor = r.amount(value, path, "price", true, currency).value_or(0);
  return line;
}

CommissionRule commission_rule(FieldReader& r, const JsonValue& value, const std::string& path,
                               const std::string& currency) {
  CommissionRule rule;
  if (!r.expect_object(value, path)) return rule;
  for (auto [key, v] : value.members())
    if (key != "percent" && key != "fixed")
      r.faults().add("unknown_field", child_path(path, key),
                     r.name(child_path(path, key)) + " is not a commission field (percent or fixed)");
  std::optional<JsonValue> percent = r.member(value, path, "percent", false);
  std::optional<JsonValue> fixed = r.member(value, path, "fixed", false);
  if (percent.has_value() == fixed.has_value()) {
    r.faults().add("invalid_commission", path, r.name(path) + " must have exactly one of percent or fixed");
  } else if (percent) {
    std::optional<double> p = r.number(*percent, child_path(path, "percent"), 0, 100);
    rule.kind = CommissionRule::Kind::Percent;
    rule.basis_points = std::llround(p.value_or(0) * 100.0);
  } else {
    rule.kind = CommissionRule::Kind::Fixed;
    rule.fixed_minor = r.amount(value, path, "fixed", true, currency).value_or(0);
  }
  return rule;
}

// A positive number of days, at most ten years.
std::optional<double> days(FieldReader& r, const JsonValue& config, std::string_view key) {
  std::optional<JsonValue> v = r.member(config, "", key, false);
  if (!v) return std::nullopt;
  std::optional<double> d = r.number(*v, child_path("", key), 0, 3650);
  if (d && *d == 0) r.fail(Fault::OutOfRange, child_path("", key), "must be more than 0 and at most 3650, got 0");
  return d && *d > 0 ? d : std::nullopt;
}

void read_commission(FieldReader& r, const JsonValue& commission, const Feed& feed, AttributionConfig& c) {
  const std::string path = "/commission";
  if (!r.expect_object(commission, path)) return;
  for (auto [key, v] : commission.members())
    if (key != "default" && key != "by_influencer")
      r.faults().add("unknown_field", child_path(path, key),
                     r.name(child_path(path, key)) + " is not a commission setting (default or by_influencer)");
  if (auto d = r.member(commission, path, "default", false))
    c.default_commission = commission_rule(r, *d, child_path(path, "default"), feed.store.currency);
  auto by = r.member(commission, path, "by_influencer", false);
  std::string by_path = child_path(path, "by_influencer");
  if (!by || !r.expect_object(*by, by_path)) return;
  for (auto [id, rule] : by->members()) {
    if (!feed.find_influencer(id))
      r.faults().add("unknown_influencer", child_path(by_path, id),
                     r.name(child_path(by_path, id)) + " names no influencer of the feed");
    c.commission_by_influencer[std::string(id)] = commission_rule(r, rule, child_path(by_path, id), feed.store.currency);
  }
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

AttributionConfig parse_attribution_config(const JsonValue& config, const Feed& feed) {
  AttributionConfig c;
  if (config.is_null()) return c;
  Faults faults(kConfigVocabulary, FaultPolicy::First);
  FieldReader r(faults);
  if (!r.expect_object(config, "")) faults.throw_first();
  static constexpr std::string_view kKnown[] = {"model", "window_days", "half_life_days", "coupon_overrides_link",
                                                "click_injection_seconds", "click_flood", "commission", "from", "to",
                                                "commission_basis"};
  for (auto [key, v] : config.members())
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
      faults.add("unknown_field", child_path("", key), r.name(child_path("", key)) + " is not an attribution setting");
  if (auto model = r.choice(config, "", "model", false,
                            {"last_click", "first_click", "linear", "time_decay", "position_based"}, "invalid_model"))
    c.model = static_cast<AttributionModel>(*model);
  if (auto d = days(r, config, "window_days")) c.window_seconds = std::llround(*d * static_cast<double>(kSecondsPerDay));
  if (auto d = days(r, config, "half_life_days")) c.half_life_seconds = *d * static_cast<double>(kSecondsPerDay);
  c.coupon_overrides_link = r.boolean(config, "", "coupon_overrides_link", c.coupon_overrides_link);
  if (auto s = r.optional_number(config, "", "click_injection_seconds", false, 0, 3600))
    c.click_injection_seconds = std::llround(*s);
  if (auto flood = r.member(config, "", "click_flood", false); flood && r.expect_object(*flood, "/click_flood")) {
    if (auto n = r.optional_number(*flood, "/click_flood", "clicks", false, 2, 1e6)) c.flood_clicks = std::llround(*n);
    if (auto s = r.optional_number(*flood, "/click_flood", "seconds", false, 1, 86400)) c.flood_seconds = std::llround(*s);
  }
  if (auto commission = r.member(config, "", "commission", false)) read_commission(r, *commission, feed, c);
  if (auto basis = r.choice(config, "", "commission_basis", false, {"auto", "verified", "reported"}))
    c.commission_basis = static_cast<CommissionBasis>(*basis);
  c.from = r.optional_time(config, "", "from", false);
  c.to = r.optional_time(config, "", "to", false);
  if (c.from && c.to && *c.from > *c.to) r.fail(Fault::OutOfRange, "/to", "must not be before from");
  faults.throw_first();
  return c;
}

AttributionConfig parse_attribution_config(const json& config, const Feed& feed) {
  JsonTape tape;
  record_json(config, tape);
  return parse_attribution_config(tape.root(), feed);
}

TouchView read_touch(const JsonValue& value, const std::string& path, const InputRules& rules, Faults& faults) {
  VocabularyScope speak(faults, kTouchVocabulary);
  FieldReader r(faults);
  TouchView t;
  if (!r.expect_object(value, path)) return t;
  t.visitor = visitor(r, value, path, true);
  t.at = time_of(r, value, path, rules);
  if (auto source = r.choice(value, path, "source", false, {"link", "coupon"}, "invalid_source"))
    t.source = *source == 0 ? TouchSource::Link : TouchSource::Coupon;
  t.landing = r.text(value, path, "landing", false, kMaxLandingBytes);
  t.influencer = r.text(value, path, "influencer", false, kMaxReferenceBytes);
  t.code = r.text(value, path, "code", false, kMaxReferenceBytes);
  if (t.influencer.empty() && t.code.empty())
    faults.add("missing_referrer", path, r.name(path) + " needs an influencer or a code");
  t.src = r.text(value, path, "src", false);
  if (!t.src.empty() && !follows(kSourceTagRule, t.src)) {
    std::string p = child_path(path, "src");
    faults.add("invalid_src", p, r.name(p) + " must be " + std::string(kSourceTagRule.description));
  }
  return t;
}

OrderInput read_order(const JsonValue& value, const std::string& path, const InputRules& rules, Faults& faults) {
  VocabularyScope speak(faults, kOrderVocabulary);
  FieldReader r(faults);
  OrderInput o;
  if (!r.expect_object(value, path)) return o;
  o.order_id = r.id_or_integer(value, path, "order_id", kMaxReferenceBytes);
  o.visitor = visitor(r, value, path, false);
  o.at = time_of(r, value, path, rules);
  o.currency = currency_of(r, value, path, rules);
  o.refund_of = r.string(value, path, "refund_of", false, {}, kMaxReferenceBytes);
  if (!o.refund_of.empty() && !rules.refunds)
    faults.add("refund_not_allowed", child_path(path, "refund_of"),
               r.name(child_path(path, "refund_of")) + " is not accepted here: refunds come from the store's backend");
  // A refund without a value cancels what is left of the order. A sale's
  // sign is the written one: -0.001 is no sale although it rounds to 0.
  bool refund = !o.refund_of.empty();
  o.value_minor = r.amount(value, path, "value", !refund, o.currency, /*negative_allowed=*/true);
  if (o.value_minor) {
    std::string p = child_path(path, "value");
    if (refund && *o.value_minor >= 0)
      faults.add("invalid_refund", p, r.name(p) + " must be negative for a refund (refund_of is set)");
    if (!refund && value.find("value")->number() < 0)
      r.fail(Fault::InvalidValue, p,
             rules.refunds ? "must not be negative unless the order is a refund (set refund_of)" : "must not be negative");
  }
  if (auto items = r.member(value, path, "items", false)) {
    std::string p = child_path(path, "items");
    if (!items->is_array())
      r.wrong_type(p, *items, "an array");
    else if (items->size() > kMaxOrderItems)
      r.fail(Fault::InvalidValue, p, "must have at most " + std::to_string(kMaxOrderItems) + " entries");
    o.items.reserve(items->size());
    std::size_t i = 0;
    p += '/';
    const std::size_t prefix = p.size();
    for (JsonValue item : items->elements()) {
      p.resize(prefix);
      p += std::to_string(i++);
      if (auto line = order_item(r, item, p, o.currency)) o.items.push_back(std::move(*line));
    }
  }
  o.coupon = r.string(value, path, "coupon", false, {}, kMaxReferenceBytes);
  o.customer = r.string(value, path, "customer", false, {}, kMaxReferenceBytes);
  o.verified = r.boolean(value, path, "verified", true);
  return o;
}

RefundInput read_refund(const JsonValue& value, const std::string& path, const InputRules& rules, Faults& faults) {
  VocabularyScope speak(faults, kRefundVocabulary);
  FieldReader r(faults);
  RefundInput out;
  if (!r.expect_object(value, path)) return out;
  // "refund:" + the id stays a valid order id.
  out.refund_id = r.id_or_integer(value, path, "refund_id", kMaxReferenceBytes - 7);
  OrderInput& o = out.order;
  o.order_id = "refund:" + out.refund_id;
  o.refund_of = r.id_or_integer(value, path, "order_id", kMaxReferenceBytes);
  o.at = time_of(r, value, path, rules);
  o.currency = currency_of(r, value, path, rules);
  if (auto amount = r.amount(value, path, "amount", false, o.currency, /*negative_allowed=*/true)) {
    if (*amount <= 0)
      r.fail(Fault::InvalidValue, child_path(path, "amount"), "must be more than 0 (leave it out to cancel the whole order)");
    o.value_minor = -*amount;
  }
  return out;
}

namespace {

// A reader on nlohmann's tree: the value recorded, read, the first fault thrown.
template <typename Reader>
auto read_tree(const json& value, const std::string& path, const InputRules& rules, Reader reader) {
  JsonTape tape;
  record_json(value, tape);
  Faults faults(FaultPolicy::First);
  auto out = reader(tape.root(), path, rules, faults);
  faults.throw_first();
  return out;
}

}  // namespace

TouchInput read_touch(const json& value, const std::string& path, const InputRules& rules) {
  return read_tree(value, path, rules, [](const JsonValue& v, const std::string& p, const InputRules& r, Faults& f) {
    return TouchInput(read_touch(v, p, r, f));
  });
}

OrderInput read_order(const json& value, const std::string& path, const InputRules& rules) {
  return read_tree(value, path, rules, [](const JsonValue& v, const std::string& p, const InputRules& r, Faults& f) {
    return read_order(v, p, r, f);
  });
}

RefundInput read_refund(const json& value, const std::string& path, const InputRules& rules) {
  return read_tree(value, path, rules, [](const JsonValue& v, const std::string& p, const InputRules& r, Faults& f) {
    return read_refund(v, p, r, f);
  });
}

TouchInput::TouchInput(const TouchView& view)
    : visitor(view.visitor), at(view.at), source(view.source), influencer(view.influencer), code(view.code),
      landing(view.landing), src(ascii_lower(view.src)) {}

// --- the engine's data ---

AttributionData::AttributionData(const Feed& feed) : feed_(&feed) {
  rules_.currency = feed.store.currency;
  for (std::size_t i = 0; i < feed.influencers.size(); ++i)
    handles_.emplace(ascii_lower(feed.influencers[i].handle), static_cast<std::int32_t>(i));
}

std::int32_t AttributionData::note_unknown(const std::string& kind, const std::string& value) {
  std::string key = kind + ":" + ascii_lower(value);
  auto [it, inserted] = unknown_ids_.try_emplace(key, static_cast<std::int32_t>(unknown_referrers.size()));
  if (inserted) unknown_referrers.push_back({kind, value, 0, 0});
  return it->second;
}

// Each referrer as written is resolved once (a million touches name a few
// thousand codes). An explicit influencer id is the id; what a shopper's
// ?ref= carried is a code, else a handle ("@" optional, any case), else an id
// (docs/attribution.md); an order's coupon is a code.
AttributionData::Referrer AttributionData::resolve(ReferrerKind kind, std::string_view value) {
  std::uint32_t id = referrer_names_[kind].intern(value);
  std::vector<Referrer>& resolved = referrers_[kind];
  if (id < resolved.size()) return resolved[id];
  Referrer r;
  std::string text(value);
  auto by_id = feed_->influencer_index.find(text);
  const Influencer* by_code = kind == kById ? nullptr : feed_->find_influencer_by_code(value);
  std::string_view handle = value;
  if (!handle.empty() && handle.front() == '@') handle.remove_prefix(1);
  auto by_handle = kind == kByRef ? handles_.find(ascii_lower(handle)) : handles_.end();
  if (kind == kById && by_id != feed_->influencer_index.end())
    r.influencer = static_cast<std::int32_t>(by_id->second);
  else if (by_code)
    r.influencer = static_cast<std::int32_t>(feed_->influencer_index.at(by_code->id));
  else if (by_handle != handles_.end())
    r.influencer = by_handle->second;
  else if (kind == kByRef && by_id != feed_->influencer_index.end())
    r.influencer = static_cast<std::int32_t>(by_id->second);
  else
    r.unknown = note_unknown(kind == kById ? "influencer" : "code", text);
  resolved.push_back(r);
  return r;
}

const std::string& AttributionData::path_of(const char* array, std::size_t index) {
  // "/touches/" is kept from the last call when it is the same array.
  std::size_t prefix = std::strlen(array) + 2;
  if (path_.size() < prefix || path_.compare(1, prefix - 2, array) != 0 || path_[prefix - 1] != '/') {
    path_.assign("/");
    path_ += array;
    path_ += '/';
  }
  path_.resize(prefix);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, index);
  path_.append(digits, end);
  return path_;
}

void AttributionData::add_touch(const JsonValue& value, std::size_t index) {
  Faults faults(FaultPolicy::First);
  TouchView in = read_touch(value, path_of("touches", index), rules_, faults);
  faults.throw_first();
  Touch t;
  t.seq = static_cast<std::uint32_t>(index);
  t.visitor = visitors.intern(in.visitor);
  t.at = in.at;
  t.source = in.source;
  // An explicit influencer id wins over the code (the code is what the
  // shopper typed or the link carried; the id is what the store resolved).
  Referrer r = in.influencer.empty() ? resolve(kByRef, in.code) : resolve(kById, in.influencer);
  t.influencer = r.influencer;
  t.unknown = r.unknown;
  if (r.unknown >= 0) ++unknown_referrers[static_cast<std::size_t>(r.unknown)].touches;
  touches.push_back(t);
}

void AttributionData::add_checked_order(OrderInput in, std::size_t index) {
  Order o;
  o.seq = static_cast<std::uint32_t>(index);
  o.order_id = std::move(in.order_id);
  if (!in.visitor.empty()) o.visitor = visitors.intern(in.visitor);
  o.at = in.at;
  o.value_minor = in.value_minor.value_or(0);
  o.cancellation = !in.value_minor.has_value();
  o.customer = ascii_lower(in.customer);
  if (!in.refund_of.empty()) o.refund_of = std::move(in.refund_of);
  o.verified = in.verified;
  if (!in.coupon.empty()) {
    Referrer r = resolve(kByCoupon, in.coupon);
    o.coupon_influencer = r.influencer;
    o.unknown_coupon = r.unknown;
    if (r.unknown >= 0) ++unknown_referrers[static_cast<std::size_t>(r.unknown)].orders;
  }
  orders.push_back(std::move(o));
}

void AttributionData::add_order(const JsonValue& value, std::size_t index) {
  Faults faults(FaultPolicy::First);
  OrderInput in = read_order(value, path_of("orders", index), rules_, faults);
  faults.throw_first();
  add_checked_order(std::move(in), index);
}

bool AttributionData::add_order_or_set_aside(const JsonValue& value, std::size_t index) {
  Faults faults(FaultPolicy::First);
  OrderInput in = read_order(value, path_of("orders", index), rules_, faults);
  if (!faults.any()) {
    add_checked_order(std::move(in), index);
    return true;
  }
  std::string id;
  if (auto v = value.find("order_id"); v && (v->is_string() || v->is_integer()))
    id = v->is_string() ? std::string(v->string()) : v->scalar_text();
  unattributable.push_back({std::move(id), faults.errors().front()});
  return false;
}

void AttributionData::add_touch_line(std::string_view line, std::size_t index, std::string_view source) {
  if (read_json_line(line, index, "touch", "touches", source, scratch_)) add_touch(scratch_.root(), index);
}

void AttributionData::add_order_line(std::string_view line, std::size_t index, std::string_view source) {
  Error error;
  if (!read_json_line(line, index, "order", "orders", source, scratch_, error))
    unattributable.push_back({"", std::move(error)});
  else if (!scratch_.empty())
    add_order_or_set_aside(scratch_.root(), index);
}

void AttributionData::refuse_set_aside() const {
  if (!unattributable.empty()) throw_error(unattributable.front().error);
}

void AttributionData::add_touch(const json& value, std::size_t index) {
  record_json(value, scratch_);
  add_touch(scratch_.root(), index);
}

void AttributionData::add_order(const json& value, std::size_t index) {
  record_json(value, scratch_);
  add_order(scratch_.root(), index);
}

void AttributionData::add_order_or_set_aside(const json& value, std::size_t index) {
  record_json(value, scratch_);
  add_order_or_set_aside(scratch_.root(), index);
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

void write_json(const OrderAttribution& r, const Feed& feed, std::string& out) {
  const std::string& currency = feed.store.currency;
  JsonWriter w(out);
  w.begin_object();
  w.key("at").string(format_rfc3339(r.at));
  w.key("credits").begin_array();
  for (const auto& c : r.credits) {
    w.begin_object();
    w.key("commission").number(to_major_units(c.commission_minor, currency));
    w.key("influencer").string(feed.influencers[static_cast<std::size_t>(c.influencer)].id);
    w.key("revenue").number(to_major_units(c.revenue_minor, currency));
    w.key("share").number(round_score(static_cast<double>(c.share_ppm) / 1e6));
    w.end_object();
  }
  w.end_array();
  w.key("currency").string(currency);
  w.key("duplicate").boolean(r.duplicate);
  w.key("flags").strings(r.flags);
  w.key("model").string(r.model);
  w.key("order_id").string(r.order_id);
  w.key("reasons").strings(r.reasons);
  w.key("value").number(to_major_units(r.value_minor, currency));
  w.end_object();
}

namespace {

// A report sets aside the orders it cannot attribute; attribute() refuses them.
AttributionData load_data(const Feed& feed, const JsonValue& touches, const JsonValue& orders, bool for_report) {
  if (!touches.is_array()) throw_error({"touch.invalid_type", "/touches", "touches must be an array of touches"});
  if (!orders.is_array()) throw_error({"order.invalid_type", "/orders", "orders must be an array of orders"});
  AttributionData data(feed);
  data.touches.reserve(touches.size());
  data.orders.reserve(orders.size());
  std::size_t i = 0;
  for (JsonValue touch : touches.elements()) data.add_touch(touch, i++);
  i = 0;
  for (JsonValue order : orders.elements()) {
    if (for_report)
      data.add_order_or_set_aside(order, i++);
    else
      data.add_order(order, i++);
  }
  return data;
}

// nlohmann's trees, recorded to be read as text would be.
struct Recorded {
  JsonTape touches, orders, config;
  Recorded(const json& t, const json& o, const json& c) {
    record_json(t, touches);
    record_json(o, orders);
    record_json(c, config);
  }
};

}  // namespace

std::string attribute_text(const Feed& feed, const JsonValue& touches, const JsonValue& orders,
                           const JsonValue& config, Timestamp now) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders, false);
  return attribute_to_text(data, c, now);
}

json attribute_json(const Feed& feed, const json& touches, const json& orders, const json& config, Timestamp now) {
  Recorded in(touches, orders, config);
  return json::parse(attribute_text(feed, in.touches.root(), in.orders.root(), in.config.root(), now));
}

std::string attribute_to_text(AttributionData& data, const AttributionConfig& config, Timestamp now) {
  std::string out = "[";
  for (const auto& r : attribute(data, config, now)) {
    if (out.size() > 1) out += ',';
    write_json(r, data.feed(), out);
  }
  out += ']';
  return out;
}

json report_json(const Feed& feed, const JsonValue& touches, const JsonValue& orders, const JsonValue& config) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders, true);
  return attribute_and_report(data, c);
}

json report_json(const Feed& feed, const json& touches, const json& orders, const json& config) {
  Recorded in(touches, orders, config);
  return report_json(feed, in.touches.root(), in.orders.root(), in.config.root());
}

}  // namespace vouch
