//===- LayoutInterfaceTest.cpp - Encodings' linear layouts vs the lowering ===//
//
// DistributedLayoutInterface::toLinearLayout of `#tile.blocked` and
// `#tile.slice` checked against the index arithmetic the lowering uses today,
// for every (register, lane, warp): the test calls the lowering's own
// emitIndices and emitRepresentativePredicate (LoweringUtils.h), which build
// arith/NVVM IR, and evaluates that IR for each thread id with a small
// evaluator of the few ops they emit. The thread's element counts come from
// getNumElemsPerThread and the in-thread copies from isInThreadDuplicate, the
// functions the lowering calls. The copies are also counted by brute force
// against the layouts' free-variable masks.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Dialect/Tile/TileLayouts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

using namespace mlir;
using namespace mlir::tile;

namespace {

struct Blocked {
  SmallVector<unsigned> spt, tpw, wpc, order;
};

std::string describe(Attribute layout, ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << layout << " shape [";
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// Evaluates the i32/i1 arith and NVVM ops that emitIndices and
/// emitRepresentativePredicate emit, for one thread id.
class ThreadEvaluator {
public:
  explicit ThreadEvaluator(Block *body) : body(body) {}

  void run(uint32_t tid) {
    values.clear();
    for (Operation &op : *body)
      values[op.getNumResults() ? op.getResult(0) : Value()] = eval(op, tid);
  }
  uint32_t get(Value v) const { return values.lookup(v); }

private:
  uint32_t eval(Operation &op, uint32_t tid) {
    auto arg = [&](unsigned i) { return values.lookup(op.getOperand(i)); };
    if (isa<NVVM::ThreadIdXOp>(op))
      return tid;
    if (auto c = dyn_cast<arith::ConstantOp>(op))
      return uint32_t(cast<IntegerAttr>(c.getValue()).getInt());
    if (isa<arith::AndIOp>(op))
      return arg(0) & arg(1);
    if (isa<arith::ShRUIOp>(op))
      return arg(0) >> arg(1);
    if (isa<arith::RemUIOp>(op))
      return arg(0) % arg(1);
    if (isa<arith::DivUIOp>(op))
      return arg(0) / arg(1);
    if (isa<arith::MulIOp>(op))
      return arg(0) * arg(1);
    if (isa<arith::AddIOp>(op))
      return arg(0) + arg(1);
    if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
      EXPECT_EQ(cmp.getPredicate(), arith::CmpIPredicate::ult);
      return arg(0) < arg(1);
    }
    ADD_FAILURE() << "no evaluator for " << op.getName().getStringRef().str();
    return 0;
  }

  Block *body;
  llvm::DenseMap<Value, uint32_t> values;
};

class LayoutInterfaceTest : public ::testing::Test {
protected:
  LayoutInterfaceTest() : builder(&context), loc(builder.getUnknownLoc()) {
    context.loadDialect<TileDialect, arith::ArithDialect, NVVM::NVVMDialect>();
  }

  BlockedLayoutAttr blocked(const Blocked &b) {
    return BlockedLayoutAttr::get(&context, b.spt, b.tpw, b.wpc, b.order);
  }

  /// Checks toLinearLayout(shape) of `layout` (blocked or slice) against the
  /// lowering's arithmetic for every register, lane and warp.
  void checkAgainstLowering(Attribute layout, ArrayRef<int64_t> shape) {
    SCOPED_TRACE(describe(layout, shape));
    auto iface = cast<DistributedLayoutInterface>(layout);
    unsigned rank = shape.size();
    ASSERT_EQ(iface.getLayoutRank(), rank);
    LinearLayout ll = iface.toLinearLayout(shape);
    SCOPED_TRACE(ll.toString());

    // Dimensions: register, lane, warp -> dim0..dimN-1 of the shape.
    ASSERT_EQ(ll.getInDimNames(),
              (SmallVector<StringRef>{"register", "lane", "warp"}));
    SmallVector<std::string> outNames = getLayoutOutDimNames(rank);
    ASSERT_EQ(ll.getNumOutDims(), int(rank));
    for (unsigned d = 0; d < rank; ++d) {
      EXPECT_EQ(ll.getOutDimNames()[d], outNames[d]);
      EXPECT_EQ(ll.getOutDimSize(outNames[d]), shape[d]);
    }
    auto type = RankedTensorType::get(shape, builder.getI32Type(), layout);
    int64_t numRegs = getNumElemsPerThread(type);
    int64_t numWarps = getBlockedParent(layout).getNumWarps();
    ASSERT_EQ(ll.getInDimSize("register"), numRegs);
    ASSERT_EQ(ll.getInDimSize("lane"), int32_t(kWarpSize));
    ASSERT_EQ(ll.getInDimSize("warp"), numWarps);
    EXPECT_TRUE(ll.isSurjective());

    // Today's index IR, evaluated per thread.
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    SmallVector<SmallVector<Value>> indices = emitIndices(builder, loc, type);
    Value pred = emitRepresentativePredicate(builder, loc, type);
    ASSERT_EQ(int64_t(indices.size()), numRegs);
    ThreadEvaluator evaluator(module->getBody());

    uint64_t regFree = ll.getFreeVariableMask("register");
    uint64_t laneFree = ll.getFreeVariableMask("lane");
    uint64_t warpFree = ll.getFreeVariableMask("warp");
    // Element (flat, row-major) -> number of places holding it, and of
    // canonical places (every free bit 0) holding it.
    std::map<int64_t, int> holders, canonical;
    int mismatches = 0;
    for (uint32_t tid = 0; tid < kWarpSize * numWarps; ++tid) {
      evaluator.run(tid);
      int32_t lane = tid % kWarpSize, warp = tid / kWarpSize;
      bool laneWarpCanonical = (lane & laneFree) == 0 && (warp & warpFree) == 0;
      // Today's store predicate is the layout's "lane and warp free bits 0".
      bool representative = pred ? evaluator.get(pred) != 0 : true;
      EXPECT_EQ(representative, laneWarpCanonical)
          << "lane " << lane << " warp " << warp;
      for (int32_t reg = 0; reg < numRegs; ++reg) {
        LinearLayout::NamedCoords got =
            ll.apply({{"register", reg}, {"lane", lane}, {"warp", warp}});
        int64_t flat = 0;
        for (unsigned d = 0; d < rank; ++d) {
          int64_t want = evaluator.get(indices[reg][d]);
          if (got[d].second != want && ++mismatches <= 5)
            ADD_FAILURE() << "register " << reg << " lane " << lane << " warp "
                          << warp << " dim" << d << ": lowering " << want
                          << ", linear layout " << got[d].second;
          flat = flat * shape[d] + got[d].second;
        }
        // In-thread copies are the register free bits.
        EXPECT_EQ(isInThreadDuplicate(type, reg), (reg & regFree) != 0)
            << "register " << reg;
        ++holders[flat];
        if (laneWarpCanonical && (reg & regFree) == 0)
          ++canonical[flat];
      }
    }
    EXPECT_EQ(mismatches, 0);

    // Brute force: every element is held, each by 2^(free bits) places, and
    // exactly one of them has every free bit 0.
    int64_t numElements = 1;
    for (int64_t extent : shape)
      numElements *= extent;
    EXPECT_EQ(int64_t(holders.size()), numElements);
    EXPECT_EQ(int64_t(canonical.size()), numElements);
    int64_t copies = int64_t(1) << ll.getNumFreeVariables();
    for (auto [element, count] : holders)
      EXPECT_EQ(count, copies) << "element " << element;
    for (auto [element, count] : canonical)
      EXPECT_EQ(count, 1) << "element " << element;
    EXPECT_EQ(ll.getNumFreeVariables(), llvm::popcount(regFree) +
                                            llvm::popcount(laneFree) +
                                            llvm::popcount(warpFree));
  }

  /// Every shape of `rank` with extents from `extents` (a cartesian product).
  static SmallVector<SmallVector<int64_t>> shapes(unsigned rank,
                                                  ArrayRef<int64_t> extents) {
    SmallVector<SmallVector<int64_t>> out = {{}};
    for (unsigned d = 0; d < rank; ++d) {
      SmallVector<SmallVector<int64_t>> next;
      for (const auto &prefix : out)
        for (int64_t e : extents) {
          next.push_back(prefix);
          next.back().push_back(e);
        }
      out = std::move(next);
    }
    return out;
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc;
};

// Layouts of every rank the kernels use and then some: several orders,
// sizePerThread above and below the tile's extents, 1 to 8 warps.
const Blocked kLayouts1D[] = {
    {{1}, {32}, {1}, {0}},
    {{4}, {32}, {4}, {0}},
    {{8}, {32}, {2}, {0}},
};
const Blocked kLayouts2D[] = {
    {{1, 4}, {8, 4}, {2, 2}, {1, 0}},  {{1, 8}, {2, 16}, {4, 1}, {1, 0}},
    {{2, 1}, {4, 8}, {1, 4}, {0, 1}},  {{4, 4}, {32, 1}, {1, 2}, {0, 1}},
    {{1, 1}, {1, 32}, {8, 1}, {1, 0}},
};
const Blocked kLayouts3D[] = {
    {{1, 2, 2}, {2, 4, 4}, {2, 1, 2}, {2, 0, 1}},
    {{2, 1, 1}, {1, 8, 4}, {1, 2, 1}, {0, 2, 1}},
    {{1, 1, 4}, {2, 2, 8}, {1, 1, 1}, {2, 1, 0}},
};

TEST_F(LayoutInterfaceTest, Blocked1DMatchesLowering) {
  for (const Blocked &b : kLayouts1D)
    for (const auto &shape : shapes(1, {1, 2, 16, 128, 1024, 4096}))
      checkAgainstLowering(blocked(b), shape);
}

TEST_F(LayoutInterfaceTest, Blocked2DMatchesLowering) {
  for (const Blocked &b : kLayouts2D)
    for (const auto &shape : shapes(2, {1, 2, 8, 32, 128}))
      checkAgainstLowering(blocked(b), shape);
}

TEST_F(LayoutInterfaceTest, Blocked3DMatchesLowering) {
  for (const Blocked &b : kLayouts3D)
    for (const auto &shape : shapes(3, {1, 2, 8, 16}))
      checkAgainstLowering(blocked(b), shape);
}

TEST_F(LayoutInterfaceTest, SliceMatchesLowering) {
  for (const Blocked &b : kLayouts2D)
    for (unsigned dim = 0; dim < 2; ++dim)
      for (const auto &shape : shapes(1, {1, 2, 16, 64, 256}))
        checkAgainstLowering(SliceLayoutAttr::get(&context, dim, blocked(b)),
                             shape);
  for (const Blocked &b : kLayouts3D)
    for (unsigned dim = 0; dim < 3; ++dim)
      for (const auto &shape : shapes(2, {1, 2, 8, 32}))
        checkAgainstLowering(SliceLayoutAttr::get(&context, dim, blocked(b)),
                             shape);
}

// A worked example, bases written by hand from the formula in TileLayouts.h.
TEST_F(LayoutInterfaceTest, BlockedBasesByHand) {
  // sizePerThread [1, 4], threadsPerWarp [8, 4], warpsPerCTA [2, 2], order
  // [1, 0]: CTA tile 16x32. A 32x32 tile repeats it once along dim0 (register
  // bit 2); in a 4x32 one, lane bit 4 (dim0 step 4) and warp bit 1 (dim0 step
  // 8) wrap to 0: those lanes and warps hold copies.
  BlockedLayoutAttr layout = blocked({{1, 4}, {8, 4}, {2, 2}, {1, 0}});
  LinearLayout expected = LinearLayout::fromBases(
      {{"register", {{0, 1}, {0, 2}, {16, 0}}},
       {"lane", {{0, 4}, {0, 8}, {1, 0}, {2, 0}, {4, 0}}},
       {"warp", {{0, 16}, {8, 0}}}},
      {{"dim0", 32}, {"dim1", 32}}, /*requireSurjective=*/true);
  EXPECT_EQ(layout.toLinearLayout({32, 32}), expected);

  LinearLayout small = LinearLayout::fromBases(
      {{"register", {{0, 1}, {0, 2}}},
       {"lane", {{0, 4}, {0, 8}, {1, 0}, {2, 0}, {0, 0}}},
       {"warp", {{0, 16}, {0, 0}}}},
      {{"dim0", 4}, {"dim1", 32}}, /*requireSurjective=*/true);
  EXPECT_EQ(layout.toLinearLayout({4, 32}), small);
  EXPECT_EQ(small.getFreeVariableMask("lane"), 0b10000u);
  EXPECT_EQ(small.getFreeVariableMask("warp"), 0b10u);
  EXPECT_EQ(small.getFreeVariableMask("register"), 0u);

  // Its slice along dim 1 (a row reduction's result), 32 rows: the registers
  // along dim1 are gone, the lanes and the warp along dim1 are copies.
  auto slice = SliceLayoutAttr::get(&context, 1, layout);
  LinearLayout rows =
      LinearLayout::fromBases({{"register", {{16}}},
                               {"lane", {{0}, {0}, {1}, {2}, {4}}},
                               {"warp", {{0}, {8}}}},
                              {{"dim0", 32}}, /*requireSurjective=*/true);
  EXPECT_EQ(slice.toLinearLayout({32}), rows);
  EXPECT_EQ(rows.getFreeVariableMask("lane"), 0b00011u);
  EXPECT_EQ(rows.getFreeVariableMask("warp"), 0b01u);
  EXPECT_EQ(slice.getShapePerCTATile(), (SmallVector<int64_t>{16}));
}

// sliceLinearLayout takes any parent with the interface: a slice of a slice
// (which `#tile.slice` cannot yet spell, its parent being blocked) equals the
// blocked layout of the shape with extent 1 at both removed dimensions,
// without those dimensions and their registers, checked against the
// lowering's indices of that blocked shape.
TEST_F(LayoutInterfaceTest, SliceOfSliceMatchesLowering) {
  for (const Blocked &b : kLayouts3D) {
    BlockedLayoutAttr grand = blocked(b);
    for (unsigned outer = 0; outer < 3; ++outer)
      for (unsigned inner = 0; inner < 2; ++inner)
        for (int64_t extent : {1, 2, 8, 64}) {
          auto parent = SliceLayoutAttr::get(&context, outer, grand);
          LinearLayout ll = sliceLinearLayout(
              cast<DistributedLayoutInterface>(Attribute(parent)), inner,
              {extent});
          // The remaining grand-parent dimension, and the full shape.
          SmallVector<unsigned> removed = {outer,
                                           inner >= outer ? inner + 1 : inner};
          unsigned kept = 3 - removed[0] - removed[1];
          SCOPED_TRACE(describe(grand, {extent}) + " keeping dim" +
                       std::to_string(kept));
          SmallVector<int64_t> shape3 = {1, 1, 1};
          shape3[kept] = extent;
          auto type3 =
              RankedTensorType::get(shape3, builder.getI32Type(), grand);
          SmallVector<int64_t> counts3 = getElemsPerThreadPerDim(grand, shape3);
          ASSERT_EQ(ll.getInDimSize("register"), counts3[kept]);

          OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
          builder.setInsertionPointToEnd(module->getBody());
          SmallVector<SmallVector<Value>> indices =
              emitIndices(builder, loc, type3);
          ThreadEvaluator evaluator(module->getBody());
          for (uint32_t tid = 0; tid < kWarpSize * grand.getNumWarps(); ++tid) {
            evaluator.run(tid);
            for (int32_t reg = 0; reg < counts3[kept]; ++reg) {
              // The grand parent's register holding element `reg` along the
              // kept dimension and the first along the removed ones.
              SmallVector<int64_t> e = {0, 0, 0};
              e[kept] = reg;
              int64_t reg3 = linearize(e, counts3, grand.getOrder());
              auto got = ll.apply({{"register", reg},
                                   {"lane", int32_t(tid % kWarpSize)},
                                   {"warp", int32_t(tid / kWarpSize)}});
              ASSERT_EQ(got[0].second,
                        int64_t(evaluator.get(indices[reg3][kept])))
                  << "register " << reg << " tid " << tid;
            }
          }
        }
  }
}

// mapRegistersInThread, which broadcast, expand_dims and the register-
// permutation convert_layout lower with: for every register of the result,
// lane and warp, the source register it picks holds the element the result
// register's element projects to. Checked over blocked, mma and slice-of-mma
// layouts, against their linear layouts (no GPU needed).
class RegisterMapTest : public LayoutInterfaceTest {
protected:
  RankedTensorType tile(ArrayRef<int64_t> shape, Attribute layout) {
    return RankedTensorType::get(shape, builder.getF32Type(), layout);
  }
  static SmallVector<int32_t> coords(const LinearLayout &ll, int32_t reg,
                                     int32_t lane, int32_t warp) {
    SmallVector<int32_t> c;
    for (auto &[name, value] :
         ll.apply({{"register", reg}, {"lane", lane}, {"warp", warp}}))
      c.push_back(value);
    return c;
  }
  static LinearLayout layoutOf(RankedTensorType type) {
    return cast<DistributedLayoutInterface>(getLayout(type))
        .toLinearLayout(type.getShape());
  }
  /// Checks, for every register j, lane and warp of `dst`, that `project` of
  /// its element is the element of `src` register registers[j] holds in lane
  /// srcLane(lane) of the same warp.
  void checkMoves(RankedTensorType src, RankedTensorType dst,
                  ArrayRef<int64_t> registers,
                  llvm::function_ref<int32_t(int32_t)> srcLane,
                  llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)>
                      project) {
    LinearLayout from = layoutOf(src), to = layoutOf(dst);
    ASSERT_EQ(int64_t(registers.size()), to.getInDimSize("register"));
    for (int32_t warp = 0; warp < to.getInDimSize("warp"); ++warp)
      for (int32_t lane = 0; lane < kWarpSize; ++lane)
        for (int32_t j = 0; j < to.getInDimSize("register"); ++j)
          ASSERT_EQ(project(coords(to, j, lane, warp)),
                    coords(from, int32_t(registers[j]), srcLane(lane), warp))
              << "register " << j << " lane " << lane << " warp " << warp;
  }
  /// Whether the map (if any) is right for every register, lane and warp.
  void checkMap(RankedTensorType src, RankedTensorType dst,
                llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)>
                    project,
                bool expectMap) {
    SCOPED_TRACE(describe(getLayout(src), src.getShape()) + " -> " +
                 describe(getLayout(dst), dst.getShape()));
    auto map = mapRegistersInThread(src, dst, project);
    ASSERT_EQ(map.has_value(), expectMap);
    if (map)
      checkMoves(src, dst, *map, [](int32_t lane) { return lane; }, project);
  }
};

TEST_F(RegisterMapTest, PermutationOfRegistersOnly) {
  // The same lanes, the registers in another order: a renaming.
  Attribute rows = blocked({{2, 2}, {1, 32}, {1, 1}, {1, 0}});
  Attribute cols = blocked({{2, 2}, {1, 32}, {1, 1}, {0, 1}});
  checkMap(tile({2, 64}, rows), tile({2, 64}, cols), sameIndex, true);
  EXPECT_TRUE(isRegisterPermutation(tile({2, 64}, rows), tile({2, 64}, cols)));
  // Repeats of a CTA tile (4 x 64 on 2 x 64 tiles) too.
  checkMap(tile({4, 64}, rows), tile({4, 64}, cols), sameIndex, true);
  // Other lanes: no map, and the conversion is not a permutation.
  Attribute other = blocked({{1, 4}, {2, 16}, {1, 1}, {1, 0}});
  checkMap(tile({2, 64}, rows), tile({2, 64}, other), sameIndex, false);
  EXPECT_FALSE(
      isRegisterPermutation(tile({2, 64}, rows), tile({2, 64}, other)));
}

TEST_F(RegisterMapTest, MmaBroadcastAndExpandDims) {
  for (auto [wm, wn] : {std::pair{1u, 4u}, {2u, 2u}, {4u, 1u}, {2u, 4u}})
    for (auto [m, n] : {std::pair{64, 128}, {32, 32}, {128, 64}}) {
      auto mma = MmaLayoutAttr::get(&context, 2, {wm, wn}, {16, 8});
      // A row scale [m, 1] broadcast along N, and a column scale [1, n]
      // along M: the broadcast dimension reads index 0 of the source.
      for (unsigned dim : {0u, 1u}) {
        SmallVector<int64_t> srcShape = {m, n};
        srcShape[1 - dim] = 1;
        auto zeroBroadcast = [&](ArrayRef<int32_t> index) {
          SmallVector<int32_t> in(index);
          in[1 - dim] = 0;
          return in;
        };
        checkMap(tile(srcShape, mma), tile({m, n}, mma), zeroBroadcast, true);
        // expand_dims: the slice [m] (or [n]) of the mma layout to [m, 1].
        auto slice = SliceLayoutAttr::get(&context, 1 - dim, mma);
        auto withoutAxis = [&](ArrayRef<int32_t> index) {
          SmallVector<int32_t> in(index);
          in.erase(in.begin() + (1 - dim));
          return in;
        };
        checkMap(tile({dim == 0 ? m : n}, slice), tile(srcShape, mma),
                 withoutAxis, true);
      }
    }
}

TEST_F(RegisterMapTest, ContiguityAndOrderOfAnMmaAccumulator) {
  auto mma = MmaLayoutAttr::get(&context, 2, {2, 2}, {16, 8});
  // c0 c1 are two columns of one row: 8-byte accesses along N, none along M.
  EXPECT_EQ(getContiguousRegisters(tile({64, 64}, mma), 1), 2);
  EXPECT_EQ(getContiguousRegisters(tile({64, 64}, mma), 0), 1);
  EXPECT_EQ(getLayoutOrder(mma), (SmallVector<unsigned>{1, 0}));
  Attribute b = blocked({{1, 4}, {8, 4}, {2, 2}, {1, 0}});
  EXPECT_EQ(getContiguousRegisters(tile({64, 64}, b), 1), 4);
}

// planLaneShuffle, the warp-shuffle path of convert_layout: result register
// j of lane l must be source register registers[j] of lane srcLane(l).
TEST_F(RegisterMapTest, LaneShufflePlanMovesEveryElementWithinItsWarp) {
  auto check = [&](RankedTensorType src, RankedTensorType dst, bool expect) {
    SCOPED_TRACE(describe(getLayout(src), src.getShape()) + " -> " +
                 describe(getLayout(dst), dst.getShape()));
    std::optional<LaneShufflePlan> plan = planLaneShuffle(src, dst);
    ASSERT_EQ(plan.has_value(), expect);
    if (!plan)
      return;
    ASSERT_EQ(plan->laneBits.size(), 5u);
    auto srcLane = [&](int32_t lane) {
      int32_t from = 0;
      for (int i = 0; i < 5; ++i)
        if (lane >> i & 1)
          from ^= plan->laneBits[i];
      return from;
    };
    checkMoves(src, dst, plan->registers, srcLane, sameIndex);
  };
  // Lanes walk the rows first in one layout, the columns first in the
  // other; registers and warps agree: a lane permutation.
  Attribute rowsFirst = blocked({{1, 8}, {8, 4}, {4, 1}, {1, 0}});
  Attribute colsFirst = blocked({{1, 8}, {8, 4}, {4, 1}, {0, 1}});
  check(tile({32, 32}, rowsFirst), tile({32, 32}, colsFirst), true);
  check(tile({64, 64}, rowsFirst), tile({64, 64}, colsFirst), true);
  EXPECT_FALSE(isRegisterPermutation(tile({32, 32}, rowsFirst),
                                     tile({32, 32}, colsFirst)));
  // A register permutation is a plan too (every lane reads itself).
  Attribute rows = blocked({{2, 2}, {1, 32}, {1, 1}, {1, 0}});
  Attribute cols = blocked({{2, 2}, {1, 32}, {1, 1}, {0, 1}});
  check(tile({2, 64}, rows), tile({2, 64}, cols), true);
  // Elements that change warps: no plan.
  Attribute warpsAlongRows = blocked({{1, 4}, {4, 8}, {4, 1}, {1, 0}});
  Attribute warpsAlongCols = blocked({{1, 4}, {4, 8}, {1, 4}, {1, 0}});
  check(tile({64, 64}, warpsAlongRows), tile({64, 64}, warpsAlongCols), false);
}

// The swizzled shared layouts that conversions go through
// (getSwizzledSharedLayout) and the vector accesses the lowering makes of
// them (storeToShared, loadVectorsFromShared): each thread's run of
// getSharedStoreVector registers must land on consecutive, aligned offsets
// for every lane and warp, and the offset of a register, lane and warp must
// be the XOR of their parts (the lowering computes a thread's part once and
// XORs each run's constant). Checked over many random blocked layouts, both
// row orders and three element sizes, without a GPU.
TEST_F(LayoutInterfaceTest, SwizzledSharedVectorRunsAreAlignedAndContiguous) {
  std::mt19937 rng(20261130);
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  const SmallVector<int64_t> shapes[] = {{64, 64}, {16, 128}, {128, 8},
                                         {32, 32}, {2, 64},   {256, 16}};
  int checked = 0;
  for (int trial = 0; trial < 300; ++trial) {
    SmallVector<int64_t> shape = shapes[pick(std::size(shapes))];
    int64_t bytes = int64_t(1) << pick(3); // 1, 2, 4
    unsigned fastest = unsigned(pick(2));
    if (shape[fastest] * bytes < 16)
      continue; // the conversion keeps the element path there
    Type element = bytes == 1   ? Type(builder.getI8Type())
                   : bytes == 2 ? Type(builder.getF16Type())
                                : Type(builder.getF32Type());
    int laneBits = pick(6), warpBits = pick(3);
    Blocked b{{1u << pick(4), 1u << pick(4)},
              {1u << laneBits, 1u << (5 - laneBits)},
              {1u << warpBits, 1u << (2 - warpBits)},
              pick(2) ? SmallVector<unsigned>{1, 0} : SmallVector<unsigned>{0, 1}};
    auto type = RankedTensorType::get(shape, element, blocked(b));
    SharedLayoutAttr shared =
        getSwizzledSharedLayout(&context, shape, bytes, fastest);
    SCOPED_TRACE(describe(getLayout(type), shape) + " bytes " +
                 std::to_string(bytes) + " fastest " + std::to_string(fastest));
    LinearLayout map = cast<DistributedLayoutInterface>(getLayout(type))
                           .toLinearLayout(shape)
                           .compose(shared.toLinearLayout(shape).invert());
    int64_t vec = getSharedStoreVector(type, shared, 16 / bytes);
    auto offset = [&](int32_t reg, int32_t lane, int32_t warp) {
      return map.apply({{"register", reg}, {"lane", lane}, {"warp", warp}})
          .front()
          .second;
    };
    int32_t regs = map.getInDimSize("register");
    for (int32_t warp = 0; warp < map.getInDimSize("warp"); ++warp)
      for (int32_t lane = 0; lane < kWarpSize; ++lane)
        for (int32_t j = 0; j < regs; j += int32_t(vec)) {
          int32_t first = offset(j, lane, warp);
          ASSERT_EQ(first, offset(j, 0, 0) ^ offset(0, lane, 0) ^
                               offset(0, 0, warp))
              << "register " << j << " lane " << lane << " warp " << warp;
          ASSERT_EQ(first % vec, 0)
              << "register " << j << " lane " << lane << " warp " << warp;
          for (int32_t i = 1; i < vec; ++i)
            ASSERT_EQ(offset(j + i, lane, warp), first + i)
                << "register " << j + i << " lane " << lane << " warp "
                << warp;
        }
    ++checked;
  }
  EXPECT_GT(checked, 150);
}

} // namespace
