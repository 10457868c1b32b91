#include "postgres.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace vouch::server {

namespace {

constexpr Oid kByteaOid = 17;

}  // namespace

std::string without_password(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

namespace {

class PgRow final : public SqlRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  std::int64_t integer(int column) const override { return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10); }
  double real(int column) const override { return std::strtod(PQgetvalue(result_, row_, column), nullptr); }
  std::string text(int column) const override {
    const char* value = PQgetvalue(result_, row_, column);
    if (PQftype(result_, column) != kByteaOid) return std::string(value, PQgetlength(result_, row_, column));
    std::size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &length);
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }
  bool is_null(int column) const override { return PQgetisnull(result_, row_, column); }

 private:
  const PGresult* result_;
  int row_;
};

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// `?` placeholders become $1, $2, ... (the store's SQL has no `?` in literals).
std::string numbered_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  for (char ch : sql) {
    if (ch != '?') {
      out += ch;
      continue;
    }
    out += '$';
    out += std::to_string(++n);
  }
  return out;
}

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(const std::string& url) : url_(url) { connect(); }
  ~PgConnection() override { PQfinish(conn_); }

  // After a failure that broke the connection (the server restarted), a
  // fresh one; throws StoreError while the server cannot be reached.
  void ensure_connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    PQfinish(conn_);
    conn_ = nullptr;
    prepared_.clear();
    connect();
  }

  std::int64_t run(const std::string& sql, const std::vector<SqlValue>& params, const EachRow& each_row) override {
    const std::string& name = prepare(sql);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const SqlValue& v = params[i];
      switch (v.kind) {
        case SqlValue::Kind::Null: values[i] = nullptr; break;
        case SqlValue::Kind::Integer: texts[i] = std::to_string(v.integer); values[i] = texts[i].c_str(); break;
        case SqlValue::Kind::Real: texts[i] = std::to_string(v.real); values[i] = texts[i].c_str(); break;
        case SqlValue::Kind::Text: values[i] = v.text.c_str(); break;
        case SqlValue::Kind::Blob:
          values[i] = v.text.data();
          lengths[i] = static_cast<int>(v.text.size());
          formats[i] = 1;  // binary: the bytes as they are
          break;
      }
    }
    Result result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), lengths.data(),
                                 formats.data(), 0),
                  &PQclear);
    check(result.get(), "query");
    if (each_row)
      for (int row = 0, rows = PQntuples(result.get()); row < rows; ++row) each_row(PgRow(result.get(), row));
    const char* changed = PQcmdTuples(result.get());
    std::int64_t rows = *changed ? std::strtoll(changed, nullptr, 10) : 0;
    if (std::strncmp(PQcmdStatus(result.get()), "SELECT", 6) != 0) written_ += rows;
    return rows;
  }

  std::int64_t written() const { return written_; }

  void script(const std::string& sql) override {
    Result result(PQexec(conn_, sql.c_str()), &PQclear);
    check(result.get(), "statement");
  }

  void begin(bool write) override {
    // A read sees one snapshot (REPEATABLE READ), so figures read together agree.
    script(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

 private:
  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::atomic<std::int64_t> written_ = 0;  // rows changed (read by another thread: rows_written)

  void connect() {
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
      // A failed connection still owns its PGconn; the destructor never runs
      // when the constructor throws.
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to PostgreSQL at " + without_password(url_) + ": " + message);
    }
    // Notices (e.g. "relation already exists, skipping") are not for the log.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }

  const std::string& prepare(const std::string& sql) {
    auto it = prepared_.find(sql);
    if (it != prepared_.end()) return it->second;
    std::string name = "s" + std::to_string(prepared_.size());
    Result result(PQprepare(conn_, name.c_str(), numbered_placeholders(sql).c_str(), 0, nullptr), &PQclear);
    check(result.get(), "prepare");
    return prepared_.emplace(sql, name).first->second;
  }

  void check(const PGresult* result, const char* what) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    message = std::string(what) + " failed: " + message;
    if (sqlstate == "40001" || sqlstate == "40P01") throw StoreConflict(message);
    // 53100 disk_full, 53200 out of memory, 54000 program limit exceeded.
    throw StoreError(message, sqlstate == "53100");
  }
};

// A pool of connections: every operation borrows one, writes and reads alike
// (PostgreSQL runs them side by side; the UNIQUE and PRIMARY KEY constraints
// decide the races between them and between instances).
class PgDatabase final : public SqlDatabase {
 public:
  PgDatabase(const std::string& url, int pool_size) : url_(url) {
    for (int i = 0; i < std::max(1, pool_size); ++i) {
      all_.push_back(std::make_unique<PgConnection>(url));
      idle_.push_back(all_.back().get());
    }
  }
  SqlDialect dialect() const override { return SqlDialect::Postgres; }
  SqlLease writer() override { return lend(); }
  SqlLease reader() override { return lend(); }
  std::int64_t rows_written() override {
    std::lock_guard lock(mutex_);
    std::int64_t rows = 0;
    for (const auto& c : all_) rows += c->written();
    return rows;
  }

 private:
  std::string url_;
  std::vector<std::unique_ptr<PgConnection>> all_;
  std::vector<PgConnection*> idle_;
  std::mutex mutex_;
  std::condition_variable returned_;

  SqlLease lend() {
    PgConnection* c = nullptr;
    {
      std::unique_lock lock(mutex_);
      returned_.wait(lock, [&] { return !idle_.empty(); });
      c = idle_.back();
      idle_.pop_back();
    }
    auto give_back = [this, c] {
      {
        std::lock_guard lock(mutex_);
        idle_.push_back(c);
      }
      returned_.notify_one();
    };
    try {
      c->ensure_connected();
    } catch (...) {
      give_back();
      throw;
    }
    return SqlLease(*c, give_back);
  }
};

}  // namespace

bool is_postgres_url(const std::string& location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::unique_ptr<SqlDatabase> open_postgres(const std::string& url, int pool_size) {
  return std::make_unique<PgDatabase>(url, pool_size);
}

}  // namespace vouch::server
