#include "storage/coalescing_vfs.h"

#include <sqlite3.h>

#include <mutex>
#include <stdexcept>
#include <vector>

namespace gatehouse::core {
namespace {

constexpr char kName[] = "gatehouse-coalescing";
// A commit larger than this reaches the file in several writes. The default VFS takes at most
// 128 KiB - 1 per write (it masks the length with 0x1ffff: SQLite's own writes are at most a
// 64 KiB page), and reports a longer one as a full disk.
constexpr size_t kMaxBuffered = 124 * 1024;

// What a WAL file's writer has written and the file does not have yet: one run of bytes.
struct Pending {
  sqlite3_int64 offset = 0;
  std::vector<char> bytes;
};

// SQLite allocates the VFS's szOsFile bytes per open file; `real` is the default VFS's file,
// right behind this one in the same allocation.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  Pending* pending;  // WAL files only; null for the others
};

// Where the real file starts, aligned as SQLite aligns what it allocates.
constexpr size_t kOwnSize = (sizeof(File) + 7) / 8 * 8;

// The VFS this one builds on: the default when this one was registered.
sqlite3_vfs* real_vfs = nullptr;

File& Self(sqlite3_file* file) { return *reinterpret_cast<File*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Self(file).real; }

// Writes what is pending. It is gone afterwards, written or not: a failed write fails the
// transaction that made it, and SQLite writes those frames again if it retries.
int Flush(File& file) {
  if (file.pending == nullptr || file.pending->bytes.empty()) return SQLITE_OK;
  Pending& pending = *file.pending;
  const int rc = file.real->pMethods->xWrite(file.real, pending.bytes.data(),
                                             static_cast<int>(pending.bytes.size()),
                                             pending.offset);
  pending.bytes.clear();
  return rc;
}

int Close(sqlite3_file* file) {
  File& self = Self(file);
  const int flushed = Flush(self);
  delete self.pending;
  self.pending = nullptr;
  const int closed = self.real->pMethods->xClose(self.real);
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = Flush(Self(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xRead(Real(file), out, amount, offset);
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File& self = Self(file);
  if (self.pending == nullptr) {
    return self.real->pMethods->xWrite(self.real, data, amount, offset);
  }
  Pending& pending = *self.pending;
  const size_t size = static_cast<size_t>(amount);
  const bool follows = !pending.bytes.empty() &&
                       offset == pending.offset + static_cast<sqlite3_int64>(pending.bytes.size());
  if (!follows || pending.bytes.size() + size > kMaxBuffered) {
    if (const int rc = Flush(self); rc != SQLITE_OK) return rc;
    if (size > kMaxBuffered) return self.real->pMethods->xWrite(self.real, data, amount, offset);
    pending.offset = offset;
  }
  const char* bytes = static_cast<const char*>(data);
  pending.bytes.insert(pending.bytes.end(), bytes, bytes + size);
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = Flush(Self(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  if (const int rc = Flush(Self(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = Flush(Self(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) { return Real(file)->pMethods->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
// Not flushed first: SQLite ignores what some controls return (size hints), and a failed
// write must reach the caller whose transaction it fails. What they do to the file (grow it)
// leaves the pending bytes to be written over it at the next flush.
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), page, page_size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, pointer);
}

const sqlite3_io_methods kMethods = {
    3,        Close,      Read,     Write,    Truncate, Sync,       FileSize,
    Lock,     Unlock,     CheckReservedLock,  FileControl,          SectorSize,
    DeviceCharacteristics,          ShmMap,   ShmLock,  ShmBarrier, ShmUnmap,
    Fetch,    Unfetch,
};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  File& self = Self(file);
  self.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kOwnSize);
  self.pending = nullptr;
  const int rc = real_vfs->xOpen(real_vfs, name, self.real, flags, out_flags);
  // The methods above forward to version 3 methods, which the default VFS on Linux has.
  const sqlite3_io_methods* real_methods = self.real->pMethods;
  if (rc != SQLITE_OK || real_methods == nullptr || real_methods->iVersion < 3) {
    // SQLite calls xClose only for a file whose pMethods is set; the real file, if it got
    // methods anyway, is closed here.
    if (real_methods != nullptr) real_methods->xClose(self.real);
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  if ((flags & SQLITE_OPEN_WAL) != 0) self.pending = new Pending;
  file->pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void DlError(sqlite3_vfs*, int size, char* out) { real_vfs->xDlError(real_vfs, size, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real_vfs->xDlSym(real_vfs, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int Randomness(sqlite3_vfs*, int size, char* out) {
  return real_vfs->xRandomness(real_vfs, size, out);
}
int Sleep(sqlite3_vfs*, int microseconds) { return real_vfs->xSleep(real_vfs, microseconds); }
int CurrentTime(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return real_vfs->xGetLastError(real_vfs, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

}  // namespace

const char* CoalescingVfsName() {
  static std::once_flag registered;
  static sqlite3_vfs vfs{};
  std::call_once(registered, [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    if (real_vfs == nullptr || real_vfs->iVersion < 2) {
      throw std::runtime_error("SQLite has no default VFS to build on");
    }
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(kOwnSize) + real_vfs->szOsFile;  // ours, then the real one
    vfs.mxPathname = real_vfs->mxPathname;
    vfs.zName = kName;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    if (const int rc = sqlite3_vfs_register(&vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
      throw std::runtime_error(std::string("cannot register a SQLite VFS: ") + sqlite3_errstr(rc));
    }
  });
  return kName;
}

}  // namespace gatehouse::core
