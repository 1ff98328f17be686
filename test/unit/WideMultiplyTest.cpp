//===- WideMultiplyTest.cpp - formWideMultiplies on LLVM IR ---------------===//
//
// Which i64 multiplies lib/Pipeline/WideMultiply.cpp turns into inline
// mul.wide.s32: a zext nneg of an i32 by a sext of another, outside loops;
// not two sign or two zero extensions, a plain zext, a constant, an i64
// operand, or a product inside a loop.
//
//===----------------------------------------------------------------------===//

#include "WideMultiply.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

constexpr const char *kModule = R"(
declare void @use(i64)

define void @products(i32 %s, i32 %u, i32 %v, i64 %w, i32 %n) {
entry:
  %sx = sext i32 %s to i64
  %ux = zext nneg i32 %u to i64
  %vx = zext nneg i32 %v to i64
  %plain = zext i32 %u to i64
  %mixed = mul nsw i64 %ux, %sx
  %mixed.swapped = mul i64 %sx, %vx
  %signs = mul nsw i64 %sx, %sx
  %zeros = mul nuw i64 %ux, %vx
  %plainzext = mul i64 %plain, %sx
  %constant = mul i64 %sx, 12
  %wide = mul i64 %w, %sx
  call void @use(i64 %mixed)
  call void @use(i64 %mixed.swapped)
  call void @use(i64 %signs)
  call void @use(i64 %zeros)
  call void @use(i64 %plainzext)
  call void @use(i64 %constant)
  call void @use(i64 %wide)
  br label %loop

loop:
  %i = phi i32 [ 0, %entry ], [ %next, %loop ]
  %ix = zext nneg i32 %i to i64
  %inloop = mul i64 %ix, %sx
  call void @use(i64 %inloop)
  %next = add nuw nsw i32 %i, 1
  %more = icmp slt i32 %next, %n
  br i1 %more, label %loop, label %exit

exit:
  %after = mul i64 %vx, %sx
  call void @use(i64 %after)
  ret void
}
)";

/// The value each `call @use` receives, by the name of the multiply it
/// received before the rewrite (the calls are in source order).
std::map<std::string, llvm::Value *> usedValues(llvm::Function &function) {
  static const char *kNames[] = {"mixed", "mixed.swapped", "signs",
                                 "zeros", "plainzext",     "constant",
                                 "wide",  "inloop",        "after"};
  std::map<std::string, llvm::Value *> used;
  size_t i = 0;
  for (llvm::BasicBlock &block : function)
    for (llvm::Instruction &inst : block)
      if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst);
          call && call->getCalledFunction() &&
          call->getCalledFunction()->getName() == "use")
        used[kNames[i++]] = call->getArgOperand(0);
  return used;
}

/// The i32 operands of `value` when it is a call of inline mul.wide.s32.
std::pair<llvm::Value *, llvm::Value *> wideOperands(llvm::Value *value) {
  auto *call = llvm::dyn_cast<llvm::CallInst>(value);
  if (!call)
    return {nullptr, nullptr};
  auto *code = llvm::dyn_cast<llvm::InlineAsm>(call->getCalledOperand());
  if (!code || code->getAsmString() != "mul.wide.s32 $0, $1, $2;" ||
      code->getConstraintString() != "=l,r,r" || code->hasSideEffects() ||
      !call->doesNotAccessMemory())
    return {nullptr, nullptr};
  return {call->getArgOperand(0), call->getArgOperand(1)};
}

TEST(WideMultiply, MixedExtensionsOutsideLoopsOnly) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module =
      llvm::parseAssemblyString(kModule, error, context);
  ASSERT_TRUE(module) << error.getMessage().str();
  llvm::Function &function = *module->getFunction("products");
  using Pair = std::pair<llvm::Value *, llvm::Value *>;
  llvm::Value *s = function.getArg(0), *u = function.getArg(1),
              *v = function.getArg(2);

  EXPECT_EQ(mlir::tile::formWideMultiplies(*module), 3u);
  std::string problems;
  llvm::raw_string_ostream os(problems);
  EXPECT_FALSE(llvm::verifyModule(*module, &os)) << problems;

  std::map<std::string, llvm::Value *> used = usedValues(function);
  ASSERT_EQ(used.size(), 9u);
  // zext nneg u times sext s: the i32 values themselves, in the
  // multiply's operand order.
  EXPECT_EQ(wideOperands(used["mixed"]), Pair(u, s));
  EXPECT_EQ(wideOperands(used["mixed.swapped"]), Pair(s, v));
  EXPECT_EQ(wideOperands(used["after"]), Pair(v, s));
  // Left to LLVM: still a mul.
  for (const char *name :
       {"signs", "zeros", "plainzext", "constant", "wide", "inloop"}) {
    auto *mul = llvm::dyn_cast<llvm::BinaryOperator>(used[name]);
    EXPECT_TRUE(mul && mul->getOpcode() == llvm::Instruction::Mul) << name;
  }
}

} // namespace
