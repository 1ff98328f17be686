//===- LinearLayout.h - Layouts as linear maps over GF(2) -------*- C++ -*-===//
//
// A linear layout says which tensor element each hardware place holds. It is a
// function
//
//   L : (register, lane, warp, block, ...) -> (dim0, dim1, ...)
//
// from named input dimensions (hardware coordinates, or a shared-memory offset)
// to named output dimensions (tensor indices), every dimension a power of two
// in size, that is linear over GF(2): the field of bits, where addition is XOR.
// Linearity means L(a ^ b) = L(a) ^ L(b), so L is known from its values at the
// inputs with a single bit set, its *bases*:
//
//   basis(inDim, i) = L(inDim = 2^i, every other input 0)
//
// and L(x) is the XOR of the bases of the bits set in x. A basis is one
// coordinate per output dimension, in the layout's output-dimension order.
//
// Example: a 2x4 tile held by 4 lanes of 2 registers each, register r of lane
// l holding row l / 2, column 2 * (l % 2) + r:
//
//   register: [(0, 1)]            register 1 -> column 1
//   lane:     [(0, 2), (1, 0)]    lane 1 -> column 2, lane 2 -> row 1
//
// Why this shape of object (the idea is Triton's, triton-lang/triton:
// include/triton/Tools/LinearLayout.h, which explains it at length):
// - Blocked, sliced, mma fragments, swizzled shared memory and transposes are
//   all linear layouts, so code that asks a layout questions (which element
//   does (register, lane, warp) hold, which places hold copies of one element,
//   how do I move from layout A to layout B) is written once, with no switch
//   over layout kinds.
// - The map goes from hardware to tensor, not back, because one element may
//   live in several places (broadcast): L is a function, not always injective.
//
// Conventions:
// - Dimensions are ordered; the order matters only when the layout is
//   flattened (reshapeIns/reshapeOuts, flat indices): the first dimension is
//   the least significant ("minor-to-major").
// - A dimension of size 1 has no bases but keeps its name.
// - Output-dimension sizes are part of the layout. A layout is *surjective*
//   when every output coordinate is reached, *injective* when no two inputs
//   reach the same one. Layouts of register tensors are surjective; injective
//   only when nothing is broadcast.
// - All inputs together and all outputs together are at most 63 bits each
//   (2^63 places, far beyond any GPU tile).
// - Broken preconditions (an unknown dimension name, a size that is not a power
//   of two, incompatible dimensions) are programming errors and abort with
//   llvm::report_fatal_error naming the layouts; tryCreate is the checked
//   constructor for data that comes from outside (attributes, user input).
//
// No MLIR types here: the class is used by the lowering, the interpreter and
// unit tests alike.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_SUPPORT_LINEARLAYOUT_H
#define TILE_SUPPORT_LINEARLAYOUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::tile {

class LinearLayout {
public:
  /// Bases given as literals: per input dimension, in order, its bases
  /// (basis i = the output coordinates of input 2^i, one per output dim).
  /// {{"register", {{0, 1}}}, {"lane", {{0, 2}, {1, 0}}}}
  using BasesList = llvm::ArrayRef<
      std::pair<llvm::StringRef, std::vector<std::vector<int32_t>>>>;
  /// Named dimensions with their sizes (powers of two).
  using DimSizes = llvm::ArrayRef<std::pair<llvm::StringRef, int32_t>>;
  /// A coordinate per named dimension (what apply takes and gives).
  using NamedCoords = llvm::SmallVector<std::pair<std::string, int32_t>, 4>;

  /// The layout with no dimensions (one input, one output, both empty). It is
  /// the unit of operator*: empty() * L == L * empty() == L.
  LinearLayout() = default;
  static LinearLayout empty() { return {}; }

  //===--------------------------------------------------------------------===//
  // Construction
  //===--------------------------------------------------------------------===//

  /// L(x) = x for x in [0, size), from `inDim` to `outDim` (both of `size`).
  static LinearLayout identity1D(int32_t size, llvm::StringRef inDim,
                                 llvm::StringRef outDim);
  /// L(x) = 0 for x in [0, size): every input holds element 0 of `outDim`
  /// (a broadcast). `outDimSize` > 1 gives a non-surjective layout.
  static LinearLayout zeros1D(int32_t size, llvm::StringRef inDim,
                              llvm::StringRef outDim, int32_t outDimSize = 1);

  /// From explicit bases; each output size is the smallest power of two above
  /// every coordinate the bases give it. Aborts unless the result is
  /// surjective (with inferred sizes, a gap means a wrong basis).
  static LinearLayout fromBases(BasesList bases,
                                llvm::ArrayRef<llvm::StringRef> outDimNames);
  /// From explicit bases and output sizes; aborts when a coordinate is out of
  /// range, or when `requireSurjective` and some output is never reached.
  static LinearLayout fromBases(BasesList bases, DimSizes outDims,
                                bool requireSurjective);
  /// The checked form of fromBases: std::nullopt, and a reason in `*error`
  /// when given, instead of aborting.
  static std::optional<LinearLayout> tryCreate(BasesList bases,
                                               DimSizes outDims,
                                               bool requireSurjective,
                                               std::string *error = nullptr);

  //===--------------------------------------------------------------------===//
  // Dimensions
  //===--------------------------------------------------------------------===//

  int getNumInDims() const { return ins.size(); }
  int getNumOutDims() const { return outs.size(); }
  llvm::SmallVector<llvm::StringRef> getInDimNames() const;
  llvm::SmallVector<llvm::StringRef> getOutDimNames() const;
  bool hasInDim(llvm::StringRef name) const { return findIn(name) >= 0; }
  bool hasOutDim(llvm::StringRef name) const { return findOut(name) >= 0; }
  /// Position of a dimension in the layout's order; aborts when absent.
  int getInDimIndex(llvm::StringRef name) const;
  int getOutDimIndex(llvm::StringRef name) const;

  int getInDimSizeLog2(llvm::StringRef name) const;
  int32_t getInDimSize(llvm::StringRef name) const {
    return int32_t(1) << getInDimSizeLog2(name);
  }
  int getOutDimSizeLog2(llvm::StringRef name) const;
  int32_t getOutDimSize(llvm::StringRef name) const {
    return int32_t(1) << getOutDimSizeLog2(name);
  }
  /// Number of input (output) bits: log2 of the number of hardware places
  /// (tensor elements).
  int getTotalInDimSizeLog2() const;
  int getTotalOutDimSizeLog2() const;
  int64_t getTotalInDimSize() const {
    return int64_t(1) << getTotalInDimSizeLog2();
  }
  int64_t getTotalOutDimSize() const {
    return int64_t(1) << getTotalOutDimSizeLog2();
  }

  /// basis(inDim, pos) = L(inDim = 2^pos, others 0), one coordinate per output
  /// dimension in output order.
  llvm::ArrayRef<int32_t> getBasis(llvm::StringRef inDim, int pos) const;
  int32_t getBasis(llvm::StringRef inDim, int pos,
                   llvm::StringRef outDim) const {
    return getBasis(inDim, pos)[getOutDimIndex(outDim)];
  }

  //===--------------------------------------------------------------------===//
  // Evaluation
  //===--------------------------------------------------------------------===//

  /// L(ins): every input dimension must be given once (any order), each
  /// coordinate in range; the result is in output-dimension order.
  NamedCoords
  apply(llvm::ArrayRef<std::pair<llvm::StringRef, int32_t>> ins) const;
  /// L on coordinates given in input-dimension order; the result is in
  /// output-dimension order.
  llvm::SmallVector<int32_t> applyCoords(llvm::ArrayRef<int32_t> ins) const;
  /// L on flat indices: the input bits concatenated in input-dimension order
  /// (first dimension least significant), the output likewise.
  uint64_t applyFlat(uint64_t in) const;

  //===--------------------------------------------------------------------===//
  // Rank, broadcast, copies
  //===--------------------------------------------------------------------===//

  /// Dimension of the image: log2 of the number of distinct elements held.
  int getRank() const;
  bool isSurjective() const { return getRank() == getTotalOutDimSizeLog2(); }
  bool isInjective() const { return getRank() == getTotalInDimSizeLog2(); }
  /// Surjective and injective: a bijection between places and elements.
  bool isInvertible() const { return isSurjective() && isInjective(); }

  /// The *free variables* of `inDim`, as a bit mask over its bits. Input bits
  /// are taken in flat order (dimensions in order, low bits first); a bit is
  /// free when its basis is in the span of the bases of the bits before it.
  /// So: the inputs whose free bits are all 0 hold every element of the image
  /// exactly once, and every other input holds a copy of one of them. This is
  /// the predicate for storing a broadcast tensor once (`lane & mask == 0`,
  /// ...). A zero basis (pure broadcast) is always free, see getZeroBasesMask.
  uint64_t getFreeVariableMask(llvm::StringRef inDim) const;
  /// Total number of free bits: every element of the image is held by exactly
  /// 2^this places.
  int getNumFreeVariables() const {
    return getTotalInDimSizeLog2() - getRank();
  }
  /// The bits of `inDim` whose basis is all zeros: flipping one alone never
  /// changes the element (the hardware is larger than the tile along it).
  uint64_t getZeroBasesMask(llvm::StringRef inDim) const;

  //===--------------------------------------------------------------------===//
  // Combination
  //===--------------------------------------------------------------------===//

  /// The product: `inner` acts on the low part of the input, `outer` on the
  /// high part. Dimensions present in one only are added (merged keeping both
  /// orders; common dimensions must appear in the same relative order). On a
  /// shared input dimension the outer bases come after the inner ones; on a
  /// shared output dimension the sizes multiply and the outer coordinates are
  /// scaled by the inner size. Examples (from Triton's header):
  ///   identity1D(4, "i", "o") * identity1D(2, "i", "o") == identity1D(8, "i",
  ///   "o") identity1D(4, "i", "o") * zeros1D(2, "i", "o"):  L(x) = x % 4, x <
  ///   8 zeros1D(2, "i", "o") * identity1D(4, "i", "o"):  L(x) = x / 2, x < 8
  ///   identity1D(4, "i", "o1") * identity1D(8, "i", "o2"): L(x) = (x % 4, x /
  ///   4)
  /// Associative, not commutative; surjective when both are.
  friend LinearLayout operator*(const LinearLayout &inner,
                                const LinearLayout &outer);
  LinearLayout &operator*=(const LinearLayout &outer) {
    return *this = *this * outer;
  }

  /// outer(this(x)). This layout's output dimensions must be `outer`'s input
  /// dimensions (any order), each no larger. The result has this layout's
  /// inputs and `outer`'s outputs.
  LinearLayout compose(const LinearLayout &outer) const;

  /// A right inverse P: this(P(y)) == y for every y in the image. P maps this
  /// layout's outputs to its inputs, and P(y) has every free bit 0 (the
  /// canonical place: the first in flat order to hold y). Defined for any
  /// layout; on outputs outside the image P gives some value, unchecked.
  LinearLayout pseudoinvert() const;
  /// The inverse of an invertible layout; aborts otherwise.
  LinearLayout invert() const;

  /// C with outer(C(x)) == this(x) for every input x: "where does the element
  /// that this layout's place x holds live in `outer`". For register layouts A
  /// and B of one tensor, A.invertAndCompose(B) maps (register, lane, warp) of
  /// A to the (register, lane, warp) of B holding the same element: what
  /// convert_layout needs. When `outer` holds copies, C picks the canonical one
  /// (free bits 0). Both layouts must have the same output dimensions (any
  /// order), this one's no larger; aborts when some element of this layout is
  /// not held by `outer`.
  LinearLayout invertAndCompose(const LinearLayout &outer) const;

  //===--------------------------------------------------------------------===//
  // Reshaping
  //===--------------------------------------------------------------------===//

  /// The same map with the dimensions in a new order (a permutation of the
  /// names). Changes only flat indices and what reshape does.
  LinearLayout transposeIns(llvm::ArrayRef<llvm::StringRef> newOrder) const;
  LinearLayout transposeOuts(llvm::ArrayRef<llvm::StringRef> newOrder) const;
  /// Flatten the inputs (outputs) in their order and split them again into
  /// `newDims`, whose sizes must multiply to the same total. With outputs
  /// {dim1: 8, dim0: 4} a flat offset becomes a row-major 4x8 index.
  LinearLayout reshapeIns(DimSizes newDims) const;
  LinearLayout reshapeOuts(DimSizes newDims) const;
  /// One input (output) dimension, named as the first one.
  LinearLayout flattenIns() const;
  LinearLayout flattenOuts() const;

  /// Only the named inputs (the others held at 0) and the named outputs, in
  /// this layout's order; output sizes unchanged (the result may not be
  /// surjective).
  LinearLayout sublayout(llvm::ArrayRef<llvm::StringRef> inDims,
                         llvm::ArrayRef<llvm::StringRef> outDims) const;

  //===--------------------------------------------------------------------===//
  // Comparison and printing
  //===--------------------------------------------------------------------===//

  /// Same dimensions in the same order, same sizes, same bases.
  friend bool operator==(const LinearLayout &a, const LinearLayout &b);
  friend bool operator!=(const LinearLayout &a, const LinearLayout &b) {
    return !(a == b);
  }

  /// Every dimension and basis, for test messages and debugging:
  ///   [register:8, lane:32] -> [dim0:16, dim1:16]
  ///     register: (0,1) (0,2) (8,0)
  ///     lane: ...
  std::string toString() const;

private:
  struct InDim {
    std::string name;
    /// bases[i]: the output coordinates of input 2^i, in output order.
    std::vector<llvm::SmallVector<int32_t, 4>> bases;
  };
  struct OutDim {
    std::string name;
    int sizeLog2 = 0;
  };

  int findIn(llvm::StringRef name) const;
  int findOut(llvm::StringRef name) const;
  /// The image of each input bit, flat, in flat input order.
  llvm::SmallVector<uint64_t, 64> flatColumns() const;
  uint64_t packOut(llvm::ArrayRef<int32_t> coords) const;
  llvm::SmallVector<int32_t, 4> unpackOut(uint64_t flat) const;
  /// Which flat input bits are free (see getFreeVariableMask).
  uint64_t flatFreeMask() const;
  [[noreturn]] void fail(const llvm::Twine &why) const;

  std::vector<InDim> ins;
  std::vector<OutDim> outs;
};

std::ostream &operator<<(std::ostream &os, const LinearLayout &layout);
llvm::raw_ostream &operator<<(llvm::raw_ostream &os,
                              const LinearLayout &layout);

} // namespace mlir::tile

#endif // TILE_SUPPORT_LINEARLAYOUT_H
