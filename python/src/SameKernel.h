//===- SameKernel.h - Which specs one compiled kernel serves ----*- C++ -*-===//
//
// Plain C++ (the kernels' spec headers only), so that it is unit-tested
// without the Python package.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_SAMEKERNEL_H
#define TILE_PYTHON_SAMEKERNEL_H

#include "GroupQuantSpec.h"
#include "GroupedGemmSpec.h"
#include "SiluMulNvfp4Spec.h"
#include "SiluMulQuantSpec.h"
#include "TokenQuantSpec.h"

namespace tile::python {

/// Whether one compiled kernel serves both specs: every compile-time
/// parameter equal (eps bit for bit), or equal in effect (a packed UE8M0
/// layout implies ue8m0; groups_per_program compared as resolved).
bool sameKernel(const kernels::GroupQuantSpec &a, const kernels::GroupQuantSpec &b);
bool sameKernel(const kernels::TokenQuantSpec &a, const kernels::TokenQuantSpec &b);
bool sameKernel(const kernels::SiluMulQuantSpec &a, const kernels::SiluMulQuantSpec &b);
bool sameKernel(const kernels::SiluMulNvfp4Spec &a, const kernels::SiluMulNvfp4Spec &b);
bool sameKernel(const kernels::GroupedGemmSpec &a, const kernels::GroupedGemmSpec &b);

} // namespace tile::python

#endif // TILE_PYTHON_SAMEKERNEL_H
