//===- TensorCoreLayoutTest.cpp - mma, dot_operand and shared layouts -----===//
//
// The linear layouts of the tensor-core encodings (TileTensorCoreLayouts.cpp)
// against definitions written out here independently:
// - `#tile.mma` and `#tile.dot_operand`: the PTX ISA fragment tables of
//   mma.m16n8k16 (f16), mma.m16n8k32 (s8), mma.m16n8k8 (tf32) and the wgmma
//   m64nN accumulator, with warps and repetitions, for every (register, lane,
//   warp); and, per warp, MLIR's own lane-to-fragment maps
//   (mlir/Dialect/NVGPU/Utils/MMAUtils.h).
// - `#tile.shared`: the XOR-swizzle formula, and the banks of ldmatrix-style
//   reads (8 rows x 16 bytes) computed from the layout.
// - `#tile.nvmma_shared`: CUTLASS's Swizzle<B, 4, 3> applied to byte
//   addresses of the canonical wgmma layouts.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Dialect/Tile/TileLayouts.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

using namespace mlir;
using namespace mlir::tile;

namespace {

class TensorCoreLayoutTest : public ::testing::Test {
protected:
  TensorCoreLayoutTest() {
    ctx.loadDialect<TileDialect, LLVM::LLVMDialect, NVVM::NVVMDialect,
                    vector::VectorDialect>();
  }

  MmaLayoutAttr mma(unsigned version, ArrayRef<unsigned> warps,
                    ArrayRef<unsigned> instr) {
    return MmaLayoutAttr::get(&ctx, version, warps, instr);
  }

  MLIRContext ctx;
};

using Coord = std::pair<int64_t, int64_t>;
/// Expected (row, col) of (register, lane, warp), before reduction mod shape.
using Oracle = std::function<Coord(int64_t reg, int64_t lane, int64_t warp)>;

std::string where(Attribute layout, ArrayRef<int64_t> shape, int64_t reg,
                  int64_t lane, int64_t warp) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << layout << " shape [" << shape[0] << ", " << shape[1] << "] register "
     << reg << " lane " << lane << " warp " << warp;
  return s;
}

/// Checks every (register, lane, warp) of `layout` for `shape` against
/// `oracle` (taken mod the shape: a smaller shape is broadcast), and the
/// register count.
void checkDistributed(Attribute layout, ArrayRef<int64_t> shape,
                      int64_t numRegs, int64_t numWarps, const Oracle &oracle) {
  LinearLayout ll =
      cast<DistributedLayoutInterface>(layout).toLinearLayout(shape);
  ASSERT_EQ(ll.getInDimSize("register"), numRegs) << where(layout, shape, 0, 0, 0);
  ASSERT_EQ(ll.getInDimSize("lane"), 32);
  ASSERT_EQ(ll.getInDimSize("warp"), numWarps);
  ASSERT_TRUE(ll.isSurjective()) << ll;
  for (int32_t w = 0; w < numWarps; ++w)
    for (int32_t l = 0; l < 32; ++l)
      for (int32_t r = 0; r < numRegs; ++r) {
        auto got = ll.apply({{"register", r}, {"lane", l}, {"warp", w}});
        auto [row, col] = oracle(r, l, w);
        ASSERT_EQ(got[0].second, row % shape[0]) << where(layout, shape, r, l, w);
        ASSERT_EQ(got[1].second, col % shape[1]) << where(layout, shape, r, l, w);
      }
}

/// Attributes and types as text, for test messages.
template <typename T> std::string show(T value) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << value;
  return s;
}

int64_t ceilDiv1(int64_t a, int64_t b) { return std::max<int64_t>(1, a / b); }

//===----------------------------------------------------------------------===//
// #tile.mma
//===----------------------------------------------------------------------===//

/// PTX ISA, mma.m16n8k16 / m16n8k32 / m16n8k8, fragment of C/D (f32 or s32):
/// c_i at row groupID + 8 * (i / 2), column 2 * threadID_in_group + i % 2.
Coord accumulatorFragment(int64_t i, int64_t lane) {
  int64_t groupID = lane >> 2, threadInGroup = lane % 4;
  return {groupID + 8 * (i / 2), 2 * threadInGroup + (i % 2)};
}

/// PTX ISA, wgmma m64nNk*: warp w % 4 of the warpgroup owns rows 16*(w % 4)
/// ..+15; d_i at row groupID + 8 * ((i / 2) % 2), column 8 * (i / 4) +
/// 2 * threadID_in_group + i % 2.
Coord wgmmaFragment(int64_t i, int64_t lane, int64_t warpInGroup) {
  int64_t groupID = lane >> 2, threadInGroup = lane % 4;
  return {16 * warpInGroup + groupID + 8 * ((i / 2) % 2),
          8 * (i / 4) + 2 * threadInGroup + (i % 2)};
}

TEST_F(TensorCoreLayoutTest, MmaV2AccumulatorMatchesPtx) {
  const unsigned warpsList[][2] = {{1, 1}, {2, 2}, {4, 1}, {1, 4}, {2, 4}, {4, 2}};
  const int64_t shapes[][2] = {{16, 8},  {16, 16}, {32, 32}, {64, 64},
                               {128, 64}, {64, 256}, {8, 8},  {16, 4}};
  for (auto &wp : warpsList) {
    MmaLayoutAttr layout = mma(2, {wp[0], wp[1]}, {16, 8});
    int64_t wm = wp[0], wn = wp[1];
    EXPECT_EQ(layout.getShapePerCTATile(), (SmallVector<int64_t>{16 * wm, 8 * wn}));
    for (auto &s : shapes) {
      int64_t repM = ceilDiv1(s[0], 16 * wm), repN = ceilDiv1(s[1], 8 * wn);
      checkDistributed(layout, {s[0], s[1]}, 4 * repM * repN, wm * wn,
                       [&](int64_t r, int64_t l, int64_t w) {
                         // Repetitions along N first, then M; warps along M
                         // first.
                         int64_t rep = r / 4, rn = rep % repN, rm = rep / repN;
                         auto [row, col] = accumulatorFragment(r % 4, l);
                         return Coord{rm * 16 * wm + (w % wm) * 16 + row,
                                      rn * 8 * wn + (w / wm) * 8 + col};
                       });
    }
  }
}

TEST_F(TensorCoreLayoutTest, MmaV3AccumulatorMatchesPtx) {
  const unsigned warpsList[][2] = {{4, 1}, {8, 1}, {4, 2}, {16, 1}};
  const unsigned instrN[] = {8, 16, 64, 128, 256};
  for (auto &wp : warpsList)
    for (unsigned n : instrN) {
      MmaLayoutAttr layout = mma(3, {wp[0], wp[1]}, {64, n});
      int64_t wm = wp[0], wn = wp[1];
      EXPECT_EQ(layout.getShapePerCTATile(),
                (SmallVector<int64_t>{16 * wm, n * wn}));
      const int64_t shapes[][2] = {{16 * wm, n * wn},
                                   {256, 256},
                                   {64, 8},
                                   {2 * 16 * wm, 4 * n * wn}};
      for (auto &s : shapes) {
        int64_t repM = ceilDiv1(s[0], 16 * wm), repN = ceilDiv1(s[1], n * wn);
        int64_t perInstr = n / 2;
        checkDistributed(
            layout, {s[0], s[1]}, perInstr * repM * repN, wm * wn,
            [&](int64_t r, int64_t l, int64_t w) {
              int64_t rep = r / perInstr, rn = rep % repN, rm = rep / repN;
              int64_t inM = w % wm, warpgroup = inM / 4;
              auto [row, col] = wgmmaFragment(r % perInstr, l, inM % 4);
              return Coord{rm * 16 * wm + warpgroup * 64 + row,
                           rn * n * wn + (w / wm) * n + col};
            });
      }
    }
}

TEST_F(TensorCoreLayoutTest, MmaCopiesOnlyWhenBroadcast) {
  // A shape covering the CTA tile is held once; an 8x8 tile by a 16x8
  // layout is held twice (registers c2, c3 repeat c0, c1).
  MmaLayoutAttr layout = mma(2, {2, 2}, {16, 8});
  EXPECT_TRUE(layout.toLinearLayout({64, 64}).isInvertible());
  LinearLayout small = layout.toLinearLayout({8, 8});
  EXPECT_EQ(small.getFreeVariableMask("register"), 0b10u);
  EXPECT_EQ(small.getFreeVariableMask("warp"), 0b11u);
  EXPECT_TRUE(mma(3, {4, 2}, {64, 64}).toLinearLayout({128, 256}).isInvertible());
}

//===----------------------------------------------------------------------===//
// #tile.dot_operand
//===----------------------------------------------------------------------===//

/// PTX ISA fragment tables of A, register-element i of lane l (groupID =
/// l / 4, threadID_in_group = l % 4):
///   m16n8k8 .tf32 (a0..a3):  row g + 8 * (i % 2), col t + 4 * (i / 2)
///   m16n8k16 .f16 (a0..a7):  row g + 8 * ((i / 2) % 2),
///                            col 2t + i % 2 + 8 * (i / 4)
///   m16n8k32 .s8 (a0..a15):  row g + 8 * ((i / 4) % 2),
///                            col 4t + i % 4 + 16 * (i / 8)
Coord aFragment(unsigned kWidth, int64_t i, int64_t lane) {
  int64_t g = lane >> 2, t = lane % 4;
  switch (kWidth) {
  case 1:
    return {g + 8 * (i % 2), t + 4 * (i / 2)};
  case 2:
    return {g + 8 * ((i / 2) % 2), 2 * t + i % 2 + 8 * (i / 4)};
  case 4:
    return {g + 8 * ((i / 4) % 2), 4 * t + i % 4 + 16 * (i / 8)};
  }
  llvm_unreachable("no PTX table for this kWidth");
}

/// The B tables, (row = K, col = N):
///   m16n8k8 .tf32 (b0, b1):  row t + 4 * i, col g
///   m16n8k16 .f16 (b0..b3):  row 2t + i % 2 + 8 * (i / 2), col g
///   m16n8k32 .s8 (b0..b7):   row 4t + i % 4 + 16 * (i / 4), col g
Coord bFragment(unsigned kWidth, int64_t i, int64_t lane) {
  int64_t g = lane >> 2, t = lane % 4;
  switch (kWidth) {
  case 1:
    return {t + 4 * i, g};
  case 2:
    return {2 * t + i % 2 + 8 * (i / 2), g};
  case 4:
    return {4 * t + i % 4 + 16 * (i / 4), g};
  }
  llvm_unreachable("no PTX table for this kWidth");
}

TEST_F(TensorCoreLayoutTest, DotOperandMatchesPtx) {
  const unsigned warpsList[][2] = {{1, 1}, {2, 2}, {4, 1}, {1, 4}, {2, 4}};
  const int64_t shapes[][2] = {{16, 16}, {64, 64}, {128, 32}, {32, 128},
                               {16, 8},  {8, 16}};
  for (unsigned version : {2u, 3u})
    for (auto &wp : warpsList) {
      if (version == 3 && wp[0] % 4 != 0)
        continue;
      MmaLayoutAttr parent = version == 2 ? mma(2, {wp[0], wp[1]}, {16, 8})
                                          : mma(3, {wp[0], wp[1]}, {64, 64});
      int64_t wm = wp[0], wn = wp[1];
      for (unsigned kWidth : {1u, 2u, 4u})
        for (unsigned opIdx : {0u, 1u}) {
          if (version == 3 && opIdx == 1)
            continue;
          auto layout = DotOperandLayoutAttr::get(&ctx, opIdx, parent, kWidth);
          int64_t k = 8 * kWidth, perTile = 4 * kWidth / (opIdx ? 2 : 1);
          for (auto &s : shapes) {
            if (opIdx == 0) {
              int64_t repK = ceilDiv1(s[1], k), repM = ceilDiv1(s[0], 16 * wm);
              checkDistributed(layout, {s[0], s[1]}, perTile * repK * repM,
                               wm * wn, [&](int64_t r, int64_t l, int64_t w) {
                                 int64_t rep = r / perTile, rk = rep % repK,
                                         rm = rep / repK;
                                 auto [row, col] =
                                     aFragment(kWidth, r % perTile, l);
                                 return Coord{rm * 16 * wm + (w % wm) * 16 + row,
                                              rk * k + col};
                               });
            } else {
              int64_t repK = ceilDiv1(s[0], k), repN = ceilDiv1(s[1], 8 * wn);
              checkDistributed(layout, {s[0], s[1]}, perTile * repK * repN,
                               wm * wn, [&](int64_t r, int64_t l, int64_t w) {
                                 int64_t rep = r / perTile, rk = rep % repK,
                                         rn = rep / repK;
                                 auto [row, col] =
                                     bFragment(kWidth, r % perTile, l);
                                 return Coord{rk * k + row,
                                              rn * 8 * wn + (w / wm) * 8 + col};
                               });
            }
          }
        }
    }
}

TEST_F(TensorCoreLayoutTest, DotOperandWarpsAlongKHoldCopies) {
  // Warps [2, 4] (dimension 0 first): warp bits 0 walks M, bits 1-2 walk N.
  MmaLayoutAttr parent = mma(2, {2, 4}, {16, 8});
  auto a = DotOperandLayoutAttr::get(&ctx, 0, parent, 2).toLinearLayout({64, 64});
  auto b = DotOperandLayoutAttr::get(&ctx, 1, parent, 2).toLinearLayout({64, 64});
  EXPECT_EQ(a.getFreeVariableMask("warp"), 0b110u);
  EXPECT_EQ(b.getFreeVariableMask("warp"), 0b001u);
  EXPECT_EQ(a.getFreeVariableMask("register"), 0u);
  EXPECT_EQ(a.getFreeVariableMask("lane"), 0u);
}

//===----------------------------------------------------------------------===//
// MLIR's NVGPU lane-to-fragment maps, per warp
//===----------------------------------------------------------------------===//

/// Compares one warp's fragment (shape = one instruction's operand, warps
/// [1, 1]) with nvgpu::getLaneIdAndValueIdToOperandCoord for `vectorType`
/// (B is [N, K] there).
void checkAgainstMmaUtils(MLIRContext &ctx, Attribute layout,
                          ArrayRef<int64_t> shape, VectorType vectorType,
                          nvgpu::MatMulOperandRole role) {
  OpBuilder b(&ctx);
  nvgpu::WarpMatrixInfo info{vectorType, role};
  FailureOr<nvgpu::FragmentElementInfo> regs = nvgpu::getMmaSyncRegisterType(info);
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdAndValueIdToOperandCoord(b, b.getUnknownLoc(), info);
  ASSERT_TRUE(succeeded(regs) && succeeded(map));
  int64_t numValues = regs->numRegistersPerFragment * regs->elementsPerRegister;
  LinearLayout ll =
      cast<DistributedLayoutInterface>(layout).toLinearLayout(shape);
  ASSERT_EQ(ll.getInDimSize("register"), numValues) << ll;
  bool isB = role == nvgpu::MatMulOperandRole::B;
  for (int32_t lane = 0; lane < 32; ++lane)
    for (int32_t v = 0; v < numValues; ++v) {
      SmallVector<int64_t> rc = map->compose(ArrayRef<int64_t>{lane, v});
      auto got = ll.apply({{"register", v}, {"lane", lane}, {"warp", 0}});
      Coord want = isB ? Coord{rc[1], rc[0]} : Coord{rc[0], rc[1]};
      EXPECT_EQ(got[0].second, want.first)
          << where(layout, shape, v, lane, 0) << " vs " << show(vectorType);
      EXPECT_EQ(got[1].second, want.second)
          << where(layout, shape, v, lane, 0) << " vs " << show(vectorType);
    }
}

TEST_F(TensorCoreLayoutTest, WarpFragmentsMatchMmaUtils) {
  using nvgpu::MatMulOperandRole;
  Type f16 = Float16Type::get(&ctx), f32 = Float32Type::get(&ctx);
  Type i8 = IntegerType::get(&ctx, 8), i32 = IntegerType::get(&ctx, 32);
  MmaLayoutAttr parent = mma(2, {1, 1}, {16, 8});
  auto dot = [&](unsigned opIdx, unsigned kWidth) {
    return DotOperandLayoutAttr::get(&ctx, opIdx, parent, kWidth);
  };
  checkAgainstMmaUtils(ctx, parent, {16, 8}, VectorType::get({16, 8}, f32),
                       MatMulOperandRole::C);
  checkAgainstMmaUtils(ctx, parent, {16, 8}, VectorType::get({16, 8}, i32),
                       MatMulOperandRole::C);
  // m16n8k16 f16, m16n8k32 s8, m16n8k8 tf32.
  checkAgainstMmaUtils(ctx, dot(0, 2), {16, 16}, VectorType::get({16, 16}, f16),
                       MatMulOperandRole::A);
  checkAgainstMmaUtils(ctx, dot(1, 2), {16, 8}, VectorType::get({8, 16}, f16),
                       MatMulOperandRole::B);
  checkAgainstMmaUtils(ctx, dot(0, 4), {16, 32}, VectorType::get({16, 32}, i8),
                       MatMulOperandRole::A);
  checkAgainstMmaUtils(ctx, dot(1, 4), {32, 8}, VectorType::get({8, 32}, i8),
                       MatMulOperandRole::B);
  checkAgainstMmaUtils(ctx, dot(0, 1), {16, 8}, VectorType::get({16, 8}, f32),
                       MatMulOperandRole::A);
  checkAgainstMmaUtils(ctx, dot(1, 1), {8, 8}, VectorType::get({8, 8}, f32),
                       MatMulOperandRole::B);
}

//===----------------------------------------------------------------------===//
// #tile.shared
//===----------------------------------------------------------------------===//

TEST_F(TensorCoreLayoutTest, SharedSwizzleMatchesFormula) {
  struct Case {
    unsigned vec, perPhase, maxPhase;
    SmallVector<unsigned> order;
    SmallVector<int64_t> shape;
  };
  const Case cases[] = {{8, 1, 8, {1, 0}, {64, 64}},  {8, 1, 8, {0, 1}, {64, 32}},
                        {4, 2, 4, {1, 0}, {32, 64}},  {16, 1, 8, {1, 0}, {16, 128}},
                        {8, 1, 8, {1, 0}, {16, 32}},  {1, 1, 1, {1, 0}, {8, 8}},
                        {8, 1, 8, {2, 1, 0}, {2, 16, 64}}, {4, 1, 4, {0}, {32}}};
  for (const Case &c : cases) {
    auto attr = SharedLayoutAttr::get(&ctx, c.vec, c.perPhase, c.maxPhase, c.order);
    LinearLayout ll = cast<SharedLayoutInterface>(attr).toLinearLayout(c.shape);
    ASSERT_TRUE(ll.isInvertible()) << ll;
    unsigned rank = c.shape.size();
    int64_t cols = c.shape[c.order[0]];
    int64_t rows = rank > 1 ? c.shape[c.order[1]] : 1;
    for (int64_t off = 0; off < ll.getTotalInDimSize(); ++off) {
      // Element (.., row, col) lives at ((..) * rows + row) * cols +
      // (col ^ (vec * ((row / perPhase) % maxPhase)) % cols).
      int64_t colSw = off % cols, row = (off / cols) % rows;
      int64_t outer = off / cols / rows;
      int64_t phase = (row / c.perPhase) % c.maxPhase;
      int64_t col = colSw ^ ((c.vec * phase) % cols);
      SmallVector<int64_t> want(rank, 0);
      want[c.order[0]] = col;
      if (rank > 1)
        want[c.order[1]] = row;
      for (unsigned i = 2; i < rank; ++i) {
        want[c.order[i]] = outer % c.shape[c.order[i]];
        outer /= c.shape[c.order[i]];
      }
      auto got = ll.apply({{"offset", int32_t(off)}});
      for (unsigned d = 0; d < rank; ++d)
        ASSERT_EQ(got[d].second, want[d]) << show(attr) << " offset " << off;
    }
  }
}

/// The distinct banks (4-byte words mod 32) that 8 rows x 16 bytes read at
/// (r0..r0+7, c0..c0+7) touch: one ldmatrix 8x8 matrix of 16-bit elements,
/// one phase of the shared-memory pipe (32 banks x 4 bytes = 128 bytes).
std::set<int64_t> ldmatrixBanks(const LinearLayout &inverse, int64_t r0,
                                int64_t c0, int64_t elemBytes) {
  std::set<int64_t> banks;
  for (int64_t i = 0; i < 8; ++i) {
    int64_t first =
        inverse.apply({{"dim0", int32_t(r0 + i)}, {"dim1", int32_t(c0)}})[0].second;
    for (int64_t j = 0; j < 8; ++j) {
      // The row's 8 elements are one aligned 16-byte vector.
      int64_t off = inverse.apply({{"dim0", int32_t(r0 + i)},
                                   {"dim1", int32_t(c0 + j)}})[0].second;
      EXPECT_EQ(off, first + j);
      EXPECT_EQ(first % 8, 0);
      banks.insert(off * elemBytes / 4 % 32);
    }
  }
  return banks;
}

TEST_F(TensorCoreLayoutTest, SharedSwizzleIsBankConflictFreeForLdmatrix) {
  // 64x64 f16, rows contiguous (order [1, 0]): every 8x8 ldmatrix matrix,
  // at any row and any 16-byte column, hits all 32 banks once.
  auto swizzled = SharedLayoutAttr::get(&ctx, 8, 1, 8, {1, 0});
  LinearLayout inv = swizzled.toLinearLayout({64, 64}).invert();
  for (int64_t r0 = 0; r0 < 64; r0 += 8)
    for (int64_t c0 = 0; c0 < 64; c0 += 8)
      EXPECT_EQ(ldmatrixBanks(inv, r0, c0, 2).size(), 32u)
          << "rows " << r0 << " cols " << c0;
  // Any 8 consecutive rows (not only aligned ones) are conflict-free too.
  for (int64_t r0 = 1; r0 < 56; r0 += 3)
    EXPECT_EQ(ldmatrixBanks(inv, r0, 16, 2).size(), 32u) << "rows " << r0;
  // Without the swizzle, the 8 rows (128 bytes apart) share 4 banks: 8-way
  // conflicts. The count above is a real check.
  auto plain = SharedLayoutAttr::get(&ctx, 8, 1, 1, {1, 0});
  EXPECT_EQ(ldmatrixBanks(plain.toLinearLayout({64, 64}).invert(), 0, 0, 2).size(),
            4u);
}

//===----------------------------------------------------------------------===//
// #tile.nvmma_shared
//===----------------------------------------------------------------------===//

/// The element offset of (row, col) (col along the contiguous dimension) in
/// the canonical wgmma/TMA layout with swizzle width `swizzle` bytes (0: none,
/// 16-byte rows): column blocks of W bytes, each `rows` rows of W bytes, then
/// CUTLASS Swizzle<B, 4, 3> on the byte address: bits [4, 4 + B) ^= bits
/// [7, 7 + B), B = log2(W / 16).
int64_t nvmmaOffset(int64_t row, int64_t col, int64_t rows, unsigned swizzle,
                    unsigned elementBits) {
  int64_t elemBytes = elementBits / 8;
  int64_t width = swizzle ? swizzle : 16;
  int64_t colsPerBlock = width / elemBytes;
  int64_t byte = (col / colsPerBlock) * rows * width + row * width +
                 (col % colsPerBlock) * elemBytes;
  if (swizzle) {
    int64_t bits = llvm::Log2_64(width / 16);
    byte ^= ((byte >> 7) & ((int64_t(1) << bits) - 1)) << 4;
  }
  return byte / elemBytes;
}

TEST_F(TensorCoreLayoutTest, NvmmaSharedMatchesCutlassSwizzle) {
  const int64_t shapes[][2] = {{8, 128}, {64, 64}, {128, 256}, {16, 512}};
  for (unsigned swizzle : {0u, 32u, 64u, 128u})
    for (unsigned bits : {8u, 16u, 32u})
      for (bool transposed : {false, true})
        for (auto &s : shapes) {
          auto attr = NVMMASharedLayoutAttr::get(&ctx, swizzle, bits,
                                                 BoolAttr::get(&ctx, transposed));
          // The contiguous dimension is 1, or 0 when transposed.
          int64_t rows = s[0], cols = s[1];
          if (cols < attr.getBlockWidth())
            continue;
          SmallVector<int64_t> shape = transposed ? SmallVector<int64_t>{cols, rows}
                                                  : SmallVector<int64_t>{rows, cols};
          LinearLayout ll =
              cast<SharedLayoutInterface>(attr).toLinearLayout(shape);
          ASSERT_TRUE(ll.isInvertible()) << show(attr) << ll;
          for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) {
              int64_t off = nvmmaOffset(r, c, rows, swizzle, bits);
              auto got = ll.apply({{"offset", int32_t(off)}});
              int64_t gotRow = got[transposed ? 1 : 0].second;
              int64_t gotCol = got[transposed ? 0 : 1].second;
              ASSERT_EQ(gotRow, r) << show(attr) << " element " << r << ", " << c;
              ASSERT_EQ(gotCol, c) << show(attr) << " element " << r << ", " << c;
            }
        }
}

TEST_F(TensorCoreLayoutTest, Nvmma128BSwizzlesChunksByRow) {
  // The definition in words: a 128-byte row r of a 64x64 f16 tile keeps its
  // 16-byte chunks, permuted by chunk ^= r % 8; rows are 128 bytes apart.
  auto attr = NVMMASharedLayoutAttr::get(&ctx, 128, 16, BoolAttr::get(&ctx, false));
  LinearLayout inv = attr.toLinearLayout({64, 64}).invert();
  for (int64_t r = 0; r < 64; ++r)
    for (int64_t c = 0; c < 64; ++c) {
      int64_t off =
          inv.apply({{"dim0", int32_t(r)}, {"dim1", int32_t(c)}})[0].second;
      EXPECT_EQ(off / 64, r);
      EXPECT_EQ((off % 64) / 8, (c / 8) ^ (r % 8));
      EXPECT_EQ(off % 8, c % 8);
    }
}

} // namespace
