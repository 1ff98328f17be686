//===- PlanArgs.cpp - A kernel call's arguments ---------------------------===//

#include "PlanArgs.h"

#include <cstring>

namespace tile::python {

int64_t PlanArgs::value(const char *name, int64_t fallback) const {
  for (int i = 0; i < count; ++i)
    if (std::strcmp(items[i].name, name) == 0)
      return items[i].value;
  return fallback;
}

void *PlanArgs::address(const char *name) const {
  for (int i = 0; i < count; ++i)
    if (items[i].kind == PlanArg::Pointer &&
        std::strcmp(items[i].name, name) == 0)
      return reinterpret_cast<void *>(uintptr_t(items[i].value));
  return nullptr;
}

} // namespace tile::python
