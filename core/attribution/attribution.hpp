#pragma once
// Referral attribution and reports (engine 3): who earned each order.
// The rules (models, window, coupon-vs-link, fraud, commission, refunds) are
// documented in docs/attribution.md; this header is their typed form.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/interner.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "input/fields.hpp"
#include "input/json_tape.hpp"
#include "input/rules.hpp"

namespace vouch {

// The JSON entry points shared by the CLI, the server and the wasm boundary.
// touches, orders: JSON arrays of the Touch and Order shapes of PRODUCT.md;
// config: the attribution config (may be null or {}).
// attribute_json returns a JSON array, one result per order, in order; it
// throws VouchException ("touch.*", "order.*", "config.*") for bad input.
// report_json returns the per-influencer report with totals. A report always
// answers: an order it cannot attribute is listed in "unattributable_orders"
// with its error; only bad touches and a bad config throw.
nlohmann::json attribute_json(const Feed& feed, const nlohmann::json& touches,
                              const nlohmann::json& orders, const nlohmann::json& config,
                              Timestamp now);
nlohmann::json report_json(const Feed& feed, const nlohmann::json& touches,
                           const nlohmann::json& orders, const nlohmann::json& config);
// The same on recorded input (input/json_tape.hpp), as text is read;
// attribute_text gives attribute_json's array as the JSON text dump() writes.
std::string attribute_text(const Feed& feed, const JsonValue& touches, const JsonValue& orders,
                           const JsonValue& config, Timestamp now);
nlohmann::json report_json(const Feed& feed, const JsonValue& touches, const JsonValue& orders,
                           const JsonValue& config);

// ---------------------------------------------------------------------------
// The Touch, Order and refund contracts, read by one reader each on the input
// layer (input/fields.hpp): the engine, the CLI, the wasm module and `vouch
// serve` (at ingest) all call these, so what the server stores is what the
// report can attribute. Codes: touch.*, order.*, refund.*.

enum class TouchSource : std::uint8_t { Link, Coupon };

// What the caller's context adds to the contract.
struct InputRules {
  std::string currency;                // the store's: another currency is order.currency_mismatch
  bool refunds = true;                 // false: refund_of is order.refund_not_allowed
  std::optional<Timestamp> latest;     // a later "at" is *.invalid_time (clocks drift; the server allows a day)
  std::optional<Timestamp> default_at; // used when "at" is absent; without it "at" is required
};

// A touch as read, its texts pointing into the record it was read from.
struct TouchView {
  std::string_view visitor;
  Timestamp at = 0;
  TouchSource source = TouchSource::Link;            // "source" defaults to "link"
  std::string_view influencer, code, landing;         // "" when absent; influencer or code is required
  std::string_view src;                               // the link's source tag (kSourceTagRule), as written
};

struct TouchInput {
  std::string visitor;
  Timestamp at = 0;
  TouchSource source = TouchSource::Link;  // "source" defaults to "link"
  std::string influencer, code, landing;   // "" when absent; influencer or code is required
  std::string src;                         // the link's source tag (kSourceTagRule), lower case; "" when absent

  TouchInput() = default;
  explicit TouchInput(const TouchView& view);
};

struct OrderItem {
  std::string product;
  std::int64_t qty = 1;
  std::int64_t price_minor = 0;
};

struct OrderInput {
  std::string order_id;     // a string, or an integer written as one (1001 is "1001")
  std::string visitor;      // "" when absent
  Timestamp at = 0;
  std::string currency;     // the store's ("currency" may be omitted)
  std::optional<std::int64_t> value_minor;  // negative for a refund; absent for a cancellation
  std::vector<OrderItem> items;
  std::string coupon, customer, refund_of;  // "" when absent
  bool verified = true;     // false: reported by a shopper's browser, not signed by the store
};

// A refund or cancellation from the store's backend:
//   {"refund_id", "order_id", "amount"?, "currency"?, "at"?}
// "amount" > 0 refunds part of the order; without it the order is cancelled
// (everything not yet refunded comes back). It becomes the refund order the
// engine takes: {"order_id": "refund:<refund_id>", "refund_of": order_id,
// "value": -amount or null, ...}.
struct RefundInput {
  std::string refund_id;
  OrderInput order;
};

// The readers: faults go to `faults` (the caller's policy, in the reader's
// vocabulary), paths under `path`. The result is meaningful only when
// no fault was found.
TouchView read_touch(const JsonValue& touch, const std::string& path, const InputRules& rules, Faults& faults);
OrderInput read_order(const JsonValue& order, const std::string& path, const InputRules& rules, Faults& faults);
RefundInput read_refund(const JsonValue& refund, const std::string& path, const InputRules& rules, Faults& faults);

// The same on nlohmann's tree, throwing the first fault as a VouchException
// (the server's webhooks, the store integrations, tests).
TouchInput read_touch(const nlohmann::json& touch, const std::string& path, const InputRules& rules);
OrderInput read_order(const nlohmann::json& order, const std::string& path, const InputRules& rules);
RefundInput read_refund(const nlohmann::json& refund, const std::string& path, const InputRules& rules);

// The contract's JSON of a checked touch or order (what the server stores).
nlohmann::json to_json(const TouchInput& touch);
nlohmann::json to_json(const OrderInput& order);

// ---------------------------------------------------------------------------
// The typed API beneath the JSON entry points.

enum class AttributionModel { LastClick, FirstClick, Linear, TimeDecay, PositionBased };
std::string_view to_string(AttributionModel model);

// Whose orders the commission (and every flat money figure of the report) is
// computed on: orders signed by the store's backend, or orders reported by
// shoppers' browsers. Auto: verified when the report holds any verified order.
enum class CommissionBasis { Auto, Verified, Reported };

// A commission rule in integer units: percent in basis points (10% = 1000),
// or a fixed amount per order in the store currency's minor units.
struct CommissionRule {
  enum class Kind { Percent, Fixed };
  Kind kind = Kind::Percent;
  std::int64_t basis_points = 1000;
  std::int64_t fixed_minor = 0;
};

struct AttributionConfig {
  AttributionModel model = AttributionModel::LastClick;
  Timestamp window_seconds = 30 * kSecondsPerDay;
  double half_life_seconds = 7.0 * kSecondsPerDay;
  bool coupon_overrides_link = true;
  Timestamp click_injection_seconds = 10;  // 0 turns the check off
  std::int64_t flood_clicks = 20;          // this many link clicks from one visitor...
  Timestamp flood_seconds = 60;            // ...within this many seconds is a flood
  CommissionRule default_commission;       // 10% unless configured
  std::map<std::string, CommissionRule> commission_by_influencer;  // Influencer::id ->
  std::optional<Timestamp> from, to;                               // report range, inclusive
  CommissionBasis commission_basis = CommissionBasis::Auto;
};

// Reads the config object (null means all defaults). Throws config.* errors.
AttributionConfig parse_attribution_config(const JsonValue& config, const Feed& feed);
AttributionConfig parse_attribution_config(const nlohmann::json& config, const Feed& feed);

// One touch, resolved against the feed and interned: 32 bytes, so that a
// million touches fit in 40 MB.
struct Touch {
  std::uint32_t visitor = 0;     // AttributionData::visitors number
  Timestamp at = 0;
  std::int32_t influencer = -1;  // index into Feed::influencers, -1 when unknown
  std::int32_t unknown = -1;     // index into AttributionData::unknown_referrers
  std::uint32_t seq = 0;         // position in the input (line or array index)
  TouchSource source = TouchSource::Link;
  bool in_flood = false;         // set by attribute(): part of a click flood
};

// One click, seen again: a link touch of the same visitor, referrer and
// second as an earlier one is that click's copy from another page or site
// (the checkout site's from ?vouch_ref=, the shared cookie read on a sibling
// subdomain, a cart attribute), so it is dropped: it is not a second click
// in the report or the creator portal, nor a second share in a multi-touch
// model. `touches` are sorted by visitor and time; the kept touch keeps a
// copy's flood mark.
void drop_repeated_clicks(std::vector<Touch>& touches);

struct Order {
  std::string order_id;
  std::int64_t visitor = -1;  // AttributionData::visitors number, -1 when absent
  Timestamp at = 0;
  std::int64_t value_minor = 0;         // negative for refunds
  std::int32_t coupon_influencer = -1;  // resolved coupon, -1 when none or unknown
  std::int32_t unknown_coupon = -1;     // index into unknown_referrers
  std::string customer;                 // hash, "" when absent
  std::optional<std::string> refund_of;
  bool cancellation = false;            // a refund of whatever is left of the order
  bool verified = true;                 // signed by the store, not reported by a browser
  std::uint32_t seq = 0;
};

// An order a report could not attribute (it does not pass read_order), kept
// with the reason instead of failing the whole report.
struct UnattributableOrder {
  std::string order_id;  // "" when the order has none
  Error error;
};

// A code or influencer id that the feed does not know, and how often it came.
struct UnknownReferrer {
  std::string kind;  // "code" or "influencer"
  std::string value;
  std::int64_t touches = 0;
  std::int64_t orders = 0;
};

// Touches and orders parsed and interned, ready to attribute. Add touches
// and orders one at a time (streaming); index is the position reported in
// error paths: "/touches/<index>/at".
class AttributionData {
 public:
  explicit AttributionData(const Feed& feed);

  // Throw the touch's or the order's first fault (touch.*, order.*).
  void add_touch(const JsonValue& touch, std::size_t index);
  void add_order(const JsonValue& order, std::size_t index);
  // For reports: an order that add_order refuses is listed in `unattributable`
  // instead (false). Never throws.
  bool add_order_or_set_aside(const JsonValue& order, std::size_t index);
  void add_touch(const nlohmann::json& touch, std::size_t index);
  void add_order(const nlohmann::json& order, std::size_t index);
  void add_order_or_set_aside(const nlohmann::json& order, std::size_t index);

  // One line of a JSON lines input, line `index` (0-based) of `source` (the
  // CLI's files, the wasm session's chunks), read into a reused record; a
  // blank line is skipped. A bad touch line throws (touch.*, or the line's
  // parse error); an order line that is not JSON or not an order is set
  // aside, as a report does. Attributing (not reporting) refuses set-aside
  // orders: refuse_set_aside() throws the first, so `vouch attribute`, `vouch
  // report` and the wasm session agree line for line.
  void add_touch_line(std::string_view line, std::size_t index, std::string_view source);
  void add_order_line(std::string_view line, std::size_t index, std::string_view source);
  void refuse_set_aside() const;

  const Feed& feed() const { return *feed_; }
  std::vector<Touch> touches;
  std::vector<Order> orders;
  Interner visitors;  // visitor ids, numbered as first seen
  std::vector<UnknownReferrer> unknown_referrers;
  std::vector<UnattributableOrder> unattributable;

 private:
  // What a referrer (an influencer id, or a code) resolved to: an influencer,
  // or an unknown referrer.
  struct Referrer {
    std::int32_t influencer = -1;
    std::int32_t unknown = -1;
  };
  // How a referrer is written: an influencer id, what a ?ref= carried (a
  // code, a handle or an id), an order's coupon (a code).
  enum ReferrerKind : std::size_t { kById, kByRef, kByCoupon, kReferrerKinds };

  Referrer resolve(ReferrerKind kind, std::string_view value);
  std::int32_t note_unknown(const std::string& kind, const std::string& value);
  const std::string& path_of(const char* array, std::size_t index);
  void add_checked_order(OrderInput order, std::size_t index);

  const Feed* feed_;
  InputRules rules_;
  std::array<Interner, kReferrerKinds> referrer_names_;  // each referrer as written,
  std::array<std::vector<Referrer>, kReferrerKinds> referrers_;  // and what it resolved to
  std::unordered_map<std::string, std::int32_t> unknown_ids_;  // kind + ":" + lower(value)
  std::unordered_map<std::string, std::int32_t> handles_;      // lower-cased handle -> influencer
  std::string path_;                        // "/touches/<index>", reused
  JsonTape scratch_;                        // a value of nlohmann's tree, or a line, recorded
};

struct Credit {
  std::int32_t influencer = -1;     // index into Feed::influencers
  std::int64_t share_ppm = 0;       // share in millionths; the credits of an order sum to 1e6
  std::int64_t revenue_minor = 0;   // the credits of an order sum to its value
  std::int64_t commission_minor = 0;
};

struct OrderAttribution {
  std::string order_id;
  Timestamp at = 0;
  std::int64_t value_minor = 0;
  std::string model;  // a model name, "coupon", "refund" or "none"
  std::vector<Credit> credits;
  std::vector<std::string> flags;  // sorted
  std::vector<std::string> reasons;
  bool duplicate = false;
  bool refund = false;
  bool verified = true;  // a refund is on the side of the order it refunds
};

// Attributes every order, in input order. Sorts data.touches by visitor and
// time (the index) and marks floods; memory beyond the input is O(visitors).
std::vector<OrderAttribution> attribute(AttributionData& data, const AttributionConfig& config,
                                        Timestamp now);

// Appends the result's JSON to `out` (the bytes nlohmann's dump() would
// write for it: the CLI's lines, the wasm engine's array), through one
// reusable buffer and no tree.
void write_json(const OrderAttribution& result, const Feed& feed, std::string& out);

// The report: one row per influencer of the feed, totals, unknown referrers.
nlohmann::json build_report(const AttributionData& data,
                            const std::vector<OrderAttribution>& results,
                            const AttributionConfig& config);

// Attributes every order into the JSON array of attribute_json, as text, for
// data added piece by piece (the wasm engine's attribution sessions).
std::string attribute_to_text(AttributionData& data, const AttributionConfig& config, Timestamp now);

// Attributes and reports in one go. The report has no clock of its own:
// "now" is the end of the range (config.to), or the last event.
nlohmann::json attribute_and_report(AttributionData& data, const AttributionConfig& config);

// ---------------------------------------------------------------------------
// Pieces exposed for tests.

// Weight of each touch of a path (sorted oldest first) under a model; not
// normalised. age_seconds[i] = order time - touch time.
std::vector<double> model_weights(AttributionModel model, const std::vector<Timestamp>& age_seconds,
                                  double half_life_seconds);

// Largest-remainder apportionment (Hamilton's method): splits total into
// parts proportional to weights that sum exactly to total. Ties in the
// remainder go to the lower index. total may be negative (split |total|,
// negated). weights must be >= 0 with a positive sum.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights);
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<std::int64_t>& weights);

// Commission for one credit, rounded half away from zero.
std::int64_t commission_for(const CommissionRule& rule, std::int64_t revenue_minor,
                            std::int64_t share_ppm);

// What a refund takes back of an order with `value_left_minor` not yet
// refunded: `requested_minor` (> 0), or all that is left when absent (a
// cancellation); never more than is left (`exceeded` then).
struct RefundedAmount {
  std::int64_t minor = 0;
  bool exceeded = false;
};
RefundedAmount refunded_amount(std::optional<std::int64_t> requested_minor, std::int64_t value_left_minor);

// The commission a refund of `amount_minor` claws back of one credit's
// `commission_minor`, of which `left_minor` is not yet clawed back, on an
// order of `value_minor` with `value_left_after_minor` not refunded after
// this refund: commission × amount / value rounded half up, never more than
// is left; all that is left once the order is emptied.
std::int64_t clawback_for(std::int64_t commission_minor, std::int64_t left_minor, std::int64_t amount_minor,
                          std::int64_t value_minor, std::int64_t value_left_after_minor);

}  // namespace vouch
