// Cleanup on termination signals: see CTermination.h.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "CTermination.h"
#include "ProcessTable.h"

enum { slotCount = 256 };

static _Atomic pid_t processes[slotCount];   // 0: free
static _Atomic pid_t supervisors[slotCount]; // 0: free
static _Atomic(char *) files[slotCount];     // NULL: free
static atomic_int startsUnderway;            // threads between starting a process and registering it
static atomic_bool terminating;
static _Thread_local sigset_t maskBeforeStart;

// Orphans: robochain is a child subreaper, so a descendant whose parent died and that no
// supervisor took (its supervisor was killed by kill -9) becomes robochain's child, and is
// killed by killOrphans.
static atomic_bool adopting;
enum { exemptCapacity = 64 };
static pid_t exempt[exemptCapacity];         // children robochain did not start (had before exec)
static atomic_int exemptCount;

static void killOrphans(bool everything);
static void stopSupervisors(void);

/// Kills what robochain started and removes its registered files (the first part of
/// `terminate`, shared with the handler of faults in mapped files).
static void cleanUp(void);

static void terminate(int signalNumber) {
    cleanUp();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signalNumber, &action, NULL);
    raise(signalNumber);
}

// Mapped input files: slots of base address (0: free; 1: being filled), length and message.
enum { mappingCount = 64, messageCapacity = 1024 };
static _Atomic uintptr_t mappingBase[mappingCount];
static _Atomic size_t mappingLength[mappingCount];
static char mappingMessage[mappingCount][messageCapacity];

/// What SIGBUS did before `robochain_termination_install` (the Swift runtime's backtracer, or
/// the default), for every SIGBUS that is not a read past the end of a mapped model file.
static struct sigaction previousBusAction;
static atomic_flag faultReported = ATOMIC_FLAG_INIT;

static void mappedFileFault(int signalNumber, siginfo_t *info, void *context) {
    (void)context;
    // Only a fault of the hardware past a mapping's end (BUS_ADRERR) carries a real address; a
    // signal sent by a process (si_code <= 0) or a memory error is someone else's.
    uintptr_t address = info->si_code == BUS_ADRERR ? (uintptr_t)info->si_addr : 0;
    for (int slot = 0; address != 0 && slot < mappingCount; slot++) {
        uintptr_t base = atomic_load(&mappingBase[slot]);
        if (base <= 1 || address < base || address - base >= atomic_load(&mappingLength[slot])) continue;
        // Two threads reading two cut files: one message and one cleanup.
        if (atomic_flag_test_and_set(&faultReported)) {
            for (;;) pause();
        }
        const char *message = mappingMessage[slot];
        size_t length = strnlen(message, messageCapacity);
        while (length > 0) {
            ssize_t written = write(STDERR_FILENO, message, length);
            if (written <= 0) break;
            message += written;
            length -= (size_t)written;
        }
        cleanUp();
        _exit(66);
    }
    // Not a mapped model file: back to what SIGBUS did before. A fault of the hardware runs
    // its instruction again and meets it; a signal that was sent is sent again.
    sigaction(signalNumber, &previousBusAction, NULL);
    if (info->si_code <= 0) raise(signalNumber);
}

int robochain_termination_add_mapping(const void *base, size_t length, const char *message) {
    for (int slot = 0; slot < mappingCount; slot++) {
        uintptr_t expected = 0;
        if (!atomic_compare_exchange_strong(&mappingBase[slot], &expected, 1)) continue;
        strncpy(mappingMessage[slot], message, messageCapacity - 1);
        mappingMessage[slot][messageCapacity - 1] = 0;
        atomic_store(&mappingLength[slot], length);
        atomic_store(&mappingBase[slot], (uintptr_t)base);
        return 0;
    }
    return -1;
}

void robochain_termination_remove_mapping(const void *base) {
    for (int slot = 0; slot < mappingCount; slot++) {
        uintptr_t expected = (uintptr_t)base;
        if (expected > 1 && atomic_compare_exchange_strong(&mappingBase[slot], &expected, 0)) return;
    }
}

static void cleanUp(void) {
    // Sequentially consistent with robochain_termination_begin_start: either that sees
    // `terminating` and starts nothing, or this sees its count and waits for it to register
    // what it started (its thread has the termination signals blocked meanwhile, so it is not
    // this one; a fault in a mapped file cannot be blocked, and then this waits its 3 s).
    atomic_store(&terminating, true);
    for (int wait = 0; wait < 300 && atomic_load(&startsUnderway) > 0; wait++) {
        struct timespec pause = { 0, 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t target = atomic_load(&processes[slot]);
        if (target != 0) kill(target, SIGKILL);
    }
    stopSupervisors();
    killOrphans(true);
    for (int slot = 0; slot < slotCount; slot++) {
        char *path = atomic_load(&files[slot]);
        if (path != NULL) unlink(path);
    }
    // Then the directories registered (a plugin's CSV input), now that their files are gone.
    for (int slot = 0; slot < slotCount; slot++) {
        char *path = atomic_load(&files[slot]);
        if (path != NULL) rmdir(path);
    }
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
    struct sigaction fault;
    memset(&fault, 0, sizeof fault);
    fault.sa_sigaction = mappedFileFault;
    fault.sa_flags = SA_SIGINFO;
    sigfillset(&fault.sa_mask);
    struct sigaction previous;
    // Installed twice, the handler must not come back to itself for a fault it does not own.
    if (sigaction(SIGBUS, &fault, &previous) == 0 && previous.sa_sigaction != mappedFileFault) previousBusAction = previous;
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

static int addTo(_Atomic pid_t *registry, pid_t target) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t expected = 0;
        if (atomic_compare_exchange_strong(&registry[slot], &expected, target)) return 0;
    }
    return -1;
}

static void removeFrom(_Atomic pid_t *registry, pid_t target) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t expected = target;
        if (atomic_compare_exchange_strong(&registry[slot], &expected, 0)) return;
    }
}

int robochain_termination_add_process(pid_t target) { return addTo(processes, target); }

void robochain_termination_remove_process(pid_t target) { removeFrom(processes, target); }

int robochain_termination_add_supervisor(pid_t supervisor) { return addTo(supervisors, supervisor); }

void robochain_termination_remove_supervisor(pid_t supervisor) { removeFrom(supervisors, supervisor); }

// Asks every registered supervisor to stop (it kills its tree and exits) and waits, at most
// 3 s, until they have all exited (not reaping them: their runs do). A supervisor still there
// after that is left to killOrphans, which kills it; what it had not killed yet becomes
// robochain's, and is killed too. Only system calls: it runs in a signal handler.
static void stopSupervisors(void) {
    bool any = false;
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t supervisor = atomic_load(&supervisors[slot]);
        if (supervisor != 0) {
            kill(supervisor, SIGTERM);
            any = true;
        }
    }
    for (int wait = 0; any && wait < 600; wait++) {
        any = false;
        for (int slot = 0; slot < slotCount && !any; slot++) {
            pid_t supervisor = atomic_load(&supervisors[slot]);
            if (supervisor == 0) continue;
            siginfo_t information;
            memset(&information, 0, sizeof information);
            if (waitid(P_PID, (id_t)supervisor, &information, WEXITED | WNOHANG | WNOWAIT) == 0 && information.si_pid == 0) {
                any = true;  // still running
            }
        }
        if (!any) break;
        struct timespec pause = { 0, 5 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
}

// MARK: - Orphans

static bool isRegistered(pid_t pid) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t target = atomic_load(&processes[slot]);
        if (target == pid || target == -pid) return true;
        if (atomic_load(&supervisors[slot]) == pid) return true;
    }
    return false;
}

static bool anyRegistered(void) {
    for (int slot = 0; slot < slotCount; slot++) {
        if (atomic_load(&processes[slot]) != 0 || atomic_load(&supervisors[slot]) != 0) return true;
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
    robochain_for_each_process(visitIfChild, &visit);
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

static void killOrphansAtExit(void) {
    stopSupervisors();
    killOrphans(true);
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
    if (anyRegistered()) return 0;  // another run is under way: it sweeps at its end
    killOrphans(false);
    return 1;
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

int robochain_open_anonymous(const char *directory) {
#ifdef O_TMPFILE
    // Linking it later goes through /proc/self/fd: without /proc, a named temporary is used.
    if (access("/proc/self/fd", X_OK) != 0) return -1;
    return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#else
    (void)directory;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int robochain_link_anonymous(int descriptor, const char *path) {
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", descriptor);
    return linkat(AT_FDCWD, name, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}
