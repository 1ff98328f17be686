//===- Values.h - How the interpreter holds values --------------*- C++ -*-===//
//
// Every value, scalar or tile, is a flat row-major array of 8-byte slots; its
// shape is static and lives in the instructions that use it. A slot holds one
// element exactly:
//   - an integer of any width up to 64 (and index) as its sign-extended value
//     in `i` (i1 true is -1);
//   - a pointer as its address in `i`;
//   - f64 as a double in `d`;
//   - every narrower float (f32, f16, bf16, f8E4M3FN, f8E5M2, f4E2M1FN) as a
//     float in `f`: each of their values is exactly a float, and keeping the
//     float's bits keeps NaN payloads through loads and stores.
// Which member is live is known from the IR's types, so no slot is read
// through another member than the one written.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_INTERPRETER_VALUES_H
#define TILE_LIB_INTERPRETER_VALUES_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace tile::interp {

/// One element of a value.
union Slot {
  int64_t i;
  float f;
  double d;
};

inline Slot intSlot(int64_t v) {
  Slot s;
  s.i = v;
  return s;
}

inline Slot floatSlot(float v) {
  Slot s;
  s.f = v;
  return s;
}

inline Slot doubleSlot(double v) {
  Slot s;
  s.d = v;
  return s;
}

/// The elements of a value, row-major; one for a scalar. Scalars never touch
/// the heap, and a register keeps its capacity from one program to the next.
using Elements = llvm::SmallVector<Slot, 1>;

/// What an element is, as far as execution cares.
enum class ElemKind : uint8_t {
  Unknown, ///< a type the interpreter does not model
  Int,
  F32,
  F64,
  F16,
  BF16,
  F8E4M3FN,
  F8E5M2,
  F4E2M1FN,
  Ptr,
};

/// The element type of a scalar or tile type, classified once at compile time.
struct ElemType {
  ElemKind kind = ElemKind::Unknown;
  /// Bits of an integer (index: 64) or float; 64 for a pointer.
  unsigned width = 0;
  /// For a pointer: what it points to.
  ElemKind pointee = ElemKind::Unknown;
  unsigned pointeeWidth = 0;

  bool isInt() const { return kind == ElemKind::Int; }
  bool isFloat() const {
    return kind != ElemKind::Unknown && kind != ElemKind::Int &&
           kind != ElemKind::Ptr;
  }
  /// Whether the slot holds a float in `f` (every float kind but f64).
  bool inFloatSlot() const { return isFloat() && kind != ElemKind::F64; }
};

/// Classifies the element type of `type` (a scalar or a ranked tensor).
ElemType classify(mlir::Type type);

/// The bytes one element of `kind`/`width` occupies in memory; 0 when it has
/// no byte-addressable representation (f4E2M1FN, integers of odd widths).
unsigned memoryBytes(ElemKind kind, unsigned width);

/// The static shape of `type`; empty for a scalar.
llvm::SmallVector<int64_t, 4> shapeOf(mlir::Type type);

/// The number of elements of `shape` (1 for a scalar).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// "[i, j]" for element `linear` of a row-major tile of `shape`, or
/// "the scalar" when `shape` is empty.
std::string formatIndex(int64_t linear, llvm::ArrayRef<int64_t> shape);

/// `v` wrapped to a `width`-bit two's complement integer, sign-extended.
inline int64_t wrapInt(int64_t v, unsigned width) {
  if (width >= 64)
    return v;
  unsigned shift = 64 - width;
  return int64_t(uint64_t(v) << shift) >> shift;
}

/// The low `width` bits of `v`, zero-extended.
inline uint64_t zextInt(int64_t v, unsigned width) {
  if (width >= 64)
    return uint64_t(v);
  return uint64_t(v) & ((uint64_t(1) << width) - 1);
}

/// The value of a float slot of `kind`, as a double (exact).
inline double readFloat(Slot s, ElemKind kind) {
  return kind == ElemKind::F64 ? s.d : double(s.f);
}

} // namespace tile::interp

#endif // TILE_LIB_INTERPRETER_VALUES_H
