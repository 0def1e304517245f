#ifndef ROBOCHAIN_CSPAWN_H
#define ROBOCHAIN_CSPAWN_H
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically (no other thread's spawn can
/// inherit them). Returns 0, or -1 with errno set.
int robochain_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child starts in `path`.
/// Returns 0 or an error number.
int robochain_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
