#ifndef ROBOCHAIN_CTERMINATION_H
#define ROBOCHAIN_CTERMINATION_H
#include <sys/types.h>

/// Cleanup when robochain is stopped by a signal (Ctrl-C: SIGINT; SIGTERM; SIGHUP).
///
/// A process that dies by a signal runs no Swift code: plugins it started (in their own process
/// groups, out of reach of the terminal's Ctrl-C) would run on, orphaned, and temporary output
/// files would stay. The handler installed by `robochain_termination_install` kills every
/// registered process or process group, asks every registered supervisor to kill its child's
/// tree and waits for it (at most 3 s), kills the orphans robochain adopted, removes every
/// registered file, then dies by the same signal (so the shell sees it: status 130 for Ctrl-C).
/// It uses only async-signal-safe calls (`kill`, `waitid`, `unlink`, `nanosleep`, `sigaction`,
/// `raise`) on lock-free registries; registering is thread-safe.
///
/// A process started just as the signal arrives would escape: it exists before it is
/// registered. So a start is bracketed by `robochain_termination_begin_start` and
/// `robochain_termination_end_start` (after registering it), and the handler waits for the
/// starts under way (at most 3 s) before it kills.

/// Installs the handler for SIGINT, SIGTERM and SIGHUP, except those that are ignored (as under
/// `nohup`), and unblocks them in the calling thread's signal mask (threads started later
/// inherit it); and the handler of SIGBUS for mapped input files (below). Call once, early,
/// before starting threads.
void robochain_termination_install(void);

/// Begins starting a process: blocks the termination signals in the calling thread and counts
/// the start as under way. Returns 0, or -1 when robochain is already being stopped (then start
/// nothing; the window is already closed).
int robochain_termination_begin_start(void);

/// Ends a start begun by `robochain_termination_begin_start`, once the process is registered
/// (or failed to start): restores the thread's signal mask, so a signal that came meanwhile is
/// handled now.
void robochain_termination_end_start(void);

/// Makes robochain the reaper of its descendants' orphans (`PR_SET_CHILD_SUBREAPER`). Every
/// child process runs under a supervisor of its own (below), which is the reaper of that child's
/// orphans; robochain adopts only what a supervisor leaves (one that was itself killed by
/// `kill -9`), and `robochain_termination_kill_orphans` (after each run) and the exit of
/// robochain kill it. Children this process had before (a shell may `exec` robochain) are left
/// alone. Called by `robochain_termination_install`.
void robochain_termination_adopt_orphans(void);

/// Kills and reaps every child of this process that nobody started through the registry (the
/// orphans adopted as subreaper), their own children in turn; does nothing while a registered
/// process runs (its run sweeps at its end) or before `robochain_termination_adopt_orphans`.
/// Returns 1 if it swept, 0 if not.
int robochain_termination_kill_orphans(void);

/// Registers a supervisor (see below). When robochain is stopped by a signal or exits, it is
/// asked to stop (SIGTERM) and given up to 3 s to kill its tree before it is killed itself.
/// Returns 0, or -1 when the registry is full.
int robochain_termination_add_supervisor(pid_t supervisor);

/// Unregisters a supervisor (once it has been reaped).
void robochain_termination_remove_supervisor(pid_t supervisor);

/// Registers a kill target: a process id, or a negated process-group id for a whole group,
/// killed with SIGKILL when robochain is stopped by a signal. Returns 0, or -1 when the registry
/// is full (then the target is not cleaned up).
int robochain_termination_add_process(pid_t target);

/// Unregisters a kill target (once it has been reaped).
void robochain_termination_remove_process(pid_t target);

/// Registers a file to remove (a copy of `path` is kept). Returns 0, or -1 when full.
int robochain_termination_add_file(const char *path);

/// Unregisters a file (once it has been renamed or removed).
void robochain_termination_remove_file(const char *path);

// A registered path that is a directory is removed (rmdir) after every registered file.

/// Mapped input files. A file mapped into memory (a model file read without copying) that
/// another program cuts short while robochain reads it makes the next read past its new end
/// raise SIGBUS, which would kill robochain with no message. The handler installed by
/// `robochain_termination_install` catches it: if the faulting address lies in a registered
/// mapping (a fault past its end, `BUS_ADRERR`), it writes that mapping's message to standard
/// error (once, if two threads fault), cleans up as for a termination signal (processes killed,
/// registered files removed) and exits with status 66 (input cannot be read). Any other SIGBUS
/// goes to what handled it before the install (the Swift runtime's crash backtracer, or the
/// default action). Registering is thread-safe.
///
/// Registers the mapping [`base`, `base` + `length`) with the message to print (a copy of at
/// most 1023 bytes is kept). Returns 0, or -1 when the registry (64 mappings) is full: then do
/// not use the mapping (read the file instead).
int robochain_termination_add_mapping(const void *base, size_t length, const char *message);

/// Unregisters the mapping that starts at `base` (before it is unmapped).
void robochain_termination_remove_mapping(const void *base);

/// Opens a new anonymous file in `directory` for writing (Linux's O_TMPFILE, mode 0600): it has
/// no name until `robochain_link_anonymous` gives it one, so if robochain is killed (by SIGKILL
/// too) before, nothing is left in the directory. Returns the descriptor (close-on-exec), or
/// -1 with errno set when the file system, the kernel or a missing /proc does not allow it.
int robochain_open_anonymous(const char *directory);

/// Gives the anonymous file open on `descriptor` the name `path` (which must not exist), via
/// /proc/self/fd. Returns 0, or -1 with errno set.
int robochain_link_anonymous(int descriptor, const char *path);

/// The supervisor: a small process between robochain and each child process it runs.
///
/// robochain starts it with `posix_spawn` from its own binary (`robochain_supervisor_executable`,
/// `/proc/self/exe`) with the arguments `ROBOCHAIN_SUPERVISOR_NAME ROBOCHAIN_SUPERVISOR_FLAG COUNT
/// EXECUTABLE ARGUMENTS…` (COUNT counts EXECUTABLE and its ARGUMENTS) and an environment of its
/// own: the dynamic loader's `LD_LIBRARY_PATH` if robochain has one, and the child's environment
/// ENVIRONMENT, each entry prefixed with `ROBOCHAIN_SUPERVISOR_ENVIRONMENT` (a process's
/// arguments are readable by every user in /proc, its environment only by its own; and nothing
/// else of robochain's environment is there for the child to read in its parent's), in the child's
/// working directory, with the child's standard streams on descriptors 0–2, one end of a socket
/// pair on descriptor `ROBOCHAIN_SUPERVISOR_CONTROL_FD` (robochain keeps the other end, close-on-exec,
/// and no other process has it), and SIGCHLD, SIGTERM, SIGINT and SIGHUP blocked. A constructor in
/// this library recognises the arguments and runs the supervisor before `main` (so it runs in
/// any program linking this library, the test runner included). The supervisor:
///
/// - becomes a child subreaper (`PR_SET_CHILD_SUBREAPER`): an orphan of the child's tree (one that
///   called `setsid` and whose parent died) becomes its child, not robochain's;
/// - closes every other descriptor, starts EXECUTABLE with `posix_spawn` in a process group of its
///   own, with default signal handling, an empty signal mask and ENVIRONMENT, and writes two
///   `int32_t` on the socket: 0 and the child's process id, or an error number and 0 (then it
///   exits with status 127); it then puts `/dev/null` on its own descriptors 0–2;
/// - waits for the child's exit (SIGCHLD, through a signalfd), for SIGTERM, SIGINT or SIGHUP
///   (robochain's request to stop: a timeout, an output limit, robochain being stopped), and for
///   its socket to become readable (robochain closed it, or ended: even `kill -9` closes it);
/// - then kills what is left of the tree (every descendant, found through `/proc` by parent, is
///   stopped with SIGSTOP as it is found and killed when none is left to find), in rounds, until
///   it has no child left, reaping them all;
/// - and ends as the child ended: with its exit status, or killed by its signal (re-raised with
///   the default disposition, without a core dump), so robochain sees the child's own outcome.
#define ROBOCHAIN_SUPERVISOR_NAME "robochain-supervisor"
#define ROBOCHAIN_SUPERVISOR_FLAG "--robochain-supervise-1"
#define ROBOCHAIN_SUPERVISOR_CONTROL_FD 3
#define ROBOCHAIN_SUPERVISOR_ENVIRONMENT "ROBOCHAIN_SUPERVISED="

/// The program to start as the supervisor: this process's own executable.
const char *robochain_supervisor_executable(void);

#endif
