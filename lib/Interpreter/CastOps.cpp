//===- CastOps.cpp - arith's conversions between element types ------------===//
//
// extf/truncf, the integer extensions and truncations, int <-> float and
// bitcast, element by element. Float narrowing rounds to nearest even, once
// (integers go to bf16/f16 through a double rounded to odd, never through an
// f32); fptosi/fptoui out of range is poison in LLVM, so an error here.
//
//===----------------------------------------------------------------------===//

#include "FloatFormats.h"
#include "Machine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

namespace {

/// Applies `f` to each element of operand #0 into result #0.
template <class F> LogicalResult mapEach(Machine &m, const Instr &instr, F f) {
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i] = f(a[i]);
  return success();
}

LogicalResult execExtF(Machine &m, const Instr &instr) {
  ElemKind from = instr.src.kind;
  if (instr.elem.kind == ElemKind::F64)
    return mapEach(m, instr,
                   [from](Slot a) { return doubleSlot(readFloat(a, from)); });
  // Both in float slots: a widening keeps the value (and the NaN's bits).
  return mapEach(m, instr, [](Slot a) { return a; });
}

LogicalResult execTruncF(Machine &m, const Instr &instr) {
  ElemKind to = instr.elem.kind;
  if (instr.src.kind == ElemKind::F64)
    return mapEach(m, instr, [to](Slot a) { return roundDoubleTo(a.d, to); });
  return mapEach(m, instr,
                 [to](Slot a) { return floatSlot(roundFloatTo(a.f, to)); });
}

LogicalResult execExtUI(Machine &m, const Instr &instr) {
  unsigned from = instr.src.width, to = instr.elem.width;
  return mapEach(m, instr, [from, to](Slot a) {
    return intSlot(wrapInt(int64_t(zextInt(a.i, from)), to));
  });
}

/// extsi, trunci, index_cast: the sign-extended value wrapped to the result.
LogicalResult execWrapInt(Machine &m, const Instr &instr) {
  unsigned to = instr.elem.width;
  return mapEach(m, instr, [to](Slot a) { return intSlot(wrapInt(a.i, to)); });
}

/// sitofp (imm[0] = 0) and uitofp (imm[0] = 1).
LogicalResult execIntToFloat(Machine &m, const Instr &instr) {
  unsigned from = instr.src.width;
  bool isUnsigned = instr.imm[0];
  ElemKind to = instr.elem.kind;
  return mapEach(m, instr, [=](Slot a) {
    int64_t v = isUnsigned ? int64_t(zextInt(a.i, from)) : a.i;
    // The host converts 64-bit integers to f32 and f64 correctly rounded;
    // narrower formats go through a double rounded to odd.
    if (to == ElemKind::F64)
      return doubleSlot(isUnsigned ? double(uint64_t(v)) : double(v));
    if (to == ElemKind::F32)
      return floatSlot(isUnsigned ? float(uint64_t(v)) : float(v));
    return roundDoubleTo(intToDoubleForRounding(v, isUnsigned), to);
  });
}

/// fptosi (imm[0] = 0) and fptoui (imm[0] = 1): toward zero; out of range or
/// NaN is poison in LLVM, so an error here.
LogicalResult execFloatToInt(Machine &m, const Instr &instr) {
  ElemKind from = instr.src.kind;
  unsigned w = instr.elem.width;
  bool isUnsigned = instr.imm[0];
  double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, int(w) - 1);
  double hi =
      isUnsigned ? std::ldexp(1.0, int(w)) : std::ldexp(1.0, int(w) - 1);
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i) {
    double t = std::trunc(readFloat(a[i], from));
    if (!(t >= lo && t < hi))
      return m.error(instr)
             << "element " << formatIndex(i, instr.shape) << " is "
             << readFloat(a[i], from) << ", out of the range of the result "
             << "(undefined; tile.fp_to_int saturates)";
    r[i].i = isUnsigned ? wrapInt(int64_t(uint64_t(t)), w) : int64_t(t);
  }
  return success();
}

LogicalResult execBitcast(Machine &m, const Instr &instr) {
  ElemType from = instr.src, to = instr.elem;
  return mapEach(m, instr, [from, to](Slot a) {
    uint64_t bits =
        from.isInt() ? zextInt(a.i, from.width) : floatBitsOf(a, from.kind);
    if (to.isInt())
      return intSlot(wrapInt(int64_t(bits), to.width));
    return floatFromBits(bits, to.kind);
  });
}

LogicalResult execIndexCastUI(Machine &m, const Instr &instr) {
  if (instr.elem.width > instr.src.width)
    return execExtUI(m, instr);
  return execWrapInt(m, instr);
}

/// The type of result #0, for error messages.
Type resultType(Operation *op) { return op->getResult(0).getType(); }

} // namespace

LogicalResult interp::selectCastOp(Operation *op, Instr &instr) {
  if (isa<arith::ExtFOp>(op)) {
    if (!instr.src.isFloat() || !instr.elem.isFloat())
      return unsupportedType(op, resultType(op));
    instr.exec = execExtF;
    return success();
  }
  if (auto trunc = dyn_cast<arith::TruncFOp>(op)) {
    if (!instr.src.isFloat() || !instr.elem.isFloat() ||
        instr.elem.kind == ElemKind::F4E2M1FN)
      return unsupportedType(op, resultType(op));
    if (std::optional<arith::RoundingMode> mode = trunc.getRoundingmode())
      if (*mode != arith::RoundingMode::to_nearest_even)
        return op->emitError() << "'arith.truncf' with rounding mode "
                               << arith::stringifyRoundingMode(*mode)
                               << " is not supported by the interpreter";
    instr.exec = execTruncF;
    return success();
  }
  if (isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp>(op)) {
    if (!instr.src.isInt() || !instr.elem.isInt())
      return unsupportedType(op, resultType(op));
    instr.exec = execWrapInt;
    return success();
  }
  if (isa<arith::ExtUIOp>(op)) {
    if (!instr.src.isInt() || !instr.elem.isInt())
      return unsupportedType(op, resultType(op));
    instr.exec = execExtUI;
    return success();
  }
  if (isa<arith::IndexCastUIOp>(op)) {
    if (!instr.src.isInt() || !instr.elem.isInt())
      return unsupportedType(op, resultType(op));
    instr.exec = execIndexCastUI;
    return success();
  }
  if (isa<arith::SIToFPOp, arith::UIToFPOp>(op)) {
    ElemKind to = instr.elem.kind;
    if (!instr.src.isInt() || !instr.elem.isFloat() || to == ElemKind::F4E2M1FN)
      return unsupportedType(op, resultType(op));
    instr.imm[0] = isa<arith::UIToFPOp>(op);
    instr.exec = execIntToFloat;
    return success();
  }
  if (isa<arith::FPToSIOp, arith::FPToUIOp>(op)) {
    if (!instr.src.isFloat() || !instr.elem.isInt())
      return unsupportedType(op, resultType(op));
    instr.imm[0] = isa<arith::FPToUIOp>(op);
    instr.exec = execFloatToInt;
    return success();
  }
  if (isa<arith::BitcastOp>(op)) {
    // e2m1 <-> i4 included: the code is the bits.
    bool ok = (instr.src.isInt() || instr.src.isFloat()) &&
              (instr.elem.isInt() || instr.elem.isFloat());
    if (!ok)
      return unsupportedType(op, resultType(op));
    instr.exec = execBitcast;
    return success();
  }
  return success();
}
