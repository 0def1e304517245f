#ifndef ROBOCHAIN_CSPAWN_H
#define ROBOCHAIN_CSPAWN_H
#include <spawn.h>
#include <sys/types.h>

/// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically (no other thread's spawn can
/// inherit them). Returns 0, or -1 with errno set.
int robochain_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child starts in `path`.
/// Returns 0 or an error number.
int robochain_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// Starts `path` contained in a new PID namespace, so that none of its descendants can outlive
/// the calling thread, even when this process is killed by SIGKILL.
///
/// The process started (`*pid`) is a small init, PID 1 of the new namespace, holding
/// `PR_SET_PDEATHSIG(SIGKILL)`; it starts the program as PID 2 (standard input, output and error
/// from `input`, `output`, `error`; working directory `directory`; every signal at its default,
/// none blocked; in the init's process group, whose id is `*pid`), reaps every orphan of the
/// namespace, and exits when the program exits, after writing the program's wait status (an
/// `int`) to `*statusDescriptor`. When a PID namespace's init ends, however it ends, the kernel
/// kills every process left in the namespace: so the program's descendants die when it ends, when
/// the init is killed (`kill(-*pid, SIGKILL)`), and when the calling thread dies (the parent-death
/// signal kills the init), even those that left the group or the session.
///
/// A PID namespace needs CAP_SYS_ADMIN; without it, the namespace is made inside a new user
/// namespace that maps only the caller's user and group ids to themselves (so files keep their
/// owner). Where neither is allowed, nothing is started and the function returns -1 (at once on
/// later calls): the caller falls back to `posix_spawn`.
///
/// Only system calls run between the clone and the exec (the caller may have other threads).
///
/// Returns 0 with `*pid` and `*statusDescriptor` (close-on-exec; the caller closes it) set, an
/// error number if the program could not be started (`chdir` or `execve` failed; the init is
/// reaped), or -1 when containment is unavailable.
int robochain_spawn_contained(pid_t *pid, int *statusDescriptor, const char *path, char *const argv[],
                              char *const envp[], const char *directory, int input, int output, int error);

/// How plugins are contained: 1 a PID namespace, 2 a PID namespace in a user namespace, 3 none
/// (unavailable), 0 not yet known (nothing was started).
int robochain_containment_mode(void);

#endif
