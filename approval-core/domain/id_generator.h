#pragma once

#include <string>

namespace gatehouse::core {

// Produces request ids. Injected so that tests get predictable ids.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id; uniqueness is checked by the store, so collisions only cost a retry.
  virtual std::string NewId() = 0;
};

}  // namespace gatehouse::core
