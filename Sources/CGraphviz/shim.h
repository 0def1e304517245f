#ifndef ROBOCHAIN_CGRAPHVIZ_SHIM_H
#define ROBOCHAIN_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#endif
