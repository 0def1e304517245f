// Cleanup on termination signals: see CTermination.h.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "CTermination.h"

enum { slotCount = 256 };

static _Atomic pid_t processes[slotCount];   // 0: free
static _Atomic(char *) files[slotCount];     // NULL: free
static atomic_int startsUnderway;            // threads between starting a process and registering it
static atomic_bool terminating;
static _Thread_local sigset_t maskBeforeStart;

// Orphans: robochain is a child subreaper, so a plugin's descendant whose parent died (one
// that called setsid, say) becomes robochain's child, and is killed by killOrphans.
static atomic_bool adopting;
enum { exemptCapacity = 64 };
static pid_t exempt[exemptCapacity];         // children robochain did not start (had before exec), and the guardian
static atomic_int exemptCount;
// The guardian: a process that kills every registered target when robochain's end of a socket
// closes, which happens however robochain ends (kill -9 included).
static atomic_int guardianSocket = -1;
static atomic_int guardianState;             // 0: not started, 1: starting, 2: running, 3: failed
static atomic_int guardianProcess;

static void killOrphans(bool everything);
static void stopGuardian(void);
static void tellGuardian(int operation, pid_t target);

static void terminate(int signalNumber) {
    // Sequentially consistent with robochain_termination_begin_start: either that sees
    // `terminating` and starts nothing, or this sees its count and waits for it to register
    // what it started (its thread has these signals blocked meanwhile, so it is not this one).
    atomic_store(&terminating, true);
    for (int wait = 0; wait < 300 && atomic_load(&startsUnderway) > 0; wait++) {
        struct timespec pause = { 0, 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t target = atomic_load(&processes[slot]);
        if (target != 0) kill(target, SIGKILL);
    }
    killOrphans(true);
    stopGuardian();
    for (int slot = 0; slot < slotCount; slot++) {
        char *path = atomic_load(&files[slot]);
        if (path != NULL) unlink(path);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signalNumber, &action, NULL);
    raise(signalNumber);
}

void robochain_termination_install(void) {
    const int signals[] = { SIGINT, SIGTERM, SIGHUP };
    // A blocked mask is inherited from whatever started robochain (some runtimes block signals
    // in their threads); blocked, these signals would never stop it.
    sigset_t unblocked;
    sigemptyset(&unblocked);
    for (size_t index = 0; index < sizeof signals / sizeof signals[0]; index++) sigaddset(&unblocked, signals[index]);
    pthread_sigmask(SIG_UNBLOCK, &unblocked, NULL);
    for (size_t index = 0; index < sizeof signals / sizeof signals[0]; index++) {
        struct sigaction current;
        if (sigaction(signals[index], NULL, &current) != 0 || current.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = terminate;
        sigfillset(&action.sa_mask);  // one cleanup at a time
        sigaction(signals[index], &action, NULL);
    }
    robochain_termination_adopt_orphans();
}

static void terminationSignals(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

int robochain_termination_begin_start(void) {
    sigset_t blocked;
    terminationSignals(&blocked);
    pthread_sigmask(SIG_BLOCK, &blocked, &maskBeforeStart);
    atomic_fetch_add(&startsUnderway, 1);
    if (atomic_load(&terminating)) {
        robochain_termination_end_start();
        return -1;
    }
    return 0;
}

void robochain_termination_end_start(void) {
    atomic_fetch_sub(&startsUnderway, 1);
    pthread_sigmask(SIG_SETMASK, &maskBeforeStart, NULL);
}

int robochain_termination_add_process(pid_t target) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t expected = 0;
        if (atomic_compare_exchange_strong(&processes[slot], &expected, target)) {
            tellGuardian(1, target);
            return 0;
        }
    }
    return -1;
}

void robochain_termination_remove_process(pid_t target) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t expected = target;
        if (atomic_compare_exchange_strong(&processes[slot], &expected, 0)) {
            tellGuardian(0, target);
            return;
        }
    }
}

// MARK: - Orphans and the guardian

static bool isRegistered(pid_t pid) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t target = atomic_load(&processes[slot]);
        if (target == pid || target == -pid) return true;
    }
    return false;
}

static bool isExempt(pid_t pid) {
    int count = atomic_load(&exemptCount);
    for (int index = 0; index < count && index < exemptCapacity; index++) {
        if (exempt[index] == pid) return true;
    }
    return false;
}

static void addExempt(pid_t pid) {
    int index = atomic_fetch_add(&exemptCount, 1);
    if (index < exemptCapacity) exempt[index] = pid;
}

struct directoryEntry {
    unsigned long long inode;
    long long offset;
    unsigned short length;
    unsigned char type;
    char name[];
};

// Calls body for every process, with its parent and state letter ('Z' for a zombie). Only
// system calls (open, getdents64, read, close): safe in a signal handler. Returns the count.
static int forEachProcess(void (*body)(pid_t pid, pid_t parent, char state, void *context), void *context) {
    int directory = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) return 0;
    int count = 0;
    char entries[8192] __attribute__((aligned(8)));
    for (;;) {
        long got = syscall(SYS_getdents64, directory, entries, sizeof entries);
        if (got <= 0) break;
        for (long offset = 0; offset < got;) {
            struct directoryEntry *entry = (struct directoryEntry *)(entries + offset);
            offset += entry->length;
            pid_t pid = 0;
            const char *name = entry->name;
            if (*name == 0) continue;
            for (; *name >= '0' && *name <= '9'; name++) pid = pid * 10 + (*name - '0');
            if (*name != 0 || pid <= 0) continue;
            char path[64] = "/proc/";
            int length = 6;
            char digits[16];
            int digitCount = 0;
            for (pid_t rest = pid; rest > 0; rest /= 10) digits[digitCount++] = (char)('0' + rest % 10);
            while (digitCount > 0) path[length++] = digits[--digitCount];
            memcpy(path + length, "/stat", 6);
            int file = open(path, O_RDONLY | O_CLOEXEC);
            if (file < 0) continue;
            char text[512];
            ssize_t size = read(file, text, sizeof text - 1);
            close(file);
            if (size <= 0) continue;
            text[size] = 0;
            // "pid (name) S ppid …": the name may hold anything, so look from the last ')'.
            char *paren = NULL;
            for (char *cursor = text; *cursor; cursor++) if (*cursor == ')') paren = cursor;
            if (paren == NULL || paren[1] != ' ' || paren[2] == 0 || paren[3] != ' ') continue;
            char state = paren[2];
            pid_t parent = 0;
            for (const char *cursor = paren + 4; *cursor >= '0' && *cursor <= '9'; cursor++) parent = parent * 10 + (*cursor - '0');
            count++;
            body(pid, parent, state, context);
        }
    }
    close(directory);
    return count;
}

struct childVisit {
    pid_t self;
    void (*body)(pid_t child, char state, void *context);
    void *context;
};

static void visitIfChild(pid_t pid, pid_t parent, char state, void *context) {
    struct childVisit *visit = context;
    if (parent == visit->self) visit->body(pid, state, visit->context);
}

// Calls body for every child of this process, with its state letter.
static void forEachChild(void (*body)(pid_t child, char state, void *context), void *context) {
    struct childVisit visit = { getpid(), body, context };
    forEachProcess(visitIfChild, &visit);
}

struct sweep {
    bool everything;
    int killed;
};

static void sweepChild(pid_t child, char state, void *context) {
    struct sweep *sweep = context;
    if (isExempt(child)) return;
    if (sweep->everything) {
        if (state != 'Z') kill(child, SIGKILL);
        return;
    }
    if (isRegistered(child) || atomic_load(&startsUnderway) > 0) return;
    if (state == 'Z') {
        // An orphan that has died: nobody else waits for it.
        waitpid(child, NULL, WNOHANG);
        return;
    }
    kill(child, SIGKILL);
    sweep->killed++;
}

static void killOrphans(bool everything) {
    if (!atomic_load(&adopting)) return;
    if (everything) {
        for (int slot = 0; slot < slotCount; slot++) {
            pid_t target = atomic_load(&processes[slot]);
            if (target != 0) kill(target, SIGKILL);
        }
    }
    // A killed orphan's own children become robochain's in turn: go round until none is left.
    for (int round = 0; round < 100; round++) {
        struct sweep sweep = { everything, 0 };
        forEachChild(sweepChild, &sweep);
        if (everything || sweep.killed == 0) return;
        struct timespec pause = { 0, 2 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
}

// Ends the guardian and reaps it (an init that reaps nothing would keep it as a zombie).
static void stopGuardian(void) {
    int socket = atomic_exchange(&guardianSocket, -1);
    pid_t guardian = atomic_load(&guardianProcess);
    if (socket < 0 || guardian <= 0) return;
    close(socket);
    while (waitpid(guardian, NULL, 0) < 0 && errno == EINTR) {}
}

static void killOrphansAtExit(void) {
    killOrphans(true);
    stopGuardian();
}

static void recordExempt(pid_t child, char state, void *context) {
    (void)state;
    (void)context;
    addExempt(child);
}

void robochain_termination_adopt_orphans(void) {
    if (atomic_exchange(&adopting, true)) return;
    // Children this process already had (a shell may `exec` robochain after starting some) are
    // not robochain's to kill.
    atomic_store(&adopting, false);
    forEachChild(recordExempt, NULL);
    atomic_store(&adopting, true);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    atexit(killOrphansAtExit);
}

int robochain_termination_kill_orphans(void) {
    if (!atomic_load(&adopting)) return 0;
    for (int slot = 0; slot < slotCount; slot++) {
        if (atomic_load(&processes[slot]) != 0) return 0;  // another run is under way: it sweeps at its end
    }
    killOrphans(false);
    return 1;
}

enum { treeCapacity = 4096 };

struct tree {
    pid_t members[treeCapacity];
    int count;
    int added;
};

static bool inTree(const struct tree *tree, pid_t pid) {
    for (int index = 0; index < tree->count; index++) if (tree->members[index] == pid) return true;
    return false;
}

// Adds a process whose parent is in the tree, stopped so it starts nothing more.
static void growTree(pid_t pid, pid_t parent, char state, void *context) {
    struct tree *tree = context;
    (void)state;
    if (tree->count < treeCapacity && inTree(tree, parent) && !inTree(tree, pid)) {
        kill(pid, SIGSTOP);
        tree->members[tree->count++] = pid;
        tree->added++;
    }
}

// Kills the registered targets and every descendant of theirs, even those that left the
// group (setsid): all are stopped first, found through their parents, then killed.
static void killTrees(const pid_t *targets, int count) {
    static struct tree tree;
    tree.count = 0;
    for (int index = 0; index < count; index++) {
        kill(targets[index], SIGSTOP);
        pid_t leader = targets[index] < 0 ? -targets[index] : targets[index];
        if (tree.count < treeCapacity) tree.members[tree.count++] = leader;
    }
    for (int round = 0; round < 50; round++) {
        tree.added = 0;
        forEachProcess(growTree, &tree);
        if (tree.added == 0) break;
    }
    for (int index = 0; index < count; index++) kill(targets[index], SIGKILL);
    for (int index = 0; index < tree.count; index++) kill(tree.members[index], SIGKILL);
}

// The guardian's loop: records of (operation, target) come in; when robochain's end closes, it
// kills every target still registered, with its descendants, and exits. Only system calls: it
// runs in a child forked from a process with other threads.
static void guardianMain(int socket) {
    pid_t targets[slotCount];
    int count = 0;
    for (;;) {
        int record[2];
        size_t have = 0;
        while (have < sizeof record) {
            ssize_t got = read(socket, (char *)record + have, sizeof record - have);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                killTrees(targets, count);
                _exit(0);
            }
            have += (size_t)got;
        }
        if (record[0] == 1) {
            if (count < slotCount) targets[count++] = record[1];
        } else {
            for (int index = 0; index < count; index++) {
                if (targets[index] == record[1]) {
                    targets[index] = targets[--count];
                    break;
                }
            }
        }
    }
}

static void startGuardian(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&guardianState, &expected, 1)) return;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        atomic_store(&guardianState, 3);
        return;
    }
    pid_t guardian = fork();
    if (guardian == 0) {
        // Hold nothing of robochain's open (a plugin's pipe held here would never close), and
        // outlive the signals that stop robochain: its end closing is the signal.
        dup2(pair[1], 0);
        if (syscall(SYS_close_range, 1U, ~0U, 0U) != 0) {
            for (int descriptor = 1; descriptor < 65536; descriptor++) close(descriptor);
        }
        struct sigaction ignore;
        memset(&ignore, 0, sizeof ignore);
        ignore.sa_handler = SIG_IGN;
        const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT };
        for (size_t index = 0; index < sizeof signals / sizeof signals[0]; index++) sigaction(signals[index], &ignore, NULL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        guardianMain(0);
    }
    close(pair[1]);
    if (guardian < 0) {
        close(pair[0]);
        atomic_store(&guardianState, 3);
        return;
    }
    addExempt(guardian);
    atomic_store(&guardianProcess, guardian);
    atomic_store(&guardianSocket, pair[0]);
    atomic_store(&guardianState, 2);
}

static void tellGuardian(int operation, pid_t target) {
    if (!atomic_load(&adopting)) return;
    if (operation == 1) startGuardian();
    int socket = atomic_load(&guardianSocket);
    if (socket < 0) return;
    int record[2] = { operation, target };
    send(socket, record, sizeof record, MSG_NOSIGNAL);
}

int robochain_termination_add_file(const char *path) {
    char *copy = strdup(path);
    if (copy == NULL) return -1;
    for (int slot = 0; slot < slotCount; slot++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&files[slot], &expected, copy)) return 0;
    }
    free(copy);
    return -1;
}

void robochain_termination_remove_file(const char *path) {
    for (int slot = 0; slot < slotCount; slot++) {
        char *current = atomic_load(&files[slot]);
        if (current != NULL && strcmp(current, path) == 0
            && atomic_compare_exchange_strong(&files[slot], &current, NULL)) {
            // Not freed: a handler running on another thread at this moment may still read it.
            // A few bytes per output file, for the life of a short process.
            return;
        }
    }
}
