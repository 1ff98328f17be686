//===- LdmatrixPlan.cpp - How ldmatrix reads an mma.sync operand ----------===//
//
// PTX ISA, "Warp-level matrix load instruction: ldmatrix": lane l supplies
// the address of row l % 8 of matrix l / 8; thread t receives, from each
// matrix, the 32-bit word t % 4 of row t / 4 (.trans: the two 16-bit
// elements of column t / 4 in rows 2 (t % 4) and 2 (t % 4) + 1).
//
//===----------------------------------------------------------------------===//

#include "LdmatrixPlan.h"
#include "LoweringUtils.h"

#include "tile/Dialect/Tile/TileLayouts.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cstdint>
#include <numeric>

using namespace mlir;
using namespace mlir::tile;

namespace {

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

std::vector<std::vector<int32_t>>
toBases(ArrayRef<std::pair<int32_t, int32_t>> pairs) {
  std::vector<std::vector<int32_t>> out;
  for (auto [a, b] : pairs)
    out.push_back({a, b});
  return out;
}

} // namespace

std::optional<LdmatrixPlan>
mlir::tile::planLdmatrix(RankedTensorType dstType, SharedLayoutAttr shared,
                         LdmatrixGrouping grouping) {
  auto dst = dyn_cast<DotOperandLayoutAttr>(getLayout(dstType));
  if (!dst || dst.getParent().getVersion() != 2 || dstType.getRank() != 2)
    return std::nullopt;
  Type element = sharedMemoryType(dstType.getElementType());
  if (!element || element != storageType(dstType.getElementType()))
    return std::nullopt;
  int64_t bits = element.getIntOrFloatBitWidth();
  int64_t kWidth = dst.getKWidth();
  if ((bits != 8 && bits != 16) || kWidth * bits != 32)
    return std::nullopt;
  ArrayRef<int64_t> shape = dstType.getShape();
  unsigned kDim = dst.getOpIdx() == 0 ? 1 : 0, mnDim = 1 - kDim;
  unsigned fastest = shared.getOrder()[0];
  bool trans = fastest == mnDim;
  if (trans && bits != 16)
    return std::nullopt;
  // Rows of 16 bytes must be whole swizzle chunks.
  if (shared.getVec() * bits < 128 || shape[fastest] * bits < 128)
    return std::nullopt;
  LinearLayout dstLL = dst.toLinearLayout(shape);

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
    // Word t % 4 of row t / 4: lanes 0, 1 step K by kWidth, 2 kWidth; the
    // kWidth elements of a word are consecutive along K.
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
    return std::nullopt;
  LdmatrixPlan plan;
  // Matrices per ldmatrix: 4 where the thread's words come in fours.
  plan.num = numWords % 4 == 0 ? 4 : numWords % 2 == 0 ? 2 : 1;
  // Which of the thread's words an instruction's matrices fill
  // (LdmatrixGrouping): the word bits in order, with KStep skipping the
  // repetitions along K past one mma's K.
  const int32_t kStep =
      grouping == LdmatrixGrouping::KStep ? (bits == 16 ? 16 : 32) : INT32_MAX;
  const int regBits = dstLL.getInDimSizeLog2("register");
  const int wanted = llvm::Log2_32(unsigned(plan.num));
  auto kOfBasis = [&](int i) {
    auto b = basis(dstLL, "register", i);
    return kDim == 0 ? b.first : b.second;
  };
  for (int i = logK; i < regBits && int(plan.matrixBits.size()) < wanted; ++i)
    if (kOfBasis(i) < kStep)
      plan.matrixBits.push_back(i);
  for (int i = logK; i < regBits && int(plan.matrixBits.size()) < wanted; ++i)
    if (!llvm::is_contained(plan.matrixBits, i))
      plan.matrixBits.push_back(i);
  llvm::sort(plan.matrixBits);
  // Lanes 8..31 address the rows of matrices 1..3.
  for (int i = 0; i < wanted; ++i)
    laneAddr[3 + i] = basis(dstLL, "register", plan.matrixBits[i]);

  std::vector<std::pair<int32_t, int32_t>> warpBases;
  for (int i = 0; i < dstLL.getInDimSizeLog2("warp"); ++i)
    warpBases.push_back(basis(dstLL, "warp", i));
  plan.toOffset = shared.toLinearLayout(shape).invert();
  SmallVector<std::string> outNames = getLayoutOutDimNames(2);
  SmallVector<std::pair<StringRef, int32_t>> outs = {
      {outNames[0], int32_t(shape[0])}, {outNames[1], int32_t(shape[1])}};
  std::pair<StringRef, std::vector<std::vector<int32_t>>> addrIns[] = {
      {"lane", toBases(laneAddr)}, {"warp", toBases(warpBases)}};
  plan.address =
      LinearLayout::fromBases(addrIns, outs, /*requireSurjective=*/false)
          .compose(plan.toOffset);
  plan.dstLL = std::move(dstLL);
  plan.trans = trans;
  plan.kWidth = kWidth;
  plan.element = element;
  return plan;
}


SmallVector<LdmatrixInstruction>
mlir::tile::ldmatrixInstructions(const LdmatrixPlan &plan, unsigned kDim) {
  int numRegs = plan.dstLL.getInDimSize("register");
  int numWords = numRegs / int(plan.kWidth);
  LinearLayout regToOffset = plan.dstLL.compose(plan.toOffset);
  // Instructions in the order of the K their words start at (the dot's K
  // steps, which it issues in that order): each step's operands are read
  // just before they are needed, not the whole tile first.
  // Register bits: below logK the word's elements, plan.matrixBits the
  // matrices of an instruction, the others the instructions.
  const int logK = llvm::Log2_64(plan.kWidth);
  SmallVector<int> groupBits;
  for (int i = logK; i < plan.dstLL.getInDimSizeLog2("register"); ++i)
    if (!llvm::is_contained(plan.matrixBits, i))
      groupBits.push_back(i);
  auto deposit = [](int value, ArrayRef<int> bits) {
    int reg = 0;
    for (auto [i, bit] : llvm::enumerate(bits))
      reg |= ((value >> i) & 1) << bit;
    return reg;
  };
  SmallVector<int> groups(numWords / plan.num);
  std::iota(groups.begin(), groups.end(), 0);
  auto kOf = [&](int g) {
    return plan.dstLL
        .apply({{"register", deposit(g, groupBits)}, {"lane", 0}, {"warp", 0}})
            [kDim]
        .second;
  };
  llvm::stable_sort(groups, [&](int x, int y) { return kOf(x) < kOf(y); });
  SmallVector<LdmatrixInstruction> instructions;
  for (int g : groups) {
    int firstReg = deposit(g, groupBits);
    LdmatrixInstruction instr;
    instr.offset = registerOffset(regToOffset, firstReg);
    for (int q = 0; q < plan.num; ++q)
      instr.firstRegisters.push_back(firstReg | deposit(q, plan.matrixBits));
    instructions.push_back(std::move(instr));
  }
  return instructions;
}

int32_t mlir::tile::registerOffset(const LinearLayout &map, int32_t reg) {
  SmallVector<std::pair<StringRef, int32_t>> ins;
  for (StringRef name : map.getInDimNames())
    ins.push_back({name, name == "register" ? reg : 0});
  return map.apply(ins).front().second;
}
