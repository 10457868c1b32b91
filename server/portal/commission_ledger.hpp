#pragma once
// Keeps the commission ledger (core/commissions, CommissionStore) up to date
// with the orders and refunds the store holds, and answers what creators and
// the owner ask of it (docs/portal.md, "Commissions").
//
// The ledger reads each signed order once: the attribution engine credits it
// from the touches stored by then (the same engine, config and rules as the
// report), and each credited creator gets a line at that commission. Each
// refund of a read order is read once too, after its order: a clawback line
// per creator of the sale, by the engine's rule. Reading is idempotent (the
// orders and refunds read are recorded in the same transaction as their
// lines), so several instances may catch up at once.
#include <string>

#include <nlohmann/json.hpp>

#include "attribution/attribution.hpp"
#include "commissions/commissions.hpp"
#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

// What the ledger's reading needs besides the store.
struct LedgerRules {
  const Feed& feed;
  const AttributionConfig& config;
};

// Reads up to `batches` batches of new orders (500 each), then the new
// refunds. Returns the lines recorded.
int catch_up_commissions(Store& store, const LedgerRules& rules, Timestamp now, int batches = 4);

// A creator's balances at `now` (every line, whatever its time).
CommissionTotals balances_of(CommissionStore& store, const std::string& influencer, Timestamp refund_window_seconds,
                             Timestamp now);

// {"currency", "refund_window_days", "totals": {pending, approved, paid}, "lines": [...]}: the
// creator's lines with at in [from, to), newest first, and their balances.
nlohmann::json commissions_document(CommissionStore& store, const std::string& influencer, const std::string& currency,
                                    const PortalSettings& settings, Timestamp from, Timestamp to, Timestamp now);

// {"minimum", "next_amount", "can_request", "open_request", "history": [...]}: a creator's payouts.
nlohmann::json payouts_document(CommissionStore& store, const std::string& influencer, const std::string& currency,
                                const PortalSettings& settings, Timestamp now);

nlohmann::json to_json(const PayoutRecord& payout);

}  // namespace vouch::server
