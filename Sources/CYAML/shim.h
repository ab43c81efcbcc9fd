#ifndef ES_CYAML_SHIM_H
#define ES_CYAML_SHIM_H
#include <yaml.h>
#endif
