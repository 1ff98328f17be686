//===- WarpgroupDotOpToLLVM.cpp - tile.warpgroup_dot with wgmma -----------===//
//
// tile.warpgroup_dot reads both operands from shared-memory rings through
// matrix descriptors and accumulates into the registers of an `#tile.mma`
// version 3 accumulator (PTX ISA 9.7.15, "Asynchronous Warpgroup Level
// Matrix Multiply-Accumulate Instructions"):
//
//   wgmma.fence.sync.aligned                  (the accumulator's registers,
//                                              written before, are ordered
//                                              before the wgmma that read them)
//   per 64-row slice m, column block n of the instruction, K step s:
//     wgmma.mma_async.sync.aligned.m64n{N}k16.f32.{f16,bf16}.{f16,bf16}
//     wgmma.mma_async.sync.aligned.m64n{N}k32.s32.s8.s8   (native: wraps)
//   wgmma.commit_group.sync.aligned
//   wgmma.wait_group.sync.aligned 0           (not for an isAsync dot)
//
// The fence and the wait take and give back every accumulator register (tied
// operands), so nothing reads or writes one between them: the result is
// read only after the wait, and what computed `c` is done before the fence.
// An isAsync dot ends at its commit: its registers go to a
// tile.warpgroup_dot_wait, which passes them through
// `wgmma.wait_group.sync.aligned pendings` the same way. A constant `c`
// (a splat: a grouped GEMM's int-to-float bias) is not passed in: the
// fence's statement sets each register from the immediate first.
//
// Registers (the layout's order, TileTensorCoreLayouts.cpp): instruction
// (m, n)'s N/2 accumulators are c[i + N/2 * (n + numN * m)], the wgmma
// fragment d0.. of PTX's "Matrix Fragments for wgmma .m64nNk16".
//
// Descriptors (PTX ISA 9.7.15.5.1.2.2, "Matrix Descriptor Format"), one
// 64-bit value per operand slice and K step:
//   bits  0-13  start address >> 4 (the slice's first row; the K step's 32
//               bytes along the row: inside a swizzled row the hardware
//               applies the swizzle to the address it computes)
//   bits 16-29  leading-dimension byte offset >> 4: 1 (not used by K-major
//               swizzled layouts: one instruction's K stays in one row)
//   bits 32-45  stride-dimension byte offset >> 4: 8 rows (one swizzle
//               atom) of rowBytes
//   bits 62-63  swizzle: 1 = 128 bytes, 2 = 64, 3 = 32
// The swizzle is of address bits, so each ring buffer starts at a multiple
// of its atom (8 * rowBytes; computeSharedAllocation places wgmma rings at
// multiples of 1024 bytes and the kernel's shared memory is 1024-aligned).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

/// The descriptor's swizzle field for rows of `rowBytes`.
int64_t swizzleMode(int64_t rowBytes) {
  return rowBytes == 128 ? 1 : rowBytes == 64 ? 2 : 3;
}

/// The descriptor of a K-major operand tile whose rows are `rowBytes` long,
/// for the buffer at `base`: start address and strides, the row and K
/// offsets added later (they only touch the start-address field).
Value descriptorBase(OpBuilder &b, Location loc, Value base,
                     int64_t rowBytes) {
  Type i64 = b.getI64Type();
  Value address = LLVM::PtrToIntOp::create(b, loc, i64, base);
  auto c64 = [&](uint64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(int64_t(v)));
  };
  Value start = arith::ShRUIOp::create(
      b, loc, arith::AndIOp::create(b, loc, address, c64(0x3FFFF)), c64(4));
  uint64_t fields = (uint64_t(1) << 16) |
                    (uint64_t(8 * rowBytes >> 4) << 32) |
                    (uint64_t(swizzleMode(rowBytes)) << 62);
  return arith::OrIOp::create(b, loc, start, c64(fields));
}

/// `desc` moved by `bytes` (a multiple of 16, i32): the start-address field.
Value advance(OpBuilder &b, Location loc, Value desc, Value bytes) {
  Value units = arith::ShRUIOp::create(b, loc, bytes, i32Const(b, loc, 4));
  return arith::AddIOp::create(
      b, loc, desc, arith::ExtUIOp::create(b, loc, b.getI64Type(), units));
}

/// The inline-asm register class of an accumulator register: "f" for f32,
/// "r" for i32.
StringRef registerConstraint(Type type) {
  return type.isF32() ? "f" : "r";
}

/// `values` through an inline-PTX statement that takes and gives back each
/// of them (tied operands) and has side effects: `ptx` with every value
/// pinned in place around it.
SmallVector<Value> passThrough(OpBuilder &b, Location loc, ValueRange values,
                               StringRef ptx) {
  std::string constraints;
  for (Value v : values)
    constraints += "=" + registerConstraint(v.getType()).str() + ",";
  for (size_t i = 0; i < values.size(); ++i)
    constraints += std::to_string(i) + (i + 1 < values.size() ? "," : "");
  SmallVector<Type> types(values.getTypes());
  return emitInlinePTX(b, loc, types, values, ptx, constraints,
                       /*hasSideEffects=*/true);
}

/// The bits of each element of `value` where it is a constant splat of
/// 32-bit elements.
std::optional<uint32_t> splatBits(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto splat = constant ? dyn_cast<SplatElementsAttr>(constant.getValue())
                        : SplatElementsAttr();
  if (!splat)
    return std::nullopt;
  Attribute element = splat.getSplatValue<Attribute>();
  if (auto i = dyn_cast<IntegerAttr>(element);
      i && i.getValue().getBitWidth() == 32)
    return uint32_t(i.getValue().getZExtValue());
  if (auto f = dyn_cast<FloatAttr>(element); f && f.getType().isF32())
    return uint32_t(f.getValue().bitcastToAPInt().getZExtValue());
  return std::nullopt;
}

struct WarpgroupDotToWgmma : OpConversionPattern<WarpgroupDotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(WarpgroupDotOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (!TargetInfo::get(op).supportsWgmma())
      return op.emitOpError("needs wgmma, which only sm_90a has (target ")
             << getTarget(op) << ")";
    MemDescType aType = op.getA().getType(), bType = op.getB().getType();
    RankedTensorType dType = op.getType();
    auto mma = cast<MmaLayoutAttr>(dType.getEncoding());
    Type ab = aType.getElementType();
    bool ints = ab.isInteger(8);
    int64_t bytes = ab.getIntOrFloatBitWidth() / 8;
    // The verifier checked both: K-major rows of 32, 64 or 128 bytes.
    int64_t aRow = *getWgmmaSwizzleBytes(aType, 1);
    int64_t bRow = *getWgmmaSwizzleBytes(bType, 0);
    int64_t m = dType.getDimSize(0), n = dType.getDimSize(1);
    ArrayRef<unsigned> warps = mma.getWarpsPerCTA();
    int64_t instrN = mma.getInstrShape()[1];
    int64_t numM = m / (16 * warps[0]), numN = n / (instrN * warps[1]);
    int64_t perInstr = instrN / 2;
    ValueRange c = adaptor.getC();
    if (int64_t(c.size()) != numM * numN * perInstr)
      return op.emitOpError("has ")
             << c.size() << " accumulator registers a thread, not the "
             << numM * numN * perInstr << " of " << numM << " x " << numN
             << " wgmma m64n" << instrN;

    // This warpgroup's first rows of A and columns of B (rows of the K-major
    // B buffer): warps stack along M first, 16 rows each.
    auto [lane, warp] = getLaneAndWarp(rewriter, loc);
    (void)lane;
    Value group = arith::DivUIOp::create(rewriter, loc, warp,
                                         i32Const(rewriter, loc, 4));
    int64_t groupsM = warps[0] / 4;
    Value groupM = arith::RemUIOp::create(rewriter, loc, group,
                                          i32Const(rewriter, loc, groupsM));
    Value groupN = arith::DivUIOp::create(rewriter, loc, group,
                                          i32Const(rewriter, loc, groupsM));
    Value aDesc = descriptorBase(rewriter, loc,
                                 stageBase(rewriter, loc, adaptor.getA().front(),
                                           aType, adaptor.getAStage().front()),
                                 aRow);
    Value bDesc = descriptorBase(rewriter, loc,
                                 stageBase(rewriter, loc, adaptor.getB().front(),
                                           bType, adaptor.getBStage().front()),
                                 bRow);
    aDesc = advance(rewriter, loc, aDesc,
                    arith::MulIOp::create(rewriter, loc, groupM,
                                          i32Const(rewriter, loc, 64 * aRow)));
    bDesc = advance(rewriter, loc, bDesc,
                    arith::MulIOp::create(
                        rewriter, loc, groupN,
                        i32Const(rewriter, loc, instrN * bRow)));

    StringRef accConstraint = registerConstraint(c.front().getType());
    SmallVector<Value> acc;
    if (std::optional<uint32_t> bits = splatBits(op.getC())) {
      // A constant accumulator (a group's int-to-float bias, a zero): each
      // register set from the immediate in the fence's statement. Given as
      // a value, LLVM would hold the constant in one register, copy it to
      // the others, and make that register one of the accumulator's: later
      // copies of the constant then read a register wgmma writes, and
      // ptxas inserts waits for it (C7517), serializing an asynchronous
      // dot's overlap.
      std::string ptx, constraints;
      llvm::raw_string_ostream os(ptx);
      for (size_t i = 0; i < c.size(); ++i) {
        os << "mov.b32 $" << i << ", " << llvm::format_hex(*bits, 10)
           << ";\n\t";
        constraints += (i ? ",=" : "=") + accConstraint.str();
      }
      os << "wgmma.fence.sync.aligned;";
      SmallVector<Type> types(c.getTypes());
      acc = emitInlinePTX(rewriter, loc, types, {}, ptx, constraints,
                          /*hasSideEffects=*/true);
    } else {
      acc = passThrough(rewriter, loc, c, "wgmma.fence.sync.aligned;");
    }

    int64_t kSteps = aRow / 32; // one instruction's K is 32 bytes
    std::string shape =
        llvm::formatv("m64n{0}k{1}", instrN, 32 / bytes).str();
    std::string types = ints         ? "s32.s8.s8"
                        : ab.isBF16() ? "f32.bf16.bf16"
                                      : "f32.f16.f16";
    std::string ptx;
    {
      llvm::raw_string_ostream os(ptx);
      os << "wgmma.mma_async.sync.aligned." << shape << "." << types << " {";
      for (int64_t i = 0; i < perInstr; ++i)
        os << (i ? ", " : "") << "$" << i;
      os << "}, $" << perInstr << ", $" << perInstr + 1 << ", 1"
         << (ints ? "" : ", 1, 1, 0, 0") << ";";
    }
    std::string constraints;
    for (int64_t i = 0; i < perInstr; ++i)
      constraints += "=" + accConstraint.str() + ",";
    constraints += "l,l";
    for (int64_t i = 0; i < perInstr; ++i)
      constraints += "," + std::to_string(i);
    SmallVector<Type> resultTypes(perInstr, acc.front().getType());
    for (int64_t mi = 0; mi < numM; ++mi)
      for (int64_t ni = 0; ni < numN; ++ni) {
        int64_t first = perInstr * (ni + numN * mi);
        // Repeats: 16 * warps[0] rows of A, instrN * warps[1] rows of B.
        Value aSlice = advance(
            rewriter, loc, aDesc,
            i32Const(rewriter, loc, mi * 16 * warps[0] * aRow));
        Value bSlice = advance(
            rewriter, loc, bDesc,
            i32Const(rewriter, loc, ni * instrN * warps[1] * bRow));
        for (int64_t s = 0; s < kSteps; ++s) {
          SmallVector<Value> operands = {
              advance(rewriter, loc, aSlice, i32Const(rewriter, loc, 32 * s)),
              advance(rewriter, loc, bSlice, i32Const(rewriter, loc, 32 * s))};
          operands.append(acc.begin() + first, acc.begin() + first + perInstr);
          SmallVector<Value> out =
              emitInlinePTX(rewriter, loc, resultTypes, operands, ptx,
                            constraints, /*hasSideEffects=*/true);
          std::copy(out.begin(), out.end(), acc.begin() + first);
        }
      }
    emitInlinePTX(rewriter, loc, {}, {}, "wgmma.commit_group.sync.aligned;", "",
                  /*hasSideEffects=*/true);
    if (!op.getIsAsync())
      acc = passThrough(rewriter, loc, acc, "wgmma.wait_group.sync.aligned 0;");
    rewriter.replaceOpWithMultiple(op, {acc});
    return success();
  }
};

struct WarpgroupDotWaitToPTX : OpConversionPattern<WarpgroupDotWaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WarpgroupDotWaitOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Every register of every input through one wait, so none is read
    // before it; the results split back per input.
    SmallVector<Value> registers;
    for (ValueRange input : adaptor.getInputs())
      registers.append(input.begin(), input.end());
    SmallVector<Value> ready = passThrough(
        rewriter, op.getLoc(), registers,
        llvm::formatv("wgmma.wait_group.sync.aligned {0};", op.getPendings())
            .str());
    SmallVector<SmallVector<Value>> results;
    size_t at = 0;
    for (ValueRange input : adaptor.getInputs()) {
      results.emplace_back(ready.begin() + at,
                           ready.begin() + at + input.size());
      at += input.size();
    }
    rewriter.replaceOpWithMultiple(op, results);
    return success();
  }
};

struct FenceAsyncSharedToPTX : OpConversionPattern<FenceAsyncSharedOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FenceAsyncSharedOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    emitInlinePTX(rewriter, op.getLoc(), {}, {},
                  "fence.proxy.async.shared::cta;", "",
                  /*hasSideEffects=*/true);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::tile::populateWarpgroupDotOpToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<WarpgroupDotToWgmma, WarpgroupDotWaitToPTX,
               FenceAsyncSharedToPTX>(
      converter, patterns.getContext());
}
