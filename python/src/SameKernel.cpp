//===- SameKernel.cpp - Which specs one compiled kernel serves ------------===//
//
// sameKernel() compares the compile-time fields field by field: it runs on
// every GPU launch, where comparing the parameter tables' text would cost
// microseconds. Plain C++ (no tvm-ffi), so that a unit test checks it
// against the tables: every parameter of a family must be able to tell two
// kernels apart (test/unit/SameKernelTest.cpp), which catches a field a new
// parameter adds and this file forgets.
//
//===----------------------------------------------------------------------===//

#include "SameKernel.h"

#include <cstring>

namespace tile::python {

using namespace kernels;

static bool sameFloat(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

/// UE8M0 rounding as the kernel applies it: implied by the packed layout.
template <typename Spec> static bool ue8m0Of(const Spec &s) {
  return s.ue8m0 || s.scales == ScaleLayout::UE8M0Packed;
}

bool sameKernel(const GroupQuantSpec &a, const GroupQuantSpec &b) {
  return a.group == b.group && a.in == b.in && a.out == b.out &&
         a.scales == b.scales && ue8m0Of(a) == ue8m0Of(b) && sameFloat(a.eps, b.eps) &&
         a.int8Rounding == b.int8Rounding &&
         groupQuantGroupsPerProgram(a) == groupQuantGroupsPerProgram(b) &&
         a.strideDivisibility == b.strideDivisibility && a.numWarps == b.numWarps;
}

bool sameKernel(const TokenQuantSpec &a, const TokenQuantSpec &b) {
  return a.in == b.in && a.out == b.out && a.ue8m0 == b.ue8m0 &&
         sameFloat(a.eps, b.eps) && a.int8Rounding == b.int8Rounding &&
         a.blockK == b.blockK && a.tailK == b.tailK && a.loopK == b.loopK &&
         a.rowsPerProgram == b.rowsPerProgram &&
         a.kDivisibility == b.kDivisibility && a.numWarps == b.numWarps;
}

bool sameKernel(const SiluMulQuantSpec &a, const SiluMulQuantSpec &b) {
  return a.group == b.group && a.out == b.out && a.scales == b.scales &&
         ue8m0Of(a) == ue8m0Of(b) && a.upFirst == b.upFirst &&
         a.fp32Intermediate == b.fp32Intermediate && a.masked == b.masked &&
         sameFloat(a.eps, b.eps) && a.int8Rounding == b.int8Rounding &&
         siluMulQuantGroupsPerProgram(a) == siluMulQuantGroupsPerProgram(b) &&
         a.strideDivisibility == b.strideDivisibility && a.numWarps == b.numWarps;
}

bool sameKernel(const SiluMulNvfp4Spec &a, const SiluMulNvfp4Spec &b) {
  return a.upFirst == b.upFirst && a.blocksPerProgram == b.blocksPerProgram &&
         a.expertsPerStep == b.expertsPerStep &&
         a.strideDivisibility == b.strideDivisibility && a.numWarps == b.numWarps;
}

bool sameKernel(const GroupedGemmSpec &a, const GroupedGemmSpec &b) {
  return a.precision == b.precision && a.group == b.group &&
         a.actScales == b.actScales && a.out == b.out && a.weights == b.weights &&
         a.swiglu == b.swiglu && a.blockM == b.blockM && a.blockN == b.blockN &&
         a.blockK == b.blockK && a.numWarps == b.numWarps &&
         a.numStages == b.numStages && a.scalePrefetch == b.scalePrefetch &&
         a.copiesAt == b.copiesAt &&
         a.minProgramsPerSM == b.minProgramsPerSM && a.nSplit == b.nSplit &&
         a.immediateOffsets == b.immediateOffsets && a.mma == b.mma &&
         a.groupsPerStep == b.groupsPerStep && a.tileSchedule == b.tileSchedule &&
         a.divisibility == b.divisibility;
}

} // namespace tile::python
