#ifndef ROBOCHAIN_CTERMINATION_H
#define ROBOCHAIN_CTERMINATION_H
#include <sys/types.h>

/// Cleanup when robochain is stopped by a signal (Ctrl-C: SIGINT; SIGTERM; SIGHUP).
///
/// A process that dies by a signal runs no Swift code: plugins it started (in their own process
/// groups, out of reach of the terminal's Ctrl-C) would run on, orphaned, and temporary output
/// files would stay. The handler installed by `robochain_termination_install` kills every
/// registered process or process group, removes every registered file, then dies by the same
/// signal (so the shell sees it: status 130 for Ctrl-C). It uses only async-signal-safe calls
/// (`kill`, `unlink`, `nanosleep`, `sigaction`, `raise`) on lock-free registries; registering
/// is thread-safe.
///
/// A process started just as the signal arrives would escape: it exists before it is
/// registered. So a start is bracketed by `robochain_termination_begin_start` and
/// `robochain_termination_end_start` (after registering it), and the handler waits for the
/// starts under way (at most 3 s) before it kills.

/// Installs the handler for SIGINT, SIGTERM and SIGHUP, except those that are ignored (as under
/// `nohup`), and unblocks them in the calling thread's signal mask (threads started later
/// inherit it). Call once, early, before starting threads.
void robochain_termination_install(void);

/// Begins starting a process: blocks the termination signals in the calling thread and counts
/// the start as under way. Returns 0, or -1 when robochain is already being stopped (then start
/// nothing; the window is already closed).
int robochain_termination_begin_start(void);

/// Ends a start begun by `robochain_termination_begin_start`, once the process is registered
/// (or failed to start): restores the thread's signal mask, so a signal that came meanwhile is
/// handled now.
void robochain_termination_end_start(void);

/// Makes robochain the reaper of its descendants' orphans (`PR_SET_CHILD_SUBREAPER`): a
/// plugin's child that leaves its process group (`setsid`) and outlives the plugin becomes
/// robochain's child, and `robochain_termination_kill_orphans` (after each run) and the exit
/// of robochain kill it. The first registered process also starts a guardian: a small process
/// that kills every registered target when robochain ends, even by `kill -9`. Children this
/// process had before (a shell may `exec` robochain) are left alone. Called by
/// `robochain_termination_install`.
void robochain_termination_adopt_orphans(void);

/// Kills and reaps every child of this process that nobody started through the registry (the
/// orphans adopted as subreaper), their own children in turn; does nothing while a registered
/// process runs (its run sweeps at its end) or before `robochain_termination_adopt_orphans`.
/// Returns 1 if it swept, 0 if not.
int robochain_termination_kill_orphans(void);

/// Registers a kill target: a process id, or a negated process-group id for a whole group.
/// Returns 0, or -1 when the registry is full (then the target is not cleaned up).
int robochain_termination_add_process(pid_t target);

/// Unregisters a kill target (once it has been reaped).
void robochain_termination_remove_process(pid_t target);

/// Registers a file to remove (a copy of `path` is kept). Returns 0, or -1 when full.
int robochain_termination_add_file(const char *path);

/// Unregisters a file (once it has been renamed or removed).
void robochain_termination_remove_file(const char *path);

#endif
