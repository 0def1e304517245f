// The process table, read from /proc: see ProcessTable.h.
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "ProcessTable.h"

struct directoryEntry {
    unsigned long long inode;
    long long offset;
    unsigned short length;
    unsigned char type;
    char name[];
};

int robochain_for_each_process(void (*body)(pid_t pid, pid_t parent, char state, void *context), void *context) {
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
