/* floor.c: the physical floor of loading a CSV model (issue 17), measured on this machine.
 *
 *   cc -O2 -o floor bench/floor.c && ./floor DIR [REPEATS]
 *
 * For the five CSV files of DIR, timed with CLOCK_MONOTONIC, best and median of REPEATS (default 5),
 * the files already in the page cache (one untimed pass first):
 *   read:   read(2) every file into one reused buffer (the bytes from the page cache, nothing else);
 *   scan:   read, then count commas and line feeds, one byte at a time (a tight separator scan);
 *   fields: read, then split every line into fields (quotes honoured) and hash every field's bytes
 *           (FNV-1a) -- the least a parser does before it builds anything from the fields.
 * Prints the bytes, the counts (so the compiler cannot drop the loops) and the times in ms.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *files[] = {"regions.csv", "components.csv", "requires.csv", "firms.csv", "supplies.csv"};
enum { NFILES = 5 };

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static size_t read_file(const char *dir, const char *name, unsigned char *buf, size_t cap) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); exit(1); }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) { perror(path); exit(1); }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    return n;
}

static uint64_t scan(const unsigned char *p, size_t n) {
    uint64_t commas = 0, lines = 0;
    for (size_t i = 0; i < n; i++) {
        commas += p[i] == ',';
        lines += p[i] == '\n';
    }
    return commas + (lines << 32);
}

static uint64_t fields(const unsigned char *p, size_t n) {
    uint64_t acc = 0, count = 0, h = 1469598103934665603ULL;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (quoted) {
            if (c == '"') quoted = 0;
            else h = (h ^ c) * 1099511628211ULL;
        } else if (c == '"') {
            quoted = 1;
        } else if (c == ',' || c == '\n') {
            acc += h; count++;
            h = 1469598103934665603ULL;
        } else if (c != '\r') {
            h = (h ^ c) * 1099511628211ULL;
        }
    }
    return acc + count;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: floor DIR [REPEATS]\n"); return 64; }
    const char *dir = argv[1];
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (repeats < 1 || repeats > 100) repeats = 5;
    size_t cap = 0, total = 0;
    for (int f = 0; f < NFILES; f++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        if (stat(path, &st) != 0) { perror(path); return 66; }
        if ((size_t)st.st_size > cap) cap = (size_t)st.st_size;
        total += (size_t)st.st_size;
    }
    unsigned char *buf = malloc(cap + 1);
    if (!buf) return 1;
    const char *names[3] = {"read", "scan", "fields"};
    double times[3][100];
    uint64_t sink = 0;
    for (int f = 0; f < NFILES; f++) sink += read_file(dir, files[f], buf, cap); /* warm the page cache */
    for (int r = 0; r < repeats; r++) {
        for (int mode = 0; mode < 3; mode++) {
            double t0 = now_ms();
            for (int f = 0; f < NFILES; f++) {
                size_t n = read_file(dir, files[f], buf, cap);
                if (mode == 1) sink += scan(buf, n);
                else if (mode == 2) sink += fields(buf, n);
                else sink += n;
            }
            times[mode][r] = now_ms() - t0;
        }
    }
    printf("floor: %zu bytes in %d files (checksum %llu)\n", total, NFILES, (unsigned long long)sink);
    for (int mode = 0; mode < 3; mode++) {
        qsort(times[mode], (size_t)repeats, sizeof(double), cmp);
        printf("floor %-6s best %8.1f ms  median %8.1f ms\n", names[mode], times[mode][0], times[mode][repeats / 2]);
    }
    free(buf);
    return 0;
}
