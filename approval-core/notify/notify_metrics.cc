#include "notify/notify_metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

struct Family {
  const char* name;
  const char* type;
  const char* help;
};

constexpr Family kFamilies[] = {
    {"gatehouse_notify_backlog", "gauge", "Audit events after the target's delivery position."},
    {"gatehouse_notify_oldest_undelivered_seconds", "gauge",
     "Age of the oldest event after the target's position (0: none)."},
    {"gatehouse_notify_delivered_total", "counter", "Events the target accepted."},
    {"gatehouse_notify_failed_total", "counter",
     "Events the target refused for good, or whose retries ran out."},
    {"gatehouse_notify_disabled", "gauge", "1 while the target is disabled (it answered 410)."},
};

}  // namespace

absl::StatusOr<std::string> RenderNotifyMetrics(DeliveryStore& store,
                                                const std::vector<std::string>& targets,
                                                absl::Time now) {
  auto states = store.List();
  if (!states.ok()) return states.status();
  // One row of values per configured target, in kFamilies' order.
  std::vector<std::pair<std::string, std::array<double, 5>>> rows;
  for (const DeliveryState& state : *states) {
    if (std::find(targets.begin(), targets.end(), state.target) == targets.end()) continue;
    auto backlog = store.Backlog(state.position);
    if (!backlog.ok()) return backlog.status();
    const double age =
        backlog->oldest ? std::max(0.0, absl::ToDoubleSeconds(now - *backlog->oldest)) : 0.0;
    rows.push_back(
        {state.target,
         {static_cast<double>(backlog->events), age, static_cast<double>(state.delivered),
          static_cast<double>(state.failed), state.disabled ? 1.0 : 0.0}});
  }
  std::string text;
  for (size_t i = 0; i < std::size(kFamilies); ++i) {
    const Family& family = kFamilies[i];
    absl::StrAppend(&text, "# HELP ", family.name, " ", family.help, "\n# TYPE ", family.name, " ",
                    family.type, "\n");
    for (const auto& [target, values] : rows) {
      // Target names come from the operator's config; quotes and backslashes escaped anyway.
      std::string label;
      for (const char c : target) {
        if (c == '"' || c == '\\') label += '\\';
        label += c == '\n' ? ' ' : c;
      }
      absl::StrAppend(&text, family.name, "{target=\"", label, "\"} ", values[i], "\n");
    }
  }
  return text;
}

}  // namespace gatehouse::core
