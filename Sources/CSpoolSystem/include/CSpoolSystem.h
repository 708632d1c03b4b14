#ifndef CSPOOL_SYSTEM_H
#define CSPOOL_SYSTEM_H

/// rename(2) that never replaces an existing target: renameat2(2) with
/// RENAME_NOREPLACE (Linux >= 3.15), which Swift's Glibc module does not
/// export. Returns 0, or -1 with errno set (EEXIST when the target exists).
int cspool_rename_noreplace(const char *from, const char *to);

/// An anonymous regular file in memory (memfd_create(2), close-on-exec), for
/// reading bytes received over HTTP with the same reader as spool files.
/// Returns the descriptor, or -1 with errno set.
int cspool_memory_file(const char *name);

#endif
