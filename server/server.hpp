#pragma once
// `vouch serve`: the store owner's HTTP server. Routes, limits and error
// codes are documented in docs/server.md.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integrations/platform_webhooks.hpp"
#include "rate_limit.hpp"
#include "store.hpp"

namespace vouch::server {

struct ServerConfig {
  // The feed file imported into the database when it changes (polled every
  // second, SIGHUP forces it); empty: the database's store as it is.
  std::string feed_path;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed at start)
  std::string admin_token;
  std::string webhook_secret;
  std::vector<std::string> allowed_origins;  // "https://shop.example"; same-origin always allowed
  std::filesystem::path web_root;            // the web/ folder; empty: no static files
  nlohmann::json attribution_config = nlohmann::json::object();
  IngestLimits limits;                     // events per minute per visitor, per address, in all
  double admin_failures_per_minute = 10;   // wrong admin tokens per address before 429
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For names the client
  int retention_days = 400;                // raw events and touches; 0: kept forever
  std::size_t max_photo_bytes = 10u << 20;
  double reviews_per_minute = 5;             // POST /v1/reviews, per address and per visitor; 0: no limit
  double votes_per_minute = 30;              // helpful votes per client address; 0: no limit
  std::size_t threads = 32;  // cpp-httplib holds a worker per open connection
  std::size_t document_threads = 2;  // building the public documents
  std::size_t max_queued_connections = 256;
  std::size_t max_body_bytes = 64u << 10;
  std::size_t max_events_per_batch = 100;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  int keep_alive_seconds = 2;
  bool access_log = true;
  PlatformConfig platforms;  // Shopify's and WooCommerce's webhooks
};

// Runs until SIGTERM or SIGINT (graceful: stops accepting, finishes the
// requests in flight, then returns), serving the store in `store` and its
// stored documents from the start. SIGHUP imports the feed file again; it
// is also polled every second. `banner` receives the base URL once
// listening. Returns the process exit status.
int serve(const ServerConfig& config, Store& store, const std::function<void(const std::string& base_url)>& banner);

// One JSON line on stderr (the server's log).
void log_line(const nlohmann::json& line);

}  // namespace vouch::server
