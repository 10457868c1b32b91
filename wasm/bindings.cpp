// The WebAssembly boundary, declared with Embind: an Engine class, an
// AttributionSession class, the error type, and Bytes, the buffer JSON
// crosses in. Nothing here is public API: web/src/engine.js wraps it, owns
// every object made here and deletes it.
//
// JSON crosses as UTF-8 bytes in typed memory views, both ways: engine.js
// writes each input into a Bytes object's Uint8Array (one native copy; the
// module allocates it, so a payload too large for memory is an error, not a
// crash), and every method returns either the engine's JSON text as a
// Uint8Array over the object's own result buffer (engine.js decodes it at
// once: it is valid until the object's next call) or an Error {code, path,
// message}. The clock crosses as a std::string. Errors are values, never
// thrown to JS: Embind 3.1.6 does not free a call's arguments when the call
// throws, and a C++ exception reaches JS as an opaque WebAssembly.Exception.
//
// It is compiled into two modules (wasm/CMakeLists.txt): the storefront
// module (feed + social proof: what a shopper's page needs) and, with
// VOUCH_WASM_MERCHANT=1, the module that adds match, attribute, report and
// attribution sessions for the dashboard and node. The storefront module is
// built without exceptions (-fno-exceptions: 9 KB gzip less), so its calls
// use the core's entry points that return errors as values; the merchant
// engines throw VouchException, which one catch ladder turns into an Error.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "input/json_input.hpp"
#include "input/json_tape.hpp"
#include "common/json_output.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "social_proof/social_proof.hpp"
#if VOUCH_WASM_MERCHANT
#include "attribution/attribution.hpp"
#include "matching/matching.hpp"
#endif

#if VOUCH_WASM_MERCHANT && !__cpp_exceptions
#error "the merchant engines report bad input by throwing: build their module with -fwasm-exceptions"
#endif

namespace vouch::wasm {
namespace {

using emscripten::val;
using nlohmann::json;

// A page-sized budget for the small inputs (queries, briefs, configs); the
// bulk inputs (touches, orders) keep the core's default limit. The browser
// has far less memory to spare than the CLI.
constexpr JsonInputLimits kSmallInputLimits{.max_bytes = 1u << 20, .max_depth = 32};

// "" means the current time, as for the CLI without --now. std::time rather
// than std::chrono::system_clock, which would link libc++'s system_error and
// with it printf (docs/wasm.md, Size).
std::optional<Timestamp> parse_now(const std::string& now, Error& error) {
  if (now.empty()) return static_cast<Timestamp>(std::time(nullptr));
  std::optional<Timestamp> t = parse_rfc3339(now);
  if (!t)
    error = {"input.invalid_now", "",
             "now must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got " + quote_for_message(now)};
  return t;
}

#if __cpp_exceptions
// What the merchant engines throw, as an Error. Called from inside a catch
// block; the ladder exists once.
[[gnu::noinline]] Error error_for_current_exception() {
  try {
    throw;
  } catch (const VouchException& e) {
    return e.error();
  } catch (const std::bad_alloc&) {
    return {"internal.out_of_memory", "", "the engine ran out of memory"};
  } catch (const json::exception& e) {
    return {"internal.json", "", e.what()};
  } catch (const std::exception& e) {
    return {"internal.error", "", e.what()};
  } catch (...) {
    return {"internal.error", "", "unknown failure inside the engine"};
  }
}
#endif

// A Uint8Array over `bytes`: valid until the module's memory grows.
val view_of(const char* bytes, std::size_t size) {
  return val(emscripten::typed_memory_view(size, reinterpret_cast<const unsigned char*>(bytes)));
}

// Runs body(). In the module built with exceptions, whatever it throws
// becomes `error`, and false; the storefront module's paths throw nothing.
template <typename Body>
bool catching(Body&& body, Error& error) {
#if __cpp_exceptions
  try {
    body();
  } catch (...) {
    error = error_for_current_exception();
    return false;
  }
#else
  body();
  (void)error;
#endif
  return true;
}

// The one error boundary. `body(error)` returns the call's result (a tree, or
// JSON text), or nullopt with `error` set (or throws, in the merchant module).
// The result's compact JSON, byte for byte what the CLI prints, is kept in
// `buffer` and shown to JS as a Uint8Array over it; an error goes to JS as an Error.
template <typename Body>
val reply(std::string& buffer, Body&& body) {
  Error error;
  bool ok = false;
  catching(
      [&] {
        if (auto result = body(error)) {
          // JSON text as is (what core wrote through one buffer), or a tree dumped.
          if constexpr (std::is_same_v<std::decay_t<decltype(*result)>, std::string>)
            buffer = std::move(*result);
          else
            buffer = result->dump();
          ok = true;
        }
      },
      error);
  if (ok) return view_of(buffer.data(), buffer.size());
  buffer.clear();
  return val(error);
}

json feed_counts(const Feed& feed) {
  json counts = json::object();
  put_int(counts, "products", static_cast<std::int64_t>(feed.products.size()));
  put_int(counts, "influencers", static_cast<std::int64_t>(feed.influencers.size()));
  put_int(counts, "endorsements", static_cast<std::int64_t>(feed.endorsements.size()));
  put_int(counts, "ugc", static_cast<std::int64_t>(feed.ugc.size()));
  return counts;
}

}  // namespace

// Bytes that JS writes into the module's memory through a typed memory view:
// how every JSON input crosses (a feed, a query, a chunk of touches). malloc,
// not new: a size the module cannot hold is a null view, not an abort.
class Bytes {
 public:
  explicit Bytes(std::size_t size) : data_(static_cast<char*>(std::malloc(size == 0 ? 1 : size))) {
    if (data_) size_ = size;
  }
  ~Bytes() { std::free(data_); }
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;

  // A Uint8Array to fill, or null when the module has no memory for it.
  val view() { return data_ ? view_of(data_, size_) : val::null(); }

  std::string_view text() const { return {data_, size_}; }

 private:
  char* data_;
  std::size_t size_ = 0;
};

// A loaded feed, and what social proof prepared of it: built at the first
// socialProof call (a merchant page that only matches never pays for it),
// kept for the engine's lifetime so that moderation and shingling run once
// per product, not once per query. A refused feed is kept as its errors,
// which validate() reports and every other call returns.
class Engine {
 public:
  explicit Engine(const Bytes& feed) {
    Error error;
    if (!catching([&] { loaded_ = load_feed(feed.text()); }, error)) loaded_.errors = {error};
    if (loaded_.feed) feed_ = std::make_shared<const Feed>(std::move(*loaded_.feed));
    loaded_.feed.reset();
  }

  // The same document as `vouch validate FEED --json`.
  val validate() {
    return reply(result_, [&](Error&) -> std::optional<json> {
      json out = json::object();
      put_bool(out, "valid", feed_ != nullptr);
      put(out, "errors", loaded_.errors);
      put_bool(out, "truncated", loaded_.truncated);
      if (feed_) put(out, "counts", feed_counts(*feed_));
      return out;
    });
  }

  // The query carries its own "now" (social_proof.hpp); a query without one
  // gets the caller's, as the CLI does with --now.
  val social_proof(const Bytes& query_text, const std::string& now) {
    return reply(result_, [&](Error& error) -> std::optional<json> {
      if (!feed_) {
        error = loaded_.errors.front();
        return std::nullopt;
      }
      if (!read_json_input(query_text.text(), "query", kSmallInputLimits, input_, error)) return std::nullopt;
      std::optional<Timestamp> at;
      if (auto given = input_.root().find("now"); input_.root().is_object() && (!given || given->is_null()))
        if (at = parse_now(now, error); !at) return std::nullopt;
      if (!social_proof_) social_proof_ = std::make_unique<SocialProofIndex>(*feed_);
      return social_proof_json(*social_proof_, input_.root(), error, at);
    });
  }

#if VOUCH_WASM_MERCHANT
  val match(const Bytes& brief_text, const std::string& now) {
    return reply(result_, [&](Error& error) -> std::optional<json> {
      read_json_input(brief_text.text(), "brief", input_, kSmallInputLimits);
      std::optional<Timestamp> at = parse_now(now, error);
      if (!at) return std::nullopt;
      return match_json(feed(), input_.root(), *at);
    });
  }

  // The bulk inputs (touches, orders) keep the core's default limit.
  val attribute(const Bytes& touches_text, const Bytes& orders_text, const Bytes& config_text,
                const std::string& now) {
    return reply(result_, [&](Error& error) -> std::optional<std::string> {
      JsonTape touches, orders, config;
      read_json_input(touches_text.text(), "touches", touches);
      read_json_input(orders_text.text(), "orders", orders);
      read_json_input(config_text.text(), "config", config, kSmallInputLimits);
      std::optional<Timestamp> at = parse_now(now, error);
      if (!at) return std::nullopt;
      return attribute_text(feed(), touches.root(), orders.root(), config.root(), *at);
    });
  }

  val report(const Bytes& touches_text, const Bytes& orders_text, const Bytes& config_text) {
    return reply(result_, [&](Error&) -> std::optional<json> {
      JsonTape touches, orders, config;
      read_json_input(touches_text.text(), "touches", touches);
      read_json_input(orders_text.text(), "orders", orders);
      read_json_input(config_text.text(), "config", config, kSmallInputLimits);
      return report_json(feed(), touches.root(), orders.root(), config.root());
    });
  }

  // The feed, shared with the attribution sessions opened on it, so that a
  // session outlives its engine safely whatever order JS deletes them in.
  // Throws the load's first error when the feed was refused.
  const std::shared_ptr<const Feed>& shared_feed() const {
    if (!feed_) throw_error(loaded_.errors.front());
    return feed_;
  }

 private:
  const Feed& feed() const { return *shared_feed(); }
#else
 private:
#endif

  FeedLoadResult loaded_;  // its errors and truncated; the feed moves to feed_
  std::shared_ptr<const Feed> feed_;
  std::unique_ptr<SocialProofIndex> social_proof_;  // points into *feed_
  JsonTape input_;  // the last query or brief, its buffers reused
  std::string result_;
};

#if VOUCH_WASM_MERCHANT
// Attribution in chunks, for journeys too large for one call (a million
// touches are ~150 MB of JSON; one JSON tree of them would not fit): add
// touches and orders as JSON lines, then attribute or report, which ends the
// session. A bad line ends it too: the error names the line and the element
// ("/touches/123456/at"), counted across chunks as in one file.
class AttributionSession {
 public:
  explicit AttributionSession(const Engine& engine) {
    try {
      feed_ = engine.shared_feed();
      data_.emplace(*feed_);
    } catch (...) {
      ended_ = error_for_current_exception();
    }
  }

  // -> {"touches": N, "orders": M} so far.
  val add_touches(const Bytes& lines) { return add(false, lines.text()); }
  val add_orders(const Bytes& lines) { return add(true, lines.text()); }

  // End the session with the results of attribute, or with the report.
  val attribute(const Bytes& config, const std::string& now) {
    return finish(config, [&](AttributionData& data, const AttributionConfig& parsed) {
      Error error;
      std::optional<Timestamp> at = parse_now(now, error);
      if (!at) throw_error(std::move(error));
      data.refuse_set_aside();
      return attribute_to_text(data, parsed, *at);
    });
  }
  val report(const Bytes& config) {
    return finish(config, [](AttributionData& data, const AttributionConfig& parsed) {
      return attribute_and_report(data, parsed);
    });
  }

 private:
  AttributionData& data() {
    if (!data_) throw_error(ended_);
    return *data_;
  }

  // Ends the session: what it held is freed, later calls get `why`.
  void end(Error why) {
    data_.reset();
    ended_ = std::move(why);
  }

  // Lines as std::getline reads a file: a final '\n' ends the last line. An
  // order line that cannot be attributed is set aside, as `vouch report` and
  // `vouch attribute` do (attribute() then refuses it); a bad touch line ends
  // the session.
  val add(bool orders, std::string_view text) {
    return reply(result_, [&](Error&) -> std::optional<json> {
      AttributionData& session = data();
      std::size_t& lines = orders ? order_lines_ : touch_lines_;
      try {
        while (!text.empty()) {
          std::size_t stop = text.find('\n');
          std::string_view line = text.substr(0, stop);
          text.remove_prefix(stop == std::string_view::npos ? text.size() : stop + 1);
          if (orders)
            session.add_order_line(line, lines, "the orders");
          else
            session.add_touch_line(line, lines, "the touches");
          ++lines;
        }
      } catch (...) {
        end(kEndedByError);
        throw;
      }
      json out = json::object();
      put_int(out, "touches", static_cast<std::int64_t>(session.touches.size()));
      put_int(out, "orders", static_cast<std::int64_t>(session.orders.size()));
      if (!session.unattributable.empty())
        put_int(out, "unattributable", static_cast<std::int64_t>(session.unattributable.size()));
      return out;
    });
  }

  template <typename Result>
  val finish(const Bytes& config_text, Result&& result) {
    return reply(result_, [&](Error&) {
      AttributionData& session = data();
      try {
        read_json_input(config_text.text(), "config", config_, kSmallInputLimits);
        auto out = result(session, parse_attribution_config(config_.root(), *feed_));
        end(kEndedByResult);
        return std::optional(std::move(out));
      } catch (...) {
        end(kEndedByError);
        throw;
      }
    });
  }

  inline static const Error kEndedByResult{
      "engine.unknown_session", "", "the attribution session has ended: it gave its result"};
  inline static const Error kEndedByError{
      "engine.unknown_session", "", "the attribution session has ended: a call on it failed"};

  std::shared_ptr<const Feed> feed_;
  std::optional<AttributionData> data_;  // nullopt once the session has ended
  Error ended_;                          // why data_ is empty
  std::size_t touch_lines_ = 0;          // every line so far, blank ones too, so
  std::size_t order_lines_ = 0;          // that line k of a chunk is element lines + k
  JsonTape config_;
  std::string result_;
};
#endif  // VOUCH_WASM_MERCHANT

}  // namespace vouch::wasm

EMSCRIPTEN_BINDINGS(vouch) {
  using namespace emscripten;
  using namespace vouch::wasm;
  value_object<vouch::Error>("Error")
      .field("code", &vouch::Error::code)
      .field("path", &vouch::Error::path)
      .field("message", &vouch::Error::message);
  class_<Bytes>("Bytes").constructor<std::size_t>().function("view", &Bytes::view);
  class_<Engine>("Engine")
      .constructor<const Bytes&>()
      .function("validate", &Engine::validate)
      .function("socialProof", &Engine::social_proof)
#if VOUCH_WASM_MERCHANT
      .function("match", &Engine::match)
      .function("attribute", &Engine::attribute)
      .function("report", &Engine::report)
#endif
      ;
#if VOUCH_WASM_MERCHANT
  class_<AttributionSession>("AttributionSession")
      .constructor<const Engine&>()
      .function("addTouches", &AttributionSession::add_touches)
      .function("addOrders", &AttributionSession::add_orders)
      .function("attribute", &AttributionSession::attribute)
      .function("report", &AttributionSession::report);
#endif
}
