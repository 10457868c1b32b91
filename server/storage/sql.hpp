#pragma once
// What the store's SQL needs from a database driver: statements with `?`
// parameters, rows read by column, transactions, and connections handed out
// for writing or reading. SqlStore (sql_store.hpp) writes its SQL once
// against this; sqlite.cpp and postgres.cpp each implement it.
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store.hpp"

namespace vouch::server {

// A serialization failure or a deadlock (PostgreSQL 40001, 40P01): nothing of
// the transaction was kept, and running it again may succeed.
struct StoreConflict : StoreError {
  using StoreError::StoreError;
};

struct SqlValue {
  enum class Kind { Null, Integer, Real, Text, Blob };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // Text and Blob

  SqlValue(std::nullptr_t) {}
  template <std::integral T>
  SqlValue(T value) : kind(Kind::Integer), integer(static_cast<std::int64_t>(value)) {}
  SqlValue(double value) : kind(Kind::Real), real(value) {}
  SqlValue(std::string value) : kind(Kind::Text), text(std::move(value)) {}
  SqlValue(const char* value) : kind(Kind::Text), text(value) {}
  static SqlValue blob(std::string bytes) {
    SqlValue v(std::move(bytes));
    v.kind = Kind::Blob;
    return v;
  }
};

class SqlRow {
 public:
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;  // a blob's bytes too
  virtual bool is_null(int column) const = 0;

 protected:
  ~SqlRow() = default;
};

using EachRow = std::function<void(const SqlRow&)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // Runs one statement (prepared once per connection and SQL text), calling
  // `each_row` for every row. Returns the rows it changed.
  virtual std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params = {},
                           const EachRow& each_row = {}) = 0;
  // Runs statements without parameters (schema changes).
  virtual void script(const std::string& sql) = 0;
  // A transaction: a write takes the database's write lock up front on
  // SQLite; a read sees one snapshot.
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
};

// A connection lent out for one operation; given back when destroyed.
class SqlLease {
 public:
  SqlLease(SqlConnection& connection, std::function<void()> give_back)
      : connection_(&connection), give_back_(std::move(give_back)) {}
  SqlLease(SqlLease&& other) noexcept
      : connection_(other.connection_), give_back_(std::move(other.give_back_)) {
    other.give_back_ = nullptr;
  }
  SqlLease(const SqlLease&) = delete;
  SqlLease& operator=(const SqlLease&) = delete;
  ~SqlLease() {
    if (give_back_) give_back_();
  }
  SqlConnection& operator*() const { return *connection_; }
  SqlConnection* operator->() const { return connection_; }

 private:
  SqlConnection* connection_;
  std::function<void()> give_back_;
};

enum class SqlDialect { Sqlite, Postgres };

// A database: where connections come from.
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual SqlDialect dialect() const = 0;
  virtual SqlLease writer() = 0;
  virtual SqlLease reader() = 0;
  // Rows this process inserted, updated or deleted since it opened the
  // database (what a change costs: bench/store_db.mjs prints it).
  virtual std::int64_t rows_written() = 0;
};

// Runs `work` in a transaction on a lent connection and commits; rolls back
// when it throws. A conflict (StoreConflict) runs it again, a few times.
template <class Work>
auto in_transaction(SqlDatabase& db, bool write, Work&& work) {
  for (int attempt = 1;; ++attempt) {
    SqlLease c = write ? db.writer() : db.reader();
    c->begin(write);
    try {
      if constexpr (std::is_void_v<decltype(work(*c))>) {
        work(*c);
        c->commit();
        return;
      } else {
        auto result = work(*c);
        c->commit();
        return result;
      }
    } catch (const StoreConflict&) {
      c->rollback();
      if (attempt == 5) throw;
    } catch (...) {
      c->rollback();
      throw;
    }
  }
}

}  // namespace vouch::server
