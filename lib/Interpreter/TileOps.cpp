//===- TileOps.cpp - The tile dialect's ops but load and store ------------===//
//
// Programs, shaping, pointer arithmetic, reductions, dot and the conversions
// that say what happens out of range. Layout encodings do not matter here:
// tiles are row-major arrays whatever their layout.
//
// This file is compiled with -ffp-contract=off: a dot's products and sums
// are rounded one by one.
//
//===----------------------------------------------------------------------===//

#include "FloatFormats.h"
#include "Machine.h"

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Support/Numerics.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tile;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

namespace {

//===----------------------------------------------------------------------===//
// Programs and shaping
//===----------------------------------------------------------------------===//

/// imm[0]: the axis. Results are i32: a grid of 2^31 programs or more along
/// an axis wraps, as it would on the GPU.
LogicalResult execProgramId(Machine &m, const Instr &instr) {
  Machine::sized(m.regs[instr.out[0]], 1)[0].i =
      wrapInt(m.programId[instr.imm[0]], 32);
  return success();
}

LogicalResult execNumPrograms(Machine &m, const Instr &instr) {
  Machine::sized(m.regs[instr.out[0]], 1)[0].i =
      wrapInt(m.numPrograms[instr.imm[0]], 32);
  return success();
}

/// imm[0]: the start.
LogicalResult execMakeRange(Machine &m, const Instr &instr) {
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].i = wrapInt(instr.imm[0] + i, 32);
  return success();
}

LogicalResult execSplat(Machine &m, const Instr &instr) {
  Slot value = m.regs[instr.in[0]][0];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  std::fill(r.begin(), r.end(), value);
  return success();
}

/// expand_dims, reshape, convert_layout: row-major order is unchanged.
LogicalResult execCopy(Machine &m, const Instr &instr) {
  m.regs[instr.out[0]] = m.regs[instr.in[0]];
  return success();
}

LogicalResult execBroadcast(Machine &m, const Instr &instr) {
  ArrayRef<int64_t> from = instr.srcShape, to = instr.shape;
  size_t rank = to.size();
  // Row-major strides of the source, 0 along the dimensions broadcast.
  SmallVector<int64_t, 4> stride(rank, 0);
  int64_t running = 1;
  for (size_t d = rank; d-- > 0;) {
    stride[d] = from[d] == 1 ? 0 : running;
    running *= from[d];
  }
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  SmallVector<int64_t, 4> index(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < instr.n; ++i) {
    r[i] = a[offset];
    for (size_t d = rank; d-- > 0;) {
      offset += stride[d];
      if (++index[d] < to[d])
        break;
      offset -= stride[d] * to[d];
      index[d] = 0;
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Pointers
//===----------------------------------------------------------------------===//

/// imm[0]: the pointee's size in bytes.
LogicalResult execAddPtr(Machine &m, const Instr &instr) {
  uint64_t bytes = uint64_t(instr.imm[0]);
  const Elements &p = m.regs[instr.in[0]], &offset = m.regs[instr.in[1]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].i = int64_t(uint64_t(p[i].i) + uint64_t(offset[i].i) * bytes);
  return success();
}

//===----------------------------------------------------------------------===//
// Reduce
//===----------------------------------------------------------------------===//

/// How a reduce walks its operands: `outer` runs of `extent` elements along
/// the axis, `inner` apart.
struct ReduceGeometry {
  int64_t outer = 1, extent = 1, inner = 1;
};

ReduceGeometry geometryOf(const Instr &instr) {
  ReduceGeometry g;
  int64_t axis = instr.imm[0];
  for (int64_t d = 0; d < int64_t(instr.srcShape.size()); ++d) {
    if (d < axis)
      g.outer *= instr.srcShape[d];
    else if (d == axis)
      g.extent = instr.srcShape[d];
    else
      g.inner *= instr.srcShape[d];
  }
  return g;
}

/// The combiner is one total binary op (instr.scalar): a left fold with it,
/// without running the combiner block. imm[1]: the op takes (new, acc).
LogicalResult execReduceScalar(Machine &m, const Instr &instr) {
  ReduceGeometry g = geometryOf(instr);
  ScalarFn combine = instr.scalar;
  bool swapped = instr.imm[1];
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], g.outer * g.inner);
  for (int64_t o = 0; o < g.outer; ++o) {
    for (int64_t j = 0; j < g.inner; ++j) {
      const Slot *x = a.data() + o * g.extent * g.inner + j;
      Slot acc = x[0];
      for (int64_t k = 1; k < g.extent; ++k)
        acc = swapped ? combine(x[k * g.inner], acc)
                      : combine(acc, x[k * g.inner]);
      r[o * g.inner + j] = acc;
    }
  }
  return success();
}

/// Any combiner: evaluates its block on scalars, a left fold in index order.
LogicalResult execReduce(Machine &m, const Instr &instr) {
  ReduceGeometry g = geometryOf(instr);
  const CompiledBlock &combiner = m.program.blocks[instr.blocks[0]];
  size_t n = instr.in.size();
  for (size_t k = 0; k < n; ++k)
    Machine::sized(m.regs[instr.out[k]], g.outer * g.inner);
  SmallVector<Slot, 4> acc(n);
  for (int64_t o = 0; o < g.outer; ++o) {
    for (int64_t j = 0; j < g.inner; ++j) {
      int64_t first = o * g.extent * g.inner + j;
      for (size_t k = 0; k < n; ++k)
        acc[k] = m.regs[instr.in[k]][first];
      for (int64_t e = 1; e < g.extent; ++e) {
        for (size_t k = 0; k < n; ++k) {
          Machine::sized(m.regs[combiner.args[k]], 1)[0] = acc[k];
          Machine::sized(m.regs[combiner.args[n + k]], 1)[0] =
              m.regs[instr.in[k]][first + e * g.inner];
        }
        if (failed(m.runBlock(instr.blocks[0])))
          return failure();
        for (size_t k = 0; k < n; ++k)
          acc[k] = m.regs[combiner.yields[k]][0];
      }
      for (size_t k = 0; k < n; ++k)
        m.regs[instr.out[k]][o * g.inner + j] = acc[k];
    }
  }
  return success();
}

LogicalResult selectReduce(ReduceOp op, Instr &instr, const Program &program) {
  instr.imm[0] = op.getAxis();
  instr.exec = execReduce;
  // A combiner that is one total binary op of its two arguments, yielded:
  // the common max/sum reductions run without interpreting the block.
  const CompiledBlock &combiner = program.blocks[instr.blocks[0]];
  if (op.getSrcs().size() != 1 || combiner.instrs.size() != 1 ||
      combiner.yields.size() != 1)
    return success();
  const Instr &body = combiner.instrs.front();
  if (!body.scalar || body.in.size() != 2 || combiner.yields[0] != body.out[0])
    return success();
  unsigned acc = combiner.args[0], next = combiner.args[1];
  if (body.in[0] == acc && body.in[1] == next) {
    instr.scalar = body.scalar;
  } else if (body.in[0] == next && body.in[1] == acc) {
    instr.scalar = body.scalar;
    instr.imm[1] = 1;
  } else {
    return success();
  }
  instr.exec = execReduceScalar;
  return success();
}

//===----------------------------------------------------------------------===//
// Dot
//===----------------------------------------------------------------------===//

/// How a float dot reads its operands (imm[2]).
enum class DotOperands : int64_t {
  Float, ///< float slots, used as they are (ieee)
  Tf32,  ///< float slots, each rounded to tf32 first (tf32)
  Int,   ///< int slots, converted exactly to float (i8 f16_exact)
};

/// imm[0] = K, imm[1] = N. Integer operands, integer accumulator: exact sums,
/// wrapped to the accumulator's width, as int8 MMA with int32 accumulation
/// wraps. This is also i8 `f16_exact` into an i32 accumulator: there each
/// dot's fp32 chain is exact (the verifier holds K <= 1024) and converted to
/// int32 before it is added, so the exact sum is what the GPU computes.
LogicalResult execDotInt(Machine &m, const Instr &instr) {
  int64_t rows = instr.srcShape[0], depth = instr.imm[0], cols = instr.imm[1];
  unsigned w = instr.elem.width;
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]],
                 &c = m.regs[instr.in[2]];
  Elements &d = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      int64_t sum = c[i * cols + j].i;
      // Unsigned, so that wide operands wrap instead of overflowing.
      for (int64_t k = 0; k < depth; ++k)
        sum = int64_t(uint64_t(sum) + uint64_t(a[i * depth + k].i) *
                                          uint64_t(b[k * cols + j].i));
      d[i * cols + j].i = wrapInt(sum, w);
    }
  }
  return success();
}

/// imm[0] = K, imm[1] = N, imm[2] = DotOperands. Float accumulator: each
/// product in f32, added to the running f32 sum in k order starting from the
/// accumulator, no fused multiply-add; the result rounded to the
/// accumulator type (f16: once, at the end).
///
/// The tensor core promises no summation order, so this order is a choice:
/// a float dot compared with the GPU needs a tolerance (about K f32 ulps of
/// the sum of |products|). The exceptions are exact by construction: f16,
/// bf16 and f8 products are exact in f32, and i8 `f16_exact` sums are
/// integers below 2^24 while the chain holds at most 1024 products, so every
/// order gives the same bits there.
LogicalResult execDotFloat(Machine &m, const Instr &instr) {
  int64_t rows = instr.srcShape[0], depth = instr.imm[0], cols = instr.imm[1];
  auto operands = DotOperands(instr.imm[2]);
  bool toF16 = instr.elem.kind == ElemKind::F16;
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]],
                 &c = m.regs[instr.in[2]];
  auto value = [operands](const Slot &s) -> float {
    switch (operands) {
    case DotOperands::Float:
      return s.f;
    case DotOperands::Tf32:
      return roundToTf32(s.f);
    case DotOperands::Int:
      return float(s.i);
    }
    return s.f;
  };
  Elements &d = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      float sum = c[i * cols + j].f;
      for (int64_t k = 0; k < depth; ++k) {
        float product = value(a[i * depth + k]) * value(b[k * cols + j]);
        sum = sum + product;
      }
      d[i * cols + j].f = toF16 ? roundToF16(sum) : sum;
    }
  }
  return success();
}

LogicalResult selectDot(DotOp op, Instr &instr) {
  ElemType ab = classify(op.getA().getType());
  instr.imm[0] = op.getA().getType().getDimSize(1);
  instr.imm[1] = op.getType().getDimSize(1);
  if (ab.isInt() && instr.elem.isInt()) {
    instr.exec = execDotInt;
    return success();
  }
  bool toFloat =
      instr.elem.kind == ElemKind::F32 || instr.elem.kind == ElemKind::F16;
  if (ab.isInt() && toFloat) { // i8 f16_exact into f32
    instr.imm[2] = int64_t(DotOperands::Int);
    instr.exec = execDotFloat;
    return success();
  }
  bool floatOperands = ab.inFloatSlot() && ab.kind != ElemKind::F4E2M1FN;
  if (floatOperands && toFloat) {
    instr.imm[2] = int64_t(op.getInputPrecision() == InputPrecision::TF32
                               ? DotOperands::Tf32
                               : DotOperands::Float);
    instr.exec = execDotFloat;
    return success();
  }
  return unsupportedType(op, op.getA().getType());
}

//===----------------------------------------------------------------------===//
// fp_to_fp and fp_to_int
//===----------------------------------------------------------------------===//

template <class F>
LogicalResult mapFloats(Machine &m, const Instr &instr, F f) {
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].f = f(a[i].f);
  return success();
}

/// A widening: every value of the source is one of the result.
LogicalResult execWidenFloat(Machine &m, const Instr &instr) {
  return execCopy(m, instr);
}

template <bool Saturate>
LogicalResult execToE4M3(Machine &m, const Instr &instr) {
  return mapFloats(m, instr, [](float x) {
    return e4m3Value(::tile::numerics::floatToE4M3(x, Saturate));
  });
}

LogicalResult execToE2M1(Machine &m, const Instr &instr) {
  return mapFloats(m, instr, roundToE2M1);
}

/// To f16 or bf16 (imm[0] = 1 for bf16), rounding to nearest even; with
/// saturation (imm[1]), clamped to the largest finite value first, as the
/// GPU lowering does with minimumf/maximumf (so NaN stays NaN).
LogicalResult execToHalf(Machine &m, const Instr &instr) {
  bool toBf16 = instr.imm[0], saturate = instr.imm[1];
  float max = toBf16 ? ::tile::numerics::bf16ToFloat(0x7f7f) : 65504.0f;
  return mapFloats(m, instr, [=](float x) {
    if (saturate && !std::isnan(x))
      x = std::fmin(std::fmax(x, -max), max);
    return toBf16 ? roundToBf16(x) : roundToF16(x);
  });
}

LogicalResult selectFpToFp(FpToFpOp op, Instr &instr) {
  ElemType from = instr.src, to = instr.elem;
  Type fromType = getElementTypeOrSelf(op.getSrc().getType());
  Type toType = getElementTypeOrSelf(op.getType());
  if (!from.inFloatSlot() || !to.inFloatSlot())
    return unsupportedType(op, op.getType());
  if (from.width < to.width) {
    instr.exec = execWidenFloat;
    return success();
  }
  if (op.getRounding() == RoundingMode::RTZ)
    return op.emitError() << "'tile.fp_to_fp' from " << fromType << " to "
                          << toType
                          << " rounding toward zero is not supported by the "
                             "interpreter (nor by the GPU lowering)";
  bool saturate = op.getSaturate();
  switch (to.kind) {
  case ElemKind::F8E4M3FN:
    instr.exec = saturate ? execToE4M3<true> : execToE4M3<false>;
    return success();
  case ElemKind::F4E2M1FN:
    // e2m1 has neither infinity nor NaN: it always saturates.
    instr.exec = execToE2M1;
    return success();
  case ElemKind::F16:
  case ElemKind::BF16:
    instr.imm[0] = to.kind == ElemKind::BF16;
    instr.imm[1] = saturate;
    instr.exec = execToHalf;
    return success();
  default:
    return op.emitError() << "'tile.fp_to_fp' from " << fromType << " to "
                          << toType << " is not supported by the interpreter "
                          << "(nor by the GPU lowering)";
  }
}

/// Pairs of neighbours along the last dimension to e2m1 codes, the even one in
/// the low nibble of its byte (an i8, sign-extended as every i8 slot is).
LogicalResult execToE2M1x2(Machine &m, const Instr &instr) {
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i) {
    unsigned lo = ::tile::numerics::floatToE2M1(a[2 * i].f);
    unsigned hi = ::tile::numerics::floatToE2M1(a[2 * i + 1].f);
    r[i] = intSlot(wrapInt(int64_t(lo | hi << 4), 8));
  }
  return success();
}

/// imm[0]: the rounding mode. Rounds the f32 value, then saturates to the
/// result's signed range; NaN gives 0.
LogicalResult execFpToInt(Machine &m, const Instr &instr) {
  auto mode = RoundingMode(instr.imm[0]);
  unsigned w = instr.elem.width;
  double lo = -std::ldexp(1.0, int(w) - 1),
         hi = std::ldexp(1.0, int(w) - 1) - 1;
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i) {
    float x = a[i].f;
    if (std::isnan(x)) {
      r[i].i = 0;
      continue;
    }
    float rounded = mode == RoundingMode::RTNE  ? roundEven(x)
                    : mode == RoundingMode::RTZ ? std::trunc(x)
                                                : std::round(x);
    double v = std::fmin(std::fmax(double(rounded), lo), hi);
    r[i].i = int64_t(v);
  }
  return success();
}

} // namespace

LogicalResult interp::selectTileOp(Operation *op, Instr &instr,
                                   const Program &program) {
  if (auto pid = dyn_cast<ProgramIdOp>(op)) {
    instr.imm[0] = int64_t(pid.getAxis());
    instr.exec = execProgramId;
    return success();
  }
  if (auto num = dyn_cast<NumProgramsOp>(op)) {
    instr.imm[0] = int64_t(num.getAxis());
    instr.exec = execNumPrograms;
    return success();
  }
  if (auto range = dyn_cast<MakeRangeOp>(op)) {
    // Read signed: the generated getters return uint32_t.
    instr.imm[0] = range.getStartAttr().getInt();
    instr.exec = execMakeRange;
    return success();
  }
  if (isa<SplatOp>(op)) {
    instr.exec = execSplat;
    return success();
  }
  if (isa<BroadcastOp>(op)) {
    instr.exec = execBroadcast;
    return success();
  }
  if (isa<ExpandDimsOp, ReshapeOp, ConvertLayoutOp>(op)) {
    instr.exec = execCopy;
    return success();
  }
  if (auto addptr = dyn_cast<AddPtrOp>(op)) {
    unsigned bytes = memoryBytes(instr.elem.pointee, instr.elem.pointeeWidth);
    if (instr.elem.kind != ElemKind::Ptr || bytes == 0)
      return op->emitError()
             << "'tile.addptr' on " << addptr.getPtr().getType()
             << " is not supported by the interpreter (its elements are not "
                "whole bytes)";
    instr.imm[0] = bytes;
    instr.exec = execAddPtr;
    return success();
  }
  if (auto reduce = dyn_cast<ReduceOp>(op))
    return selectReduce(reduce, instr, program);
  if (auto dot = dyn_cast<DotOp>(op))
    return selectDot(dot, instr);
  if (auto convert = dyn_cast<FpToFpOp>(op))
    return selectFpToFp(convert, instr);
  if (isa<FpToE2M1x2Op>(op)) {
    if (!instr.src.inFloatSlot())
      return unsupportedType(op, op->getOperand(0).getType());
    instr.exec = execToE2M1x2;
    return success();
  }
  if (auto convert = dyn_cast<FpToIntOp>(op)) {
    if (!instr.src.inFloatSlot() || !instr.elem.isInt())
      return unsupportedType(op, convert.getSrc().getType());
    instr.imm[0] = int64_t(convert.getRounding());
    instr.exec = execFpToInt;
    return success();
  }
  return success();
}
