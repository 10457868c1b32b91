#include "events.hpp"

#include <cmath>

#include "common/money.hpp"
#include "common/text.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxNameBytes = 128;   // visitor, placement, product, influencer, code...
constexpr std::size_t kMaxUrlBytes = 2048;   // landing, target
constexpr std::size_t kMaxItems = 100;       // items of an impression or an order
constexpr std::size_t kMaxTouches = 50;      // touches carried by a conversion

// Reads the fields of one JSON object and throws VouchException with
// "<prefix>.<kind>" codes and JSON Pointer paths under `path`.
class Fields {
 public:
  Fields(const json& object, std::string prefix, std::string path)
      : o_(object), prefix_(std::move(prefix)), path_(std::move(path)) {
    if (!o_.is_object()) fail("not_object", "", "must be a JSON object");
  }

  [[noreturn]] void fail(const std::string& kind, const std::string& field,
                         const std::string& message) const {
    std::string where = field.empty() ? path_ : path_ + "/" + field;
    std::string subject = field.empty() ? (prefix_ == "event" ? "the event" : "the order") : field;
    throw VouchException({prefix_ + "." + kind, where, subject + " " + message});
  }

  bool has(const std::string& field) const {
    auto it = o_.find(field);
    return it != o_.end() && !it->is_null();
  }
  const json& at(const std::string& field) const { return o_.at(field); }
  const std::string& prefix() const { return prefix_; }
  std::string path(const std::string& field) const { return path_ + "/" + field; }

  std::string text(const std::string& field, std::size_t max_bytes) const {
    if (!has(field)) fail("missing_field", field, "is required");
    return text_value(field, max_bytes);
  }
  std::string optional_text(const std::string& field, std::size_t max_bytes) const {
    return has(field) ? text_value(field, max_bytes) : std::string();
  }
  Timestamp time(const std::string& field, Timestamp now, Timestamp max_future) const {
    std::string value = text(field, 64);
    auto t = parse_rfc3339(value);
    if (!t) fail("invalid_time", field, "must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got " + quote_for_message(value));
    if (*t > now + max_future) fail("invalid_time", field, "is more than a day in the future: " + quote_for_message(value));
    return *t;
  }
  double amount(const std::string& field) const {
    if (!has(field)) fail("missing_field", field, "is required");
    const json& v = o_.at(field);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
      fail("invalid_field", field, "must be a number >= 0");
    return v.get<double>();
  }
  std::string one_of(const std::string& field, std::initializer_list<const char*> allowed) const {
    std::string value = text(field, kMaxNameBytes);
    for (const char* a : allowed)
      if (value == a) return value;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail("invalid_field", field, "must be one of " + list + ", got " + quote_for_message(value));
  }

 private:
  std::string text_value(const std::string& field, std::size_t max_bytes) const {
    const json& v = o_.at(field);
    if (!v.is_string()) fail("invalid_field", field, "must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) fail("invalid_field", field, "must not be empty");
    if (s.size() > max_bytes)
      fail("invalid_field", field, "must be at most " + std::to_string(max_bytes) + " bytes");
    return s;
  }

  const json& o_;
  std::string prefix_;
  std::string path_;
};

// An event id: 1..64 visible ASCII characters (UUIDs, ULIDs, counters).
bool is_valid_event_id(const json& id) {
  if (!id.is_string()) return false;
  const auto& s = id.get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxIdBytes) return false;
  for (unsigned char ch : s)
    if (ch <= 0x20 || ch >= 0x7f) return false;
  return true;
}

TouchRecord read_touch(const Fields& f, const std::string& visitor, Timestamp at) {
  TouchRecord t;
  t.visitor = visitor;
  t.at = at;
  t.source = f.one_of("source", {"link", "coupon"});
  t.influencer = f.optional_text("influencer", kMaxNameBytes);
  t.code = f.optional_text("code", kMaxNameBytes);
  t.landing = f.optional_text("landing", kMaxUrlBytes);
  if (t.influencer.empty() && t.code.empty())
    f.fail("missing_field", "influencer", "or code is required: a touch must name who referred the visitor");
  return t;
}

json read_order_items(const Fields& f) {
  json items = json::array();
  if (!f.has("items")) return items;
  const json& list = f.at("items");
  if (!list.is_array()) f.fail("invalid_field", "items", "must be an array");
  if (list.size() > kMaxItems)
    f.fail("invalid_field", "items", "must have at most " + std::to_string(kMaxItems) + " entries");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Fields item(list[i], f.prefix(), f.path("items/" + std::to_string(i)));
    std::string product = item.text("product", kMaxNameBytes);
    if (!item.has("qty") || !item.at("qty").is_number_integer() || item.at("qty").get<std::int64_t>() < 1 ||
        item.at("qty").get<std::int64_t>() > 1'000'000)
      item.fail("invalid_field", "qty", "must be an integer from 1 to 1000000");
    items.push_back({{"product", product}, {"qty", item.at("qty")}, {"price", item.amount("price")}});
  }
  return items;
}

// The Order fields shared by a browser conversion and a server order.
json read_order(const Fields& f, const json& visitor, Timestamp at) {
  json order;
  order["order_id"] = f.text("order_id", kMaxNameBytes);
  order["visitor"] = visitor;
  order["at"] = format_rfc3339(at);
  order["value"] = f.amount("value");
  std::string currency = f.text("currency", kMaxNameBytes);
  if (!is_currency_code(currency))
    f.fail("invalid_field", "currency", "must be an ISO 4217 code such as USD, got " + quote_for_message(currency));
  if (!to_minor_units(order["value"].get<double>(), currency))
    f.fail("invalid_field", "value", "is too large");
  order["currency"] = currency;
  order["items"] = read_order_items(f);
  std::string coupon = f.optional_text("coupon", kMaxNameBytes);
  std::string customer = f.optional_text("customer", kMaxNameBytes);
  order["coupon"] = coupon.empty() ? json(nullptr) : json(coupon);
  order["customer"] = customer.empty() ? json(nullptr) : json(customer);
  return order;
}

EventRecord read_event(const json& event, std::size_t index, Timestamp now, const BatchLimits& limits) {
  std::string path = "/events/" + std::to_string(index);
  Fields f(event, "event", path);
  if (!f.has("id") || !is_valid_event_id(f.at("id")))
    f.fail("invalid_id", "id", "must be a string of 1 to 64 visible ASCII characters");
  EventRecord e;
  e.id = f.at("id").get<std::string>();
  e.type = f.has("type") && f.at("type").is_string() ? f.at("type").get<std::string>() : "";
  if (e.type != "impression" && e.type != "click" && e.type != "helpful_vote" && e.type != "touch" &&
      e.type != "conversion")
    f.fail("unknown_type", "type",
           "must be one of impression, click, helpful_vote, touch, conversion, got " +
               (!f.has("type")            ? std::string("nothing")
                : f.at("type").is_string() ? quote_for_message(f.at("type").get<std::string>())
                                           : f.at("type").dump()));
  e.at = f.time("at", now, limits.max_future_seconds);
  e.visitor = f.text("visitor", kMaxNameBytes);

  if (e.type == "impression") {
    f.text("placement", kMaxNameBytes);
    f.optional_text("product", kMaxNameBytes);
    if (f.has("items")) {
      const json& items = f.at("items");
      if (!items.is_array() || items.size() > kMaxItems)
        f.fail("invalid_field", "items", "must be an array of at most " + std::to_string(kMaxItems) + " ids");
      for (const auto& id : items)
        if (!id.is_string() || id.get_ref<const std::string&>().size() > kMaxNameBytes)
          f.fail("invalid_field", "items", "must hold only id strings");
    }
  } else if (e.type == "click") {
    f.text("placement", kMaxNameBytes);
    f.text("target", kMaxUrlBytes);
    f.optional_text("product", kMaxNameBytes);
  } else if (e.type == "helpful_vote") {
    f.text("ugc", kMaxNameBytes);
  } else if (e.type == "touch") {
    e.touches.push_back(read_touch(f, e.visitor, e.at));
  } else {  // conversion
    if (!f.has("order")) f.fail("missing_field", "order", "is required");
    Fields order(f.at("order"), "event", f.path("order"));
    OrderRecord record;
    record.order = read_order(order, e.visitor, e.at);
    record.order_id = record.order["order_id"].get<std::string>();
    record.at = e.at;
    if (f.has("touches")) {
      const json& touches = f.at("touches");
      if (!touches.is_array() || touches.size() > kMaxTouches)
        f.fail("invalid_field", "touches", "must be an array of at most " + std::to_string(kMaxTouches) + " touches");
      for (std::size_t i = 0; i < touches.size(); ++i) {
        Fields t(touches[i], "event", f.path("touches/" + std::to_string(i)));
        std::string visitor = t.has("visitor") ? t.text("visitor", kMaxNameBytes) : e.visitor;
        e.touches.push_back(read_touch(t, visitor, t.time("at", now, limits.max_future_seconds)));
      }
    }
    if (f.has("credits")) {
      if (!f.at("credits").is_array()) f.fail("invalid_field", "credits", "must be an array");
      record.credits = f.at("credits");
    }
    e.order = std::move(record);
  }
  e.body = event.dump();
  return e;
}

}  // namespace

ValidatedBatch validate_batch(const nlohmann::json& events, Timestamp now, const BatchLimits& limits) {
  ValidatedBatch batch;
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      batch.accepted.push_back(read_event(events[i], i, now, limits));
    } catch (const VouchException& ex) {
      json id = nullptr;
      if (events[i].is_object() && events[i].contains("id") && events[i]["id"].is_string())
        id = events[i]["id"];
      batch.rejected.push_back({id, i, ex.error().code, ex.error().message});
    }
  }
  return batch;
}

OrderRecord validate_server_order(const nlohmann::json& order, Timestamp now, const BatchLimits& limits) {
  Fields f(order, "order", "");
  Timestamp at = f.has("at") ? f.time("at", now, limits.max_future_seconds) : now;
  json visitor = f.has("visitor") ? json(f.text("visitor", kMaxNameBytes)) : json(nullptr);
  OrderRecord record;
  record.order = read_order(f, visitor, at);
  record.order_id = record.order["order_id"].get<std::string>();
  record.at = at;
  return record;
}

}  // namespace vouch::server
