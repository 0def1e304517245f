#ifndef ROBOCHAIN_CGRAPHVIZ_SHIM_H
#define ROBOCHAIN_CGRAPHVIZ_SHIM_H

/*
 * The Graphviz C API (libgvc, libcgraph) for RoboChainRendering.
 *
 * No Graphviz header is copied: this includes the installed <graphviz/gvc.h> (pkg-config libgvc),
 * so any Graphviz from 2.42 on works. Only the helpers Swift 6 cannot express are defined here:
 *
 * - The renderer builds its DOT text in Swift and parses it here (robochain_read_dot), so it never
 *   touches the `Agdirected`-style globals (which Swift 6 rejects as not concurrency-safe) nor
 *   needs agstrdup_html (HTML-like labels arrive as `<...>` in the DOT text).
 * - That parse gives subgraphs ids in the order they are written. With cgraph's default id
 *   discipline (Graphviz 2.42) a named subgraph's id is the address of its interned name, and
 *   subgraphs are kept and laid out in id order: cluster order would follow the heap.
 * - The exit code in a waitpid status (WIFEXITED and friends are macros).
 * - The forked child that lays out and renders. It runs only the C code below, never Swift (the
 *   Swift runtime's locks may be held by other threads at the moment of the fork), and leaves
 *   with _exit, so no atexit handler or stdio buffer of the parent runs twice.
 */
#include <graphviz/gvc.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

/* DOT text being read by robochain_read_dot. */
typedef struct {
    const char *text;
    size_t length;
    size_t position;
} robochain_dot_reader;

/* Agiodisc_t.afread: the next line of the text, as cgraph's own memory reader gives it. */
static inline int robochain_read_dot_line(void *channel, char *buffer, int size) {
    robochain_dot_reader *reader = (robochain_dot_reader *)channel;
    int count = 0;
    while (count < size && reader->position < reader->length) {
        char c = reader->text[reader->position++];
        buffer[count++] = c;
        if (c == '\n') break;
    }
    return count;
}

/* Agiddisc_t.map: subgraph names are not mapped to ids here, so cgraph gives each subgraph the next
 * anonymous id (a rising counter) and keeps the name in its internal map; everything else as
 * cgraph's default discipline does. */
static inline long robochain_map_id(void *state, int objtype, char *name, IDTYPE *id, int createflag) {
    if (name != NULL && objtype == AGRAPH) return 0;
    return AgIdDisc.map(state, objtype, name, id, createflag);
}

/* Parses DOT text like agmemread, but with subgraphs in the order written (see above). Returns the
 * graph, or NULL after reporting the syntax error through agerr. Not thread-safe (neither is cgraph). */
static inline Agraph_t *robochain_read_dot(const char *text) {
    static Agiddisc_t id_discipline;
    static Agiodisc_t io_discipline;
    static Agdisc_t discipline;
    id_discipline = AgIdDisc;
    id_discipline.map = robochain_map_id;
    io_discipline = AgIoDisc;
    io_discipline.afread = robochain_read_dot_line;
    discipline.mem = &AgMemDisc;
    discipline.id = &id_discipline;
    discipline.io = &io_discipline;
    robochain_dot_reader reader = {text, strlen(text), 0};
    return agread(&reader, &discipline);
}

/* Exit statuses of the render child (robochain_fork_render). */
enum {
    ROBOCHAIN_CHILD_OK = 0,
    ROBOCHAIN_CHILD_LAYOUT_FAILED = 3,
    ROBOCHAIN_CHILD_RENDER_FAILED = 4,
    ROBOCHAIN_CHILD_WRITE_FAILED = 5,
    ROBOCHAIN_CHILD_ORPHANED = 6
};

/* The exit code of a process from its waitpid status, or minus the signal that ended it
 * (WIFEXITED and friends are macros, which Swift cannot call); -128 if neither. */
static inline int robochain_exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return -128; /* stopped or continued: only reported with WUNTRACED, which is never asked */
}

/* Forks a child that lays out `graph` with `engine`, renders it to `format`, writes the bytes to
 * `output_fd`, and exits. The child's standard error (Graphviz's messages) goes to `error_fd`; it
 * closes `parent_fd_1` and `parent_fd_2` (the parent's ends of the pipes) first so that a pipe never
 * stays open in the child once the parent is gone, and on Linux it dies with its parent.
 *
 * Returns the child's process id in the parent, or -1 with errno set. Never returns in the child:
 * it exits with one of the ROBOCHAIN_CHILD_ statuses. */
static inline pid_t robochain_fork_render(
    GVC_t *gvc, Agraph_t *graph, const char *engine, const char *format, int output_fd, int error_fd,
    int parent_fd_1, int parent_fd_2) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0) return pid;

    /* The child. */
#if defined(__linux__)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(ROBOCHAIN_CHILD_ORPHANED);
#else
    (void)parent;
#endif
    signal(SIGPIPE, SIG_DFL);
    /* The parent forks with the termination signals blocked (so that it can register the child
     * before a handler runs); the child takes them again. */
    sigset_t termination;
    sigemptyset(&termination);
    sigaddset(&termination, SIGINT);
    sigaddset(&termination, SIGTERM);
    sigaddset(&termination, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &termination, NULL);
    close(parent_fd_1);
    close(parent_fd_2);
    if (error_fd != STDERR_FILENO) {
        dup2(error_fd, STDERR_FILENO);
        close(error_fd);
    }
    agseterrf(NULL);
    if (gvLayout(gvc, graph, engine) != 0) _exit(ROBOCHAIN_CHILD_LAYOUT_FAILED);
    char *data = NULL;
    unsigned int length = 0;
    if (gvRenderData(gvc, graph, format, &data, &length) != 0 || data == NULL) _exit(ROBOCHAIN_CHILD_RENDER_FAILED);
    size_t offset = 0;
    while (offset < length) {
        ssize_t written = write(output_fd, data + offset, length - offset);
        if (written < 0) {
            if (errno == EINTR) continue;
            _exit(ROBOCHAIN_CHILD_WRITE_FAILED);
        }
        offset += (size_t)written;
    }
    _exit(ROBOCHAIN_CHILD_OK);
}

#endif
