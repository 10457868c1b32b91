#pragma once
// The engine workloads of bench/run.sh, shared by the native benchmark
// (bench_engines.cpp) and, in spirit, by the wasm one (wasm_engines.mjs):
// the same queries, brief and config on the same generated files.
namespace vouch::bench {

// The instant every generated file lies before (the generator's default).
inline constexpr const char* kNow = "2026-11-01T00:00:00Z";
// Social proof on the one product of ugc.json (100,000 UGC).
inline constexpr const char* kTopSixQuery =
    R"({"product": "sku-1", "sort": "relevant", "limit": 6, "now": "2026-11-01T00:00:00Z"})";
// The same, as the widget asks it: without the moderation lists.
inline constexpr const char* kTopSixWidgetQuery =
    R"({"product": "sku-1", "sort": "relevant", "limit": 6, "moderation_lists": false, "now": "2026-11-01T00:00:00Z"})";
inline constexpr const char* kNewestPageFiveQuery =
    R"({"product": "sku-1", "sort": "newest", "limit": 6, "offset": 24, "now": "2026-11-01T00:00:00Z"})";
// Matching on roster.json (100,000 influencers), ranked and planned.
inline constexpr const char* kBrief =
    R"({"niches": {"hiking": 1, "camping": 0.5}, "countries": {"US": 0.7, "CA": 0.3},
        "goal": "conversions", "budget": {"amount": 5000, "currency": "USD"}, "limit": 20})";
inline constexpr const char* kAttributionConfig = R"({"model": "last_click"})";

}  // namespace vouch::bench
