// Everything is inline in include/CPrefetch.h; this file makes the directory a C target.
#include "CPrefetch.h"
