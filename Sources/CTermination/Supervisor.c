// The supervisor a child process runs under: see CTermination.h.
//
// It runs in a process of its own, exec'd from this very binary (/proc/self/exe) with a marker in
// its arguments, and takes over in a constructor, before main and before any Swift code: a fresh,
// single-threaded process, so it may call what it likes (posix_spawn included) and holds only the
// descriptors it was given (robochain creates every other one close-on-exec, and the rest are
// closed here).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "CTermination.h"
#include "ProcessTable.h"

enum { control = ROBOCHAIN_SUPERVISOR_CONTROL_FD };

static pid_t plugin;
static int pluginStatus;
static bool pluginReaped;

const char *robochain_supervisor_executable(void) {
    return "/proc/self/exe";
}

static void say(const char *text) {
    ssize_t ignored = write(STDERR_FILENO, text, strlen(text));
    (void)ignored;
}

// Reaps every child that has ended: the orphans it adopted, and the child it started (whose
// status is kept). Returns false when it has no child left, alive or dead.
static bool reapChildren(void) {
    for (;;) {
        int status = 0;
        pid_t child = waitpid(-1, &status, WNOHANG | __WALL);
        if (child > 0) {
            if (child == plugin) {
                pluginStatus = status;
                pluginReaped = true;
            }
            continue;
        }
        if (child < 0 && errno == EINTR) continue;
        return !(child < 0 && errno == ECHILD);
    }
}

enum { treeCapacity = 4096 };

static struct {
    pid_t members[treeCapacity];
    int count;
    int added;
} tree;

static bool inTree(pid_t pid) {
    for (int index = 0; index < tree.count; index++) if (tree.members[index] == pid) return true;
    return false;
}

// Adds a process whose parent is in the tree, stopped at once so that it starts nothing more.
static void growTree(pid_t pid, pid_t parent, char state, void *context) {
    (void)context;
    if (tree.count < treeCapacity && inTree(parent) && !inTree(pid)) {
        if (state != 'Z') kill(pid, SIGSTOP);
        tree.members[tree.count++] = pid;
        tree.added++;
    }
}

// Stops every descendant of this process (found through /proc by parent, in rounds until no
// new one turns up), then kills them all. Returns how many it found.
static int killDescendants(void) {
    tree.count = 0;
    tree.members[tree.count++] = getpid();
    for (int round = 0; round < 100; round++) {
        tree.added = 0;
        robochain_for_each_process(growTree, NULL);
        if (tree.added == 0) break;
    }
    for (int index = 1; index < tree.count; index++) kill(tree.members[index], SIGKILL);
    return tree.count - 1;
}

// Kills whatever is left of the tree, in rounds, until this process has no child at all. As a
// subreaper it is the ancestor of every process the child started (an orphan comes to it), so
// having no child means that none of them is left.
static void killTree(void) {
    sigset_t childSignal;
    sigemptyset(&childSignal);
    sigaddset(&childSignal, SIGCHLD);
    while (reapChildren()) {
        killDescendants();
        struct timespec pause = { 0, 20 * 1000 * 1000 };
        sigtimedwait(&childSignal, NULL, &pause);
    }
}

// Ends this process as the child it started ended: the same exit status, or the same signal.
__attribute__((noreturn)) static void finish(void) {
    if (!pluginReaped) _exit(127);
    if (WIFEXITED(pluginStatus)) _exit(WEXITSTATUS(pluginStatus));
    int signalNumber = WTERMSIG(pluginStatus);
    // No core dump of the supervisor for the child's crash (the child made its own, if any).
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit noCore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &noCore);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signalNumber, &action, NULL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signalNumber);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    kill(getpid(), signalNumber);
    _exit(128 + signalNumber);
}

// Tells robochain how the start went: 0 and the child's process id, or the error.
static void report(int32_t error, int32_t pid) {
    int32_t record[2] = { error, pid };
    send(control, record, sizeof record, MSG_NOSIGNAL);
}

__attribute__((noreturn)) static void supervise(int argc, char **argv, char **envp) {
    // argv: NAME FLAG COUNT EXECUTABLE ARGUMENTS… (COUNT counts EXECUTABLE and ARGUMENTS); the
    // child's environment: the entries of envp prefixed with ROBOCHAIN_SUPERVISOR_ENVIRONMENT.
    if (fcntl(control, F_GETFD) < 0) {
        say(ROBOCHAIN_SUPERVISOR_NAME ": no control descriptor; this mode is for robochain's own use\n");
        _exit(127);
    }
    char *end = NULL;
    long count = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != 0 || count < 1 || count > argc - 3) {
        report(EINVAL, 0);
        _exit(127);
    }
    char **arguments = calloc((size_t)count + 1, sizeof *arguments);
    if (arguments == NULL) {
        report(ENOMEM, 0);
        _exit(127);
    }
    memcpy(arguments, argv + 3, (size_t)count * sizeof *arguments);
    size_t entries = 0;
    for (char **entry = envp; entry != NULL && *entry != NULL; entry++) entries++;
    char **environment = calloc(entries + 1, sizeof *environment);
    if (environment == NULL) {
        report(ENOMEM, 0);
        _exit(127);
    }
    size_t prefix = strlen(ROBOCHAIN_SUPERVISOR_ENVIRONMENT), kept = 0;
    for (char **entry = envp; entry != NULL && *entry != NULL; entry++) {
        if (strncmp(*entry, ROBOCHAIN_SUPERVISOR_ENVIRONMENT, prefix) == 0) environment[kept++] = *entry + prefix;
    }

    // Nothing of robochain's but the child's standard streams and the control socket.
    if (syscall(SYS_close_range, (unsigned)control + 1, ~0U, 0U) != 0) {
        for (int descriptor = control + 1; descriptor < 65536; descriptor++) close(descriptor);
    }
    fcntl(control, F_SETFD, FD_CLOEXEC);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    // The signals it waits for; robochain started it with them blocked already, so one sent
    // before this point waits too.
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGINT);
    sigaddset(&watched, SIGHUP);
    sigprocmask(SIG_BLOCK, &watched, NULL);
    int signals = signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
    sigset_t pending;
    sigpending(&pending);
    if (signals < 0 || sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT) || sigismember(&pending, SIGHUP)) {
        report(signals < 0 ? errno : ECANCELED, 0);
        _exit(127);
    }

    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    const int defaulted[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD };
    for (size_t index = 0; index < sizeof defaulted / sizeof defaulted[0]; index++) sigaddset(&defaults, defaulted[index]);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    int spawned = 0;
    // ETXTBSY: the executable is open for writing somewhere, typically a descriptor that a process
    // started at that moment inherited while the file was being written. It passes once that
    // descriptor is closed; wait for it a little (at most about a second).
    for (int attempt = 0; attempt < 20; attempt++) {
        spawned = posix_spawn(&plugin, arguments[0], NULL, &attributes, arguments, environment);
        if (spawned != ETXTBSY) break;
        struct timespec pause = { 0, 5 * 1000 * 1000 * (attempt + 1) };
        nanosleep(&pause, NULL);
    }
    report(spawned, spawned == 0 ? plugin : 0);
    if (spawned != 0) _exit(127);

    // The child's standard streams are the child's alone: a pipe held open here would hide its
    // end from robochain (a child that closes its standard input early, say).
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int descriptor = 0; descriptor <= 2; descriptor++) {
        if (null >= 0) dup2(null, descriptor); else close(descriptor);
    }
    if (null > 2) close(null);

    for (;;) {
        struct pollfd watch[2] = { { signals, POLLIN, 0 }, { control, POLLIN, 0 } };
        if (poll(watch, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;  // cannot wait: kill the tree rather than leave it unwatched
        }
        if (watch[1].revents != 0) break;  // robochain's end: closed (robochain ended, even by kill -9), or a request to stop
        struct signalfd_siginfo information;
        bool stop = false;
        while (read(signals, &information, sizeof information) == (ssize_t)sizeof information) {
            if (information.ssi_signo != SIGCHLD) stop = true;  // SIGTERM, SIGINT, SIGHUP: robochain's cancel
        }
        if (stop) break;
        reapChildren();
        if (pluginReaped) break;
    }
    killTree();
    finish();
}

// glibc passes constructors the program's arguments.
__attribute__((constructor)) static void robochain_supervisor_entry(int argc, char **argv, char **envp) {
    if (argc < 3 || argv == NULL || argv[0] == NULL || argv[1] == NULL) return;
    if (strcmp(argv[0], ROBOCHAIN_SUPERVISOR_NAME) != 0 || strcmp(argv[1], ROBOCHAIN_SUPERVISOR_FLAG) != 0) return;
    supervise(argc, argv, envp);
}
