// The event batch's reader: {"events": [...]} streamed by nlohmann's SAX
// parser, each event recorded alone (input/json_tape.hpp) and judged alone by
// the input layer's rules (input/fields.hpp), touches and orders by the
// attribution engine's own readers.
#include "events.hpp"

#include "input/json_input.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxItems = 100;    // ids of an impression
constexpr std::size_t kMaxTouches = 50;   // touches carried by a conversion

// event.*: every fault of a field's value is an invalid field.
const Vocabulary kEventVocabulary = {
    "event", {"missing_field", "invalid_field", "invalid_field", "invalid_field", "invalid_field", "invalid_time", "invalid_field"}};

InputRules input_rules(const IngestRules& rules, bool refunds) {
  InputRules r;
  r.currency = rules.currency;
  r.refunds = refunds;
  r.latest = rules.now + rules.max_future_seconds;
  return r;
}

// A text of 1..max_bytes bytes, "" when absent (reported when required).
std::string text(FieldReader& r, const JsonValue& event, const std::string& path, std::string_view key, bool required,
                 std::size_t max_bytes) {
  std::string value = r.string(event, path, key, required, {}, max_bytes);
  if (!required && value.empty() && event.find(key) && !event.find(key)->is_null())
    r.fail(Fault::InvalidValue, child_path(path, key), "must not be empty");
  return value;
}

// A conversion: the browser's report of an order, with the touches it saw.
// The order's visitor and time are the event's; it is never verified and
// never a refund. The browser engine's "credits" are not kept: the server
// attributes from the touches.
void read_conversion(FieldReader& r, const JsonValue& event, const std::string& path, const IngestRules& rules,
                     EventRecord& e) {
  std::optional<JsonValue> order = r.member(event, path, "order", true);
  if (!order) return;
  // The order as sent, with the event's visitor and time.
  json with_event = order->to_json();
  if (with_event.is_object()) {
    with_event["visitor"] = e.visitor;
    with_event["at"] = format_rfc3339(e.at);
  }
  JsonTape tape;
  record_json(with_event, tape);
  OrderInput input = read_order(tape.root(), child_path(path, "order"), input_rules(rules, false), r.faults());
  input.verified = false;
  e.order = OrderRecord{input.order_id, input.at, to_json(input)};
  std::optional<JsonValue> touches = r.member(event, path, "touches", false);
  if (!touches) return;
  if (!touches->is_array() || touches->size() > kMaxTouches) {
    r.fail(Fault::InvalidValue, child_path(path, "touches"),
           "must be an array of at most " + std::to_string(kMaxTouches) + " touches");
    return;
  }
  std::size_t i = 0;
  for (JsonValue touch : touches->elements()) {
    json one = touch.to_json();
    if (one.is_object() && (!one.contains("visitor") || one["visitor"].is_null())) one["visitor"] = e.visitor;
    record_json(one, tape);
    e.touches.emplace_back(read_touch(tape.root(), child_path(child_path(path, "touches"), i++),
                                      input_rules(rules, false), r.faults()));
  }
}

// What an event of each type carries besides id, type, at and visitor.
void read_type_fields(FieldReader& r, const JsonValue& event, const std::string& path, const IngestRules& rules,
                      EventRecord& e) {
  if (e.type == "impression") {
    text(r, event, path, "placement", true, kMaxReferenceBytes);
    text(r, event, path, "product", false, kMaxReferenceBytes);
    if (auto items = r.member(event, path, "items", false)) {
      std::string p = child_path(path, "items");
      if (!items->is_array() || items->size() > kMaxItems)
        r.fail(Fault::InvalidValue, p, "must be an array of at most " + std::to_string(kMaxItems) + " ids");
      else
        for (JsonValue id : items->elements())
          if (!id.is_string() || id.string().size() > kMaxReferenceBytes) r.fail(Fault::InvalidValue, p, "must hold only id strings");
    }
  } else if (e.type == "click") {
    text(r, event, path, "placement", true, kMaxReferenceBytes);
    text(r, event, path, "target", true, kMaxLandingBytes);
    text(r, event, path, "product", false, kMaxReferenceBytes);
  } else if (e.type == "helpful_vote") {
    text(r, event, path, "ugc", true, kMaxReferenceBytes);
  } else if (e.type == "touch") {
    e.touches.emplace_back(read_touch(event, path, input_rules(rules, false), r.faults()));
  } else if (e.type == "conversion") {
    read_conversion(r, event, path, rules, e);
  }
}

// The event as received, compact, without the browser's "credits".
std::string stored_body(const JsonValue& event) {
  json kept = event.to_json();
  kept.erase("credits");
  return kept.dump();
}

// One event, judged alone: the record, or its first fault.
std::optional<EventRecord> read_event(const JsonValue& event, std::size_t index, const IngestRules& rules, Error& error) {
  std::string path = "/events/" + std::to_string(index);
  Faults faults(kEventVocabulary, FaultPolicy::First);
  FieldReader r(faults);
  EventRecord e;
  if (!event.is_object()) {
    faults.add("not_object", path, r.name(path) + " must be a JSON object, got " + describe_json_value(event));
  } else {
    std::optional<JsonValue> id = event.find("id");
    if (id && id->is_string() && is_visible_ascii(id->string(), kMaxIdBytes))
      e.id = id->string();
    else
      faults.add("invalid_id", child_path(path, "id"),
                 r.name(child_path(path, "id")) + " must be 1 to " + std::to_string(kMaxIdBytes) +
                     " visible ASCII characters, got " + (id ? describe_json_value(*id) : std::string("nothing")));
    static constexpr std::string_view kTypes[] = {"impression", "click", "helpful_vote", "touch", "conversion"};
    if (auto type = r.choice(event, path, "type", true, {kTypes[0], kTypes[1], kTypes[2], kTypes[3], kTypes[4]},
                             "unknown_type"))
      e.type = kTypes[*type];
    e.at = r.optional_time(event, path, "at", true, false, rules.now + rules.max_future_seconds).value_or(0);
    e.visitor = text(r, event, path, "visitor", true, kMaxReferenceBytes);
    if (!faults.any()) read_type_fields(r, event, path, rules, e);
  }
  if (faults.any()) {
    error = faults.errors().front();
    return std::nullopt;
  }
  e.body = stored_body(event);
  return e;
}

// The batch's parse: the events streamed, each judged as it completes.
class BatchReader : public JsonElementStream {
 public:
  BatchReader(const IngestRules& rules, std::size_t max_events, ValidatedBatch& batch)
      : rules_(rules), max_events_(max_events), batch_(batch) {}

  bool streams(std::string_view key) override {
    if (key != "events") return false;
    batch_ = {};  // the last "events", as nlohmann's tree keeps it
    return true;
  }
  JsonTape& element_tape() override { return event_; }
  bool element(std::string_view /*key*/, std::size_t index, JsonValue event) override {
    ++batch_.count;
    if (batch_.count > max_events_) return true;  // counted for the error, not judged
    Error error;
    if (auto e = read_event(event, index, rules_, error)) {
      batch_.accepted.push_back(std::move(*e));
    } else {
      std::optional<JsonValue> id = event.find("id");
      batch_.rejected.push_back({id && id->is_string() ? json(std::string(id->string())) : json(nullptr), index, error});
    }
    return true;
  }

 private:
  const IngestRules& rules_;
  std::size_t max_events_;
  ValidatedBatch& batch_;
  JsonTape event_;
};

}  // namespace

bool read_batch(std::string_view body, const IngestRules& rules, const BatchLimits& limits, ValidatedBatch& batch,
                Error& error) {
  batch = {};
  BatchReader reader(rules, limits.max_events, batch);
  JsonTape root;
  JsonLimits record_limits;
  record_limits.max_depth = limits.max_depth;
  JsonRecorder recorder(root, record_limits, nullptr, "events", &reader);
  if (!read_json_input(body, "events", limits.max_bytes, limits.max_depth, recorder, error)) return false;
  std::optional<JsonValue> events = root.root().find("events");
  if (!events || !events->is_array()) {
    error = {"events.invalid_batch", "/events", "the body must be {\"events\": [...]}"};
    return false;
  }
  if (batch.count > limits.max_events) {
    error = {"events.too_many", "/events",
             "a batch may hold at most " + std::to_string(limits.max_events) + " events, got " + std::to_string(batch.count)};
    return false;
  }
  return true;
}

ValidatedBatch validate_batch(const nlohmann::json& events, const IngestRules& rules) {
  ValidatedBatch batch;
  JsonTape tape;
  for (std::size_t i = 0; i < events.size(); ++i) {
    record_json(events[i], tape);
    BatchReader(rules, SIZE_MAX, batch).element("events", i, tape.root());
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
