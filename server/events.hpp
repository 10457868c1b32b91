#pragma once
// Validation of what browsers and store backends send: event batches
// (POST /v1/events) and server orders (POST /v1/orders). Each event is
// judged alone, so one bad event never costs the good ones of its batch.
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "store.hpp"

namespace vouch::server {

struct BatchLimits {
  std::size_t max_bytes = 64u << 10;  // whole body: 64 KiB
  std::size_t max_events = 100;
  Timestamp max_future_seconds = 86400;  // clocks drift; a day ahead is a lie
};

struct RejectedEvent {
  nlohmann::json id;  // the event's id, or null when it had none
  std::size_t index = 0;
  std::string code;
  std::string message;
};

struct ValidatedBatch {
  std::vector<EventRecord> accepted;
  std::vector<RejectedEvent> rejected;
};

// Validates the events of a parsed batch {"events": [...]}. The caller has
// checked the body size and the events count. `now` bounds times from above.
ValidatedBatch validate_batch(const nlohmann::json& events, Timestamp now,
                              const BatchLimits& limits = {});

// Validates one Order JSON (PRODUCT.md) from the store's backend. A missing
// "at" means now. Throws VouchException (order.*) with a JSON Pointer path.
OrderRecord validate_server_order(const nlohmann::json& order, Timestamp now,
                                  const BatchLimits& limits = {});

}  // namespace vouch::server
