//===- Ops.cpp - The DSL's operators and functions ------------------------===//
//
// Each function checks its operands (reporting shape and type errors at the
// user's line), broadcasts them, and builds the tile/arith/math/scf ops.
// After an error, functions given a null Value return a null Value without a
// second report.
//
//===----------------------------------------------------------------------===//

#include "DSLImpl.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
namespace t = mlir::tile;
using MValue = mlir::Value;

namespace tile::dsl {
using detail::impl;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

Type KernelBuilder::Impl::type(DType t) {
  Builder b(&ctx);
  switch (t) {
  case DType::I1:
    return b.getI1Type();
  case DType::I4:
    return b.getIntegerType(4);
  case DType::I8:
    return b.getI8Type();
  case DType::I16:
    return b.getI16Type();
  case DType::I32:
    return b.getI32Type();
  case DType::I64:
    return b.getI64Type();
  case DType::F16:
    return b.getF16Type();
  case DType::BF16:
    return b.getBF16Type();
  case DType::F32:
    return b.getF32Type();
  case DType::F64:
    return b.getF64Type();
  case DType::F8E4M3:
    return b.getType<Float8E4M3FNType>();
  case DType::F4E2M1:
    return b.getType<Float4E2M1FNType>();
  }
  return {};
}

const char *dtypeName(DType t) {
  switch (t) {
  case DType::I1:
    return "i1";
  case DType::I4:
    return "i4";
  case DType::I8:
    return "i8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::F8E4M3:
    return "f8E4M3FN";
  case DType::F4E2M1:
    return "f4E2M1FN";
  }
  return "?";
}

static DType dtypeOf(Type t) {
  if (auto ptr = dyn_cast<t::PtrType>(t))
    t = ptr.getPointeeType();
  if (t.isInteger(1))
    return DType::I1;
  if (t.isInteger(4))
    return DType::I4;
  if (t.isInteger(8))
    return DType::I8;
  if (t.isInteger(16))
    return DType::I16;
  if (t.isInteger(32))
    return DType::I32;
  if (t.isInteger(64))
    return DType::I64;
  if (t.isF16())
    return DType::F16;
  if (t.isBF16())
    return DType::BF16;
  if (t.isF32())
    return DType::F32;
  if (t.isF64())
    return DType::F64;
  if (isa<Float8E4M3FNType>(t))
    return DType::F8E4M3;
  return DType::F4E2M1;
}

bool Value::isTile() const {
  return v && isa<RankedTensorType>(v.getType());
}

bool Value::isPointer() const {
  return v && isa<t::PtrType>(getElementTypeOrSelf(v.getType()));
}

std::vector<int64_t> Value::shape() const {
  if (!isTile())
    return {};
  auto s = cast<RankedTensorType>(v.getType()).getShape();
  return std::vector<int64_t>(s.begin(), s.end());
}

DType Value::dtype() const {
  return dtypeOf(getElementTypeOrSelf(v.getType()));
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

using V = Value;

std::string shapeString(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

Type elementOf(MValue v) { return getElementTypeOrSelf(v.getType()); }

/// A tile type of `shape` with `element`, or `element` for an empty shape.
Type shaped(ArrayRef<int64_t> shape, Type element) {
  if (shape.empty())
    return element;
  return RankedTensorType::get(shape, element);
}

MValue constantOf(OpBuilder &b, Location loc, double value, Type type) {
  if (auto it = dyn_cast<IntegerType>(type))
    return arith::ConstantOp::create(
        b, loc, IntegerAttr::get(it, APInt(it.getWidth(), int64_t(value), true)));
  return arith::ConstantOp::create(b, loc, FloatAttr::get(type, value));
}

/// `v` (scalar or tile) broadcast to `shape`, or null (and an error) when the
/// shapes do not fit.
MValue broadcastValue(MValue v, ArrayRef<int64_t> shape, Loc loc) {
  auto &s = impl();
  Location where = s.location(loc);
  auto tile = dyn_cast<RankedTensorType>(v.getType());
  if (!tile) {
    if (shape.empty())
      return v;
    return t::SplatOp::create(s.builder, where,
                              RankedTensorType::get(shape, v.getType()), v);
  }
  ArrayRef<int64_t> from = tile.getShape();
  if (from.size() > shape.size()) {
    s.error(loc) << "cannot broadcast a " << shapeString(from) << " tile to "
                 << shapeString(shape);
    return {};
  }
  while (int64_t(tile.getRank()) < int64_t(shape.size())) {
    SmallVector<int64_t> expanded(tile.getShape());
    expanded.insert(expanded.begin(), 1);
    tile = RankedTensorType::get(expanded, tile.getElementType());
    v = t::ExpandDimsOp::create(s.builder, where, tile, v, 0);
  }
  for (size_t d = 0; d < shape.size(); ++d)
    if (tile.getDimSize(d) != shape[d] && tile.getDimSize(d) != 1) {
      s.error(loc) << "cannot broadcast a " << shapeString(tile.getShape())
                   << " tile to " << shapeString(shape);
      return {};
    }
  if (tile.getShape() == shape)
    return v;
  return t::BroadcastOp::create(
      s.builder, where, RankedTensorType::get(shape, tile.getElementType()), v);
}

/// The NumPy broadcast of two shapes, or nullopt.
std::optional<SmallVector<int64_t>> broadcastShape(ArrayRef<int64_t> a,
                                                   ArrayRef<int64_t> b) {
  SmallVector<int64_t> out(std::max(a.size(), b.size()), 1);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1)
      return std::nullopt;
    out[out.size() - 1 - i] = std::max(x, y);
  }
  return out;
}

/// Operands made values of one element type and one shape. A literal takes
/// the other operand's element type (`literalType` if both are literals).
bool unify(SmallVectorImpl<Operand> &ops, SmallVectorImpl<MValue> &out,
           Loc loc, Type literalType = {}, bool allowPointer = false) {
  auto &s = impl();
  Type element;
  SmallVector<int64_t> shape;
  for (Operand &o : ops) {
    if (o.isLiteral)
      continue;
    if (!o.value)
      return false; // an earlier error
    MValue v = o.value.raw();
    ArrayRef<int64_t> vs = V(v).isTile()
                               ? cast<RankedTensorType>(v.getType()).getShape()
                               : ArrayRef<int64_t>();
    auto merged = broadcastShape(shape, vs);
    if (!merged) {
      s.error(loc) << "shapes " << shapeString(shape) << " and "
                   << shapeString(vs) << " cannot be broadcast together";
      return false;
    }
    shape = *merged;
    Type e = elementOf(v);
    if (element && e != element && !allowPointer) {
      s.error(loc) << "operands have different element types " << element
                   << " and " << e << "; convert one with .to()";
      return false;
    }
    if (!element)
      element = e;
  }
  if (!element)
    element = literalType;
  for (Operand &o : ops) {
    MValue v;
    if (o.isLiteral) {
      Type t = element;
      if (isa<t::PtrType>(t) || (o.isInteger && !t.isIntOrFloat()))
        t = s.builder.getI32Type();
      if (!o.isInteger || isa<FloatType>(t) || isa<IntegerType>(t))
        v = constantOf(s.builder, s.location(o.loc), o.literal, t);
    } else {
      v = o.value.raw();
    }
    v = broadcastValue(v, shape, loc);
    if (!v)
      return false;
    out.push_back(v);
  }
  return true;
}

bool isFloat(MValue v) { return isa<FloatType>(elementOf(v)); }

template <typename FloatOp, typename SignedOp>
V arithmetic(Operand a, Operand b, const char *what) {
  auto &s = impl();
  Loc loc = a.isLiteral ? b.loc : a.loc;
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, loc, s.builder.getF32Type()))
    return V();
  if (isa<t::PtrType>(elementOf(vs[0]))) {
    s.error(loc) << "'" << what << "' of pointers";
    return V();
  }
  Location where = s.location(loc);
  if (isFloat(vs[0]))
    return V(FloatOp::create(s.builder, where, vs[0], vs[1]));
  return V(SignedOp::create(s.builder, where, vs[0], vs[1]));
}

V compare(Operand a, Operand b, arith::CmpFPredicate f,
          arith::CmpIPredicate i) {
  auto &s = impl();
  Loc loc = a.isLiteral ? b.loc : a.loc;
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, loc, s.builder.getF32Type()))
    return V();
  Location where = s.location(loc);
  if (isFloat(vs[0]))
    return V(arith::CmpFOp::create(s.builder, where, f, vs[0], vs[1]));
  return V(arith::CmpIOp::create(s.builder, where, i, vs[0], vs[1]));
}

} // namespace

//===----------------------------------------------------------------------===//
// Operators
//===----------------------------------------------------------------------===//

V operator+(Operand a, Operand b) {
  // Pointer + offset is addptr.
  if (!a.isLiteral && a.value && a.value.isPointer()) {
    auto &s = impl();
    SmallVector<Operand> ops = {a, b};
    SmallVector<MValue> vs;
    if (!unify(ops, vs, a.loc, s.builder.getI32Type(), /*allowPointer=*/true))
      return V();
    if (!isa<IntegerType>(elementOf(vs[1]))) {
      s.error(a.loc) << "a pointer offset must be an integer, not "
                     << elementOf(vs[1]);
      return V();
    }
    return V(t::AddPtrOp::create(s.builder, s.location(a.loc), vs[0].getType(),
                                 vs[0], vs[1]));
  }
  if (!b.isLiteral && b.value && b.value.isPointer())
    return b + a;
  return arithmetic<arith::AddFOp, arith::AddIOp>(a, b, "+");
}

V operator-(Operand a, Operand b) {
  return arithmetic<arith::SubFOp, arith::SubIOp>(a, b, "-");
}
V operator*(Operand a, Operand b) {
  return arithmetic<arith::MulFOp, arith::MulIOp>(a, b, "*");
}
V operator/(Operand a, Operand b) {
  return arithmetic<arith::DivFOp, arith::DivSIOp>(a, b, "/");
}
V operator%(Operand a, Operand b) {
  return arithmetic<arith::RemFOp, arith::RemSIOp>(a, b, "%");
}
V operator<(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt);
}
V operator<=(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle);
}
V operator>(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt);
}
V operator>=(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge);
}
V operator==(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
}
V operator!=(Operand a, Operand b) {
  return compare(a, b, arith::CmpFPredicate::UNE, arith::CmpIPredicate::ne);
}
V operator&(Operand a, Operand b) {
  auto &s = impl();
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, a.loc, s.builder.getI1Type()))
    return V();
  return V(arith::AndIOp::create(s.builder, s.location(a.loc), vs[0], vs[1]));
}
V operator|(Operand a, Operand b) {
  auto &s = impl();
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, a.loc, s.builder.getI1Type()))
    return V();
  return V(arith::OrIOp::create(s.builder, s.location(a.loc), vs[0], vs[1]));
}
V operator-(Operand a) {
  if (!a.isLiteral && a.value && isFloat(a.value.raw())) {
    auto &s = impl();
    return V(arith::NegFOp::create(s.builder, s.location(a.loc), a.value.raw()));
  }
  return Operand(0, a.loc.file, a.loc.line) - a;
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

V Value::to(DType type, Loc loc) const {
  if (!v)
    return V();
  auto &s = impl();
  Location where = s.location(loc);
  Type from = elementOf(v), to = s.type(type);
  if (from == to)
    return *this;
  Type result = V(v).isTile() ? Type(cast<RankedTensorType>(v.getType()).clone(to))
                              : to;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (isa<t::PtrType>(from)) {
    s.error(loc) << "cannot convert a pointer";
    return V();
  }
  unsigned fromBits = from.getIntOrFloatBitWidth(), toBits = to.getIntOrFloatBitWidth();
  if (fromFloat && toFloat) {
    bool special = isa<Float8E4M3FNType, Float4E2M1FNType>(from) ||
                   isa<Float8E4M3FNType, Float4E2M1FNType>(to);
    if (special) {
      if (fromBits < toBits)
        return V(t::FpToFpOp::create(s.builder, where, result, v, nullptr, nullptr));
      s.error(loc) << "narrowing to " << to
                   << " needs explicit rounding and saturation: use toFp8() "
                      "or toE2M1()";
      return V();
    }
    if (fromBits < toBits)
      return V(arith::ExtFOp::create(s.builder, where, result, v));
    return V(arith::TruncFOp::create(s.builder, where, result, v));
  }
  if (!fromFloat && !toFloat) {
    if (fromBits < toBits)
      return V(arith::ExtSIOp::create(s.builder, where, result, v));
    return V(arith::TruncIOp::create(s.builder, where, result, v));
  }
  if (!fromFloat)
    return V(arith::SIToFPOp::create(s.builder, where, result, v));
  s.error(loc) << "float to integer needs a rounding mode: use toInt()";
  return V();
}

V toFp8(V x, bool saturate, Loc loc) {
  if (!x)
    return V();
  auto &s = impl();
  Type to = s.type(DType::F8E4M3);
  Type result = x.isTile() ? Type(cast<RankedTensorType>(x.raw().getType()).clone(to)) : to;
  return V(t::FpToFpOp::create(
      s.builder, s.location(loc), result, x.raw(),
      t::RoundingModeAttr::get(&s.ctx, t::RoundingMode::RTNE),
      saturate ? s.builder.getUnitAttr() : nullptr));
}

V toE2M1(V x, Loc loc) {
  if (!x)
    return V();
  auto &s = impl();
  Type to = s.type(DType::F4E2M1);
  Type result = x.isTile() ? Type(cast<RankedTensorType>(x.raw().getType()).clone(to)) : to;
  return V(t::FpToFpOp::create(
      s.builder, s.location(loc), result, x.raw(),
      t::RoundingModeAttr::get(&s.ctx, t::RoundingMode::RTNE),
      s.builder.getUnitAttr()));
}

V toE2M1x2(V x, Loc loc) {
  if (!x)
    return V();
  auto &s = impl();
  auto type = dyn_cast<RankedTensorType>(x.raw().getType());
  if (!type ||
      !isa<Float32Type, Float16Type, BFloat16Type>(type.getElementType())) {
    s.error(loc) << "toE2M1x2 packs a tile of f32, f16 or bf16, got "
                 << x.raw().getType();
    return V();
  }
  SmallVector<int64_t> shape(type.getShape());
  if (shape.back() % 2 != 0) {
    s.error(loc) << "toE2M1x2 packs pairs along the last dimension: " << type
                 << " has an odd last dimension";
    return V();
  }
  shape.back() /= 2;
  Type result = RankedTensorType::get(shape, s.builder.getI8Type());
  return V(
      t::FpToE2M1x2Op::create(s.builder, s.location(loc), result, x.raw()));
}

V toInt(V x, DType type, Rounding rounding, Loc loc) {
  if (!x)
    return V();
  auto &s = impl();
  Type to = s.type(type);
  Type result = x.isTile() ? Type(cast<RankedTensorType>(x.raw().getType()).clone(to)) : to;
  t::RoundingMode mode = rounding == Rounding::NearestEven ? t::RoundingMode::RTNE
                         : rounding == Rounding::TowardZero ? t::RoundingMode::RTZ
                                                            : t::RoundingMode::RNA;
  return V(t::FpToIntOp::create(s.builder, s.location(loc), result, x.raw(),
                                t::RoundingModeAttr::get(&s.ctx, mode)));
}

V bitcast(V x, DType type, Loc loc) {
  if (!x)
    return V();
  auto &s = impl();
  Type to = s.type(type);
  if (to.getIntOrFloatBitWidth() != elementOf(x.raw()).getIntOrFloatBitWidth()) {
    s.error(loc) << "bitcast from " << elementOf(x.raw()) << " to " << to
                 << " changes the width";
    return V();
  }
  Type result = x.isTile() ? Type(cast<RankedTensorType>(x.raw().getType()).clone(to)) : to;
  return V(arith::BitcastOp::create(s.builder, s.location(loc), result, x.raw()));
}

//===----------------------------------------------------------------------===//
// Programs and tiles
//===----------------------------------------------------------------------===//

static std::optional<t::ProgramAxis> axisOf(int axis, Loc loc) {
  if (axis < 0 || axis > 2) {
    impl().error(loc) << "grid axis must be 0, 1 or 2, got " << axis;
    return std::nullopt;
  }
  return static_cast<t::ProgramAxis>(axis);
}

V programId(int axis, Loc loc) {
  auto &s = impl();
  auto a = axisOf(axis, loc);
  if (!a)
    return V();
  return V(t::ProgramIdOp::create(s.builder, s.location(loc),
                                  s.builder.getI32Type(), *a));
}

V numPrograms(int axis, Loc loc) {
  auto &s = impl();
  auto a = axisOf(axis, loc);
  if (!a)
    return V();
  return V(t::NumProgramsOp::create(s.builder, s.location(loc),
                                    s.builder.getI32Type(), *a));
}

V range(int start, int end, Loc loc) {
  auto &s = impl();
  int64_t n = int64_t(end) - start;
  if (n <= 0 || (n & (n - 1))) {
    s.error(loc) << "range(" << start << ", " << end
                 << ") must have a power-of-two number of elements, got " << n;
    return V();
  }
  return V(t::MakeRangeOp::create(s.builder, s.location(loc), start, end));
}

V constant(double value, DType type, Loc loc) {
  auto &s = impl();
  return V(constantOf(s.builder, s.location(loc), value, s.type(type)));
}

V full(std::vector<int64_t> shape, double value, DType type, Loc loc) {
  V c = constant(value, type, loc);
  return broadcastTo(c, shape, loc);
}

V expandDims(V v, int axis, Loc loc) {
  if (!v)
    return V();
  auto &s = impl();
  if (!v.isTile()) {
    s.error(loc) << "expandDims needs a tile";
    return V();
  }
  int rank = v.shape().size();
  if (axis < 0 || axis > rank) {
    s.error(loc) << "expandDims axis " << axis << " is out of range for a "
                 << shapeString(v.shape()) << " tile";
    return V();
  }
  return V(t::ExpandDimsOp::create(s.builder, s.location(loc), v.raw(), axis));
}

V broadcastTo(V v, std::vector<int64_t> shape, Loc loc) {
  if (!v)
    return V();
  MValue r = broadcastValue(v.raw(), shape, loc);
  return r ? V(r) : V();
}

V reshape(V v, std::vector<int64_t> shape, Loc loc) {
  if (!v)
    return V();
  auto &s = impl();
  int64_t from = 1, to = 1;
  for (int64_t d : v.shape())
    from *= d;
  for (int64_t d : shape)
    to *= d;
  if (!v.isTile() || from != to) {
    s.error(loc) << "cannot reshape a " << shapeString(v.shape()) << " tile to "
                 << shapeString(shape);
    return V();
  }
  return V(t::ReshapeOp::create(s.builder, s.location(loc),
                                RankedTensorType::get(shape, elementOf(v.raw())),
                                v.raw()));
}

//===----------------------------------------------------------------------===//
// Dot
//===----------------------------------------------------------------------===//

static t::InputPrecision inputPrecision(Precision precision) {
  switch (precision) {
  case Precision::IEEE:
    return t::InputPrecision::IEEE;
  case Precision::TF32:
    return t::InputPrecision::TF32;
  case Precision::Native:
    return t::InputPrecision::Native;
  case Precision::F16Exact:
    return t::InputPrecision::F16Exact;
  }
  return t::InputPrecision::IEEE;
}

V dot(V a, V b, V acc, Precision precision, Loc loc) {
  if (!a || !b || !acc)
    return V();
  auto &s = impl();
  std::vector<int64_t> as = a.shape(), bs = b.shape(), cs = acc.shape();
  if (a.isPointer() || b.isPointer() || acc.isPointer() || as.size() != 2 ||
      bs.size() != 2 || cs.size() != 2) {
    s.error(loc) << "dot needs 2-D tiles of numbers, got " << a.raw().getType()
                 << " * " << b.raw().getType() << " + " << acc.raw().getType();
    return V();
  }
  if (as[1] != bs[0]) {
    s.error(loc) << "dot: a is " << shapeString(as) << " but b is "
                 << shapeString(bs) << ": the K extents differ";
    return V();
  }
  if (cs[0] != as[0] || cs[1] != bs[1]) {
    s.error(loc) << "dot: the accumulator is " << shapeString(cs)
                 << ", expected " << as[0] << "x" << bs[1] << " (a is "
                 << shapeString(as) << ", b is " << shapeString(bs) << ")";
    return V();
  }
  Type ab = elementOf(a.raw());
  if (elementOf(b.raw()) != ab) {
    s.error(loc) << "dot operands have different element types " << ab
                 << " and " << elementOf(b.raw());
    return V();
  }
  bool isI8 = ab.isInteger(8);
  bool intPrecision =
      precision == Precision::Native || precision == Precision::F16Exact;
  if (isI8 != intPrecision) {
    s.error(loc) << "dot precision does not go with " << ab
                 << " operands: i8 takes Native or F16Exact, floats IEEE (f32 "
                    "also TF32)";
    return V();
  }
  // The remaining rules (accumulator types, extents, the f16_exact chain)
  // are the verifier's; it reports them at this line when the kernel is
  // finished.
  return V(t::DotOp::create(s.builder, s.location(loc), acc.raw().getType(),
                            a.raw(), b.raw(), acc.raw(),
                            inputPrecision(precision)));
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

V load(V ptr, Operand mask, Operand other, Cache cache, Evict evict,
                  Loc loc) {
  auto &s = impl();
  if (!ptr)
    return V();
  if (!ptr.isPointer()) {
    s.error(loc) << "load needs pointers, got " << ptr.raw().getType();
    return V();
  }
  std::vector<int64_t> shape = ptr.shape();
  Type pointee = cast<t::PtrType>(elementOf(ptr.raw())).getPointeeType();
  MValue m, o;
  bool hasMask = mask.isLiteral || mask.value;
  if (hasMask) {
    SmallVector<Operand> ops = {mask};
    SmallVector<MValue> vs;
    if (!unify(ops, vs, loc, s.builder.getI1Type()))
      return V();
    m = broadcastValue(vs[0], shape, loc);
    if (!m)
      return V();
    if (!elementOf(m).isInteger(1)) {
      s.error(loc) << "a mask must be i1, got " << elementOf(m);
      return V();
    }
  }
  bool hasOther = other.isLiteral || other.value;
  if (hasOther) {
    if (!m) {
      s.error(loc) << "'other' needs a mask";
      return V();
    }
    MValue v = other.isLiteral
                   ? constantOf(s.builder, s.location(loc), other.literal, pointee)
                   : other.value.raw();
    if (elementOf(v) != pointee) {
      s.error(loc) << "'other' has type " << elementOf(v)
                   << " but the pointers load " << pointee;
      return V();
    }
    o = broadcastValue(v, shape, loc);
    if (!o)
      return V();
  }
  return V(t::LoadOp::create(s.builder, s.location(loc), ptr.raw(), m, o,
                             static_cast<t::CacheModifier>(cache),
                             static_cast<t::EvictionPolicy>(evict)));
}

void store(V ptr, Operand value, Operand mask, Cache cache,
                      Evict evict, Loc loc) {
  auto &s = impl();
  if (!ptr)
    return;
  if (!ptr.isPointer()) {
    s.error(loc) << "store needs pointers, got " << ptr.raw().getType();
    return;
  }
  std::vector<int64_t> shape = ptr.shape();
  Type pointee = cast<t::PtrType>(elementOf(ptr.raw())).getPointeeType();
  MValue v = value.isLiteral
                 ? constantOf(s.builder, s.location(loc), value.literal, pointee)
                 : value.value.raw();
  if (!v)
    return;
  if (elementOf(v) != pointee) {
    s.error(loc) << "storing " << elementOf(v) << " through pointers to "
                 << pointee << "; convert the value first";
    return;
  }
  v = broadcastValue(v, shape, loc);
  if (!v)
    return;
  MValue m;
  if (mask.isLiteral || mask.value) {
    SmallVector<Operand> ops = {mask};
    SmallVector<MValue> vs;
    if (!unify(ops, vs, loc, s.builder.getI1Type()))
      return;
    m = broadcastValue(vs[0], shape, loc);
    if (!m)
      return;
  }
  t::StoreOp::create(s.builder, s.location(loc), ptr.raw(), v, m,
                     static_cast<t::CacheModifier>(cache),
                     static_cast<t::EvictionPolicy>(evict));
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

V where(Operand cond, Operand a, Operand b, Loc loc) {
  auto &s = impl();
  SmallVector<Operand> values = {a, b};
  SmallVector<MValue> vs;
  if (!unify(values, vs, loc, s.builder.getF32Type()))
    return V();
  SmallVector<Operand> conds = {cond};
  SmallVector<MValue> cs;
  if (!unify(conds, cs, loc, s.builder.getI1Type()))
    return V();
  auto shape = broadcastShape(V(vs[0]).shape(), V(cs[0]).shape());
  if (!shape) {
    s.error(loc) << "condition and values cannot be broadcast together";
    return V();
  }
  MValue c = broadcastValue(cs[0], *shape, loc);
  MValue x = broadcastValue(vs[0], *shape, loc);
  MValue y = broadcastValue(vs[1], *shape, loc);
  if (!c || !x || !y)
    return V();
  return V(arith::SelectOp::create(s.builder, s.location(loc), c, x, y));
}

static V binaryFloat(Operand a, Operand b, Loc loc,
                     const std::function<MValue(OpBuilder &, Location, MValue,
                                                MValue)> &make,
                     const char *what) {
  auto &s = impl();
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, loc, s.builder.getF32Type()))
    return V();
  if (!isFloat(vs[0])) {
    s.error(loc) << what << " needs floats, got " << elementOf(vs[0]);
    return V();
  }
  return V(make(s.builder, s.location(loc), vs[0], vs[1]));
}

V maximum(Operand a, Operand b, Loc loc) {
  return binaryFloat(a, b, loc, [](OpBuilder &b, Location l, MValue x, MValue y) {
    return arith::MaximumFOp::create(b, l, x, y).getResult();
  }, "maximum");
}

V minimum(Operand a, Operand b, Loc loc) {
  return binaryFloat(a, b, loc, [](OpBuilder &b, Location l, MValue x, MValue y) {
    return arith::MinimumFOp::create(b, l, x, y).getResult();
  }, "minimum");
}

static V unaryFloat(V x, Loc loc, const char *what,
                    const std::function<MValue(OpBuilder &, Location, MValue)> &make) {
  if (!x)
    return V();
  auto &s = impl();
  if (!isFloat(x.raw())) {
    s.error(loc) << what << " needs floats, got " << elementOf(x.raw());
    return V();
  }
  return V(make(s.builder, s.location(loc), x.raw()));
}

V exp(V x, Loc loc) {
  return unaryFloat(x, loc, "exp", [](OpBuilder &b, Location l, MValue v) {
    return math::ExpOp::create(b, l, v).getResult();
  });
}

V abs(V x, Loc loc) {
  return unaryFloat(x, loc, "abs", [](OpBuilder &b, Location l, MValue v) {
    return math::AbsFOp::create(b, l, v).getResult();
  });
}

V sigmoid(V x, Loc loc) {
  if (!x)
    return V();
  V e = exp(-Operand(x, loc.file, loc.line), loc);
  return Operand(1.0, loc.file, loc.line) /
         Operand(Operand(1.0, loc.file, loc.line) + Operand(e, loc.file, loc.line),
                 loc.file, loc.line);
}

V silu(V x, Loc loc) {
  if (!x)
    return V();
  V e = exp(-Operand(x, loc.file, loc.line), loc);
  V denominator =
      Operand(1.0, loc.file, loc.line) + Operand(e, loc.file, loc.line);
  if (!denominator)
    return V();
  // exp is already approximate on the GPU: the division may be too (afn),
  // which spares the IEEE division's long sequence. Scales stay IEEE.
  auto &s = impl();
  auto div = arith::DivFOp::create(s.builder, s.location(loc), x.raw(),
                                   denominator.raw());
  div.setFastmath(arith::FastMathFlags::afn);
  return V(div.getResult());
}

V fma(Operand a, Operand b, Operand c, Loc loc) {
  auto &s = impl();
  SmallVector<Operand> ops = {a, b, c};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, loc, s.builder.getF32Type()))
    return V();
  if (!isFloat(vs[0])) {
    s.error(loc) << "fma needs floats, got " << elementOf(vs[0]);
    return V();
  }
  return V(math::FmaOp::create(s.builder, s.location(loc), vs[0], vs[1], vs[2]));
}

template <typename ShiftOp>
static V shift(Operand a, Operand b, Loc loc, const char *what) {
  auto &s = impl();
  SmallVector<Operand> ops = {a, b};
  SmallVector<MValue> vs;
  if (!unify(ops, vs, loc, s.builder.getI32Type()))
    return V();
  if (!isa<IntegerType>(elementOf(vs[0]))) {
    s.error(loc) << what << " needs integers, got " << elementOf(vs[0]);
    return V();
  }
  return V(ShiftOp::create(s.builder, s.location(loc), vs[0], vs[1]));
}

V shl(Operand a, Operand b, Loc loc) {
  return shift<arith::ShLIOp>(a, b, loc, "shl");
}

V ashr(Operand a, Operand b, Loc loc) {
  return shift<arith::ShRSIOp>(a, b, loc, "ashr");
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

V reduce(V v, int axis, const std::function<V(V, V)> &combine,
                    Loc loc) {
  if (!v)
    return V();
  auto &s = impl();
  if (!v.isTile()) {
    s.error(loc) << "reduce needs a tile";
    return V();
  }
  int rank = v.shape().size();
  if (axis < 0 || axis >= rank) {
    s.error(loc) << "reduce axis " << axis << " is out of range for a "
                 << shapeString(v.shape()) << " tile";
    return V();
  }
  auto op = t::ReduceOp::create(s.builder, s.location(loc), ValueRange{v.raw()},
                                axis);
  Block &body = op.getCombiner().front();
  OpBuilder::InsertionGuard guard(s.builder);
  s.builder.setInsertionPointToStart(&body);
  V result = combine(V(body.getArgument(0)), V(body.getArgument(1)));
  if (!result)
    return V();
  if (result.raw().getType() != body.getArgument(0).getType()) {
    s.error(loc) << "the combiner returns " << result.raw().getType()
                 << " for " << body.getArgument(0).getType() << " elements";
    return V();
  }
  t::ReduceReturnOp::create(s.builder, s.location(loc), ValueRange{result.raw()});
  return V(op.getResult(0));
}

V max(V v, int axis, Loc loc) {
  return reduce(v, axis, [loc](V a, V b) { return maximum(a, b, loc); }, loc);
}

V min(V v, int axis, Loc loc) {
  return reduce(v, axis, [loc](V a, V b) { return minimum(a, b, loc); }, loc);
}

V sum(V v, int axis, Loc loc) {
  return reduce(v, axis,
                [loc](V a, V b) {
                  return Operand(a, loc.file, loc.line) +
                         Operand(b, loc.file, loc.line);
                },
                loc);
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

std::vector<V> forLoop(
    Operand lower, Operand upper, Operand step, std::vector<V> carried,
    const std::function<std::vector<V>(V, std::vector<V>)> &body, Loc loc) {
  auto &s = impl();
  SmallVector<Operand> bounds = {lower, upper, step};
  SmallVector<MValue> bs;
  if (!unify(bounds, bs, loc, s.builder.getI32Type()))
    return std::vector<V>(carried.size());
  if (V(bs[0]).isTile() || !isa<IntegerType>(bs[0].getType())) {
    s.error(loc) << "loop bounds must be integer scalars";
    return std::vector<V>(carried.size());
  }
  SmallVector<MValue> inits;
  for (V c : carried) {
    if (!c)
      return std::vector<V>(carried.size());
    inits.push_back(c.raw());
  }
  auto loop = scf::ForOp::create(s.builder, s.location(loc), bs[0], bs[1],
                                 bs[2], inits);
  std::vector<V> next;
  {
    OpBuilder::InsertionGuard guard(s.builder);
    s.builder.setInsertionPointToStart(loop.getBody());
    std::vector<V> args;
    for (BlockArgument a : loop.getRegionIterArgs())
      args.push_back(V(a));
    next = body(V(loop.getInductionVar()), args);
    SmallVector<MValue> yields;
    bool ok = next.size() == carried.size();
    if (!ok)
      s.error(loc) << "the loop body returns " << next.size()
                   << " values for " << carried.size() << " carried ones";
    for (size_t i = 0; ok && i < next.size(); ++i) {
      if (!next[i] || next[i].raw().getType() != inits[i].getType()) {
        if (next[i])
          s.error(loc) << "carried value #" << i << " changes type from "
                       << inits[i].getType() << " to "
                       << next[i].raw().getType();
        ok = false;
        break;
      }
      yields.push_back(next[i].raw());
    }
    // scf.for's builder added an empty yield when there is nothing carried.
    if (Operation *term = loop.getBody()->getTerminator())
      if (isa<scf::YieldOp>(term))
        term->erase();
    s.builder.setInsertionPointToEnd(loop.getBody());
    if (!ok) {
      s.failed = true;
      scf::YieldOp::create(s.builder, s.location(loc), ValueRange(inits));
      return std::vector<V>(carried.size());
    }
    scf::YieldOp::create(s.builder, s.location(loc), yields);
  }
  std::vector<V> results;
  for (MValue r : loop.getResults())
    results.push_back(V(r));
  return results;
}

void ifThen(Operand cond, const std::function<void()> &body, Loc loc) {
  auto &s = impl();
  SmallVector<Operand> ops = {cond};
  SmallVector<MValue> cs;
  if (!unify(ops, cs, loc, s.builder.getI1Type()))
    return;
  if (V(cs[0]).isTile() || !cs[0].getType().isInteger(1)) {
    s.error(loc) << "ifThen needs a scalar i1 condition, got " << cs[0].getType();
    return;
  }
  auto branch = scf::IfOp::create(s.builder, s.location(loc), cs[0],
                                  /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(s.builder);
  s.builder.setInsertionPoint(branch.thenBlock()->getTerminator());
  body();
}

} // namespace tile::dsl
