#pragma once

#include "domain/id_generator.h"

namespace gatehouse::core {

// 8 characters from an alphabet without look-alikes (no 0/o, 1/l/i, u), so an id read aloud
// or copied by hand survives: 30^8 ≈ 6.6e11 ids, drawn from OpenSSL's CSPRNG so ids cannot be
// guessed from one another.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewId() override;
};

}  // namespace gatehouse::core
