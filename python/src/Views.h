//===- Views.h - A tensor's memory as another element type ------*- C++ -*-===//

#ifndef TILE_PYTHON_VIEWS_H
#define TILE_PYTHON_VIEWS_H

#include "Checks.h"

namespace tile::python {

/// `source`'s memory, shape and strides as element type `dtypeIndex` (a
/// Dtype of the same width); the view keeps `source` alive.
tvm::ffi::Tensor viewAs(tvm::ffi::Tensor source, int64_t dtypeIndex);

} // namespace tile::python

#endif // TILE_PYTHON_VIEWS_H
