#pragma once
// A fixed pool of worker threads with a bounded queue of accepted
// connections. When the queue is full the accept loop waits, so the excess
// stays in the kernel's listen backlog instead of growing memory.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace vouch::server {

class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(std::size_t threads, std::size_t max_queued);
  ~BoundedTaskQueue() override;

  void enqueue(std::function<void()> task) override;
  // Runs what is queued, then joins the workers (graceful shutdown).
  void shutdown() override;

 private:
  void work();

  std::size_t max_queued_;
  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> tasks_;
  std::mutex mutex_;
  std::condition_variable has_task_;
  std::condition_variable has_room_;
  bool stopping_ = false;
};

}  // namespace vouch::server
