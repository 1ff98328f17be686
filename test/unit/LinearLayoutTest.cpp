//===- LinearLayoutTest.cpp - The linear-layout mathematics ---------------===//
//
// mlir::tile::LinearLayout tested as mathematics, on small layouts and every
// input: against closed formulas written independently of the class (blocked
// layouts from their div/mod definition, the mma.sync m16n8 accumulator from
// the PTX ISA's fragment table), and against its own algebra (round trips of
// invert, compose and invertAndCompose, element by element).
//
//===----------------------------------------------------------------------===//

#include "tile/Support/LinearLayout.h"

#include <gtest/gtest.h>

#include <map>

using llvm::SmallVector;
using llvm::StringRef;
using mlir::tile::LinearLayout;

namespace {

using Coords = SmallVector<int32_t>;

/// Calls fn(flat, coords) for every input of `layout`, coordinates in
/// input-dimension order, the flat index with the first dimension lowest.
template <typename Fn> void forEachInput(const LinearLayout &layout, Fn fn) {
  SmallVector<StringRef> names = layout.getInDimNames();
  for (uint64_t flat = 0; flat < uint64_t(layout.getTotalInDimSize()); ++flat) {
    Coords coords;
    uint64_t rest = flat;
    for (StringRef name : names) {
      int bits = layout.getInDimSizeLog2(name);
      coords.push_back(int32_t(rest & ((uint64_t(1) << bits) - 1)));
      rest >>= bits;
    }
    fn(flat, coords);
  }
}

/// L(x) from the bases alone, bit by bit: a second evaluation to check
/// apply, applyCoords and applyFlat against.
Coords xorOfBases(const LinearLayout &layout, const Coords &coords) {
  Coords out(layout.getNumOutDims(), 0);
  for (auto [name, c] : llvm::zip_equal(layout.getInDimNames(), coords))
    for (int bit = 0; bit < layout.getInDimSizeLog2(name); ++bit)
      if ((c >> bit) & 1)
        for (auto [o, b] : llvm::zip_equal(out, layout.getBasis(name, bit)))
          o ^= b;
  return out;
}

// A 32x32 blocked layout: sizePerThread [1, 4], threadsPerWarp [8, 4],
// warpsPerCTA [2, 2], order [1, 0] (dim1 fastest). The CTA tile is 16x32, so
// register bit 2 repeats it along dim0. Bases derived by hand from the formula
// below: the first two register bits walk dim1, lanes go 4 along dim1 then 8
// along dim0, warps 2 along dim1 then 2 along dim0.
LinearLayout blockedRowMajor() {
  return LinearLayout::fromBases(
      {{"register", {{0, 1}, {0, 2}, {16, 0}}},
       {"lane", {{0, 4}, {0, 8}, {1, 0}, {2, 0}, {4, 0}}},
       {"warp", {{0, 16}, {8, 0}}}},
      {"dim0", "dim1"});
}
Coords blockedRowMajorFormula(int r, int l, int w) {
  return {l / 4 + 8 * (w / 2) + 16 * (r / 4),
          r % 4 + 4 * (l % 4) + 16 * (w % 2)};
}

// Its transpose-ordered counterpart: sizePerThread [4, 1], threadsPerWarp
// [4, 8], warpsPerCTA [2, 2], order [0, 1] (dim0 fastest).
LinearLayout blockedColMajor() {
  return LinearLayout::fromBases(
      {{"register", {{1, 0}, {2, 0}, {0, 16}}},
       {"lane", {{4, 0}, {8, 0}, {0, 1}, {0, 2}, {0, 4}}},
       {"warp", {{16, 0}, {0, 8}}}},
      {"dim0", "dim1"});
}
Coords blockedColMajorFormula(int r, int l, int w) {
  return {r % 4 + 4 * (l % 4) + 16 * (w % 2),
          l / 4 + 8 * (w / 2) + 16 * (r / 4)};
}

// The mma.sync m16n8 accumulator (C/D) fragment of one warp, PTX ISA
// "Matrix Fragments for mma.m16n8k16" (f32 accumulators): lane l holds
// c0, c1 at row l / 4 and c2, c3 at row l / 4 + 8, columns 2 * (l % 4) + {0,
// 1}. Four warps tile 32x16: warp bit 0 steps 16 rows, warp bit 1 steps 8
// columns.
LinearLayout mmaAccumulator(bool fourWarps) {
  std::vector<std::vector<int32_t>> warps;
  if (fourWarps)
    warps = {{16, 0}, {0, 8}};
  return LinearLayout::fromBases(
      {{"register", {{0, 1}, {8, 0}}},
       {"lane", {{0, 2}, {0, 4}, {1, 0}, {2, 0}, {4, 0}}},
       {"warp", warps}},
      {"dim0", "dim1"});
}
Coords mmaFormula(int r, int l, int w) {
  return {16 * (w % 2) + l / 4 + 8 * (r / 2),
          8 * (w / 2) + 2 * (l % 4) + r % 2};
}

/// Hardware place per element of a bijective formula over `rows` x `cols`,
/// checking that it is one.
template <typename Formula>
std::vector<Coords> placesOf(Formula formula, int rows, int cols, int regs,
                             int lanes, int warps) {
  std::vector<Coords> places(rows * cols);
  for (int w = 0; w < warps; ++w)
    for (int l = 0; l < lanes; ++l)
      for (int r = 0; r < regs; ++r) {
        Coords e = formula(r, l, w);
        Coords &slot = places[e[0] * cols + e[1]];
        EXPECT_TRUE(slot.empty()) << "element held twice by the formula";
        slot = {r, l, w};
      }
  return places;
}

//===----------------------------------------------------------------------===//
// Construction
//===----------------------------------------------------------------------===//

TEST(LinearLayoutTest, Identity1D) {
  LinearLayout id = LinearLayout::identity1D(32, "lane", "dim0");
  EXPECT_EQ(id.getInDimSize("lane"), 32);
  EXPECT_EQ(id.getOutDimSize("dim0"), 32);
  EXPECT_TRUE(id.isInvertible());
  EXPECT_EQ(id.getFreeVariableMask("lane"), 0u);
  for (int32_t x = 0; x < 32; ++x)
    EXPECT_EQ(id.applyCoords({x}), Coords{x});
  EXPECT_EQ(id.invert(), LinearLayout::identity1D(32, "dim0", "lane"));
  // Size 1: a named dimension with no bases.
  LinearLayout one = LinearLayout::identity1D(1, "block", "dim0");
  EXPECT_EQ(one.getTotalInDimSizeLog2(), 0);
  EXPECT_TRUE(one.hasInDim("block"));
  EXPECT_EQ(one.applyCoords({0}), Coords{0});
}

TEST(LinearLayoutTest, Zeros1D) {
  LinearLayout zeros = LinearLayout::zeros1D(8, "warp", "dim0");
  for (int32_t x = 0; x < 8; ++x)
    EXPECT_EQ(zeros.applyCoords({x}), Coords{0});
  EXPECT_TRUE(zeros.isSurjective());
  EXPECT_FALSE(zeros.isInjective());
  EXPECT_EQ(zeros.getNumFreeVariables(), 3);
  EXPECT_EQ(zeros.getFreeVariableMask("warp"), 0b111u);
  EXPECT_EQ(zeros.getZeroBasesMask("warp"), 0b111u);
  // A larger codomain that nothing reaches beyond 0.
  LinearLayout wide = LinearLayout::zeros1D(8, "warp", "dim0", 4);
  EXPECT_EQ(wide.getOutDimSize("dim0"), 4);
  EXPECT_FALSE(wide.isSurjective());
}

// Triton's header example: L(t, w) = (t, w ^ t), a swizzle, from four bases.
TEST(LinearLayoutTest, FromBasesSwizzle) {
  LinearLayout swizzle = LinearLayout::fromBases(
      {{"t", {{1, 1}, {2, 2}}}, {"w", {{0, 1}, {0, 2}}}}, {"x", "y"});
  EXPECT_EQ(swizzle.getOutDimSize("x"), 4);
  EXPECT_EQ(swizzle.getOutDimSize("y"), 4);
  for (int32_t t = 0; t < 4; ++t)
    for (int32_t w = 0; w < 4; ++w)
      EXPECT_EQ(swizzle.applyCoords({t, w}), (Coords{t, w ^ t}))
          << "t=" << t << " w=" << w;
  EXPECT_TRUE(swizzle.isInvertible());
}

TEST(LinearLayoutTest, TryCreateRejects) {
  std::string why;
  // Out of range for its output size.
  EXPECT_FALSE(LinearLayout::tryCreate({{"lane", {{4}}}}, {{"dim0", 4}},
                                       /*requireSurjective=*/false, &why));
  EXPECT_NE(why.find("outside output dimension 'dim0'"), std::string::npos)
      << why;
  // Size not a power of two.
  EXPECT_FALSE(
      LinearLayout::tryCreate({{"lane", {{1}}}}, {{"dim0", 3}}, false, &why));
  EXPECT_NE(why.find("not a power of two"), std::string::npos) << why;
  // Two coordinates for one output dimension.
  EXPECT_FALSE(LinearLayout::tryCreate({{"lane", {{1, 0}}}}, {{"dim0", 2}},
                                       false, &why));
  EXPECT_NE(why.find("coordinates"), std::string::npos) << why;
  // Element 1 of dim0 is never reached.
  EXPECT_FALSE(
      LinearLayout::tryCreate({{"lane", {{2}}}}, {{"dim0", 4}}, true, &why));
  EXPECT_NE(why.find("not surjective"), std::string::npos) << why;
  EXPECT_TRUE(
      LinearLayout::tryCreate({{"lane", {{2}}}}, {{"dim0", 4}}, false, &why));
}

//===----------------------------------------------------------------------===//
// Products
//===----------------------------------------------------------------------===//

TEST(LinearLayoutTest, ProductOnSharedDims) {
  using L = LinearLayout;
  EXPECT_EQ(L::identity1D(4, "i", "o") * L::identity1D(2, "i", "o"),
            L::identity1D(8, "i", "o"));
  L mod = L::identity1D(4, "i", "o") * L::zeros1D(2, "i", "o");
  L div = L::zeros1D(2, "i", "o") * L::identity1D(4, "i", "o");
  L split = L::identity1D(4, "i", "o1") * L::identity1D(8, "i", "o2");
  EXPECT_EQ(split.getOutDimNames(), (SmallVector<StringRef>{"o1", "o2"}));
  for (int32_t x = 0; x < 8; ++x) {
    EXPECT_EQ(mod.applyCoords({x}), Coords{x % 4});
    EXPECT_EQ(div.applyCoords({x}), Coords{x / 2});
  }
  for (int32_t x = 0; x < 32; ++x)
    EXPECT_EQ(split.applyCoords({x}), (Coords{x % 4, x / 4}));
  EXPECT_EQ(L::empty() * mod, mod);
  EXPECT_EQ(mod * L::empty(), mod);
}

TEST(LinearLayoutTest, ProductOnDisjointDims) {
  using L = LinearLayout;
  L l = L::identity1D(4, "register", "dim1") * L::identity1D(8, "lane", "dim0");
  EXPECT_EQ(l.getInDimNames(), (SmallVector<StringRef>{"register", "lane"}));
  EXPECT_EQ(l.getOutDimNames(), (SmallVector<StringRef>{"dim1", "dim0"}));
  forEachInput(l, [&](uint64_t, const Coords &x) {
    EXPECT_EQ(l.applyCoords(x), (Coords{x[0], x[1]}));
  });
  // Associative: three factors, both groupings.
  L a = L::identity1D(2, "register", "dim1");
  L b = L::identity1D(4, "lane", "dim1");
  L c = L::identity1D(8, "lane", "dim0");
  EXPECT_EQ((a * b) * c, a * (b * c));
}

// The mma accumulator fragment as a product of 1D pieces equals the one built
// from bases, and both match the PTX ISA's table.
TEST(LinearLayoutTest, MmaAccumulatorMatchesPtxFragment) {
  using L = LinearLayout;
  for (bool fourWarps : {false, true}) {
    LinearLayout mma = mmaAccumulator(fourWarps);
    forEachInput(mma, [&](uint64_t, const Coords &x) {
      EXPECT_EQ(mma.applyCoords(x), mmaFormula(x[0], x[1], x[2]))
          << "register " << x[0] << " lane " << x[1] << " warp " << x[2];
    });
    EXPECT_TRUE(mma.isInvertible()) << mma;
  }
  L product =
      L::identity1D(2, "register", "dim1") * L::identity1D(4, "lane", "dim1") *
      L::identity1D(8, "lane", "dim0") * L::identity1D(2, "register", "dim0") *
      L::identity1D(1, "warp", "dim0");
  EXPECT_EQ(product.transposeOuts({"dim0", "dim1"}), mmaAccumulator(false))
      << product;
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

TEST(LinearLayoutTest, ApplyFormsAgree) {
  LinearLayout l = blockedRowMajor();
  forEachInput(l, [&](uint64_t flat, const Coords &x) {
    Coords expected = blockedRowMajorFormula(x[0], x[1], x[2]);
    ASSERT_EQ(l.applyCoords(x), expected);
    ASSERT_EQ(xorOfBases(l, x), expected);
    // Named, in another order.
    auto named = l.apply({{"warp", x[2]}, {"register", x[0]}, {"lane", x[1]}});
    ASSERT_EQ(named.size(), 2u);
    EXPECT_EQ(named[0], (std::pair<std::string, int32_t>{"dim0", expected[0]}));
    EXPECT_EQ(named[1], (std::pair<std::string, int32_t>{"dim1", expected[1]}));
    // Flat: dim0 is the low 5 bits.
    EXPECT_EQ(l.applyFlat(flat), uint64_t(expected[0] + 32 * expected[1]));
  });
}

TEST(LinearLayoutTest, BlockedLayoutsMatchTheirFormulas) {
  LinearLayout a = blockedRowMajor(), b = blockedColMajor();
  forEachInput(a, [&](uint64_t, const Coords &x) {
    EXPECT_EQ(a.applyCoords(x), blockedRowMajorFormula(x[0], x[1], x[2]));
    EXPECT_EQ(b.applyCoords(x), blockedColMajorFormula(x[0], x[1], x[2]));
  });
  EXPECT_TRUE(a.isInvertible());
  EXPECT_TRUE(b.isInvertible());
  EXPECT_NE(a, b);
}

//===----------------------------------------------------------------------===//
// Composition and inversion
//===----------------------------------------------------------------------===//

TEST(LinearLayoutTest, ComposeIsFunctionComposition) {
  // A blocked layout, then a swizzle of the 32x32 index: (i, j) -> (i, j ^ i).
  LinearLayout a = blockedRowMajor();
  std::vector<std::vector<int32_t>> rowBases, colBases;
  for (int32_t bit = 1; bit < 32; bit *= 2) {
    rowBases.push_back({bit, bit});
    colBases.push_back({0, bit});
  }
  LinearLayout swizzle = LinearLayout::fromBases(
      {{"dim0", rowBases}, {"dim1", colBases}}, {"row", "col"});
  LinearLayout c = a.compose(swizzle);
  EXPECT_EQ(c.getInDimNames(), a.getInDimNames());
  EXPECT_EQ(c.getOutDimNames(), (SmallVector<StringRef>{"row", "col"}));
  forEachInput(c, [&](uint64_t, const Coords &x) {
    Coords e = blockedRowMajorFormula(x[0], x[1], x[2]);
    EXPECT_EQ(c.applyCoords(x), (Coords{e[0], e[1] ^ e[0]}));
  });
}

TEST(LinearLayoutTest, InvertRoundTrips) {
  for (const LinearLayout &l :
       {blockedRowMajor(), blockedColMajor(), mmaAccumulator(true)}) {
    LinearLayout inv = l.invert();
    EXPECT_EQ(inv.getInDimNames(), l.getOutDimNames());
    EXPECT_EQ(inv.getOutDimNames(), l.getInDimNames());
    // inv(L(x)) == x for every place, L(inv(e)) == e for every element.
    LinearLayout there = l.compose(inv), back = inv.compose(l);
    forEachInput(there, [&](uint64_t, const Coords &x) {
      EXPECT_EQ(there.applyCoords(x), x) << l;
    });
    forEachInput(back, [&](uint64_t, const Coords &e) {
      EXPECT_EQ(back.applyCoords(e), e) << l;
    });
    EXPECT_EQ(inv.invert(), l);
  }
}

TEST(LinearLayoutTest, InvertOfNonBijectionAborts) {
  EXPECT_DEATH(LinearLayout::zeros1D(4, "lane", "dim0").invert(),
               "not a bijection");
}

// A row-major and a column-major blocked layout of one 32x32 tensor: the
// conversion maps each place of the first to the place of the second that
// holds the same element, checked against a table built from the formulas.
TEST(LinearLayoutTest, InvertAndComposeBetweenBlockedLayouts) {
  LinearLayout a = blockedRowMajor(), b = blockedColMajor();
  LinearLayout conversion = a.invertAndCompose(b);
  EXPECT_EQ(conversion.getInDimNames(), a.getInDimNames());
  EXPECT_EQ(conversion.getOutDimNames(), b.getInDimNames());
  EXPECT_TRUE(conversion.isInvertible());
  std::vector<Coords> placeInB =
      placesOf(blockedColMajorFormula, 32, 32, 8, 32, 4);
  int moved = 0;
  forEachInput(a, [&](uint64_t, const Coords &x) {
    Coords e = blockedRowMajorFormula(x[0], x[1], x[2]);
    Coords y = conversion.applyCoords(x);
    EXPECT_EQ(y, placeInB[e[0] * 32 + e[1]]);
    moved += y != x;
  });
  EXPECT_GT(moved, 0);
  // Converting to itself moves nothing.
  LinearLayout none = a.invertAndCompose(a);
  forEachInput(
      a, [&](uint64_t, const Coords &x) { EXPECT_EQ(none.applyCoords(x), x); });
}

// The mma accumulator of four warps to a blocked layout of the same 32x16
// tile (sizePerThread [1, 4], threadsPerWarp [8, 4], warpsPerCTA [4, 1]).
TEST(LinearLayoutTest, InvertAndComposeMmaToBlocked) {
  LinearLayout mma = mmaAccumulator(true);
  LinearLayout blocked = LinearLayout::fromBases(
      {{"register", {{0, 1}, {0, 2}}},
       {"lane", {{0, 4}, {0, 8}, {1, 0}, {2, 0}, {4, 0}}},
       {"warp", {{8, 0}, {16, 0}}}},
      {"dim0", "dim1"});
  auto blockedFormula = [](int r, int l, int w) {
    return Coords{l / 4 + 8 * w, r % 4 + 4 * (l % 4)};
  };
  std::vector<Coords> placeInBlocked =
      placesOf(blockedFormula, 32, 16, 4, 32, 4);
  LinearLayout conversion = mma.invertAndCompose(blocked);
  forEachInput(mma, [&](uint64_t, const Coords &x) {
    Coords e = mmaFormula(x[0], x[1], x[2]);
    EXPECT_EQ(conversion.applyCoords(x), placeInBlocked[e[0] * 16 + e[1]]);
  });
}

//===----------------------------------------------------------------------===//
// Broadcast: hardware larger than the tile
//===----------------------------------------------------------------------===//

// A 16x4 tile on 4 warps of threadsPerWarp [4, 8], order [1, 0]: the eight
// lanes along dim1 see only four columns, so lane bit 2 holds copies.
LinearLayout broadcastLayout() {
  return LinearLayout::fromBases(
      {{"register", {}},
       {"lane", {{0, 1}, {0, 2}, {0, 0}, {1, 0}, {2, 0}}},
       {"warp", {{4, 0}, {8, 0}}}},
      {"dim0", "dim1"});
}

TEST(LinearLayoutTest, BroadcastFreeVariables) {
  LinearLayout l = broadcastLayout();
  EXPECT_TRUE(l.isSurjective());
  EXPECT_FALSE(l.isInjective());
  EXPECT_EQ(l.getNumFreeVariables(), 1);
  EXPECT_EQ(l.getFreeVariableMask("lane"), 0b00100u);
  EXPECT_EQ(l.getFreeVariableMask("warp"), 0u);
  EXPECT_EQ(l.getZeroBasesMask("lane"), 0b00100u);

  // Brute force: each element is held 2^free times, and exactly once by the
  // places whose free bits are 0 (the ones that should store it).
  std::map<Coords, int> copies, canonical;
  forEachInput(l, [&](uint64_t, const Coords &x) {
    int r = x[0], lane = x[1], w = x[2];
    Coords e{lane / 8 + 4 * w, lane % 8 % 4};
    ASSERT_EQ(l.applyCoords(x), e);
    ++copies[e];
    if ((lane & l.getFreeVariableMask("lane")) == 0 && r == 0)
      ++canonical[e];
  });
  EXPECT_EQ(copies.size(), 64u);
  for (auto &[e, n] : copies)
    EXPECT_EQ(n, 2);
  EXPECT_EQ(canonical.size(), 64u);
  for (auto &[e, n] : canonical)
    EXPECT_EQ(n, 1);
}

// Copies that are not zero bases: register bit 0 and lane bit 0 hold the
// same element offset, so the later one (lane) is the free one.
TEST(LinearLayoutTest, DuplicateBasesAreFreeInFlatOrder) {
  LinearLayout l = LinearLayout::fromBases(
      {{"register", {{1}}}, {"lane", {{1}, {2}, {4}}}}, {"dim0"});
  EXPECT_EQ(l.getFreeVariableMask("register"), 0u);
  EXPECT_EQ(l.getFreeVariableMask("lane"), 0b001u);
  EXPECT_EQ(l.getZeroBasesMask("lane"), 0u);
  EXPECT_EQ(l.getRank(), 3);
}

// On a non-injective layout the pseudo-inverse is a right inverse that
// picks the canonical place (free bits 0).
TEST(LinearLayoutTest, PseudoinverseOfBroadcast) {
  LinearLayout l = broadcastLayout();
  LinearLayout p = l.pseudoinvert();
  forEachInput(p, [&](uint64_t, const Coords &e) {
    Coords place = p.applyCoords(e);
    EXPECT_EQ(l.applyCoords(place), e);
    EXPECT_EQ(place[1] & l.getFreeVariableMask("lane"), 0);
  });
  // Into the broadcast layout from a layout that holds each element once.
  LinearLayout rowMajor = LinearLayout::identity1D(4, "offset", "dim1") *
                          LinearLayout::identity1D(16, "offset", "dim0");
  LinearLayout toRegisters =
      rowMajor.transposeOuts({"dim0", "dim1"}).invertAndCompose(l);
  forEachInput(toRegisters, [&](uint64_t, const Coords &x) {
    Coords place = toRegisters.applyCoords(x);
    EXPECT_EQ(l.applyCoords(place), (Coords{x[0] / 4, x[0] % 4}));
  });
}

//===----------------------------------------------------------------------===//
// Reshaping, sublayouts, equality, printing
//===----------------------------------------------------------------------===//

TEST(LinearLayoutTest, ReshapeAndTransposeOuts) {
  // A flat offset into a row-major 4x8 tile.
  LinearLayout flat = LinearLayout::identity1D(32, "offset", "dim0");
  LinearLayout rowMajor = flat.reshapeOuts({{"dim1", 8}, {"dim0", 4}});
  LinearLayout transposed = rowMajor.transposeOuts({"dim0", "dim1"});
  for (int32_t x = 0; x < 32; ++x) {
    EXPECT_EQ(rowMajor.applyCoords({x}), (Coords{x % 8, x / 8}));
    EXPECT_EQ(transposed.applyCoords({x}), (Coords{x / 8, x % 8}));
  }
  EXPECT_EQ(transposed.transposeOuts({"dim1", "dim0"}), rowMajor);
  EXPECT_EQ(rowMajor.flattenOuts(),
            LinearLayout::identity1D(32, "offset", "dim1"));
}

TEST(LinearLayoutTest, ReshapeAndTransposeIns) {
  LinearLayout l = blockedRowMajor();
  LinearLayout flat = l.flattenIns();
  EXPECT_EQ(flat.getInDimNames(), (SmallVector<StringRef>{"register"}));
  forEachInput(l, [&](uint64_t index, const Coords &x) {
    EXPECT_EQ(flat.applyCoords({int32_t(index)}), l.applyCoords(x));
  });
  EXPECT_EQ(flat.reshapeIns({{"register", 8}, {"lane", 32}, {"warp", 4}}), l);
  LinearLayout swapped = l.transposeIns({"warp", "lane", "register"});
  forEachInput(l, [&](uint64_t, const Coords &x) {
    EXPECT_EQ(swapped.applyCoords({x[2], x[1], x[0]}), l.applyCoords(x));
  });
}

TEST(LinearLayoutTest, Sublayout) {
  LinearLayout l = blockedRowMajor();
  LinearLayout lanes = l.sublayout({"lane"}, {"dim0", "dim1"});
  for (int32_t lane = 0; lane < 32; ++lane)
    EXPECT_EQ(lanes.applyCoords({lane}), l.applyCoords({0, lane, 0}));
  LinearLayout rows = l.sublayout({"register", "warp"}, {"dim0"});
  EXPECT_EQ(rows.getOutDimSize("dim0"), 32);
  EXPECT_FALSE(rows.isSurjective());
  for (int32_t r = 0; r < 8; ++r)
    for (int32_t w = 0; w < 4; ++w)
      EXPECT_EQ(rows.applyCoords({r, w}), Coords{16 * (r / 4) + 8 * (w / 2)});
}

TEST(LinearLayoutTest, EqualityAndToString) {
  EXPECT_EQ(blockedRowMajor(), blockedRowMajor());
  EXPECT_NE(blockedRowMajor(),
            blockedRowMajor().transposeOuts({"dim1", "dim0"}));
  EXPECT_NE(LinearLayout::identity1D(4, "i", "o"),
            LinearLayout::identity1D(4, "i", "o2"));
  std::string s = blockedRowMajor().toString();
  EXPECT_NE(s.find("[register:8, lane:32, warp:4] -> [dim0:32, dim1:32]"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("register: (0,1) (0,2) (16,0)"), std::string::npos) << s;
}

} // namespace
