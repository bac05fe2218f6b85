#pragma once
// The benchmark tools' scratch databases: a SQLite file with its WAL and shared memory.
#include <filesystem>

namespace gatehouse::bench {

// Removes `path` and its -wal and -shm files. Before a measurement too: a WAL left by an
// interrupted run must not be replayed into the fresh database.
inline void RemoveDatabaseFiles(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}

}  // namespace gatehouse::bench
