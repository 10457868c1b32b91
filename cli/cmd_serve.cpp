#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "input/json_input.hpp"
#include "attribution/attribution.hpp"
#include "crypto.hpp"
#include "feed/generate.hpp"
#include "postgres.hpp"
#include "catalogue.hpp"
#include "feed_import.hpp"
#include "server.hpp"
#include "transfer.hpp"

namespace vouch::cli {

namespace {

namespace fs = std::filesystem;

// --allow-origin and --trusted-proxy may be repeated and may hold a comma
// list; Args keeps one value per flag, so these are taken out first.
std::vector<std::string> take_list(Argv& argv, const std::string& flag) {
  std::vector<std::string> values;
  Argv rest;
  auto add_list = [&](const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
      auto comma = list.find(',', start);
      std::string value = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      value.erase(0, value.find_first_not_of(' '));
      while (!value.empty() && (value.back() == '/' || value.back() == ' ')) value.pop_back();
      if (!value.empty()) values.push_back(value);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  };
  const std::string name = "--" + flag;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == name) {
      if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
      add_list(argv[++i]);
    } else if (argv[i].rfind(name + "=", 0) == 0) {
      add_list(argv[i].substr(name.size() + 1));
    } else {
      rest.push_back(argv[i]);
    }
  }
  argv = rest;
  return values;
}

// The web/ folder: --static, else ./web, else the repository's web/ next to
// the build tree (build/<preset>/cli/vouch -> ../../../web).
fs::path find_web_root(const std::optional<std::string>& flag) {
  std::error_code ec;
  if (flag) return fs::path(*flag);
  if (fs::is_directory("web", ec)) return fs::absolute("web");
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path() / ".." / ".." / ".." / "web";
    if (fs::is_directory(candidate, ec)) return fs::weakly_canonical(candidate, ec);
  }
  return {};
}

std::string secret_from(const std::optional<std::string>& flag, const char* env, bool& generated) {
  generated = false;
  if (flag && !flag->empty()) return *flag;
  if (const char* value = std::getenv(env); value && *value) return value;
  generated = true;
  return server::random_hex(24);
}

std::string flag_or_env(const Args& args, const std::string& flag, const char* env) {
  if (auto value = args.get(flag)) return *value;
  const char* value = std::getenv(env);
  return value ? value : "";
}

// The admin token: --admin-token-file (kept out of `ps`), --admin-token, the
// environment, or generated. A short token is refused: it could be guessed.
std::string admin_token(const Args& args, bool& generated) {
  constexpr std::size_t kMinLength = 24;
  std::optional<std::string> flag = args.get("admin-token");
  if (auto file = args.get("admin-token-file")) {
    if (flag) throw UsageError("give --admin-token or --admin-token-file, not both");
    std::string text = read_input(*file);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    if (text.empty()) throw UsageError("--admin-token-file " + *file + " is empty");
    flag = text;
  }
  std::string token = secret_from(flag, "VOUCH_ADMIN_TOKEN", generated);
  if (token.size() < kMinLength)
    throw UsageError("the admin token must be at least " + std::to_string(kMinLength) + " characters long (got " +
                     std::to_string(token.size()) + "); generate one with: openssl rand -hex 24");
  return token;
}

// The feed before anything listens (docs/server.md, "Import"): --feed, else
// var/demo-feed.json when it exists, else the store the database holds, else
// the generated demo (seed 1). A file that changed since the database last
// imported it (its size or modification time; the first import too) is
// imported now, and an invalid one stops the start (exit 1); an unchanged
// one is not read at all, so a restart serves the stored documents at once.
// Returns an exit status (0: go on).
int first_import(const Args& args, server::Store& store, const std::string& db_path, server::ServerConfig& config) {
  std::error_code ec;
  std::string path = args.get("feed").value_or("var/demo-feed.json");
  bool given = args.get("feed").has_value() || fs::exists(path, ec);
  if (!given && store.store_body()) return 0;  // the store of record, as it is
  std::string temporary;
  if (!given) {
    temporary = (fs::temp_directory_path() / ("vouch-demo-feed-" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    GenerateOptions demo;  // seed 1: the same store scripts/demo.sh writes
    generate_feed(demo, [&](std::string_view chunk) { out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); });
    std::cerr << "vouch serve: " << path << " not found; serving the generated demo feed (seed 1), imported into "
              << db_path << "\n";
    path = temporary;
  }
  const bool watched = given && path != "-";
  if (watched) config.feed_path = path;
  if (watched && server::imported_as_is(store, path)) return 0;
  server::ImportResult result = server::import_feed(store, path, store_feed_limits());
  if (!temporary.empty()) fs::remove(temporary, ec);
  if (!result.errors.empty()) {
    std::cerr << "vouch serve: the feed " << (given ? path : "(generated)") << " is invalid; not starting\n";
    print_errors(result.errors);
    return 1;
  }
  return 0;
}

}  // namespace

// vouch serve [--feed FEED] [--db FILE] [--host H] [--port N] [--static DIR]
//             [--admin-token T | --admin-token-file FILE] [--webhook-secret S] [--allow-origin ORIGIN]...
//             [--config ATTRIBUTION.json] [--threads N] [--rate-limit N] [--address-rate-limit N]
//             [--global-rate-limit N] [--trusted-proxy ADDRESS]... [--retention-days N] [--max-db-mb N]
//             [--review-rate-limit N] [--vote-rate-limit N] [--db-pool N] [--group-commit on|off]
//             [--shopify-secret S] [--shopify-shop DOMAIN] [--shopify-order-topic orders/paid|orders/create]
//             [--woocommerce-secret S] [--no-access-log]
// --db FILE is SQLite; --db postgres://… (or postgresql://…, or VOUCH_DB) is PostgreSQL.
int run_serve(const Argv& argv_in) {
  Argv argv = argv_in;
  server::ServerConfig config;
  config.allowed_origins = take_list(argv, "allow-origin");
  config.trusted_proxies = take_list(argv, "trusted-proxy");
  Args args(argv,
            {"feed", "db", "host", "port", "static", "admin-token", "admin-token-file", "webhook-secret", "config",
             "threads", "rate-limit", "address-rate-limit", "global-rate-limit", "retention-days", "max-db-mb",
             "review-rate-limit", "vote-rate-limit", "db-pool", "group-commit", "shopify-secret", "shopify-shop",
             "shopify-order-topic", "woocommerce-secret"},
            {"no-access-log"});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  config.host = args.get("host").value_or("127.0.0.1");
  config.port = static_cast<int>(args.integer("port", 8080, 0, 65535));
  config.threads = static_cast<std::size_t>(args.integer("threads", 32, 1, 1024));
  config.limits.per_visitor = static_cast<double>(args.integer("rate-limit", 1200, 0, 100'000'000));
  config.limits.per_address = static_cast<double>(args.integer("address-rate-limit", 6000, 0, 100'000'000));
  config.limits.global = static_cast<double>(args.integer("global-rate-limit", 120000, 0, 100'000'000));
  config.retention_days = static_cast<int>(args.integer("retention-days", 400, 0, 36500));
  server::StoreOptions store_options;
  store_options.max_bytes = args.integer("max-db-mb", 0, 0, 100'000'000) << 20;
  store_options.pool_size = static_cast<int>(args.integer("db-pool", store_options.pool_size, 1, 1000));
  if (auto gc = args.get("group-commit")) {
    if (*gc != "on" && *gc != "off") throw UsageError("--group-commit takes on or off");
    store_options.group_commit = *gc == "on";
  }
  config.reviews_per_minute = static_cast<double>(args.integer("review-rate-limit", 5, 0, 1'000'000));
  config.votes_per_minute = static_cast<double>(args.integer("vote-rate-limit", 30, 0, 1'000'000));
  config.access_log = !args.has("no-access-log");
  bool token_generated = false;
  config.admin_token = admin_token(args, token_generated);
  config.web_root = find_web_root(args.get("static"));
  // The platforms' webhooks: off unless their secret is given (docs/shopify.md).
  config.platforms.shopify_secret = flag_or_env(args, "shopify-secret", "VOUCH_SHOPIFY_SECRET");
  config.platforms.woocommerce_secret = flag_or_env(args, "woocommerce-secret", "VOUCH_WOOCOMMERCE_SECRET");
  config.platforms.shopify_shop = args.get("shopify-shop").value_or("");
  config.platforms.shopify.order_topic = args.get("shopify-order-topic").value_or("orders/paid");
  if (config.platforms.shopify.order_topic != "orders/paid" && config.platforms.shopify.order_topic != "orders/create")
    throw UsageError("--shopify-order-topic must be orders/paid or orders/create");
  if (auto path = args.get("config"))
    config.attribution_config = parse_json_input(read_input(*path), "config");

  std::string db_path = args.get("db").value_or("");
  if (const char* env = std::getenv("VOUCH_DB"); db_path.empty() && env && *env) db_path = env;
  if (db_path.empty()) db_path = "var/vouch.db";
  bool postgres = server::is_postgres_url(db_path);
  std::error_code ec;
  if (postgres && store_options.max_bytes > 0) throw UsageError("--max-db-mb is for SQLite; size PostgreSQL itself");
  if (!postgres) {
    if (fs::path parent = fs::path(db_path).parent_path(); !parent.empty()) fs::create_directories(parent, ec);
    // Review photos an earlier vouch wrote as files beside the database move into it.
    store_options.import_photos_from = db_path + "-photos";
  }
  std::unique_ptr<server::Store> store;
  try {
    store = server::open_store(db_path, store_options);
  } catch (const server::StoreError& e) {
    print_errors({{e.code, "", e.what()}});
    return 1;
  }

  if (int status = first_import(args, *store, db_path, config); status != 0) return status;
  if (!config.attribution_config.empty()) {
    // The attribution config against the store's influencers, before anything listens.
    server::Catalogue catalogue(*store);
    parse_attribution_config(config.attribution_config, *catalogue.feed());
  }

  bool secret_generated = false;
  config.webhook_secret = secret_from(args.get("webhook-secret"), "VOUCH_WEBHOOK_SECRET", secret_generated);
  // A generated webhook secret is kept in the database, so the store's backend
  // keeps working across restarts (and several instances agree on it).
  bool secret_stored = false;
  if (secret_generated) {
    try {
      config.webhook_secret = store->stored_secret("webhook_secret", config.webhook_secret, secret_generated);
      secret_stored = !secret_generated;
    } catch (const server::StoreError& e) {
      print_errors({{e.code, "", e.what()}});
      return 1;
    }
  }

  return server::serve(config, *store, [&](const std::string& base) {
    std::cout << "vouch serve: listening on " << base << "\n"
              << "  store demo:     " << base << "/demo/\n"
              << "  dashboard:      " << base << "/admin/\n"
              << "  documents:      " << base << "/v1/store.json, " << base << "/v1/products/ID.json\n"
              << "  events:         POST " << base << "/v1/events\n"
              << "  database:       " << (postgres ? server::without_password(db_path) : db_path) << "\n"
              << "  static files:   " << (config.web_root.empty() ? "(none found)" : config.web_root.string()) << "\n";
    if (token_generated)
      std::cout << "  admin token:    " << config.admin_token
                << "  (generated; set --admin-token or VOUCH_ADMIN_TOKEN to keep one)\n";
    if (secret_generated)
      std::cout << "  webhook secret: " << config.webhook_secret
                << "  (generated and kept in the database; set --webhook-secret or VOUCH_WEBHOOK_SECRET to choose one)\n";
    if (secret_stored)
      std::cout << "  webhook secret: kept in the database (the dashboard's Install page shows it once)\n";
    std::cout << "Press Ctrl-C to stop." << std::endl;
  });
}

// vouch migrate --from DB --to DB: every row of one store into a new, empty
// one (a file is SQLite, postgres://… PostgreSQL). Prints the rows per table.
int run_migrate(const Argv& argv) {
  Args args(argv, {"from", "to"}, {});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  auto from = args.get("from"), to = args.get("to");
  if (!from || !to) throw UsageError("needs --from DB and --to DB");
  if (*from == *to) throw UsageError("--from and --to are the same database");
  try {
    nlohmann::json tables = server::transfer_database(*from, *to);
    std::cout << nlohmann::json{{"from", server::without_password(*from)}, {"to", server::without_password(*to)},
                                {"tables", tables}}.dump(2)
              << "\n";
    return 0;
  } catch (const server::StoreError& e) {
    print_errors({{e.code, "", e.what()}});
    return 1;
  }
}

}  // namespace vouch::cli
