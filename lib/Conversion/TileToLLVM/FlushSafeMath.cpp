//===- FlushSafeMath.cpp - Where a flush-to-zero form gives the same bits -===//
//
// On sm_80 and later the special function unit flushes subnormals, so the
// PTX forms that keep them cost extra instructions around it (SASS, sm_90a):
//
//   ex2.approx.f32 x     FSETP x >= -126; if not, x *= 0.5; MUFU.EX2;
//                        if not, square the result        (3 more than ftz)
//   div.approx.f32 n, d  FSETP |d| >= 2^-126; if not, scale n and d by 2^24;
//                        MUFU.RCP d; FMUL                 (3 more than ftz)
//
// The DSL's silu computes x / (1 + exp(-x)) with an approximate division:
// 6 of its 11 instructions per element are these fix-ups, about a tenth of
// everything silu_mul_nvfp4 issues. (Its sigmoid, 1 / (1 + exp(-x)), keeps
// an IEEE division: only its exp qualifies.) Where a fix-up cannot change a
// bit, the lowering emits the short form:
//
//   - an f32 exp (math.exp, math.exp2) whose every use adds or subtracts a
//     constant c with |c| >= 2^-100: the two forms differ only for x < -126
//     (every other input, NaN included, goes through MUFU.EX2 alike), where
//     both give a v <= 2^-126, and such a v changes no bit of c + v, being
//     under half an ulp of c (>= 2^-124). So ex2.approx.ftz.f32.
//   - an afn f32 division (what the DSL's silu emits; LLVM lowers it to
//     div.approx.f32) whose divisor is exp(..) + c with c >= 2^-126: the
//     exp is >= 0 or NaN, so the rounded sum is >= c or NaN, the fix-up's
//     test always passes, and what remains is MUFU.RCP then FMUL:
//     rcp.approx.ftz.f32 then mul.rn.f32, in one inline PTX block (so that
//     nothing fuses the multiply with a later add, as nothing fuses a
//     div.approx).
//
// The GPU test LargeGpu.SiluOfEveryF32AsWithoutFlushSafeForms runs both
// forms over all 2^32 inputs (kernels/examples/approx_math.mlir) and
// compares them bit for bit.
//
//===----------------------------------------------------------------------===//

#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tile;

namespace {

/// The value of `v` when it is an f32 constant (a scalar or a splat tile).
std::optional<float> constantF32(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  if (auto splat = dyn_cast<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  auto f = dyn_cast<FloatAttr>(attr);
  if (!f || !f.getType().isF32())
    return std::nullopt;
  return f.getValue().convertToFloat();
}

bool isF32Exp(Operation *op) {
  return op && isa<math::ExpOp, math::Exp2Op>(op) &&
         getElementTypeOrSelf(op->getResult(0).getType()).isF32();
}

/// The other operand of `op` when it is an addf or subf of `v` and a
/// constant; nullopt otherwise.
std::optional<float> constantBeside(Operation *op, Value v) {
  if (!isa<arith::AddFOp, arith::SubFOp>(op))
    return std::nullopt;
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (lhs == v && rhs != v)
    return constantF32(rhs);
  if (rhs == v && lhs != v)
    return constantF32(lhs);
  return std::nullopt;
}

/// Every use of `exp`'s result adds a constant of magnitude >= 2^-100.
bool onlyAbsorbedByConstants(Operation *exp) {
  Value result = exp->getResult(0);
  if (result.use_empty())
    return false;
  return llvm::all_of(result.getUsers(), [&](Operation *user) {
    std::optional<float> c = constantBeside(user, result);
    return c && std::fabs(*c) >= std::ldexp(1.0f, -100);
  });
}

/// `d` is exp(..) + c with a constant c >= 2^-126 (so d >= 2^-126 or NaN).
bool atLeastSmallestNormal(Value d) {
  auto add = d.getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  for (int i = 0; i < 2; ++i) {
    Value exp = add->getOperand(i), other = add->getOperand(1 - i);
    if (!isF32Exp(exp.getDefiningOp()))
      continue;
    std::optional<float> c = constantF32(other);
    if (c && *c >= std::ldexp(1.0f, -126))
      return true;
  }
  return false;
}

} // namespace

void mlir::tile::findFlushSafeMath(Operation *kernel, LoweringFacts &facts) {
  kernel->walk([&](Operation *op) {
    if (isF32Exp(op) && onlyAbsorbedByConstants(op))
      facts.flushSafeExps.insert(op);
    if (auto div = dyn_cast<arith::DivFOp>(op))
      if (getElementTypeOrSelf(div.getType()).isF32() &&
          bitEnumContainsAll(div.getFastmath(), arith::FastMathFlags::afn) &&
          atLeastSmallestNormal(div.getRhs()))
        facts.reciprocalDivisions.insert(op);
  });
}
