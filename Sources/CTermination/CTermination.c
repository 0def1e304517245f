// Cleanup on termination signals: see CTermination.h.
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "CTermination.h"

enum { slotCount = 256 };

static _Atomic pid_t processes[slotCount];   // 0: free
static _Atomic(char *) files[slotCount];     // NULL: free
static atomic_int startsUnderway;            // threads between starting a process and registering it
static atomic_bool terminating;
static _Thread_local sigset_t maskBeforeStart;

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
        if (atomic_compare_exchange_strong(&processes[slot], &expected, target)) return 0;
    }
    return -1;
}

void robochain_termination_remove_process(pid_t target) {
    for (int slot = 0; slot < slotCount; slot++) {
        pid_t expected = target;
        if (atomic_compare_exchange_strong(&processes[slot], &expected, 0)) return;
    }
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
