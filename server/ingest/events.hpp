#pragma once
// What browsers and store backends send: event batches (POST /v1/events),
// server orders (POST /v1/orders) and refunds (POST /v1/refunds). Touches
// and orders are checked by the attribution engine's own validators
// (read_touch, read_order, read_refund in core/attribution), so what is
// stored is exactly what the report can attribute. Each event is judged
// alone: one bad event never costs the good ones of its batch.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "records.hpp"

namespace vouch::server {

struct IngestRules {
  std::string currency;                  // the store's (from the feed)
  Timestamp now = 0;
  Timestamp max_future_seconds = 86400;  // clocks drift; a day ahead is a lie
};

struct RejectedEvent {
  nlohmann::json id;  // the event's id, or null when it had none
  std::size_t index = 0;
  Error error;        // code, path (a JSON Pointer into the batch) and message
};

struct ValidatedBatch {
  std::vector<EventRecord> accepted;
  std::vector<RejectedEvent> rejected;
  std::size_t count = 0;  // events in the batch
};

struct BatchLimits {
  std::size_t max_bytes = 64u << 10;
  std::size_t max_depth = 16;
  std::size_t max_events = 100;
};

// Reads a batch body {"events": [...]}: each event is judged as the parser
// reaches it, never as a tree of the whole body. False and `error` for a body
// that is no batch: events.too_large, events.invalid_utf8, events.too_deep,
// events.parse_error (path ""), events.invalid_batch, events.too_many (path
// "/events"); nothing of it is to be stored.
bool read_batch(std::string_view body, const IngestRules& rules, const BatchLimits& limits, ValidatedBatch& batch,
                Error& error);

// The same for events already in nlohmann's tree (the fuzz properties).
ValidatedBatch validate_batch(const nlohmann::json& events, const IngestRules& rules);

// One Order JSON (PRODUCT.md) from the store's backend: verified, "at"
// defaults to now, refund_of is refused (refunds have their own endpoint).
// Throws VouchException (order.*) with a JSON Pointer path.
OrderRecord validate_server_order(const nlohmann::json& order, const IngestRules& rules);

// One refund or cancellation from the store's backend (read_refund). Throws
// VouchException (refund.*).
RefundRecord validate_refund(const nlohmann::json& refund, const IngestRules& rules);

}  // namespace vouch::server
