#pragma once

namespace gatehouse::core {

// The name of a SQLite VFS, registered on first use, that is the default one except for WAL
// files: their writes between two syncs reach the file as one write. SQLite writes each WAL
// frame as two (a 24-byte header, then the page), so a commit of hook 2's ~17 pages made 34
// pwrite calls; as one, a commit of 17 frames and its fdatasync takes about 40 % less CPU and
// 25 % less time on a 2-core VM's disk; the store alone spent 30 % less system CPU per
// applicant, and hook 2 at 16 connections answered a median 5 % more per second (eleven
// alternating pairs of stacks, -14 to +20 %: the machine is noisy). Everything reaches the file
// before the sync that makes it durable, and before anything reads, truncates or sizes the
// file, so SQLite sees the file it wrote; a failed write comes back from the call that flushed
// it.
const char* CoalescingVfsName();

}  // namespace gatehouse::core
