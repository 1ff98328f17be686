//===- AxisInfo.h - Contiguity, divisibility and constancy of tiles -*- C++ -*-===//
//
// What the compiler knows about the integer and pointer values of a kernel,
// per dimension, to vectorize and coalesce memory accesses (Triton's AxisInfo):
//
// - contiguity[d]: the values come in runs of this many consecutive integers
//   (or consecutive elements, for pointers) along d;
// - divisibility[d]: the first value of every such run (every value, for a
//   constant run) is divisible by this power of two (pointers: in bytes);
// - constancy[d]: the values come in runs of this many equal values along d.
//
// Facts are seeded by `tile.divisibility` on kernel arguments, constants and
// `tile.make_range`, and carried through splat/broadcast/expand_dims, addptr and
// integer arith. Anything else is assumed to know nothing (runs of 1,
// divisible by 1). Scalars are rank-1 facts of extent 1.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_ANALYSIS_AXISINFO_H
#define TILE_ANALYSIS_AXISINFO_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::tile {

struct AxisInfo {
  SmallVector<int64_t> contiguity;
  SmallVector<int64_t> divisibility;
  SmallVector<int64_t> constancy;

  /// The largest divisibility tracked (2^30): what a zero is divisible by.
  static constexpr int64_t kMaxDivisibility = int64_t(1) << 30;

  /// Knows nothing about a value of `rank` dimensions (0 for a scalar).
  static AxisInfo unknown(unsigned rank);
  unsigned getRank() const { return contiguity.size(); }
  bool operator==(const AxisInfo &other) const;
};

/// Computes AxisInfo for every value under `root` (a function or a module) in
/// one walk in program order; loop-carried values are assumed unknown.
class AxisInfoAnalysis {
public:
  explicit AxisInfoAnalysis(Operation *root);

  /// The facts about `value`; unknown() for a value the walk did not reach.
  AxisInfo get(Value value) const;

  /// The largest power of two dividing `value`; kMaxDivisibility for 0.
  static int64_t highestPowerOfTwoDivisor(int64_t value);

private:
  void visit(Operation *op);
  llvm::DenseMap<Value, AxisInfo> infos;
};

} // namespace mlir::tile

#endif // TILE_ANALYSIS_AXISINFO_H
