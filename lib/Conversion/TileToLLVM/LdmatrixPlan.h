//===- LdmatrixPlan.h - How ldmatrix reads an mma.sync operand --*- C++ -*-===//
//
// The host-side half of reading a #tile.dot_operand tile from a swizzled
// #tile.shared buffer with ldmatrix: which row each lane addresses, how many
// 8x8 matrices an instruction reads, and which of the thread's registers each
// matrix's word fills. SharedMemoryToLLVM.cpp emits the instructions this
// describes; TensorCoreLayoutTest simulates them (PTX ISA, "Warp-level
// matrix load instruction: ldmatrix") and checks that every thread receives
// exactly its operand elements.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_CONVERSION_TILETOLLVM_LDMATRIXPLAN_H
#define TILE_CONVERSION_TILETOLLVM_LDMATRIXPLAN_H

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::tile {

/// How ldmatrix reads an mma.sync operand of `dstType` from a buffer with
/// `shared` layout: per lane, the row address (as a linear map of lane and
/// warp to the element whose offset it is), the matrices per instruction,
/// and whether it transposes.
struct LdmatrixPlan {
  LinearLayout dstLL;     ///< the operand's layout
  LinearLayout address;   ///< lane, warp -> offset of the lane's row
  LinearLayout toOffset;  ///< element -> offset (the shared layout inverted)
  int num = 4;            ///< matrices per ldmatrix
  /// The register bits (of dstLL) that number an instruction's matrices: a
  /// thread's word of matrix q is its register with these bits set to q's.
  SmallVector<int> matrixBits;
  bool trans = false;
  int64_t kWidth = 2;
  Type element;
};


/// Which of a thread's words one ldmatrix fills (LdmatrixPlan::matrixBits).
enum class LdmatrixGrouping {
  /// The next words of the operand's register order: for B, two K steps of
  /// one n8 tile. (The lowering used it until session 8.)
  WordOrder,
  /// The word bits in order, skipping the repetitions along K past one mma's
  /// K (16 16-bit or 32 8-bit elements): an instruction reads what one K
  /// step uses (for B, both K halves of one n8 tile and the next tile), so
  /// that each step's fragments are read just before its mma. What the
  /// lowering uses: on an H200 (bench/RESULTS.md, 2026-11-30 11:01) dense
  /// int8 128x128x64 on 8 warps went from 452 to 707 TOP/s and dense f16
  /// 128x128x32 from 260 to 373 TFLOP/s; nothing measured got slower.
  KStep,
};

/// The plan for reading a tile of `dstType` (a #tile.dot_operand of an
/// mma.sync v2 parent, 8- or 16-bit elements, 32 bits a word) from a buffer
/// of `shared` layout; nullopt where ldmatrix cannot deliver that layout
/// (element loads serve then).
std::optional<LdmatrixPlan>
planLdmatrix(RankedTensorType dstType, SharedLayoutAttr shared,
             LdmatrixGrouping grouping = LdmatrixGrouping::KStep);

/// One ldmatrix of a plan.
struct LdmatrixInstruction {
  /// XORed with the lane's row offset (plan.address): this instruction's
  /// rows, in elements of the buffer.
  int32_t offset = 0;
  /// The thread's register that element 0 of matrix q's word fills; the
  /// word's kWidth elements fill it and the registers after it.
  SmallVector<int> firstRegisters;
};

/// The instructions that read the whole tile, in the order of the K their
/// words start at along `kDim` (the dot's K steps, issued in that order).
SmallVector<LdmatrixInstruction> ldmatrixInstructions(const LdmatrixPlan &plan,
                                                      unsigned kDim);

/// `map`'s first output for register `reg`, lane 0 and warp 0.
int32_t registerOffset(const LinearLayout &map, int32_t reg);

} // namespace mlir::tile

#endif // TILE_CONVERSION_TILETOLLVM_LDMATRIXPLAN_H
