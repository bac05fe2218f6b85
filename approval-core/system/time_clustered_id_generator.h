#pragma once

#include "domain/clock.h"
#include "domain/id_generator.h"

namespace gatehouse::core {

// 8 characters from an alphabet without look-alikes (no 0/o, 1/l/i, u), so an id read aloud
// or copied by hand survives.
//
// The first 2 characters name the second the id was made in, modulo 900 (a quarter of an
// hour); the other 6 are drawn from OpenSSL's CSPRNG: 30^6 ≈ 7.3e8 ids a second, which cannot
// be guessed from one another. Ids made in the same second sit together in the ids' index, not
// on a random page each (why: bench/FINDINGS.md). The prefix tells no more than the second
// within its quarter of an hour, and ids are never credentials: every call that takes one
// needs a token. Thread-safe.
class TimeClusteredIdGenerator final : public IdGenerator {
 public:
  explicit TimeClusteredIdGenerator(Clock& clock) : clock_(clock) {}
  std::string NewId() override;

 private:
  Clock& clock_;
};

}  // namespace gatehouse::core
