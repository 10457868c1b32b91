#include "sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace vouch::server {

namespace {

bool is_full(int rc) { return (rc & 0xff) == SQLITE_FULL; }

class SqliteRow final : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  std::int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const override {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_;
};

// One connection and its prepared statements, each compiled once.
class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw StoreError("cannot open database " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
    script("PRAGMA journal_mode=WAL");
    // FULL: a committed batch survives a power cut, not only a crash.
    script("PRAGMA synchronous=FULL");
    script("PRAGMA foreign_keys=ON");
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  std::int64_t total_changes() const { return sqlite3_total_changes64(db_); }

  std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params, const EachRow& each_row) override {
    sqlite3_stmt* stmt = prepare(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    int index = 0;
    for (const SqlValue& v : params) {
      ++index;
      switch (v.kind) {
        case SqlValue::Kind::Null: sqlite3_bind_null(stmt, index); break;
        case SqlValue::Kind::Integer: sqlite3_bind_int64(stmt, index, v.integer); break;
        case SqlValue::Kind::Real: sqlite3_bind_double(stmt, index, v.real); break;
        case SqlValue::Kind::Text:
          sqlite3_bind_text(stmt, index, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
          break;
        case SqlValue::Kind::Blob:
          sqlite3_bind_blob(stmt, index, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
          break;
      }
    }
    SqliteRow row(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW)
        throw StoreError(std::string("query failed: ") + sqlite3_errmsg(db_), is_full(rc));
      if (each_row) each_row(row);
    }
    return sqlite3_changes(db_);
  }

  void script(const std::string& sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw StoreError(message, is_full(rc));
    }
  }

  // BEGIN IMMEDIATE takes the write lock up front, so two instances sharing
  // the file wait for each other (busy timeout) instead of failing at COMMIT.
  void begin(bool write) override { script(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> statements_;

  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw StoreError(std::string("prepare: ") + sqlite3_errmsg(db_), is_full(rc));
    statements_.emplace(sql, stmt);
    return stmt;
  }
};

// One writer (SQLite allows one at a time) and a few readers (WAL readers
// never wait for the writer, nor for each other), each connection used by
// one thread at a time: a document build reading a large product does not
// hold up a document request.
class SqliteDatabase final : public SqlDatabase {
 public:
  static constexpr std::size_t kReaders = 4;

  SqliteDatabase(const std::string& path, const StoreOptions& options) : writer_(path) {
    if (options.max_bytes > 0) {
      // The cap is a page count of the writer, the only connection that writes.
      std::int64_t page_size = 4096;
      writer_.run("PRAGMA page_size", {}, [&](const SqlRow& r) { page_size = r.integer(0); });
      writer_.script("PRAGMA max_page_count=" + std::to_string(std::max<std::int64_t>(1, options.max_bytes / page_size)));
    }
    for (std::size_t i = 0; i < kReaders; ++i) {
      readers_.push_back(std::make_unique<SqliteConnection>(path));
      idle_.push_back(readers_.back().get());
    }
  }
  SqlDialect dialect() const override { return SqlDialect::Sqlite; }
  SqlLease writer() override {
    write_mutex_.lock();
    return SqlLease(writer_, [this] { write_mutex_.unlock(); });
  }
  std::int64_t rows_written() override {
    std::lock_guard lock(write_mutex_);  // only the writer writes
    return writer_.total_changes();
  }
  SqlLease reader() override {
    std::unique_lock lock(read_mutex_);
    read_free_.wait(lock, [this] { return !idle_.empty(); });
    SqliteConnection* c = idle_.back();
    idle_.pop_back();
    return SqlLease(*c, [this, c] {
      {
        std::lock_guard back(read_mutex_);
        idle_.push_back(c);
      }
      read_free_.notify_one();
    });
  }

 private:
  SqliteConnection writer_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> idle_;
  std::mutex write_mutex_;
  std::mutex read_mutex_;
  std::condition_variable read_free_;
};

}  // namespace

std::unique_ptr<SqlDatabase> open_sqlite(const std::string& path, const StoreOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace vouch::server
