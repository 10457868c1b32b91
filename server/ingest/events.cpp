#include "events.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxUrlBytes = 2048;   // click targets
constexpr std::size_t kMaxItems = 100;       // ids of an impression
constexpr std::size_t kMaxTouches = 50;      // touches carried by a conversion

InputRules input_rules(const IngestRules& rules, bool refunds) {
  InputRules r;
  r.currency = rules.currency;
  r.refunds = refunds;
  r.latest = rules.now + rules.max_future_seconds;
  return r;
}

// Reads the event's own fields and throws VouchException with "event.<kind>"
// codes and JSON Pointer paths under `path`.
class EventFields {
 public:
  EventFields(const json& object, std::string path) : o_(object), path_(std::move(path)) {
    if (!o_.is_object()) fail("not_object", "", "the event must be a JSON object");
  }

  [[noreturn]] void fail(const std::string& kind, const std::string& field, const std::string& message) const {
    throw VouchException({"event." + kind, field.empty() ? path_ : path_ + "/" + field, message});
  }

  bool has(const std::string& field) const {
    auto it = o_.find(field);
    return it != o_.end() && !it->is_null();
  }
  const json& at(const std::string& field) const { return o_.at(field); }

  std::string text(const std::string& field, std::size_t max_bytes) const {
    if (!has(field)) fail("missing_field", field, field + " is required");
    return optional_text(field, max_bytes);
  }
  std::string optional_text(const std::string& field, std::size_t max_bytes) const {
    if (!has(field)) return {};
    const json& v = o_.at(field);
    if (!v.is_string()) fail("invalid_field", field, field + " must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) fail("invalid_field", field, field + " must not be empty");
    if (s.size() > max_bytes)
      fail("invalid_field", field, field + " must be at most " + std::to_string(max_bytes) + " bytes");
    return s;
  }
  Timestamp time(const std::string& field, const IngestRules& rules) const {
    std::string value = text(field, 64);
    auto t = parse_rfc3339(value);
    if (!t)
      fail("invalid_time", field,
           field + " must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got " + quote_for_message(value));
    if (*t > rules.now + rules.max_future_seconds)
      fail("invalid_time", field, field + " is more than a day in the future: " + quote_for_message(value));
    return *t;
  }

 private:
  const json& o_;
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

std::string event_type(const EventFields& f) {
  std::string type = f.has("type") && f.at("type").is_string() ? f.at("type").get<std::string>() : "";
  if (type != "impression" && type != "click" && type != "helpful_vote" && type != "touch" && type != "conversion")
    f.fail("unknown_type", "type",
           "type must be one of impression, click, helpful_vote, touch, conversion, got " +
               (f.has("type") ? describe_json_value(f.at("type")) : std::string("nothing")));
  return type;
}

// A conversion: the browser's report of an order, with the touches it saw.
// The order's visitor and time are the event's; it is never verified and
// never a refund. The browser engine's "credits" are not kept: the server
// attributes from the touches.
void read_conversion(const EventFields& f, const std::string& path, const IngestRules& rules, EventRecord& e) {
  if (!f.has("order")) f.fail("missing_field", "order", "order is required");
  json order = f.at("order");
  if (order.is_object()) {
    order["visitor"] = e.visitor;
    order["at"] = format_rfc3339(e.at);
  }
  OrderInput input = read_order(order, path + "/order", input_rules(rules, false));
  input.verified = false;
  e.order = OrderRecord{input.order_id, input.at, to_json(input)};
  if (!f.has("touches")) return;
  const json& touches = f.at("touches");
  if (!touches.is_array() || touches.size() > kMaxTouches)
    f.fail("invalid_field", "touches", "touches must be an array of at most " + std::to_string(kMaxTouches) + " touches");
  for (std::size_t i = 0; i < touches.size(); ++i) {
    json touch = touches[i];
    if (touch.is_object() && (!touch.contains("visitor") || touch["visitor"].is_null())) touch["visitor"] = e.visitor;
    e.touches.push_back(read_touch(touch, path + "/touches/" + std::to_string(i), input_rules(rules, false)));
  }
}

EventRecord read_event(const json& event, std::size_t index, const IngestRules& rules) {
  std::string path = "/events/" + std::to_string(index);
  EventFields f(event, path);
  if (!f.has("id") || !is_valid_event_id(f.at("id")))
    f.fail("invalid_id", "id", "id must be a string of 1 to 64 visible ASCII characters");
  EventRecord e;
  e.id = f.at("id").get<std::string>();
  e.type = event_type(f);
  e.at = f.time("at", rules);
  e.visitor = f.text("visitor", kMaxReferenceBytes);

  if (e.type == "impression") {
    f.text("placement", kMaxReferenceBytes);
    f.optional_text("product", kMaxReferenceBytes);
    if (f.has("items")) {
      const json& items = f.at("items");
      if (!items.is_array() || items.size() > kMaxItems)
        f.fail("invalid_field", "items", "items must be an array of at most " + std::to_string(kMaxItems) + " ids");
      for (const auto& id : items)
        if (!id.is_string() || id.get_ref<const std::string&>().size() > kMaxReferenceBytes)
          f.fail("invalid_field", "items", "items must hold only id strings");
    }
  } else if (e.type == "click") {
    f.text("placement", kMaxReferenceBytes);
    f.text("target", kMaxUrlBytes);
    f.optional_text("product", kMaxReferenceBytes);
  } else if (e.type == "helpful_vote") {
    f.text("ugc", kMaxReferenceBytes);
  } else if (e.type == "touch") {
    e.touches.push_back(read_touch(event, path, input_rules(rules, false)));
  } else {
    read_conversion(f, path, rules, e);
  }
  if (event.contains("credits")) {
    json kept = event;
    kept.erase("credits");
    e.body = kept.dump();
  } else {
    e.body = event.dump();
  }
  return e;
}

}  // namespace

ValidatedBatch validate_batch(const nlohmann::json& events, const IngestRules& rules) {
  ValidatedBatch batch;
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      batch.accepted.push_back(read_event(events[i], i, rules));
    } catch (const VouchException& ex) {
      json id = nullptr;
      if (events[i].is_object() && events[i].contains("id") && events[i]["id"].is_string())
        id = events[i]["id"];
      batch.rejected.push_back({id, i, ex.error()});
    }
  }
  return batch;
}

OrderRecord validate_server_order(const nlohmann::json& order, const IngestRules& rules) {
  InputRules input = input_rules(rules, false);
  input.default_at = rules.now;
  OrderInput checked = read_order(order, "", input);
  checked.verified = true;  // signed by the store's backend
  return {checked.order_id, checked.at, to_json(checked)};
}

RefundRecord validate_refund(const nlohmann::json& refund, const IngestRules& rules) {
  InputRules input = input_rules(rules, true);
  input.default_at = rules.now;
  RefundInput checked = read_refund(refund, "", input);
  return {checked.refund_id, checked.order.refund_of, checked.order.at, to_json(checked.order)};
}

}  // namespace vouch::server
