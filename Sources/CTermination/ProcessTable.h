// The process table, read from /proc: shared by the signal handler and the supervisor.
#ifndef ROBOCHAIN_PROCESS_TABLE_H
#define ROBOCHAIN_PROCESS_TABLE_H
#include <sys/types.h>

/// Calls `body` for every process, with its parent and state letter ('Z' for a zombie). Only
/// system calls (open, getdents64, read, close): safe in a signal handler. Returns the count.
int robochain_for_each_process(void (*body)(pid_t pid, pid_t parent, char state, void *context), void *context);

#endif
