//===- WideMultiply.cpp - 32 x 32 -> 64-bit products as one mul.wide ------===//
//
// Row bases are 64-bit (KERNELS.md, "Sizes and addresses"): a kernel widens
// its i32 row index and i32 stride and multiplies them in i64
// (`arith.muli(arith.extsi a, arith.extsi b)`). PTX has that product as one
// instruction, `mul.wide.s32` (one IMAD.WIDE in SASS), and the NVPTX backend
// forms it only where both operands reach instruction selection as the same
// kind of extension. They often do not: LLVM rewrites the sign extension of
// a value it knows is non-negative (a program id) as `zext nneg`, and the
// backend folds the sign extension of a kernel parameter into a
// sign-extending `ld.param.s32`. The product then becomes a 64 x 64-bit
// multiply, three dependent instructions (in the uniform datapath where the
// operands are uniform) on the way to the first load's address:
// token_quant's one-row programs ran 3-4% slower than with 32-bit row
// offsets for it (bench/RESULTS.md, 2026-11-30 00:55 and 20:33-21:00).
//
// So after LLVM's optimizations (which have sunk, hoisted, merged and
// strength-reduced the multiply as a plain `mul`), each i64 multiply of a
// `zext nneg` of a non-constant i32 value by a `sext` of another (both are
// the signed values widened), outside loops, becomes `mul.wide.s32` in
// inline PTX at the same place. Products of two zero extensions or with a
// constant are left to the backend, which forms `mul.wide.u32` and
// `mul.wide` with an immediate itself; so are products of two sign
// extensions, which it forms as `mul.wide.s32` unless it has folded one
// into a parameter load (rewriting those as well changed more PTX and moved
// the GEMM tiles by a few percent either way, like this form: 20:52
// against 21:00).
//
// Products inside loops are left alone: row bases are computed before the
// loops, and in a K loop the rewrite (f16_exact's per-step operand
// addresses, one IMAD.WIDE for four instructions) made ptxas issue the
// loop's global load later, and the loop, though shorter, ran 10-18%
// slower (int8 f16_exact matmul 64x64x64 131.5 -> 107.2 TFLOP/s,
// grouped_gemm_i8 f16_exact 271 -> 244). Outside loops it changes the
// schedule ptxas makes around it, which moves some GEMM tiles by a few
// percent either way; bench/RESULTS.md, 2026-11-30 20:33-21:00, has every
// case (H200).
//
//===----------------------------------------------------------------------===//

#include "WideMultiply.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace {
/// An i32 value widened to i64 keeping its signed value.
struct SignedWidening {
  Value *narrow = nullptr;
  bool bySext = false;
};
} // namespace

static std::optional<SignedWidening> signedWidening(Value *value) {
  auto *cast = dyn_cast<CastInst>(value);
  if (!cast || !cast->getSrcTy()->isIntegerTy(32) ||
      isa<Constant>(cast->getOperand(0)))
    return std::nullopt;
  if (isa<SExtInst>(cast))
    return SignedWidening{cast->getOperand(0), true};
  if (isa<ZExtInst>(cast) && cast->hasNonNeg())
    return SignedWidening{cast->getOperand(0), false};
  return std::nullopt;
}

unsigned mlir::tile::formWideMultiplies(Module &module) {
  SmallVector<BinaryOperator *> products;
  for (Function &function : module) {
    if (function.isDeclaration())
      continue;
    DominatorTree dominators(function);
    LoopInfo loops(dominators);
    for (BasicBlock &block : function) {
      if (loops.getLoopFor(&block))
        continue;
      for (Instruction &inst : block)
        if (auto *mul = dyn_cast<BinaryOperator>(&inst);
            mul && mul->getOpcode() == Instruction::Mul &&
            mul->getType()->isIntegerTy(64))
          products.push_back(mul);
    }
  }
  unsigned formed = 0;
  for (BinaryOperator *mul : products) {
    std::optional<SignedWidening> lhs = signedWidening(mul->getOperand(0));
    std::optional<SignedWidening> rhs = signedWidening(mul->getOperand(1));
    if (!lhs || !rhs || lhs->bySext == rhs->bySext)
      continue;
    IRBuilder<> builder(mul);
    Type *i32 = builder.getInt32Ty();
    auto *type = FunctionType::get(builder.getInt64Ty(), {i32, i32}, false);
    InlineAsm *asmCode = InlineAsm::get(type, "mul.wide.s32 $0, $1, $2;",
                                        "=l,r,r", /*hasSideEffects=*/false);
    CallInst *wide =
        builder.CreateCall(type, asmCode, {lhs->narrow, rhs->narrow});
    wide->setDoesNotAccessMemory();
    wide->setDoesNotThrow();
    mul->replaceAllUsesWith(wide);
    mul->eraseFromParent();
    ++formed;
  }
  return formed;
}
