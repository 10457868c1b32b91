#pragma once
// Commissions: what each creator earned, line by line, and when it may be
// paid (docs/portal.md, "Commissions"). The ledger is:
//
//   one line per creator per verified order the attribution engine credits
//   (the engine's commission for that credit), and
//   one negative line per refund of such an order (its clawback, the
//   engine's rule: in proportion to the refunded part, never more than is
//   left, the refund that empties the order takes what is left).
//
// A line is pending until its order's refund window ends (order time +
// window; a clawback never before it happened), then approved, then paid
// once a payout holds it. Nothing here does I/O: the server stores the lines
// (storage/) and asks these functions what they mean at a given time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "attribution/attribution.hpp"
#include "common/time.hpp"

namespace vouch {

inline constexpr int kDefaultRefundWindowDays = 30;

enum class CommissionState { Pending, Approved, Paid };
std::string_view to_string(CommissionState state);

struct CommissionLine {
  std::string influencer;          // Influencer::id
  std::string order_id;            // the sale's order
  std::string refund_id;           // "" for the sale; the refund's id for its clawback
  Timestamp order_at = 0;          // when the sale was placed
  Timestamp at = 0;                // the sale: order_at; a clawback: when the refund happened
  std::int64_t revenue_minor = 0;  // credited revenue (negative on a clawback)
  std::int64_t amount_minor = 0;   // commission (negative on a clawback)
  std::string campaign;            // the campaign the sale was credited under, "" when none
  std::string src;                 // the source tag of the creator's last touch before the order, "" when none
  std::string payout;              // the payout that paid it, "" until paid

  bool clawback() const { return !refund_id.empty(); }
};

// When a line may be paid: the end of its order's refund window, and never
// before the line exists (a refund after the window is approved at once).
Timestamp approves_at(const CommissionLine& line, Timestamp refund_window_seconds);
CommissionState state_of(const CommissionLine& line, Timestamp refund_window_seconds, Timestamp now);

// Sums by state, clawbacks included (so "approved" is what a payout may pay now).
struct CommissionTotals {
  std::int64_t pending_minor = 0;
  std::int64_t approved_minor = 0;
  std::int64_t paid_minor = 0;
};
CommissionTotals totals_of(const std::vector<CommissionLine>& lines, Timestamp refund_window_seconds, Timestamp now);

// ---- Lines from the attribution engine -------------------------------------

// The sale lines of the verified, non-duplicate sales among `results` (as
// attribute(data, ...) returned them): one per credit with a commission or
// revenue. `touches` are the JSON touches given to `data` (in that order):
// a line's src is that of the creator's last link touch with a "src" on
// the visitor's path in the attribution window before the order.
std::vector<CommissionLine> sale_lines(const AttributionData& data, const std::vector<OrderAttribution>& results,
                                       const nlohmann::json& touches, Timestamp window_seconds);

// A refund of a recorded sale, as the ledger knows it.
struct RefundOfSale {
  std::string refund_id;
  Timestamp at = 0;
  std::optional<std::int64_t> amount_minor;  // > 0; absent: a cancellation (whatever is left)
};

// The clawback lines of `refund`. `order_lines` are the order's lines so far
// (its sales and the clawbacks of earlier refunds), `order_value_minor` the
// order's value and `refunded_before_minor` what earlier refunds took of it.
std::vector<CommissionLine> clawback_lines(const std::vector<CommissionLine>& order_lines,
                                           std::int64_t order_value_minor, std::int64_t refunded_before_minor,
                                           const RefundOfSale& refund);

// ---- Payouts ----------------------------------------------------------------

// A payout of one creator: the lines it pays and their sum.
struct PayoutPlan {
  std::string influencer;
  std::vector<CommissionLine> lines;
  std::int64_t amount_minor = 0;
};

// What a payout run pays a creator: the `selected` sales (by order id) among
// `unpaid` (the creator's unpaid lines), each approved at `now`, and every
// approved clawback of the creator, so no refund is left behind. Throws
// VouchException payout.not_approved (a selected sale still pending),
// payout.unknown_line (not an unpaid line of the creator) and
// payout.nothing_to_pay (the sum is not positive).
PayoutPlan plan_payout(const std::string& influencer, const std::vector<CommissionLine>& unpaid,
                       const std::vector<std::string>& selected_orders, Timestamp refund_window_seconds,
                       Timestamp now);

// The JSON of a line at `now`: {"order_id", "refund_id"|null, "kind": "sale"|"clawback",
// "state", "order_at", "at", "approves_at", "revenue", "amount", "campaign"|null, "src"|null,
// "payout"|null}; money in the currency's major units.
nlohmann::json to_json(const CommissionLine& line, const std::string& currency, Timestamp refund_window_seconds,
                       Timestamp now);

}  // namespace vouch
