#include "server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "backend.hpp"
#include "feed_watch.hpp"
#include "clock.hpp"
#include "crypto.hpp"
#include "photos.hpp"
#include "portal_access.hpp"
#include "route_table.hpp"
#include "task_queue.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

std::mutex& log_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void log_line(const json& line) {
  std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard lock(log_mutex());
  std::cerr << text << std::flush;
}

// Retention: raw events received, and touches that happened, more than
// `days` ago are deleted, a few thousand rows a tick (so a backlog never
// holds the write lock for long), then again an hour later.
static void prune_raw_events(Store& store, int days, Timestamp& next_prune) {
  Timestamp now = unix_now();
  if (days <= 0 || now < next_prune) return;
  constexpr int kRowsPerTick = 2000;
  try {
    Timestamp cutoff = now - static_cast<Timestamp>(days) * kSecondsPerDay;
    std::int64_t deleted = store.prune(cutoff, cutoff, kRowsPerTick);
    if (deleted > 0) log_line({{"level", "info"}, {"event", "retention_pruned"}, {"rows", deleted}});
    if (deleted < kRowsPerTick) next_prune = now + 3600;
  } catch (const StoreError& e) {
    log_line({{"level", "error"}, {"event", "store_error"}, {"message", e.what()}});
    next_prune = now + 60;
  }
}

int serve(const ServerConfig& config, Store& store, const std::function<void(const std::string& base_url)>& banner) {
  // Signals are taken by one housekeeping thread (sigtimedwait), never by an
  // async handler: block them before any thread starts so all inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // The stored documents are served at once; the builder brings up to date
  // those a change (or a new day) made due, and the feed file is imported
  // in the background whenever it changes (the start imported it already).
  Catalogue catalogue(store);
  DocumentBuilder documents(store, config.document_threads, unix_now, log_line);
  documents.start();
  documents.poke();
  std::optional<FeedWatch> watch;
  if (!config.feed_path.empty()) {
    watch.emplace(store, config.feed_path, log_line, [&] {
      catalogue.refresh();
      documents.poke();
    });
    watch->poll();
    watch->start();
  }

  httplib::Server svr;
  Backend backend(config, store, catalogue, documents, log_line);
  bool created = false;
  backend.portal_key = store.stored_secret("portal_key", random_hex(32), created);
  install_routes(svr, route_table(backend),
                 {config.allowed_origins, config.admin_token, config.admin_failures_per_minute, config.webhook_secret,
                  config.trusted_proxies, &store.rate_buckets(), config.max_body_bytes, config.access_log, log_line,
                  [&backend](const httplib::Request& req) { return portal_session_of(backend, req); }});
  svr.new_task_queue = [&config] { return new BoundedTaskQueue(config.threads, config.max_queued_connections); };
  svr.set_read_timeout(config.read_timeout_seconds, 0);
  svr.set_write_timeout(config.write_timeout_seconds, 0);
  svr.set_keep_alive_timeout(config.keep_alive_seconds);
  svr.set_keep_alive_max_count(100);

  int port = config.port;
  if (port == 0) {
    port = svr.bind_to_any_port(config.host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(config.host, port)) {
    port = 0;
  }
  if (port == 0) {
    std::cerr << "vouch serve: cannot listen on " << config.host << ":" << config.port
              << " (address in use or not available)\n";
    return 1;
  }
  std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  banner("http://" + host + ":" + std::to_string(port));
  if (backend.static_files.root().empty())
    log_line({{"level", "warning"}, {"event", "no_static_files"}, {"message", "no web/ folder found; static routes answer 404 (use --static DIR)"}});

  std::atomic<bool> stopping = false;
  Timestamp next_prune = 0;
  std::thread housekeeping([&] {
    timespec tick{1, 0};
    while (!stopping) {
      int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig == SIGTERM || sig == SIGINT) {
        log_line({{"level", "info"}, {"event", "shutdown"}, {"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        stopping = true;
        svr.stop();
        break;
      }
      if (watch && sig == SIGHUP) watch->force();
      if (watch) watch->poll();
      try {
        catalogue.refresh();  // another instance's import
      } catch (const StoreError& e) {
        log_line({{"level", "error"}, {"event", "store_error"}, {"message", e.what()}});
      }
      store.rate_buckets().prune(unix_now_precise());
      prune_raw_events(store, config.retention_days, next_prune);
    }
  });

  bool ok = svr.listen_after_bind();  // returns once stopped and the workers have finished
  stopping = true;
  housekeeping.join();
  if (watch) watch->stop();
  documents.stop();
  stop_photo_library();
  log_line({{"level", "info"}, {"event", "stopped"}});
  return ok || !svr.is_running() ? 0 : 1;
}

}  // namespace vouch::server
