#include "core/change_watch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/bearer.h"

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;

constexpr std::chrono::milliseconds kFirstBackoff(100);
constexpr std::chrono::milliseconds kMaxBackoff(1000);

}  // namespace

ChangeWatch::ChangeWatch(std::shared_ptr<grpc::Channel> channel, const std::string& token,
                         DecisionCache& cache)
    : stub_(pb::ConnectorService::NewStub(channel)),
      authorization_(BearerHeader(token)),
      cache_(cache),
      thread_([this] { Run(); }) {}

ChangeWatch::~ChangeWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  stop_requested_.notify_all();
  thread_.join();
  cache_.SetLive(false);
}

void ChangeWatch::Run() {
  auto backoff = kFirstBackoff;
  bool logged_down = false;
  while (true) {
    std::string why;
    const bool got_notices = WatchOnce(why);
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (got_notices) {
      backoff = kFirstBackoff;
      logged_down = false;
    }
    if (!logged_down) {
      spdlog::info(
          "no change notices from approval-core ({}); hook 1 answers are not kept "
          "until they resume",
          why);
      logged_down = true;
    }
    stop_requested_.wait_for(lock, backoff, [this] { return stopping_; });
    if (stopping_) return;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

bool ChangeWatch::WatchOnce(std::string& why) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", authorization_);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    context_ = &context;
  }
  pb::WatchChangesResponse notice;
  bool got_notices = false;
  auto reader = stub_->WatchChanges(&context, pb::WatchChangesRequest());
  while (reader->Read(&notice)) {
    if (!got_notices) {
      cache_.SetLive(true);
      got_notices = true;
      spdlog::info("change notices from approval-core: hook 1 answers are kept between changes");
    } else {
      cache_.Changed();
    }
  }
  // Not live before the stream's end is even read out: the cache must not outlive it.
  cache_.SetLive(false);
  const grpc::Status status = reader->Finish();
  {
    std::lock_guard lock(mutex_);
    context_ = nullptr;
  }
  why = status.ok() ? "the stream ended" : status.error_message();
  return got_notices;
}

}  // namespace gatehouse::gateway
