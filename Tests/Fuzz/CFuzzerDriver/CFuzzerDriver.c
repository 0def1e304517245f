// Only the declaration in CFuzzerDriver.h is needed; libFuzzer's runtime defines it.
#include "CFuzzerDriver.h"
