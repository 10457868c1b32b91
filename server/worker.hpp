#pragma once
// A background thread that runs one job when woken, and also every `period`
// when given one, one run at a time, until stopped (the document builder,
// the feed file's watch).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace vouch::server {

class Worker {
 public:
  Worker(std::optional<std::chrono::milliseconds> period, std::function<void()> job)
      : period_(period), job_(std::move(job)) {}
  ~Worker() { stop(); }

  void start() { thread_ = std::thread([this] { run(); }); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  // Runs the job soon (once however often it is woken meanwhile).
  void wake() {
    {
      std::lock_guard lock(mutex_);
      woken_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::optional<std::chrono::milliseconds> period_;
  std::function<void()> job_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, woken_ = false;
  std::thread thread_;

  void run() {
    while (true) {
      {
        std::unique_lock lock(mutex_);
        auto ready = [this] { return stopping_ || woken_; };
        if (period_)
          wake_.wait_for(lock, *period_, ready);
        else
          wake_.wait(lock, ready);
        if (stopping_) return;
        woken_ = false;
      }
      job_();
    }
  }
};

}  // namespace vouch::server
