//===- ElementwiseOps.cpp - arith and math, element by element ------------===//
//
// Every arith and math op the interpreter runs applies to scalars and to tiles
// alike, one element at a time. Float math happens in float for f32, bf16 and
// f16 (the GPU widens bf16/f16 to f32 too, and rounding a float result of
// +, -, *, /, sqrt to bf16 or f16 is correctly rounded because f32 has more
// than twice their precision) and in double for f64; bf16/f16 results are
// rounded to nearest even. Integers wrap at the op's width. What LLVM leaves
// undefined (division by zero, shifting by the width or more) is an error
// naming the element. Conversions are in CastOps.cpp.
//
// This file is compiled with -ffp-contract=off: a * b + c must not become an
// fma, which would round once where the GPU rounds twice; math.fma, which
// rounds once on the GPU too, is std::fma.
//
//===----------------------------------------------------------------------===//

#include "FloatFormats.h"
#include "Machine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

namespace {

//===----------------------------------------------------------------------===//
// Float elements: how each kind is read and written
//===----------------------------------------------------------------------===//

/// Reads an element of kind K as the type arithmetic happens in, and writes a
/// result rounded to K.
template <ElemKind K> struct FloatIO;

template <> struct FloatIO<ElemKind::F32> {
  using T = float;
  static T get(Slot s) { return s.f; }
  static Slot put(float v) { return floatSlot(v); }
};

template <> struct FloatIO<ElemKind::BF16> {
  using T = float;
  static T get(Slot s) { return s.f; }
  static Slot put(float v) { return floatSlot(roundToBf16(v)); }
};

template <> struct FloatIO<ElemKind::F16> {
  using T = float;
  static T get(Slot s) { return s.f; }
  static Slot put(float v) { return floatSlot(roundToF16(v)); }
};

template <> struct FloatIO<ElemKind::F64> {
  using T = double;
  static T get(Slot s) { return s.d; }
  static Slot put(double v) { return doubleSlot(v); }
};

//===----------------------------------------------------------------------===//
// Float ops
//===----------------------------------------------------------------------===//

/// A NaN result of GPU arithmetic is the canonical NaN (0x7fffffff, sign
/// clear) whatever the operands' payloads and signs; x86 keeps an operand's.
/// The sign shows where a NaN becomes an e2m1 code (+-0) or is bitcast.
template <class T> T canonicalNaN(T v) {
  if (!std::isnan(v))
    return v;
  if constexpr (std::is_same_v<T, float>) {
    uint32_t bits = 0x7fffffff;
    float nan;
    std::memcpy(&nan, &bits, 4);
    return nan;
  } else {
    return std::numeric_limits<T>::quiet_NaN();
  }
}

struct AddF {
  template <class T> static T apply(T a, T b) {
    return canonicalNaN(a + b);
  }
};
struct SubF {
  template <class T> static T apply(T a, T b) {
    return canonicalNaN(a - b);
  }
};
struct MulF {
  template <class T> static T apply(T a, T b) {
    return canonicalNaN(a * b);
  }
};
struct DivF {
  template <class T> static T apply(T a, T b) {
    return canonicalNaN(a / b);
  }
};
struct RemF { // LLVM's frem is C's fmod
  template <class T> static T apply(T a, T b) { return std::fmod(a, b); }
};

/// IEEE 754-2019 maximum/minimum: NaN if either is NaN, and -0 < +0.
struct MaximumF {
  template <class T> static T apply(T a, T b) {
    if (std::isnan(a) || std::isnan(b))
      return canonicalNaN(a + b);
    if (a == b)
      return std::signbit(a) ? b : a;
    return a > b ? a : b;
  }
};
struct MinimumF {
  template <class T> static T apply(T a, T b) {
    if (std::isnan(a) || std::isnan(b))
      return canonicalNaN(a + b);
    if (a == b)
      return std::signbit(a) ? a : b;
    return a < b ? a : b;
  }
};
/// maxNum/minNum: the other operand when one is NaN; -0 < +0.
struct MaxNumF {
  template <class T> static T apply(T a, T b) {
    if (std::isnan(a))
      return std::isnan(b) ? a + b : b;
    if (std::isnan(b))
      return a;
    return MaximumF::apply(a, b);
  }
};
struct MinNumF {
  template <class T> static T apply(T a, T b) {
    if (std::isnan(a))
      return std::isnan(b) ? a + b : b;
    if (std::isnan(b))
      return a;
    return MinimumF::apply(a, b);
  }
};

struct NegF {
  template <class T> static T apply(T x) { return -x; }
};
struct AbsF {
  template <class T> static T apply(T x) { return std::fabs(x); }
};
// In float for f32, bf16 and f16: std::exp(float) is expf, the same exp the
// C++ references use.
struct Exp {
  template <class T> static T apply(T x) { return std::exp(x); }
};
struct Exp2 {
  template <class T> static T apply(T x) { return std::exp2(x); }
};
struct Log {
  template <class T> static T apply(T x) { return std::log(x); }
};
struct Log2 {
  template <class T> static T apply(T x) { return std::log2(x); }
};
struct Sqrt {
  template <class T> static T apply(T x) { return std::sqrt(x); }
};
struct Rsqrt {
  template <class T> static T apply(T x) { return T(1) / std::sqrt(x); }
};
struct RoundEven {
  template <class T> static T apply(T x) { return roundEven(x); }
};
struct Round { // ties away from zero
  template <class T> static T apply(T x) { return std::round(x); }
};
struct Floor {
  template <class T> static T apply(T x) { return std::floor(x); }
};
struct Ceil {
  template <class T> static T apply(T x) { return std::ceil(x); }
};
struct Trunc {
  template <class T> static T apply(T x) { return std::trunc(x); }
};

template <class Op, ElemKind K> Slot floatBinaryScalar(Slot a, Slot b) {
  using IO = FloatIO<K>;
  return IO::put(Op::apply(IO::get(a), IO::get(b)));
}

template <class Op, ElemKind K>
LogicalResult floatBinary(Machine &m, const Instr &instr) {
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i] = floatBinaryScalar<Op, K>(a[i], b[i]);
  return success();
}

template <class Op, ElemKind K>
LogicalResult floatUnary(Machine &m, const Instr &instr) {
  using IO = FloatIO<K>;
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i] = IO::put(Op::apply(IO::get(a[i])));
  return success();
}

template <class Op>
LogicalResult selectFloatBinary(Operation *op, Instr &instr) {
  switch (instr.elem.kind) {
  case ElemKind::F32:
    instr.exec = floatBinary<Op, ElemKind::F32>;
    instr.scalar = floatBinaryScalar<Op, ElemKind::F32>;
    return success();
  case ElemKind::F64:
    instr.exec = floatBinary<Op, ElemKind::F64>;
    instr.scalar = floatBinaryScalar<Op, ElemKind::F64>;
    return success();
  case ElemKind::F16:
    instr.exec = floatBinary<Op, ElemKind::F16>;
    instr.scalar = floatBinaryScalar<Op, ElemKind::F16>;
    return success();
  case ElemKind::BF16:
    instr.exec = floatBinary<Op, ElemKind::BF16>;
    instr.scalar = floatBinaryScalar<Op, ElemKind::BF16>;
    return success();
  default:
    return unsupportedType(op, op->getResult(0).getType());
  }
}

template <class Op>
LogicalResult selectFloatUnary(Operation *op, Instr &instr) {
  switch (instr.elem.kind) {
  case ElemKind::F32:
    instr.exec = floatUnary<Op, ElemKind::F32>;
    return success();
  case ElemKind::F64:
    instr.exec = floatUnary<Op, ElemKind::F64>;
    return success();
  case ElemKind::F16:
    instr.exec = floatUnary<Op, ElemKind::F16>;
    return success();
  case ElemKind::BF16:
    instr.exec = floatUnary<Op, ElemKind::BF16>;
    return success();
  default:
    return unsupportedType(op, op->getResult(0).getType());
  }
}

/// math.fma: a * b + c rounded once (std::fma, whatever -ffp-contract says),
/// as the GPU's fma.rn. f32 and f64 only: for bf16 and f16 one f32 fma and a
/// second rounding to the narrow type would not be what the GPU does.
template <ElemKind K> LogicalResult floatFma(Machine &m, const Instr &instr) {
  using IO = FloatIO<K>;
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]],
                 &c = m.regs[instr.in[2]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i] = IO::put(
        canonicalNaN(std::fma(IO::get(a[i]), IO::get(b[i]), IO::get(c[i]))));
  return success();
}

LogicalResult selectFma(Operation *op, Instr &instr) {
  switch (instr.elem.kind) {
  case ElemKind::F32:
    instr.exec = floatFma<ElemKind::F32>;
    return success();
  case ElemKind::F64:
    instr.exec = floatFma<ElemKind::F64>;
    return success();
  default:
    return unsupportedType(op, op->getResult(0).getType());
  }
}

//===----------------------------------------------------------------------===//
// Integer ops
//===----------------------------------------------------------------------===//

// Total ops: computed in 64 bits (unsigned where C++ would overflow), then
// wrapped to the op's width.
struct AddI {
  static int64_t apply(int64_t a, int64_t b, unsigned) {
    return int64_t(uint64_t(a) + uint64_t(b));
  }
};
struct SubI {
  static int64_t apply(int64_t a, int64_t b, unsigned) {
    return int64_t(uint64_t(a) - uint64_t(b));
  }
};
struct MulI {
  static int64_t apply(int64_t a, int64_t b, unsigned) {
    return int64_t(uint64_t(a) * uint64_t(b));
  }
};
struct AndI {
  static int64_t apply(int64_t a, int64_t b, unsigned) { return a & b; }
};
struct OrI {
  static int64_t apply(int64_t a, int64_t b, unsigned) { return a | b; }
};
struct XOrI {
  static int64_t apply(int64_t a, int64_t b, unsigned) { return a ^ b; }
};
struct MaxSI {
  static int64_t apply(int64_t a, int64_t b, unsigned) { return a > b ? a : b; }
};
struct MinSI {
  static int64_t apply(int64_t a, int64_t b, unsigned) { return a < b ? a : b; }
};
struct MaxUI {
  static int64_t apply(int64_t a, int64_t b, unsigned w) {
    return zextInt(a, w) > zextInt(b, w) ? a : b;
  }
};
struct MinUI {
  static int64_t apply(int64_t a, int64_t b, unsigned w) {
    return zextInt(a, w) < zextInt(b, w) ? a : b;
  }
};

template <class Op, unsigned W> Slot intBinaryScalar(Slot a, Slot b) {
  return intSlot(wrapInt(Op::apply(a.i, b.i, W), W));
}

template <class Op> LogicalResult intBinary(Machine &m, const Instr &instr) {
  unsigned w = instr.elem.width;
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].i = wrapInt(Op::apply(a[i].i, b[i].i, w), w);
  return success();
}

template <class Op> LogicalResult selectIntBinary(Operation *op, Instr &instr) {
  if (!instr.elem.isInt())
    return unsupportedType(op, op->getResult(0).getType());
  instr.exec = intBinary<Op>;
  switch (instr.elem.width) {
  case 1:
    instr.scalar = intBinaryScalar<Op, 1>;
    break;
  case 8:
    instr.scalar = intBinaryScalar<Op, 8>;
    break;
  case 16:
    instr.scalar = intBinaryScalar<Op, 16>;
    break;
  case 32:
    instr.scalar = intBinaryScalar<Op, 32>;
    break;
  case 64:
    instr.scalar = intBinaryScalar<Op, 64>;
    break;
  default:
    break;
  }
  return success();
}

/// The smallest signed value of a `w`-bit integer.
int64_t minSigned(unsigned w) { return wrapInt(int64_t(1) << (w - 1), w); }

// Ops with undefined cases: apply() returns why the element is undefined, or
// null with the result in `r`.
struct DivSI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (b == 0)
      return "division by zero";
    if (a == minSigned(w) && b == -1)
      return "signed division overflows";
    r = a / b;
    return nullptr;
  }
};
struct RemSI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (b == 0)
      return "remainder by zero";
    if (a == minSigned(w) && b == -1)
      return "signed remainder overflows";
    r = a % b;
    return nullptr;
  }
};
struct DivUI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (zextInt(b, w) == 0)
      return "division by zero";
    r = int64_t(zextInt(a, w) / zextInt(b, w));
    return nullptr;
  }
};
struct RemUI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (zextInt(b, w) == 0)
      return "remainder by zero";
    r = int64_t(zextInt(a, w) % zextInt(b, w));
    return nullptr;
  }
};
struct CeilDivSI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (const char *why = DivSI::apply(a, b, w, r))
      return why;
    if (a % b != 0 && (a < 0) == (b < 0))
      r += 1;
    return nullptr;
  }
};
struct CeilDivUI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (const char *why = DivUI::apply(a, b, w, r))
      return why;
    if (zextInt(a, w) % zextInt(b, w) != 0)
      r += 1;
    return nullptr;
  }
};
struct FloorDivSI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (const char *why = DivSI::apply(a, b, w, r))
      return why;
    if (a % b != 0 && (a < 0) != (b < 0))
      r -= 1;
    return nullptr;
  }
};
struct ShLI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (zextInt(b, w) >= w)
      return "shift amount not less than the bit width";
    r = int64_t(uint64_t(a) << zextInt(b, w));
    return nullptr;
  }
};
struct ShRSI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (zextInt(b, w) >= w)
      return "shift amount not less than the bit width";
    r = a >> zextInt(b, w); // `a` is sign-extended: an arithmetic shift
    return nullptr;
  }
};
struct ShRUI {
  static const char *apply(int64_t a, int64_t b, unsigned w, int64_t &r) {
    if (zextInt(b, w) >= w)
      return "shift amount not less than the bit width";
    r = int64_t(zextInt(a, w) >> zextInt(b, w));
    return nullptr;
  }
};

template <class Op>
LogicalResult checkedIntBinary(Machine &m, const Instr &instr) {
  unsigned w = instr.elem.width;
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i) {
    int64_t value = 0;
    if (const char *why = Op::apply(a[i].i, b[i].i, w, value))
      return m.error(instr)
             << why << " (undefined) at element " << formatIndex(i, instr.shape)
             << ": operands " << a[i].i << " and " << b[i].i;
    r[i].i = wrapInt(value, w);
  }
  return success();
}

template <class Op>
LogicalResult selectCheckedIntBinary(Operation *op, Instr &instr) {
  if (!instr.elem.isInt())
    return unsupportedType(op, op->getResult(0).getType());
  instr.exec = checkedIntBinary<Op>;
  return success();
}

LogicalResult execAbsI(Machine &m, const Instr &instr) {
  unsigned w = instr.elem.width;
  const Elements &a = m.regs[instr.in[0]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].i = wrapInt(a[i].i < 0 ? int64_t(0 - uint64_t(a[i].i)) : a[i].i, w);
  return success();
}

//===----------------------------------------------------------------------===//
// Comparisons and select
//===----------------------------------------------------------------------===//

template <class F> void compareEach(Machine &m, const Instr &instr, F compare) {
  const Elements &a = m.regs[instr.in[0]], &b = m.regs[instr.in[1]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  for (int64_t i = 0; i < instr.n; ++i)
    r[i].i = compare(a[i], b[i]) ? -1 : 0; // i1 true, sign-extended
}

LogicalResult execCmpI(Machine &m, const Instr &instr) {
  unsigned w = instr.src.width;
  using P = arith::CmpIPredicate;
  switch (P(instr.imm[0])) {
  case P::eq:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i == b.i; });
    break;
  case P::ne:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i != b.i; });
    break;
  case P::slt:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i < b.i; });
    break;
  case P::sle:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i <= b.i; });
    break;
  case P::sgt:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i > b.i; });
    break;
  case P::sge:
    compareEach(m, instr, [](Slot a, Slot b) { return a.i >= b.i; });
    break;
  case P::ult:
    compareEach(m, instr, [w](Slot a, Slot b) {
      return zextInt(a.i, w) < zextInt(b.i, w);
    });
    break;
  case P::ule:
    compareEach(m, instr, [w](Slot a, Slot b) {
      return zextInt(a.i, w) <= zextInt(b.i, w);
    });
    break;
  case P::ugt:
    compareEach(m, instr, [w](Slot a, Slot b) {
      return zextInt(a.i, w) > zextInt(b.i, w);
    });
    break;
  case P::uge:
    compareEach(m, instr, [w](Slot a, Slot b) {
      return zextInt(a.i, w) >= zextInt(b.i, w);
    });
    break;
  }
  return success();
}

LogicalResult execCmpF(Machine &m, const Instr &instr) {
  ElemKind k = instr.src.kind;
  using P = arith::CmpFPredicate;
  auto ordered = [k](auto compare) {
    return [k, compare](Slot a, Slot b) {
      double x = readFloat(a, k), y = readFloat(b, k);
      return !std::isnan(x) && !std::isnan(y) && compare(x, y);
    };
  };
  auto unordered = [k](auto compare) {
    return [k, compare](Slot a, Slot b) {
      double x = readFloat(a, k), y = readFloat(b, k);
      return std::isnan(x) || std::isnan(y) || compare(x, y);
    };
  };
  auto eq = [](double x, double y) { return x == y; };
  auto ne = [](double x, double y) { return x != y; };
  auto lt = [](double x, double y) { return x < y; };
  auto le = [](double x, double y) { return x <= y; };
  auto gt = [](double x, double y) { return x > y; };
  auto ge = [](double x, double y) { return x >= y; };
  auto never = [](double, double) { return false; };
  auto always = [](double, double) { return true; };
  switch (P(instr.imm[0])) {
  case P::AlwaysFalse:
    compareEach(m, instr, [](Slot, Slot) { return false; });
    break;
  case P::AlwaysTrue:
    compareEach(m, instr, [](Slot, Slot) { return true; });
    break;
  case P::OEQ:
    compareEach(m, instr, ordered(eq));
    break;
  case P::OGT:
    compareEach(m, instr, ordered(gt));
    break;
  case P::OGE:
    compareEach(m, instr, ordered(ge));
    break;
  case P::OLT:
    compareEach(m, instr, ordered(lt));
    break;
  case P::OLE:
    compareEach(m, instr, ordered(le));
    break;
  case P::ONE:
    compareEach(m, instr, ordered(ne));
    break;
  case P::ORD:
    compareEach(m, instr, ordered(always));
    break;
  case P::UEQ:
    compareEach(m, instr, unordered(eq));
    break;
  case P::UGT:
    compareEach(m, instr, unordered(gt));
    break;
  case P::UGE:
    compareEach(m, instr, unordered(ge));
    break;
  case P::ULT:
    compareEach(m, instr, unordered(lt));
    break;
  case P::ULE:
    compareEach(m, instr, unordered(le));
    break;
  case P::UNE:
    compareEach(m, instr, unordered(ne));
    break;
  case P::UNO:
    compareEach(m, instr, unordered(never));
    break;
  }
  return success();
}

/// imm[0]: the condition is a scalar choosing between whole tiles.
LogicalResult execSelect(Machine &m, const Instr &instr) {
  const Elements &c = m.regs[instr.in[0]], &t = m.regs[instr.in[1]],
                 &f = m.regs[instr.in[2]];
  Elements &r = Machine::sized(m.regs[instr.out[0]], instr.n);
  if (instr.imm[0]) {
    const Elements &chosen = c[0].i != 0 ? t : f;
    std::copy(chosen.begin(), chosen.begin() + instr.n, r.begin());
    return success();
  }
  for (int64_t i = 0; i < instr.n; ++i)
    r[i] = c[i].i != 0 ? t[i] : f[i];
  return success();
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

LogicalResult execConstant(Machine &m, const Instr &instr) {
  m.regs[instr.out[0]] = instr.constant;
  return success();
}

/// One element of a constant of element type `type`, exactly.
Slot constantElement(const ElemType &type, const APFloat &value) {
  if (type.kind == ElemKind::F4E2M1FN) {
    bool losesInfo;
    APFloat wide = value;
    wide.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
    return floatSlot(float(wide.convertToDouble()));
  }
  // From the bits, so that NaN payloads and signs survive.
  return floatFromBits(value.bitcastToAPInt().getZExtValue(), type.kind);
}

LogicalResult selectConstant(arith::ConstantOp op, Instr &instr) {
  const ElemType &type = instr.elem;
  Attribute value = op.getValue();
  auto fill = [&](auto element) {
    instr.constant.assign(size_t(instr.n), element);
  };
  if (auto integer = dyn_cast<IntegerAttr>(value)) {
    if (!type.isInt())
      return unsupportedType(op, op.getType());
    fill(intSlot(integer.getValue().getSExtValue()));
  } else if (auto fp = dyn_cast<FloatAttr>(value)) {
    if (!type.isFloat())
      return unsupportedType(op, op.getType());
    fill(constantElement(type, fp.getValue()));
  } else if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value)) {
    if (type.isInt()) {
      if (dense.isSplat())
        fill(intSlot(dense.getSplatValue<APInt>().getSExtValue()));
      else
        for (const APInt &v : dense.getValues<APInt>())
          instr.constant.push_back(intSlot(v.getSExtValue()));
    } else if (type.isFloat()) {
      if (dense.isSplat())
        fill(constantElement(type, dense.getSplatValue<APFloat>()));
      else
        for (const APFloat &v : dense.getValues<APFloat>())
          instr.constant.push_back(constantElement(type, v));
    } else {
      return unsupportedType(op, op.getType());
    }
  } else {
    return op.emitError() << "'arith.constant' with value " << value
                          << " is not supported by the interpreter";
  }
  instr.exec = execConstant;
  return success();
}

/// The element type of result #0, for error messages.
Type resultType(Operation *op) { return op->getResult(0).getType(); }

} // namespace

LogicalResult interp::selectElementwiseOp(Operation *op, Instr &instr) {
  // Float arithmetic.
  if (isa<arith::AddFOp>(op))
    return selectFloatBinary<AddF>(op, instr);
  if (isa<arith::SubFOp>(op))
    return selectFloatBinary<SubF>(op, instr);
  if (isa<arith::MulFOp>(op))
    return selectFloatBinary<MulF>(op, instr);
  if (isa<arith::DivFOp>(op))
    return selectFloatBinary<DivF>(op, instr);
  if (isa<arith::RemFOp>(op))
    return selectFloatBinary<RemF>(op, instr);
  if (isa<arith::MaximumFOp>(op))
    return selectFloatBinary<MaximumF>(op, instr);
  if (isa<arith::MinimumFOp>(op))
    return selectFloatBinary<MinimumF>(op, instr);
  if (isa<arith::MaxNumFOp>(op))
    return selectFloatBinary<MaxNumF>(op, instr);
  if (isa<arith::MinNumFOp>(op))
    return selectFloatBinary<MinNumF>(op, instr);
  if (isa<arith::NegFOp>(op))
    return selectFloatUnary<NegF>(op, instr);
  if (isa<math::AbsFOp>(op))
    return selectFloatUnary<AbsF>(op, instr);
  if (isa<math::ExpOp>(op))
    return selectFloatUnary<Exp>(op, instr);
  if (isa<math::Exp2Op>(op))
    return selectFloatUnary<Exp2>(op, instr);
  if (isa<math::LogOp>(op))
    return selectFloatUnary<Log>(op, instr);
  if (isa<math::Log2Op>(op))
    return selectFloatUnary<Log2>(op, instr);
  if (isa<math::SqrtOp>(op))
    return selectFloatUnary<Sqrt>(op, instr);
  if (isa<math::RsqrtOp>(op))
    return selectFloatUnary<Rsqrt>(op, instr);
  if (isa<math::RoundEvenOp>(op))
    return selectFloatUnary<RoundEven>(op, instr);
  if (isa<math::RoundOp>(op))
    return selectFloatUnary<Round>(op, instr);
  if (isa<math::FloorOp>(op))
    return selectFloatUnary<Floor>(op, instr);
  if (isa<math::CeilOp>(op))
    return selectFloatUnary<Ceil>(op, instr);
  if (isa<math::TruncOp>(op))
    return selectFloatUnary<Trunc>(op, instr);
  if (isa<math::FmaOp>(op))
    return selectFma(op, instr);

  // Integer arithmetic.
  if (isa<arith::AddIOp>(op))
    return selectIntBinary<AddI>(op, instr);
  if (isa<arith::SubIOp>(op))
    return selectIntBinary<SubI>(op, instr);
  if (isa<arith::MulIOp>(op))
    return selectIntBinary<MulI>(op, instr);
  if (isa<arith::AndIOp>(op))
    return selectIntBinary<AndI>(op, instr);
  if (isa<arith::OrIOp>(op))
    return selectIntBinary<OrI>(op, instr);
  if (isa<arith::XOrIOp>(op))
    return selectIntBinary<XOrI>(op, instr);
  if (isa<arith::MaxSIOp>(op))
    return selectIntBinary<MaxSI>(op, instr);
  if (isa<arith::MinSIOp>(op))
    return selectIntBinary<MinSI>(op, instr);
  if (isa<arith::MaxUIOp>(op))
    return selectIntBinary<MaxUI>(op, instr);
  if (isa<arith::MinUIOp>(op))
    return selectIntBinary<MinUI>(op, instr);
  if (isa<arith::DivSIOp>(op))
    return selectCheckedIntBinary<DivSI>(op, instr);
  if (isa<arith::DivUIOp>(op))
    return selectCheckedIntBinary<DivUI>(op, instr);
  if (isa<arith::RemSIOp>(op))
    return selectCheckedIntBinary<RemSI>(op, instr);
  if (isa<arith::RemUIOp>(op))
    return selectCheckedIntBinary<RemUI>(op, instr);
  if (isa<arith::CeilDivSIOp>(op))
    return selectCheckedIntBinary<CeilDivSI>(op, instr);
  if (isa<arith::CeilDivUIOp>(op))
    return selectCheckedIntBinary<CeilDivUI>(op, instr);
  if (isa<arith::FloorDivSIOp>(op))
    return selectCheckedIntBinary<FloorDivSI>(op, instr);
  if (isa<arith::ShLIOp>(op))
    return selectCheckedIntBinary<ShLI>(op, instr);
  if (isa<arith::ShRSIOp>(op))
    return selectCheckedIntBinary<ShRSI>(op, instr);
  if (isa<arith::ShRUIOp>(op))
    return selectCheckedIntBinary<ShRUI>(op, instr);
  if (isa<math::AbsIOp>(op)) {
    if (!instr.elem.isInt())
      return unsupportedType(op, resultType(op));
    instr.exec = execAbsI;
    return success();
  }

  // Comparisons and select.
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    if (!instr.src.isInt())
      return unsupportedType(op, cmp.getLhs().getType());
    instr.imm[0] = int64_t(cmp.getPredicate());
    instr.exec = execCmpI;
    return success();
  }
  if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
    if (!instr.src.isFloat())
      return unsupportedType(op, cmp.getLhs().getType());
    instr.imm[0] = int64_t(cmp.getPredicate());
    instr.exec = execCmpF;
    return success();
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    if (instr.elem.kind == ElemKind::Unknown)
      return unsupportedType(op, resultType(op));
    instr.imm[0] = !isa<RankedTensorType>(select.getCondition().getType()) &&
                   isa<RankedTensorType>(select.getType());
    instr.exec = execSelect;
    return success();
  }

  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return selectConstant(constant, instr);
  return success();
}
