// GNU extensions of glibc that Swift's Glibc module does not declare, and the contained start.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "CSpawn.h"

int robochain_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int robochain_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

// MARK: - Contained start

static atomic_int containmentMode;  // 0 unknown, 1 PID namespace, 2 user + PID namespaces, 3 none

int robochain_containment_mode(void) {
    return atomic_load(&containmentMode);
}

// A fork through the system call: glibc's fork runs atfork handlers (and takes locks) that a
// child of a multi-threaded process must not.
static pid_t rawClone(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void writeAll(int descriptor, const void *bytes, size_t count) {
    while (count > 0) {
        ssize_t done = write(descriptor, bytes, count);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) return;
        bytes = (const char *)bytes + done;
        count -= (size_t)done;
    }
}

static void closeFrom(int first) {
    if (syscall(SYS_close_range, (unsigned)first, ~0U, 0U) != 0) {
        for (int descriptor = first; descriptor < 65536; descriptor++) close(descriptor);
    }
}

// The init (PID 1 of the new namespace). Only system calls: see the header.
static void containedInit(int go, int report, int status, const char *path, char *const argv[], char *const envp[],
                          const char *directory, int input, int output, int error) {
    // Dies with the thread that started it (a SIGKILL of robochain included); the namespace
    // goes with it. The parent writes to `go` after this, so its death before it is seen too.
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    // Out of the way of 0-4 first (robochain may run with standard descriptors closed).
    int moved[5] = { input, output, error, report, status };
    for (int index = 0; index < 5; index++) {
        moved[index] = fcntl(moved[index], F_DUPFD_CLOEXEC, 10);
        if (moved[index] < 0) _exit(127);
    }
    char byte;
    ssize_t got;
    do { got = read(go, &byte, 1); } while (got < 0 && errno == EINTR);
    if (got != 1) _exit(127);
    if (dup2(moved[0], 0) < 0 || dup2(moved[1], 1) < 0 || dup2(moved[2], 2) < 0) _exit(127);
    if (dup2(moved[3], 3) < 0 || dup2(moved[4], 4) < 0) _exit(127);
    fcntl(3, F_SETFD, FD_CLOEXEC);
    fcntl(4, F_SETFD, FD_CLOEXEC);
    closeFrom(5);
    setpgid(0, 0);
    pid_t program = rawClone(0);
    if (program == 0) {
        close(4);
        int problem = 0;
        if (chdir(directory) != 0) {
            problem = errno;
        } else {
            struct sigaction standard;
            memset(&standard, 0, sizeof standard);
            standard.sa_handler = SIG_DFL;
            for (int signalNumber = 1; signalNumber < NSIG; signalNumber++) sigaction(signalNumber, &standard, NULL);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            execve(path, argv, envp);
            problem = errno;
        }
        writeAll(3, &problem, sizeof problem);
        _exit(127);
    }
    if (program < 0) {
        int problem = errno;
        writeAll(3, &problem, sizeof problem);
        _exit(127);
    }
    // The program's pipes must close when it ends: the init holds none of them.
    close(0);
    close(1);
    close(2);
    close(3);
    for (;;) {
        int programStatus = 0;
        pid_t ended = waitpid(-1, &programStatus, 0);
        if (ended == program) {
            writeAll(4, &programStatus, sizeof programStatus);
            _exit(0);  // and the kernel kills whatever is left in the namespace
        }
        if (ended < 0 && errno != EINTR) _exit(127);
    }
}

static int writeFile(const char *path, const char *text) {
    int descriptor = open(path, O_WRONLY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    ssize_t length = (ssize_t)strlen(text);
    ssize_t done = write(descriptor, text, (size_t)length);
    close(descriptor);
    return done == length ? 0 : -1;
}

// Maps the caller's user and group to themselves in the child's user namespace.
static int mapIdentity(pid_t child) {
    char path[64], text[64];
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)child);
    snprintf(text, sizeof text, "%u %u 1\n", (unsigned)geteuid(), (unsigned)geteuid());
    if (writeFile(path, text) != 0) return -1;
    snprintf(path, sizeof path, "/proc/%d/setgroups", (int)child);
    if (writeFile(path, "deny") != 0) return -1;
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)child);
    snprintf(text, sizeof text, "%u %u 1\n", (unsigned)getegid(), (unsigned)getegid());
    return writeFile(path, text);
}

static void closeBoth(int pair[2]) {
    if (pair[0] >= 0) close(pair[0]);
    if (pair[1] >= 0) close(pair[1]);
    pair[0] = pair[1] = -1;
}

static void reap(pid_t child) {
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
}

int robochain_spawn_contained(pid_t *pid, int *statusDescriptor, const char *path, char *const argv[],
                              char *const envp[], const char *directory, int input, int output, int error) {
    int mode = atomic_load(&containmentMode);
    if (mode == 3) return -1;
    int go[2] = { -1, -1 }, report[2] = { -1, -1 }, status[2] = { -1, -1 };
    if (pipe2(go, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0) {
        int problem = errno;
        closeBoth(go);
        closeBoth(report);
        closeBoth(status);
        return problem;
    }
    // No handler of this process may run in the child.
    sigset_t all, before;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &before);
    pid_t child = -1;
    int cloneProblem = 0;
    int tried[2] = { 1, 2 };
    for (int index = (mode == 2 ? 1 : 0); index < 2; index++) {
        unsigned long flags = tried[index] == 1 ? CLONE_NEWPID : (CLONE_NEWUSER | CLONE_NEWPID);
        child = rawClone(flags);
        if (child < 0) cloneProblem = errno;
        if (child == 0) {
            containedInit(go[0], report[1], status[1], path, argv, envp, directory, input, output, error);
        }
        if (child > 0) {
            if (tried[index] == 2 && mapIdentity(child) != 0) {
                kill(child, SIGKILL);
                reap(child);
                child = -1;
                cloneProblem = EPERM;
                continue;
            }
            mode = tried[index];
            break;
        }
    }
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    close(go[0]);
    close(report[1]);
    close(status[1]);
    if (child <= 0) {
        close(go[1]);
        close(report[0]);
        close(status[0]);
        // Namespaces not allowed here (or not built in): never again. Anything else (no memory,
        // too many processes) is this start's failure.
        if (cloneProblem == EPERM || cloneProblem == EINVAL || cloneProblem == ENOSPC || cloneProblem == EUSERS
            || cloneProblem == ENOSYS || cloneProblem == EACCES) {
            atomic_store(&containmentMode, 3);
            return -1;
        }
        return cloneProblem;
    }
    atomic_store(&containmentMode, mode);
    // The group exists from here, whichever of the two runs first.
    setpgid(child, child);
    writeAll(go[1], "g", 1);
    close(go[1]);
    // The program's start: nothing (its exec closed the report pipe) or the reason it failed.
    int problem = 0;
    size_t have = 0;
    for (;;) {
        ssize_t got = read(report[0], (char *)&problem + have, sizeof problem - have);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        have += (size_t)got;
        if (have == sizeof problem) break;
    }
    close(report[0]);
    if (have == sizeof problem && problem != 0) {
        reap(child);
        close(status[0]);
        return problem;
    }
    *pid = child;
    *statusDescriptor = status[0];
    return 0;
}
