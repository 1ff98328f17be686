//===- TileTensorCoreLayouts.cpp - mma, dot_operand and shared encodings --===//
//
// The tensor-core encodings as data: their verifiers and linear layouts.
// `#tile.mma` and `#tile.dot_operand` are the register fragments of mma.sync
// (PTX ISA, "Matrix Fragments for mma.m16n8k16" and friends) and wgmma;
// `#tile.shared` and `#tile.nvmma_shared` say where each element of a tile
// lives in a shared-memory buffer. The design is Triton's
// (lib/Dialect/TritonGPU/IR/LinearLayoutConversions.cpp); the conventions
// (register order, warps along dimension 0 first, zero bases for a shape
// smaller than the layout) are this dialect's, as in TileLayouts.cpp.
// test/unit/TensorCoreLayoutTest.cpp checks every layout against the PTX
// fragment tables and MLIR's NVGPU MMAUtils maps.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tile;

namespace {
/// Bases of a layout being built: per input dimension, in order.
using Bases = std::vector<std::vector<int32_t>>;

/// A basis of a rank-2 layout onto `shape` that moves `step` along `dim`.
/// Steps are taken mod shape[dim] (a power of two), so a step past the
/// extent is a zero basis: a shape smaller than the layout is broadcast.
std::vector<int32_t> step2D(ArrayRef<int64_t> shape, unsigned dim,
                            int64_t step) {
  std::vector<int32_t> b(2, 0);
  b[dim] = step < shape[dim] ? int32_t(step) : 0;
  return b;
}

/// Registers that repeat a CTA tile `cta` over `shape`: along `first`, then
/// along the other dimension.
void appendRepeats(Bases &regs, ArrayRef<int64_t> shape,
                   ArrayRef<int64_t> cta, unsigned first) {
  for (unsigned d : {first, 1 - first})
    for (int64_t s = cta[d]; s < shape[d]; s *= 2)
      regs.push_back(step2D(shape, d, s));
}

void checkShape2D(ArrayRef<int64_t> shape, StringRef what) {
  if (shape.size() != 2 || !llvm::all_of(shape, [](int64_t e) {
        return e > 0 && llvm::isPowerOf2_64(e);
      }))
    llvm::report_fatal_error(Twine(what) +
                             ": needs a rank-2 shape of powers of two");
}

bool isPow2(unsigned v) { return v != 0 && llvm::isPowerOf2_32(v); }
} // namespace

//===----------------------------------------------------------------------===//
// #tile.mma
//===----------------------------------------------------------------------===//

LogicalResult MmaLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                    unsigned version,
                                    ArrayRef<unsigned> warpsPerCTA,
                                    ArrayRef<unsigned> instrShape) {
  if (version != 2 && version != 3)
    return emitError() << "#tile.mma version must be 2 (mma.sync) or 3 "
                          "(wgmma), got "
                       << version;
  if (warpsPerCTA.size() != 2 || instrShape.size() != 2)
    return emitError() << "#tile.mma needs warpsPerCTA and instrShape of rank 2";
  if (!llvm::all_of(warpsPerCTA, isPow2))
    return emitError() << "#tile.mma warpsPerCTA must be powers of two";
  if (version == 2 && (instrShape[0] != 16 || instrShape[1] != 8))
    return emitError() << "#tile.mma version 2 needs instrShape = [16, 8]";
  if (version == 3 && (instrShape[0] != 64 || !isPow2(instrShape[1]) ||
                       instrShape[1] < 8 || instrShape[1] > 256))
    return emitError() << "#tile.mma version 3 needs instrShape = [64, N] "
                          "with N a power of two from 8 to 256";
  if (version == 3 && warpsPerCTA[0] % 4 != 0)
    return emitError() << "#tile.mma version 3 needs warpsPerCTA[0] a multiple "
                          "of 4 (a warpgroup of 4 warps owns 64 rows)";
  return success();
}

unsigned MmaLayoutAttr::getNumWarps() const {
  return getWarpsPerCTA()[0] * getWarpsPerCTA()[1];
}

SmallVector<int64_t> MmaLayoutAttr::getShapePerCTATile() const {
  // Each warp owns 16 rows (a quarter of a wgmma's 64) and one instruction's
  // columns.
  return {16 * int64_t(getWarpsPerCTA()[0]),
          int64_t(getInstrShape()[1]) * getWarpsPerCTA()[1]};
}

unsigned MmaLayoutAttr::getLayoutRank() const { return 2; }

LinearLayout MmaLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  checkShape2D(shape, "#tile.mma toLinearLayout");
  int64_t n = getInstrShape()[1];
  Bases regs, lanes, warps;
  // One m16n8 fragment: c0 c1 are two columns of row lane/4, c2 c3 the same
  // columns 8 rows down; wgmma puts N/8 of them side by side.
  regs.push_back(step2D(shape, 1, 1));
  regs.push_back(step2D(shape, 0, 8));
  for (int64_t c = 8; c < n; c *= 2)
    regs.push_back(step2D(shape, 1, c));
  // Lane l: column 2 * (l % 4), row l / 4.
  lanes.push_back(step2D(shape, 1, 2));
  lanes.push_back(step2D(shape, 1, 4));
  for (int64_t r = 1; r < 8; r *= 2)
    lanes.push_back(step2D(shape, 0, r));
  // Warps: dimension 0 first, 16 rows each (a warpgroup's 4 warps are 64
  // consecutive rows), then dimension 1, one instruction's columns each.
  for (int64_t w = 1; w < getWarpsPerCTA()[0]; w *= 2)
    warps.push_back(step2D(shape, 0, 16 * w));
  for (int64_t w = 1; w < getWarpsPerCTA()[1]; w *= 2)
    warps.push_back(step2D(shape, 1, n * w));
  appendRepeats(regs, shape, getShapePerCTATile(), /*first=*/1);
  return makeDistributedLayout(regs, lanes, warps, shape);
}

//===----------------------------------------------------------------------===//
// #tile.dot_operand
//===----------------------------------------------------------------------===//

LogicalResult
DotOperandLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                             unsigned opIdx, MmaLayoutAttr parent,
                             unsigned kWidth) {
  if (opIdx > 1)
    return emitError() << "#tile.dot_operand opIdx must be 0 (A) or 1 (B), got "
                       << opIdx;
  if (!isPow2(kWidth) || kWidth > 16)
    return emitError() << "#tile.dot_operand kWidth must be a power of two "
                          "from 1 to 16, got "
                       << kWidth;
  return success();
}

SmallVector<int64_t> DotOperandLayoutAttr::getShapePerCTATile() const {
  ArrayRef<unsigned> warpsPerCTA = getParent().getWarpsPerCTA();
  int64_t k = 8 * int64_t(getKWidth());
  if (getOpIdx() == 0)
    return {16 * int64_t(warpsPerCTA[0]), k};
  return {k, 8 * int64_t(warpsPerCTA[1])};
}

unsigned DotOperandLayoutAttr::getLayoutRank() const { return 2; }

LinearLayout
DotOperandLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  checkShape2D(shape, "#tile.dot_operand toLinearLayout");
  bool isA = getOpIdx() == 0;
  unsigned kDim = isA ? 1 : 0, otherDim = 1 - kDim;
  int64_t kWidth = getKWidth();
  Bases regs, lanes, warps;
  // A thread's kWidth consecutive K elements (one 32-bit register of the
  // instruction), then lanes: 4 along K, 8 along M (A) or N (B).
  for (int64_t k = 1; k < kWidth; k *= 2)
    regs.push_back(step2D(shape, kDim, k));
  lanes.push_back(step2D(shape, kDim, kWidth));
  lanes.push_back(step2D(shape, kDim, 2 * kWidth));
  for (int64_t r = 1; r < 8; r *= 2)
    lanes.push_back(step2D(shape, otherDim, r));
  // A's 16 rows are two groups of 8 (a0a1 vs a2a3 for f16); then the second
  // half of K (a4..a7 for f16; b2b3 for B).
  if (isA)
    regs.push_back(step2D(shape, 0, 8));
  regs.push_back(step2D(shape, kDim, 4 * kWidth));
  // The parent's warps, dimension 0 first; those along K hold copies.
  ArrayRef<unsigned> warpsPerCTA = getParent().getWarpsPerCTA();
  for (int64_t w = 1; w < warpsPerCTA[0]; w *= 2)
    warps.push_back(isA ? step2D(shape, 0, 16 * w) : std::vector<int32_t>{0, 0});
  for (int64_t w = 1; w < warpsPerCTA[1]; w *= 2)
    warps.push_back(isA ? std::vector<int32_t>{0, 0} : step2D(shape, 1, 8 * w));
  appendRepeats(regs, shape, getShapePerCTATile(), /*first=*/kDim);
  return makeDistributedLayout(regs, lanes, warps, shape);
}

//===----------------------------------------------------------------------===//
// Shared-memory layouts
//===----------------------------------------------------------------------===//

namespace {
/// The offset -> dim0..dimN-1 layout onto `shape` from its offset bases.
LinearLayout makeShared(const Bases &offsets, ArrayRef<int64_t> shape) {
  SmallVector<std::string> names = getLayoutOutDimNames(shape.size());
  SmallVector<std::pair<StringRef, int32_t>> outs;
  for (auto [name, extent] : llvm::zip_equal(names, shape))
    outs.push_back({name, int32_t(extent)});
  std::pair<StringRef, Bases> ins[] = {{"offset", offsets}};
  return LinearLayout::fromBases(ins, outs, /*requireSurjective=*/true);
}

std::vector<int32_t> unitBasis(unsigned rank, unsigned dim, int64_t step) {
  std::vector<int32_t> b(rank, 0);
  b[dim] = int32_t(step);
  return b;
}
} // namespace

LogicalResult
SharedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         unsigned vec, unsigned perPhase, unsigned maxPhase,
                         ArrayRef<unsigned> order) {
  if (!isPow2(vec) || !isPow2(perPhase) || !isPow2(maxPhase))
    return emitError() << "#tile.shared vec, perPhase and maxPhase must be "
                          "powers of two";
  SmallVector<bool> seen(order.size(), false);
  for (unsigned d : order) {
    if (d >= order.size() || seen[d])
      return emitError() << "#tile.shared order must be a permutation of "
                            "0..rank-1 (rank 1 or more)";
    seen[d] = true;
  }
  if (order.empty())
    return emitError() << "#tile.shared order must be a permutation of "
                          "0..rank-1 (rank 1 or more)";
  return success();
}

LinearLayout SharedLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  ArrayRef<unsigned> order = getOrder();
  unsigned rank = order.size();
  if (shape.size() != rank ||
      !llvm::all_of(shape, [](int64_t e) { return e > 0 && llvm::isPowerOf2_64(e); }))
    llvm::report_fatal_error("#tile.shared toLinearLayout: needs a shape of "
                             "the layout's rank, powers of two");
  Bases offsets;
  unsigned col = order[0];
  for (int64_t c = 1; c < shape[col]; c *= 2)
    offsets.push_back(unitBasis(rank, col, c));
  if (rank >= 2) {
    // Row r's groups of vec columns are XORed with its phase; the phase of a
    // sum of rows is the XOR of their phases (powers of two), so each row bit
    // has one basis.
    unsigned row = order[1];
    for (int64_t r = 1; r < shape[row]; r *= 2) {
      std::vector<int32_t> b = unitBasis(rank, row, r);
      b[col] = int32_t(getVec() * ((r / getPerPhase()) % getMaxPhase()) %
                       shape[col]);
      offsets.push_back(b);
    }
  }
  for (unsigned d : order.drop_front(std::min<size_t>(2, rank)))
    for (int64_t s = 1; s < shape[d]; s *= 2)
      offsets.push_back(unitBasis(rank, d, s));
  return makeShared(offsets, shape);
}

LogicalResult
NVMMASharedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              unsigned swizzle, unsigned elementBits,
                              BoolAttr transposed) {
  if (swizzle != 0 && swizzle != 32 && swizzle != 64 && swizzle != 128)
    return emitError() << "#tile.nvmma_shared swizzle must be 0, 32, 64 or 128 "
                          "bytes, got "
                       << swizzle;
  if (elementBits != 8 && elementBits != 16 && elementBits != 32)
    return emitError() << "#tile.nvmma_shared elementBits must be 8, 16 or 32, "
                          "got "
                       << elementBits;
  return success();
}

unsigned NVMMASharedLayoutAttr::getBlockWidth() const {
  return std::max(16u, getSwizzle()) * 8 / getElementBits();
}

LinearLayout
NVMMASharedLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  checkShape2D(shape, "#tile.nvmma_shared toLinearLayout");
  unsigned col = isTransposed() ? 0 : 1, row = 1 - col;
  int64_t width = getBlockWidth();
  if (shape[row] < 8 || shape[col] < width)
    llvm::report_fatal_error(
        "#tile.nvmma_shared toLinearLayout: the tile needs 8 rows or more and "
        "a multiple of " +
        Twine(width) + " elements along its contiguous dimension");
  // A 16-byte chunk (vec elements) of row r is XORed with (r / perPhase) %
  // maxPhase: the address bits from 128 bytes up, as rows of W bytes count
  // them (W = 128: r % 8; 64: (r / 2) % 4; 32: (r / 4) % 2).
  int64_t vec = 128 / getElementBits();
  int64_t swizzle = getSwizzle();
  int64_t perPhase = swizzle ? 128 / swizzle : 1;
  int64_t maxPhase = swizzle ? swizzle / 16 : 1;
  Bases offsets;
  for (int64_t c = 1; c < width; c *= 2)
    offsets.push_back(unitBasis(2, col, c));
  for (int64_t r = 1; r < shape[row]; r *= 2) {
    std::vector<int32_t> b = unitBasis(2, row, r);
    b[col] = int32_t(vec * ((r / perPhase) % maxPhase));
    offsets.push_back(b);
  }
  for (int64_t c = width; c < shape[col]; c *= 2)
    offsets.push_back(unitBasis(2, col, c));
  return makeShared(offsets, shape);
}
