// The JSON edge of the attribution engine: touches, orders and the config are
// checked and converted to the typed model here, once; results go back out.
#include <algorithm>
#include <cmath>

#include "attribution/attribution.hpp"
#include "common/error.hpp"
#include "common/json_output.hpp"
#include "common/money.hpp"
#include "common/text.hpp"

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

  std::optional<std::string> string(const std::string& key, bool required) const {
    const json* v = find(key);
    if (!v) {
      if (required) fail("missing_field", key, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) fail("invalid_type", key, "must be a string, got " + std::string(v->type_name()));
    const auto& s = v->get_ref<const std::string&>();
    if (required && s.empty()) fail("missing_field", key, "must not be empty");
    if (s.size() > 1024) fail("invalid_type", key, "must be at most 1024 bytes long");
    return s;
  }

  Timestamp time(const std::string& key) const {
    auto text = string(key, true);
    auto t = parse_rfc3339(*text);
    if (!t)
      fail("invalid_time", key,
           "must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got " + quote_for_message(*text));
    return *t;
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
      "click_flood", "commission", "from", "to"};
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

void AttributionData::add_touch(const json& value, std::size_t index) {
  Fields f(value, "touch", index_path("touches", index));
  Touch t;
  t.seq = static_cast<std::uint32_t>(index);
  t.visitor = intern_visitor(*f.string("visitor", true));
  t.at = f.time("at");
  if (auto source = f.string("source", false)) {
    if (*source == "link") t.source = TouchSource::Link;
    else if (*source == "coupon") t.source = TouchSource::Coupon;
    else f.fail("invalid_source", "source", "must be \"link\" or \"coupon\", got " + quote_for_message(*source));
  }
  f.string("landing", false);  // checked for type; not used by attribution
  auto influencer = f.string("influencer", false);
  auto code = f.string("code", false);
  if (!influencer && !code) f.fail("missing_referrer", "", "needs an influencer or a code");
  // An explicit influencer id wins over the code (the code is what the
  // shopper typed or the link carried; the id is what the store resolved).
  if (influencer) {
    auto it = feed_->influencer_index.find(*influencer);
    if (it != feed_->influencer_index.end()) t.influencer = static_cast<std::int32_t>(it->second);
    else t.unknown = note_unknown("influencer", *influencer, false);
  } else {
    // What a shopper's ?ref= carried: a code, else a handle ("@" optional,
    // any case), else an id (docs/attribution.md).
    if (auto* inf = feed_->find_influencer_by_code(*code)) {
      t.influencer = static_cast<std::int32_t>(feed_->influencer_index.at(inf->id));
    } else {
      std::string_view handle(*code);
      if (!handle.empty() && handle.front() == '@') handle.remove_prefix(1);
      auto by_handle = handles_.find(ascii_lower(handle));
      auto by_id = feed_->influencer_index.find(*code);
      if (by_handle != handles_.end()) t.influencer = by_handle->second;
      else if (by_id != feed_->influencer_index.end()) t.influencer = static_cast<std::int32_t>(by_id->second);
      else t.unknown = note_unknown("code", *code, false);
    }
  }
  touches.push_back(t);
}

void AttributionData::add_order(const json& value, std::size_t index) {
  Fields f(value, "order", index_path("orders", index));
  Order o;
  o.seq = static_cast<std::uint32_t>(index);
  if (const json* id = f.find("order_id"); id && id->is_number_integer())
    o.order_id = id->dump();  // 1001 and "1001" are the same order
  else
    o.order_id = *f.string("order_id", true);
  if (auto visitor = f.string("visitor", false)) o.visitor = intern_visitor(*visitor);
  o.at = f.time("at");
  const std::string& store_currency = feed_->store.currency;
  if (auto currency = f.string("currency", false); currency && *currency != store_currency)
    f.fail("currency_mismatch", "currency",
           "is " + quote_for_message(*currency) + " but the store sells in " + store_currency);
  double value_major = *f.number("value", true);
  auto minor = to_minor_units(value_major, store_currency);
  if (!minor) f.fail("invalid_value", "value", "must be a finite amount");
  o.value_minor = *minor;
  if (const json* items = f.find("items"); items && !items->is_array())
    f.fail("invalid_type", "items", "must be an array, got " + std::string(items->type_name()));
  if (auto customer = f.string("customer", false)) o.customer = ascii_lower(*customer);
  o.refund_of = f.string("refund_of", false);
  if (o.refund_of && o.value_minor >= 0)
    f.fail("invalid_refund", "value", "must be negative for a refund (refund_of is set)");
  if (!o.refund_of && o.value_minor < 0)
    f.fail("invalid_value", "value", "must not be negative unless the order is a refund (set refund_of)");
  if (auto coupon = f.string("coupon", false); coupon && !coupon->empty()) {
    auto* inf = feed_->find_influencer_by_code(*coupon);
    if (inf) o.coupon_influencer = static_cast<std::int32_t>(feed_->influencer_index.at(inf->id));
    else o.unknown_coupon = note_unknown("code", *coupon, true);
  }
  orders.push_back(std::move(o));
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

AttributionData load_data(const Feed& feed, const json& touches, const json& orders) {
  if (!touches.is_array())
    throw_error({"touch.invalid_type", "/touches", "touches must be an array of touches"});
  if (!orders.is_array())
    throw_error({"order.invalid_type", "/orders", "orders must be an array of orders"});
  AttributionData data(feed);
  data.touches.reserve(touches.size());
  data.orders.reserve(orders.size());
  for (std::size_t i = 0; i < touches.size(); ++i) data.add_touch(touches[i], i);
  for (std::size_t i = 0; i < orders.size(); ++i) data.add_order(orders[i], i);
  return data;
}

}  // namespace

json attribute_json(const Feed& feed, const json& touches, const json& orders, const json& config,
                    Timestamp now) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders);
  return attribute_to_json(data, c, now);
}

json attribute_to_json(AttributionData& data, const AttributionConfig& config, Timestamp now) {
  json out = json::array();
  for (const auto& r : attribute(data, config, now)) out.push_back(to_json(r, data.feed()));
  return out;
}

json report_json(const Feed& feed, const json& touches, const json& orders, const json& config) {
  AttributionConfig c = parse_attribution_config(config, feed);
  AttributionData data = load_data(feed, touches, orders);
  return attribute_and_report(data, c);
}

}  // namespace vouch
