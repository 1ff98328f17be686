//===- ConvertLayoutOpToLLVM.cpp - convert_layout to mma operands ---------===//
//
// A tile.convert_layout whose result is an mma.sync operand (#tile.dot_operand
// of an #tile.mma version 2) goes through swizzled shared memory: the source
// stores whole vectors (up to 16 bytes) into a #tile.shared layout, and the
// operand is read back with ldmatrix, four 8x8 matrices of 16-byte rows per
// instruction, which the swizzle spreads over all 32 banks. Everything is
// derived from linear layouts (TENSOR-CORES.md section 1): the store offsets
// are the source layout composed with the inverse of the shared layout, and
// each lane's ldmatrix row address comes from the operand's own layout (the
// register, lane and warp that hold the row's first 32-bit word). Where the
// operand's layout is not one ldmatrix can deliver (a shape smaller than the
// instruction, an element type other than 8 or 16 bits), the pattern steps
// aside for the element-by-element path (ShapeOpToLLVM.cpp). Triton's
// counterpart: ConvertLayoutOpToLLVM/SharedToDotOperandMMAv2OrV3.cpp.
//
// ldmatrix (PTX ISA, "Warp-level matrix load instruction: ldmatrix"): lane l
// gives the address of row l % 8 of matrix l / 8; thread t receives, of each
// matrix, the 32-bit word t % 4 of row t / 4 (.trans: the two 16-bit
// elements of column t / 4 in rows 2 (t % 4) and 2 (t % 4) + 1).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

/// The swizzled shared layout for a rank-2 tile of `shape` with `bytes`-byte
/// elements, contiguous along `fastest`: 16-byte chunks (vec elements), the
/// chunk of row r XORed with (r / perPhase) % maxPhase, so that the same
/// chunk of 8 consecutive rows falls in 8 different 16-byte bank groups
/// (rows of 128 bytes or more: phase r % 8; of 64: (r / 2) % 4; ...).
SharedLayoutAttr swizzledLayout(MLIRContext *ctx, ArrayRef<int64_t> shape,
                                int64_t bytes, unsigned fastest) {
  int64_t rowBytes = shape[fastest] * bytes;
  unsigned vec = unsigned(16 / bytes);
  unsigned perPhase = unsigned(std::max<int64_t>(1, 128 / rowBytes));
  unsigned maxPhase = std::max(1u, 8 / perPhase);
  return SharedLayoutAttr::get(ctx, vec, perPhase, maxPhase,
                               {fastest, 1 - fastest});
}

/// The coordinate (dim0, dim1) basis `pos` of `inDim` in `layout`.
std::pair<int32_t, int32_t> basis(const LinearLayout &layout, StringRef inDim,
                                  int pos) {
  ArrayRef<int32_t> b = layout.getBasis(inDim, pos);
  return {b[0], b[1]};
}

/// A basis moving `step` along `dim` of a rank-2 tile.
std::pair<int32_t, int32_t> step(unsigned dim, int32_t s) {
  return dim == 0 ? std::make_pair(s, 0) : std::make_pair(0, s);
}

struct ConvertToMmaOperand : OpConversionPattern<ConvertLayoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvertLayoutOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto srcType = cast<RankedTensorType>(op.getSrc().getType());
    auto dstType = cast<RankedTensorType>(op.getType());
    auto dst = dyn_cast<DotOperandLayoutAttr>(getLayout(dstType));
    if (!dst || dst.getParent().getVersion() != 2 || dstType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "not an mma.sync operand");
    Type element = sharedMemoryType(dstType.getElementType());
    if (!element || element != storageType(dstType.getElementType()))
      return rewriter.notifyMatchFailure(op, "no plain shared type");
    int64_t bits = element.getIntOrFloatBitWidth();
    int64_t bytes = bits / 8;
    int64_t kWidth = dst.getKWidth();
    if ((bits != 8 && bits != 16) || kWidth * bits != 32)
      return rewriter.notifyMatchFailure(op, "not one 32-bit word per kWidth");
    ArrayRef<int64_t> shape = dstType.getShape();
    unsigned kDim = dst.getOpIdx() == 0 ? 1 : 0, mnDim = 1 - kDim;

    LinearLayout srcLL = cast<DistributedLayoutInterface>(getLayout(srcType))
                             .toLinearLayout(shape);
    LinearLayout dstLL = dst.toLinearLayout(shape);
    // 16-bit operands whose source runs along M or N are stored that way and
    // read with ldmatrix.trans; everything else is stored K-contiguous.
    bool srcAlongMN = srcLL.getInDimSizeLog2("register") > 0 &&
                      basis(srcLL, "register", 0) == step(mnDim, 1);
    bool trans = bits == 16 && srcAlongMN;
    unsigned fastest = trans ? mnDim : kDim;
    auto shared = swizzledLayout(ctx, shape, bytes, fastest);
    LinearLayout toOffset = shared.toLinearLayout(shape).invert();

    // What ldmatrix delivers must be the operand's layout: check its bases.
    int logK = llvm::Log2_64(kWidth);
    int numRegs = dstLL.getInDimSize("register");
    int numWords = numRegs / int(kWidth);
    auto multipleOf = [&](std::pair<int32_t, int32_t> b, unsigned dim,
                          int32_t m) {
      return (dim == 0 ? b.first : b.second) % m == 0;
    };
    bool ok = numRegs % kWidth == 0 && dstLL.getInDimSizeLog2("lane") == 5;
    std::vector<std::pair<int32_t, int32_t>> laneAddr(5, {0, 0});
    if (ok && !trans) {
      // Word t % 4 of row t / 4: lanes 0, 1 step K by kWidth, 2 kWidth;
      // the kWidth elements of a word are consecutive along K.
      for (int i = 0; i < logK; ++i)
        ok &= basis(dstLL, "register", i) == step(kDim, 1 << i);
      ok &= basis(dstLL, "lane", 0) == step(kDim, kWidth) &&
            basis(dstLL, "lane", 1) == step(kDim, 2 * kWidth);
      // A row's words are one 16-byte chunk: every other basis keeps K
      // aligned to 4 kWidth.
      for (int i = 2; i < 5; ++i)
        ok &= multipleOf(basis(dstLL, "lane", i), kDim, 4 * kWidth);
      for (int i = logK; i < dstLL.getInDimSizeLog2("register"); ++i)
        ok &= multipleOf(basis(dstLL, "register", i), kDim, 4 * kWidth);
      for (int i = 0; i < dstLL.getInDimSizeLog2("warp"); ++i)
        ok &= multipleOf(basis(dstLL, "warp", i), kDim, 4 * kWidth);
      // Lane L addresses row L % 8 (the rows lanes 0, 4, .., 28 hold) of
      // matrix L / 8 (the next words of the thread).
      if (ok)
        for (int i = 0; i < 3; ++i)
          laneAddr[i] = basis(dstLL, "lane", i + 2);
    } else if (ok) {
      // .trans: thread t holds rows (K) 2 (t % 4), +1 of column (M or N)
      // t / 4: register 0 and lanes 0, 1 walk K by 1, 2, 4; lanes 2..4 walk
      // the 8 columns of a 16-byte row.
      ok &= numRegs >= 2 && basis(dstLL, "register", 0) == step(kDim, 1) &&
            basis(dstLL, "lane", 0) == step(kDim, 2) &&
            basis(dstLL, "lane", 1) == step(kDim, 4);
      for (int i = 2; i < 5; ++i)
        ok &= basis(dstLL, "lane", i) == step(mnDim, 1 << (i - 2));
      for (int i = 1; i < dstLL.getInDimSizeLog2("register"); ++i)
        ok &= multipleOf(basis(dstLL, "register", i), kDim, 8) &&
              multipleOf(basis(dstLL, "register", i), mnDim, 8);
      for (int i = 0; i < dstLL.getInDimSizeLog2("warp"); ++i)
        ok &= multipleOf(basis(dstLL, "warp", i), kDim, 8) &&
              multipleOf(basis(dstLL, "warp", i), mnDim, 8);
      // Lane L addresses row (K) L % 8 of matrix L / 8.
      if (ok) {
        laneAddr[0] = basis(dstLL, "register", 0);
        laneAddr[1] = basis(dstLL, "lane", 0);
        laneAddr[2] = basis(dstLL, "lane", 1);
      }
    }
    if (!ok)
      return rewriter.notifyMatchFailure(op, "not a layout ldmatrix delivers");
    // Matrices per ldmatrix: 4 where the thread's words come in fours.
    int num = numWords % 4 == 0 ? 4 : numWords % 2 == 0 ? 2 : 1;
    // Lanes 8..31 address the next words' rows (matrices 1..3).
    for (int i = 0; (1 << i) < num; ++i)
      laneAddr[3 + i] = basis(dstLL, "register", logK + i);

    // lane, warp -> element -> offset, as linear layouts.
    auto toBases = [](ArrayRef<std::pair<int32_t, int32_t>> pairs) {
      std::vector<std::vector<int32_t>> out;
      for (auto [a, b] : pairs)
        out.push_back({a, b});
      return out;
    };
    std::vector<std::pair<int32_t, int32_t>> warpBases;
    for (int i = 0; i < dstLL.getInDimSizeLog2("warp"); ++i)
      warpBases.push_back(basis(dstLL, "warp", i));
    SmallVector<std::string> outNames = getLayoutOutDimNames(2);
    SmallVector<std::pair<StringRef, int32_t>> outs = {
        {outNames[0], int32_t(shape[0])}, {outNames[1], int32_t(shape[1])}};
    std::pair<StringRef, std::vector<std::vector<int32_t>>> addrIns[] = {
        {"lane", toBases(laneAddr)}, {"warp", toBases(warpBases)}};
    LinearLayout address =
        LinearLayout::fromBases(addrIns, outs, /*requireSurjective=*/false)
            .compose(toOffset);
    LinearLayout storeMap = srcLL.compose(toOffset);

    auto [lane, warp] = getLaneAndWarp(rewriter, loc);
    auto threadPart = [&](const LinearLayout &map) {
      Value l = applyLinearLayout(rewriter, loc, map, "lane", lane)[0];
      Value w = applyLinearLayout(rewriter, loc, map, "warp", warp)[0];
      return arith::XOrIOp::create(rewriter, loc, l, w).getResult();
    };
    auto pointerAt = [&](Value offset) {
      Value byteOffset = arith::MulIOp::create(rewriter, loc, offset,
                                               i32Const(rewriter, loc, bytes));
      return sharedMemoryAddress(rewriter, loc, op, byteOffset);
    };
    auto constant = [&](const LinearLayout &map, int32_t reg) {
      SmallVector<std::pair<StringRef, int32_t>> ins;
      for (StringRef name : map.getInDimNames())
        ins.push_back({name, name == "register" ? reg : 0});
      return map.apply(ins).front().second;
    };

    // Store: runs of registers at consecutive offsets go as one vector (at
    // most 16 bytes; a swizzle chunk never splits one).
    int vec = 1;
    int srcRegBits = storeMap.getInDimSizeLog2("register");
    while ((1 << llvm::Log2_32(vec)) * bytes < 16 &&
           llvm::Log2_32(vec) < srcRegBits &&
           storeMap.getBasis("register", llvm::Log2_32(vec))[0] == vec)
      vec *= 2;
    emitBarrier(rewriter, loc);
    Value storeBase = threadPart(storeMap);
    ValueRange src = adaptor.getSrc();
    auto vectorType = VectorType::get({vec}, element);
    for (int j = 0; j < int(src.size()); j += vec) {
      Value v = vec == 1 ? toSharedMemory(rewriter, loc, src[j])
                         : LLVM::UndefOp::create(rewriter, loc, vectorType);
      for (int i = 0; i < vec && vec > 1; ++i)
        v = LLVM::InsertElementOp::create(
            rewriter, loc, v, toSharedMemory(rewriter, loc, src[j + i]),
            i32Const(rewriter, loc, i));
      Value offset = arith::XOrIOp::create(
          rewriter, loc, storeBase,
          i32Const(rewriter, loc, constant(storeMap, j)));
      LLVM::StoreOp::create(rewriter, loc, v, pointerAt(offset), vec * bytes);
    }
    emitBarrier(rewriter, loc);

    // Load: one ldmatrix per `num` words.
    Value loadBase = threadPart(address);
    Type i32 = rewriter.getI32Type();
    Type resultType =
        num == 1 ? i32
                 : Type(LLVM::LLVMStructType::getLiteral(
                       ctx, SmallVector<Type>(num, i32)));
    auto wordType = VectorType::get({kWidth}, element);
    SmallVector<Value> values(numRegs);
    for (int g = 0; g < numWords / num; ++g) {
      int firstReg = g * num * int(kWidth);
      int32_t coordOffset = constant(dstLL.compose(toOffset), firstReg);
      Value offset = arith::XOrIOp::create(rewriter, loc, loadBase,
                                           i32Const(rewriter, loc, coordOffset));
      Value loaded = NVVM::LdMatrixOp::create(
          rewriter, loc, resultType, pointerAt(offset), num,
          trans ? NVVM::MMALayout::col : NVVM::MMALayout::row,
          NVVM::LdStMatrixShapeAttr::get(ctx, 8, 8), NVVM::LdStMatrixEltType::B16);
      for (int q = 0; q < num; ++q) {
        Value word = num == 1 ? loaded
                              : LLVM::ExtractValueOp::create(rewriter, loc,
                                                             loaded, q)
                                    .getResult();
        Value elements = LLVM::BitcastOp::create(rewriter, loc, wordType, word);
        for (int e = 0; e < kWidth; ++e)
          values[firstReg + q * kWidth + e] = fromSharedMemory(
              rewriter, loc,
              LLVM::ExtractElementOp::create(rewriter, loc, elements,
                                             i32Const(rewriter, loc, e)),
              dstType.getElementType());
      }
    }
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

} // namespace

void mlir::tile::populateConvertLayoutOpToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  // Before the element-by-element path through shared memory.
  patterns.add<ConvertToMmaOperand>(converter, patterns.getContext(),
                                    /*benefit=*/2);
}
