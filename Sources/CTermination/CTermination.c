// Cleanup on termination signals: see CTermination.h.
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "CTermination.h"

enum { slotCount = 256 };

static _Atomic pid_t processes[slotCount];   // 0: free
static _Atomic(char *) files[slotCount];     // NULL: free

static void terminate(int signalNumber) {
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
