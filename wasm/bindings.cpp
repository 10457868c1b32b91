// The WebAssembly boundary: a handful of plain C functions, JSON text in and
// JSON text out, integer handles for loaded feeds, and one error boundary.
// Nothing here is public API: web/src/engine.js wraps it.
//
// Every function takes its texts as (UTF-8 pointer, byte length) pairs that
// the caller allocated with malloc and frees after the call, and returns a
// pointer to the result text, whose length vouch_result_size() gives; the
// text stays valid until the next call. The result is either
//   {"ok":true,"result":<the engine's JSON>}
// or
//   {"ok":false,"error":{"code","path","message"}}   (+ "errors" for a bad feed)
// and no exception (a bare number in JS) ever escapes.
//
// Plain exports rather than Embind: every value crossing is a number or UTF-8
// bytes, so Embind's type machinery bought nothing, and it cost ~4 KB gzip of
// glue and registration code in a module with an 80 KB budget (docs/wasm.md).
//
// It is compiled into two modules (wasm/CMakeLists.txt): the storefront
// module (feed + social proof: what a shopper's page needs) and, with
// VOUCH_WASM_MERCHANT=1, the module that adds match, attribute and report for
// the dashboard, the order page and node.
#include <emscripten/emscripten.h>

#include <ctime>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/json_input.hpp"
#include "common/json_output.hpp"
#include "common/time.hpp"
#include "feed/feed.hpp"
#include "social_proof/social_proof.hpp"
#if VOUCH_WASM_MERCHANT
#include "attribution/attribution.hpp"
#include "matching/matching.hpp"
#endif

namespace vouch::wasm {
namespace {

using nlohmann::json;

// A page-sized budget for the small inputs (queries, briefs, configs); the
// bulk inputs (touches, orders) keep the core's default limit. The browser
// has far less memory to spare than the CLI.
constexpr JsonInputLimits kSmallInputLimits{.max_bytes = 1u << 20, .max_depth = 32};

// "ok":true envelopes are written by hand around the engine's own dump so that
// the result text is exactly what the CLI prints (compact form), byte for byte.
constexpr const char* kOkPrefix = R"({"ok":true,"result":)";

std::string ok_envelope(const json& result) { return kOkPrefix + result.dump() + "}"; }

std::string error_envelope(const Error& error) {
  json out = json::object();
  put_bool(out, "ok", false);
  put(out, "error", error);
  return out.dump();
}

#if VOUCH_WASM_MERCHANT
// Touches and orders received so far in chunks of JSON lines; lines counts
// every line (blank ones too), so that line k of a chunk is element
// lines + k of the whole input, as in one file.
struct AttributionSession {
  explicit AttributionSession(const Feed& feed) : data(feed) {}
  AttributionData data;
  std::size_t touch_lines = 0;
  std::size_t order_lines = 0;
};
#endif

// A loaded feed, and what social proof prepared of it: built at the first
// socialProof call (a merchant page that only matches never pays for it),
// kept for the handle's lifetime so that moderation and shingling run once
// per product, not once per query. The index points into `feed`, which a
// std::map node never moves.
struct Engine {
  explicit Engine(Feed loaded) : feed(std::move(loaded)) {}
  Feed feed;
  std::unique_ptr<SocialProofIndex> social_proof;
#if VOUCH_WASM_MERCHANT
  std::map<std::int32_t, AttributionSession> sessions;  // they point into `feed`
#endif
};

// The loaded feeds of this module instance, by handle. Handles are never
// reused, so a stale handle is an error, not another store's feed.
struct Engines {
  std::map<std::int32_t, Engine> feeds;
  std::int32_t next_handle = 1;
  std::int32_t next_session = 1;
};

Engines& engines() {
  static Engines instance;
  return instance;
}

Engine& engine_for(std::int32_t handle) {
  auto& all = engines().feeds;
  auto it = all.find(handle);
  if (it == all.end())
    throw VouchException({"engine.unknown_handle", "",
                          "no engine with handle " + std::to_string(handle) +
                              " (it was disposed, or never created)"});
  return it->second;
}

#if VOUCH_WASM_MERCHANT
AttributionSession& session_for(Engine& engine, std::int32_t session) {
  auto it = engine.sessions.find(session);
  if (it == engine.sessions.end())
    throw VouchException({"engine.unknown_session", "",
                          "no attribution session " + std::to_string(session) +
                              " on this engine (it ended, or never began)"});
  return it->second;
}

#endif

// "" means the current time, as for the CLI without --now. std::time rather
// than std::chrono::system_clock, which would link libc++'s system_error and
// with it printf (docs/wasm.md, Size).
Timestamp parse_now(std::string_view now) {
  if (now.empty()) return static_cast<Timestamp>(std::time(nullptr));
  auto t = parse_rfc3339(now);
  if (!t)
    throw VouchException({"input.invalid_now", "",
                          "now must be an RFC 3339 time such as 2026-11-01T00:00:00Z, got " +
                              quote_for_message(std::string(now))});
  return *t;
}

// The one error boundary: whatever an entry point throws becomes an error
// envelope. Called from inside a catch block; the ladder exists once.
[[gnu::noinline]] std::string envelope_for_current_exception() {
  try {
    throw;
  } catch (const VouchException& e) {
    return error_envelope(e.error());
  } catch (const std::bad_alloc&) {
    return error_envelope({"internal.out_of_memory", "", "the engine ran out of memory"});
  } catch (const json::exception& e) {
    return error_envelope({"internal.json", "", e.what()});
  } catch (const std::exception& e) {
    return error_envelope({"internal.error", "", e.what()});
  } catch (...) {
    return error_envelope({"internal.error", "", "unknown failure inside the engine"});
  }
}

// The text the last call returned; JS copies it out before the next call.
std::string& result_text() {
  static std::string text;
  return text;
}

template <typename Body>
const char* guarded(Body&& body) {
  std::string& out = result_text();
  try {
    out = body();
  } catch (...) {
    out = envelope_for_current_exception();
  }
  return out.c_str();
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
}  // namespace vouch::wasm

using namespace vouch;
using namespace vouch::wasm;

extern "C" {

// The same document as `vouch validate FEED --json`.
EMSCRIPTEN_KEEPALIVE const char* vouch_validate_feed(const char* feed, std::size_t feed_size) {
  return guarded([&] {
    FeedLoadResult loaded = load_feed({feed, feed_size});
    json out = json::object();
    put_bool(out, "valid", loaded.ok());
    put(out, "errors", loaded.errors);
    put_bool(out, "truncated", loaded.truncated);
    if (loaded.ok()) put(out, "counts", feed_counts(*loaded.feed));
    return ok_envelope(out);
  });
}

// -> {"handle": N, "counts": {...}}, or the first error plus "errors": all of them.
EMSCRIPTEN_KEEPALIVE const char* vouch_load_engine(const char* feed, std::size_t feed_size) {
  return guarded([&] {
    FeedLoadResult loaded = load_feed({feed, feed_size});
    if (!loaded.ok()) {
      json out = json::object();
      put_bool(out, "ok", false);
      put(out, "error", loaded.errors.front());
      put(out, "errors", loaded.errors);
      put_bool(out, "truncated", loaded.truncated);
      return out.dump();
    }
    Engines& all = engines();
    std::int32_t handle = all.next_handle++;
    json out = json::object();
    put_int(out, "handle", handle);
    put(out, "counts", feed_counts(*loaded.feed));
    all.feeds.emplace(handle, std::move(*loaded.feed));
    return ok_envelope(out);
  });
}

EMSCRIPTEN_KEEPALIVE const char* vouch_free_engine(std::int32_t handle) {
  return guarded([&] { return ok_envelope(engines().feeds.erase(handle) > 0); });
}

// The query carries its own "now" (social_proof.hpp); a query without one gets
// the caller's, as the CLI does with --now.
EMSCRIPTEN_KEEPALIVE const char* vouch_social_proof(std::int32_t handle, const char* query_text,
                                                     std::size_t query_size, const char* now,
                                                     std::size_t now_size) {
  return guarded([&] {
    Engine& engine = engine_for(handle);
    json query = parse_json_input({query_text, query_size}, "query", kSmallInputLimits);
    if (query.is_object() && !query.contains("now"))
      query["now"] = format_rfc3339(parse_now({now, now_size}));
    if (!engine.social_proof) engine.social_proof = std::make_unique<SocialProofIndex>(engine.feed);
    return ok_envelope(social_proof_json(*engine.social_proof, query));
  });
}

#if VOUCH_WASM_MERCHANT
EMSCRIPTEN_KEEPALIVE const char* vouch_match(std::int32_t handle, const char* brief_text,
                                              std::size_t brief_size, const char* now,
                                              std::size_t now_size) {
  return guarded([&] {
    const Feed& feed = engine_for(handle).feed;
    json brief = parse_json_input({brief_text, brief_size}, "brief", kSmallInputLimits);
    return ok_envelope(match_json(feed, brief, parse_now({now, now_size})));
  });
}

// The bulk inputs (touches, orders) keep the core's default limit.
EMSCRIPTEN_KEEPALIVE const char* vouch_attribute(std::int32_t handle, const char* touches_text,
                                                  std::size_t touches_size, const char* orders_text,
                                                  std::size_t orders_size, const char* config_text,
                                                  std::size_t config_size, const char* now,
                                                  std::size_t now_size) {
  return guarded([&] {
    const Feed& feed = engine_for(handle).feed;
    json touches = parse_json_input({touches_text, touches_size}, "touches");
    json orders = parse_json_input({orders_text, orders_size}, "orders");
    json config = parse_json_input({config_text, config_size}, "config", kSmallInputLimits);
    return ok_envelope(attribute_json(feed, touches, orders, config, parse_now({now, now_size})));
  });
}

EMSCRIPTEN_KEEPALIVE const char* vouch_report(std::int32_t handle, const char* touches_text,
                                               std::size_t touches_size, const char* orders_text,
                                               std::size_t orders_size, const char* config_text,
                                               std::size_t config_size) {
  return guarded([&] {
    const Feed& feed = engine_for(handle).feed;
    json touches = parse_json_input({touches_text, touches_size}, "touches");
    json orders = parse_json_input({orders_text, orders_size}, "orders");
    json config = parse_json_input({config_text, config_size}, "config", kSmallInputLimits);
    return ok_envelope(report_json(feed, touches, orders, config));
  });
}

// Attribution in chunks, for journeys too large for one call (a million
// touches are ~150 MB of JSON; one JSON tree of them would not fit): open a
// session, add touches and orders as JSON lines, then attribute or report,
// which ends the session. A bad line ends it too: the error names the line
// and the element ("/touches/123456/at").
EMSCRIPTEN_KEEPALIVE const char* vouch_attribution_open(std::int32_t handle) {
  return guarded([&] {
    Engine& engine = engine_for(handle);
    std::int32_t session = engines().next_session++;
    engine.sessions.emplace(session, AttributionSession(engine.feed));
    json out = json::object();
    put_int(out, "session", session);
    return ok_envelope(out);
  });
}

// orders: 0 adds touches, 1 adds orders. -> {"touches": N, "orders": M} so far.
EMSCRIPTEN_KEEPALIVE const char* vouch_attribution_add(std::int32_t handle, std::int32_t session,
                                                        std::int32_t orders, const char* text,
                                                        std::size_t size) {
  return guarded([&] {
    Engine& engine = engine_for(handle);
    AttributionSession& s = session_for(engine, session);
    std::size_t& lines = orders ? s.order_lines : s.touch_lines;
    const char* kind = orders ? "order" : "touch";
    const char* array = orders ? "orders" : "touches";
    std::string source = std::string("the ") + array;
    try {
      // Lines as std::getline reads a file: a final '\n' ends the last line.
      std::string_view rest(text, size);
      while (!rest.empty()) {
        std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (auto value = parse_json_line(line, lines, kind, array, source)) {
          if (orders)
            s.data.add_order(*value, lines);
          else
            s.data.add_touch(*value, lines);
        }
        ++lines;
      }
    } catch (...) {
      engine.sessions.erase(session);
      throw;
    }
    json out = json::object();
    put_int(out, "touches", static_cast<std::int64_t>(s.data.touches.size()));
    put_int(out, "orders", static_cast<std::int64_t>(s.data.orders.size()));
    return ok_envelope(out);
  });
}

// Ends the session with the results of attribute (report = 0) or the report (1).
EMSCRIPTEN_KEEPALIVE const char* vouch_attribution_finish(std::int32_t handle, std::int32_t session,
                                                           std::int32_t report, const char* config_text,
                                                           std::size_t config_size, const char* now,
                                                           std::size_t now_size) {
  return guarded([&] {
    Engine& engine = engine_for(handle);
    AttributionSession s = std::move(session_for(engine, session));
    engine.sessions.erase(session);
    json config_json = parse_json_input({config_text, config_size}, "config", kSmallInputLimits);
    AttributionConfig config = parse_attribution_config(config_json, engine.feed);
    if (report) return ok_envelope(attribute_and_report(s.data, config));
    return ok_envelope(attribute_to_json(s.data, config, parse_now({now, now_size})));
  });
}

EMSCRIPTEN_KEEPALIVE const char* vouch_attribution_close(std::int32_t handle, std::int32_t session) {
  return guarded([&] { return ok_envelope(engine_for(handle).sessions.erase(session) > 0); });
}

#endif  // VOUCH_WASM_MERCHANT

// Byte length of the text the last call returned.
EMSCRIPTEN_KEEPALIVE std::size_t vouch_result_size() { return result_text().size(); }

// Size of the module's linear memory in bytes: lets tests show that bad input
// does not make it grow without bound.
EMSCRIPTEN_KEEPALIVE double vouch_memory_bytes() {
  return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0;
}

}  // extern "C"
