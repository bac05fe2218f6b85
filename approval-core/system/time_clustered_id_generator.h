#pragma once

#include "domain/clock.h"
#include "domain/id_generator.h"

namespace gatehouse::core {

// 8 characters from an alphabet without look-alikes (no 0/o, 1/l/i, u), so an id read aloud
// or copied by hand survives.
//
// The first 2 characters name the second the id was made in, modulo 900 (a quarter of an
// hour); the other 6 are drawn from OpenSSL's CSPRNG: 30^6 ≈ 7.3e8 ids a second, which cannot
// be guessed from one another. Why not all 8 random: the ids' UNIQUE index took a random leaf
// page per new applicant, which on a grown database meant a page read past SQLite's cache and a
// scattered page for every checkpoint to copy. Ids made in the same second now sit together
// in the index, and the next second's just after them: hook 2 answered 4 to 17 % more
// applicants a second on a database of 300,000 requests (bench/FINDINGS.md). The prefix tells
// no more than the second within its quarter of an hour, and ids are never credentials: every
// call that takes one needs a token.
class TimeClusteredIdGenerator final : public IdGenerator {
 public:
  explicit TimeClusteredIdGenerator(Clock& clock) : clock_(clock) {}
  std::string NewId() override;

 private:
  Clock& clock_;
};

}  // namespace gatehouse::core
