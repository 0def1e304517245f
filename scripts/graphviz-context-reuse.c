/*
 * Graphviz 2.42's Pango plugin reads freed memory when a process renders with a second
 * gvContext after freeing the first: a reproducer with Graphviz alone (no RoboChain code).
 *
 *   gcc -g -fsanitize=address -o /tmp/gv-reuse scripts/graphviz-context-reuse.c $(pkg-config --cflags --libs libgvc)
 *   ASAN_OPTIONS=detect_leaks=0 /tmp/gv-reuse          # a context per render: heap-use-after-free
 *   ASAN_OPTIONS=detect_leaks=0 /tmp/gv-reuse shared   # one context for both renders: clean
 *
 * Why: pango_textlayout (plugin/pango/gvtextlayout_pango.c) caches the last font in static
 * variables, among them `fontname`, a pointer to span->font->name. That string belongs to the
 * context's font dictionary (textfont_dict_open/close, lib/common/textspan.c) and is freed by
 * gvFreeContext; the next layout's first text measure compares it (strcmp) with the new name.
 * RoboChain's renderer therefore keeps one context for the life of the process
 * (Sources/RoboChainRendering/GraphvizRenderer.swift), and the ASan suppression is gone.
 */
#include <graphviz/gvc.h>
#include <stdio.h>
#include <string.h>

static int render(GVC_t *gvc, const char *text) {
    Agraph_t *graph = agmemread(text);
    if (graph == NULL) return 1;
    if (gvLayout(gvc, graph, "dot") != 0) return 1;
    char *data = NULL;
    unsigned int length = 0;
    int status = gvRenderData(gvc, graph, "png", &data, &length);
    gvFreeRenderData(data);
    gvFreeLayout(gvc, graph);
    agclose(graph);
    return status;
}

int main(int argc, char **argv) {
    const char *dot = "digraph { a [label=\"A\"]; b [fontname=\"Sans\"]; a -> b }";
    int shared = argc > 1 && strcmp(argv[1], "shared") == 0;
    GVC_t *gvc = gvContext();
    for (int round = 0; round < 2; round++) {
        if (!shared && round > 0) {
            gvFreeContext(gvc);
            gvc = gvContext();
        }
        if (render(gvc, dot) != 0) {
            fprintf(stderr, "render %d failed\n", round);
            return 1;
        }
        fprintf(stderr, "render %d done\n", round);
    }
    gvFreeContext(gvc);
    return 0;
}
