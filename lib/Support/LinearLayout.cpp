//===- LinearLayout.cpp - Layouts as linear maps over GF(2) ---------------===//
//
// Every question about the map (rank, free variables, inverses) is answered on
// its flat form: one 64-bit column per input bit, holding the flat output that
// bit maps to. The only algorithm is Gaussian elimination over GF(2), kept
// incremental (EchelonBasis) so that "free" means "dependent on the bits
// before it", the order the hardware predicates want.
//
//===----------------------------------------------------------------------===//

#include "tile/Support/LinearLayout.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVectorExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <array>

using namespace mlir::tile;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

constexpr int kMaxBits = 63;

/// A subspace of GF(2)^64 in row-echelon form, built one vector at a time.
/// Each stored vector remembers which inputs XOR to it (`pre`), so reducing a
/// target also finds a preimage of it.
class EchelonBasis {
public:
  /// Reduces `v` by the stored vectors, highest leading bit first; returns the
  /// residual (0 iff `v` is in the span) and XORs the preimages used into
  /// `*pre`. The map v -> (*pre, residual) is linear.
  uint64_t reduce(uint64_t v, uint64_t *pre) const {
    for (int b = 63; b >= 0 && v; --b) {
      if (!((v >> b) & 1) || !vec[b])
        continue;
      v ^= vec[b];
      *pre ^= preimage[b];
    }
    return v;
  }

  /// Adds `v`, the image of input combination `pre`; false when `v` is
  /// already in the span (nothing is added).
  bool insert(uint64_t v, uint64_t pre) {
    v = reduce(v, &pre);
    if (!v)
      return false;
    int lead = 63 - llvm::countl_zero(v);
    vec[lead] = v;
    preimage[lead] = pre;
    return true;
  }

private:
  std::array<uint64_t, 64> vec{};      // vec[b]: leading bit b, or 0
  std::array<uint64_t, 64> preimage{}; // inputs whose images XOR to vec[b]
};

/// Merges two ordered name lists keeping both orders (the first list's order
/// wins between names only one of them has); nullopt when the common names
/// appear in different orders.
std::optional<SmallVector<std::string>> mergeOrdered(ArrayRef<StringRef> a,
                                                     ArrayRef<StringRef> b) {
  auto contains = [](ArrayRef<StringRef> list, StringRef name) {
    return llvm::is_contained(list, name);
  };
  SmallVector<std::string> merged;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      merged.push_back(a[i].str());
      ++i, ++j;
    } else if (!contains(b, a[i])) {
      merged.push_back(a[i++].str());
    } else if (!contains(a, b[j])) {
      merged.push_back(b[j++].str());
    } else {
      return std::nullopt;
    }
  }
  for (; i < a.size(); ++i)
    merged.push_back(a[i].str());
  for (; j < b.size(); ++j)
    merged.push_back(b[j].str());
  return merged;
}

std::string joinNames(ArrayRef<StringRef> names) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(names, os, ", ");
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// Construction
//===----------------------------------------------------------------------===//

std::optional<LinearLayout> LinearLayout::tryCreate(BasesList bases,
                                                    DimSizes outDims,
                                                    bool requireSurjective,
                                                    std::string *error) {
  auto reject = [&](const llvm::Twine &why) -> std::optional<LinearLayout> {
    if (error)
      *error = why.str();
    return std::nullopt;
  };
  LinearLayout layout;
  llvm::StringSet<> seen;
  int outBits = 0;
  for (auto [name, size] : outDims) {
    if (!seen.insert(name).second)
      return reject("output dimension '" + name + "' is named twice");
    if (size <= 0 || !llvm::isPowerOf2_32(size))
      return reject("output dimension '" + name + "' has size " +
                    llvm::Twine(size) + ", not a power of two");
    layout.outs.push_back({name.str(), int(llvm::Log2_32(size))});
    outBits += llvm::Log2_32(size);
  }
  seen.clear();
  int inBits = 0;
  for (const auto &[name, dimBases] : bases) {
    if (!seen.insert(name).second)
      return reject("input dimension '" + name + "' is named twice");
    InDim in{name.str(), {}};
    for (const auto &basis : dimBases) {
      if (basis.size() != outDims.size())
        return reject("a basis of input dimension '" + name + "' has " +
                      llvm::Twine(basis.size()) + " coordinates for " +
                      llvm::Twine(outDims.size()) + " output dimensions");
      for (auto [k, c] : llvm::enumerate(basis))
        if (c < 0 || c >= outDims[k].second)
          return reject("a basis of input dimension '" + name +
                        "' has coordinate " + llvm::Twine(c) +
                        " outside output dimension '" + outDims[k].first +
                        "' of size " + llvm::Twine(outDims[k].second));
      in.bases.emplace_back(basis.begin(), basis.end());
    }
    inBits += in.bases.size();
    layout.ins.push_back(std::move(in));
  }
  if (inBits > kMaxBits || outBits > kMaxBits)
    return reject("a linear layout holds at most 2^63 inputs and outputs");
  if (requireSurjective && !layout.isSurjective())
    return reject("the layout is not surjective:\n" + layout.toString());
  return layout;
}

LinearLayout LinearLayout::fromBases(BasesList bases, DimSizes outDims,
                                     bool requireSurjective) {
  std::string error;
  if (auto layout = tryCreate(bases, outDims, requireSurjective, &error))
    return *layout;
  llvm::report_fatal_error(llvm::Twine("LinearLayout: ") + error);
}

LinearLayout LinearLayout::fromBases(BasesList bases,
                                     ArrayRef<StringRef> outDimNames) {
  SmallVector<int32_t> sizes(outDimNames.size(), 1);
  for (const auto &entry : bases)
    for (const auto &basis : entry.second)
      for (size_t k = 0; k < basis.size() && k < sizes.size(); ++k)
        if (basis[k] >= sizes[k])
          sizes[k] = int32_t(llvm::NextPowerOf2(uint32_t(basis[k])));
  SmallVector<std::pair<StringRef, int32_t>> outDims;
  for (auto [name, size] : llvm::zip_equal(outDimNames, sizes))
    outDims.push_back({name, size});
  return fromBases(bases, outDims, /*requireSurjective=*/true);
}

LinearLayout LinearLayout::identity1D(int32_t size, StringRef inDim,
                                      StringRef outDim) {
  if (size <= 0 || !llvm::isPowerOf2_32(size))
    llvm::report_fatal_error("LinearLayout::identity1D: size " +
                             llvm::Twine(size) + " is not a power of two");
  std::vector<std::vector<int32_t>> bases;
  for (int32_t i = 1; i < size; i *= 2)
    bases.push_back({i});
  return fromBases({{inDim, bases}}, {{outDim, size}},
                   /*requireSurjective=*/true);
}

LinearLayout LinearLayout::zeros1D(int32_t size, StringRef inDim,
                                   StringRef outDim, int32_t outDimSize) {
  if (size <= 0 || !llvm::isPowerOf2_32(size))
    llvm::report_fatal_error("LinearLayout::zeros1D: size " +
                             llvm::Twine(size) + " is not a power of two");
  std::vector<std::vector<int32_t>> bases;
  for (int32_t i = 1; i < size; i *= 2)
    bases.push_back({0});
  return fromBases({{inDim, bases}}, {{outDim, outDimSize}},
                   /*requireSurjective=*/false);
}

//===----------------------------------------------------------------------===//
// Dimensions
//===----------------------------------------------------------------------===//

void LinearLayout::fail(const llvm::Twine &why) const {
  llvm::report_fatal_error("LinearLayout: " + why + "\nlayout: " + toString());
}

int LinearLayout::findIn(StringRef name) const {
  for (auto [i, in] : llvm::enumerate(ins))
    if (in.name == name)
      return i;
  return -1;
}

int LinearLayout::findOut(StringRef name) const {
  for (auto [i, out] : llvm::enumerate(outs))
    if (out.name == name)
      return i;
  return -1;
}

int LinearLayout::getInDimIndex(StringRef name) const {
  int i = findIn(name);
  if (i < 0)
    fail("no input dimension '" + name + "'");
  return i;
}

int LinearLayout::getOutDimIndex(StringRef name) const {
  int i = findOut(name);
  if (i < 0)
    fail("no output dimension '" + name + "'");
  return i;
}

SmallVector<StringRef> LinearLayout::getInDimNames() const {
  return llvm::map_to_vector(ins,
                             [](const InDim &d) { return StringRef(d.name); });
}

SmallVector<StringRef> LinearLayout::getOutDimNames() const {
  return llvm::map_to_vector(outs,
                             [](const OutDim &d) { return StringRef(d.name); });
}

int LinearLayout::getInDimSizeLog2(StringRef name) const {
  return ins[getInDimIndex(name)].bases.size();
}

int LinearLayout::getOutDimSizeLog2(StringRef name) const {
  return outs[getOutDimIndex(name)].sizeLog2;
}

int LinearLayout::getTotalInDimSizeLog2() const {
  int bits = 0;
  for (const InDim &in : ins)
    bits += in.bases.size();
  return bits;
}

int LinearLayout::getTotalOutDimSizeLog2() const {
  int bits = 0;
  for (const OutDim &out : outs)
    bits += out.sizeLog2;
  return bits;
}

ArrayRef<int32_t> LinearLayout::getBasis(StringRef inDim, int pos) const {
  const InDim &in = ins[getInDimIndex(inDim)];
  if (pos < 0 || size_t(pos) >= in.bases.size())
    fail("input dimension '" + inDim + "' has no bit " + llvm::Twine(pos));
  return in.bases[pos];
}

//===----------------------------------------------------------------------===//
// Flat form and evaluation
//===----------------------------------------------------------------------===//

uint64_t LinearLayout::packOut(ArrayRef<int32_t> coords) const {
  uint64_t flat = 0;
  int shift = 0;
  for (auto [c, out] : llvm::zip_equal(coords, outs)) {
    flat |= uint64_t(c) << shift;
    shift += out.sizeLog2;
  }
  return flat;
}

SmallVector<int32_t, 4> LinearLayout::unpackOut(uint64_t flat) const {
  SmallVector<int32_t, 4> coords;
  for (const OutDim &out : outs) {
    coords.push_back(int32_t(flat & ((uint64_t(1) << out.sizeLog2) - 1)));
    flat >>= out.sizeLog2;
  }
  return coords;
}

SmallVector<uint64_t, 64> LinearLayout::flatColumns() const {
  SmallVector<uint64_t, 64> columns;
  for (const InDim &in : ins)
    for (const auto &basis : in.bases)
      columns.push_back(packOut(basis));
  return columns;
}

uint64_t LinearLayout::applyFlat(uint64_t in) const {
  int bits = getTotalInDimSizeLog2();
  if (bits < 64 && (in >> bits) != 0)
    fail("flat input " + llvm::Twine(in) + " is out of range");
  uint64_t out = 0;
  for (auto [i, column] : llvm::enumerate(flatColumns()))
    if ((in >> i) & 1)
      out ^= column;
  return out;
}

SmallVector<int32_t> LinearLayout::applyCoords(ArrayRef<int32_t> coords) const {
  if (coords.size() != ins.size())
    fail("applyCoords got " + llvm::Twine(coords.size()) + " coordinates");
  SmallVector<int32_t> result(outs.size(), 0);
  for (auto [c, in] : llvm::zip_equal(coords, ins)) {
    if (c < 0 || int64_t(c) >= (int64_t(1) << in.bases.size()))
      fail("coordinate " + llvm::Twine(c) + " is outside input dimension '" +
           in.name + "'");
    for (auto [bit, basis] : llvm::enumerate(in.bases))
      if ((c >> bit) & 1)
        for (auto [r, b] : llvm::zip_equal(result, basis))
          r ^= b;
  }
  return result;
}

LinearLayout::NamedCoords
LinearLayout::apply(ArrayRef<std::pair<StringRef, int32_t>> named) const {
  if (named.size() != ins.size())
    fail("apply got " + llvm::Twine(named.size()) + " coordinates for " +
         llvm::Twine(ins.size()) + " input dimensions");
  SmallVector<int32_t> coords(ins.size(), -1);
  for (auto [name, c] : named) {
    int i = getInDimIndex(name);
    if (coords[i] != -1)
      fail("apply got input dimension '" + name + "' twice");
    coords[i] = c;
  }
  NamedCoords result;
  for (auto [out, c] : llvm::zip_equal(outs, applyCoords(coords)))
    result.push_back({out.name, c});
  return result;
}

//===----------------------------------------------------------------------===//
// Rank, broadcast, copies
//===----------------------------------------------------------------------===//

int LinearLayout::getRank() const {
  EchelonBasis basis;
  int rank = 0;
  for (uint64_t column : flatColumns())
    rank += basis.insert(column, 0);
  return rank;
}

uint64_t LinearLayout::flatFreeMask() const {
  EchelonBasis basis;
  uint64_t free = 0;
  for (auto [i, column] : llvm::enumerate(flatColumns()))
    if (!basis.insert(column, 0))
      free |= uint64_t(1) << i;
  return free;
}

uint64_t LinearLayout::getFreeVariableMask(StringRef inDim) const {
  int index = getInDimIndex(inDim);
  int shift = 0;
  for (int i = 0; i < index; ++i)
    shift += ins[i].bases.size();
  int bits = ins[index].bases.size();
  return (flatFreeMask() >> shift) & ((uint64_t(1) << bits) - 1);
}

uint64_t LinearLayout::getZeroBasesMask(StringRef inDim) const {
  uint64_t mask = 0;
  for (auto [bit, basis] : llvm::enumerate(ins[getInDimIndex(inDim)].bases))
    if (llvm::all_of(basis, [](int32_t c) { return c == 0; }))
      mask |= uint64_t(1) << bit;
  return mask;
}

//===----------------------------------------------------------------------===//
// Combination
//===----------------------------------------------------------------------===//

namespace mlir::tile {

LinearLayout operator*(const LinearLayout &inner, const LinearLayout &outer) {
  auto inNames = mergeOrdered(inner.getInDimNames(), outer.getInDimNames());
  auto outNames = mergeOrdered(inner.getOutDimNames(), outer.getOutDimNames());
  if (!inNames || !outNames)
    llvm::report_fatal_error(llvm::Twine(
        "LinearLayout: operator* needs the common dimensions in the same "
        "order:\n" +
        inner.toString() + "\n" + outer.toString()));

  LinearLayout result;
  for (const std::string &name : *outNames) {
    int a = inner.findOut(name), b = outer.findOut(name);
    result.outs.push_back({name, (a >= 0 ? inner.outs[a].sizeLog2 : 0) +
                                     (b >= 0 ? outer.outs[b].sizeLog2 : 0)});
  }
  // Re-expresses a basis of `from` in the result's outputs; `outer`'s
  // coordinates go above `inner`'s on a shared output.
  auto lift = [&](const LinearLayout &from, ArrayRef<int32_t> basis,
                  bool isOuter) {
    SmallVector<int32_t, 4> lifted;
    for (const std::string &name : *outNames) {
      int k = from.findOut(name);
      int32_t c = k >= 0 ? basis[k] : 0;
      int shift = 0;
      if (isOuter && inner.findOut(name) >= 0)
        shift = inner.outs[inner.findOut(name)].sizeLog2;
      lifted.push_back(c << shift);
    }
    return lifted;
  };
  for (const std::string &name : *inNames) {
    LinearLayout::InDim in{name, {}};
    if (int a = inner.findIn(name); a >= 0)
      for (const auto &basis : inner.ins[a].bases)
        in.bases.push_back(lift(inner, basis, false));
    if (int b = outer.findIn(name); b >= 0)
      for (const auto &basis : outer.ins[b].bases)
        in.bases.push_back(lift(outer, basis, true));
    result.ins.push_back(std::move(in));
  }
  if (result.getTotalInDimSizeLog2() > kMaxBits ||
      result.getTotalOutDimSizeLog2() > kMaxBits)
    result.fail("operator* made more than 63 bits");
  return result;
}

bool operator==(const LinearLayout &a, const LinearLayout &b) {
  if (a.ins.size() != b.ins.size() || a.outs.size() != b.outs.size())
    return false;
  for (auto [x, y] : llvm::zip_equal(a.outs, b.outs))
    if (x.name != y.name || x.sizeLog2 != y.sizeLog2)
      return false;
  for (auto [x, y] : llvm::zip_equal(a.ins, b.ins))
    if (x.name != y.name || x.bases != y.bases)
      return false;
  return true;
}

} // namespace mlir::tile

LinearLayout LinearLayout::compose(const LinearLayout &outer) const {
  llvm::StringSet<> mine, theirs;
  for (const OutDim &out : outs)
    mine.insert(out.name);
  for (StringRef name : outer.getInDimNames())
    theirs.insert(name);
  bool sameNames = mine.size() == theirs.size() &&
                   llvm::all_of(mine.keys(), [&](StringRef n) {
                     return theirs.contains(n);
                   });
  if (!sameNames)
    fail("compose: the outputs [" + joinNames(getOutDimNames()) +
         "] are not the inputs [" + joinNames(outer.getInDimNames()) +
         "] of\n" + outer.toString());
  for (const OutDim &out : outs)
    if (out.sizeLog2 > outer.getInDimSizeLog2(out.name))
      fail("compose: output '" + out.name + "' is larger than the input of\n" +
           outer.toString());

  LinearLayout result;
  result.outs = outer.outs;
  for (const InDim &in : ins) {
    InDim mapped{in.name, {}};
    for (const auto &basis : in.bases) {
      SmallVector<int32_t> coords(outer.ins.size(), 0);
      for (auto [out, c] : llvm::zip_equal(outs, basis))
        coords[outer.getInDimIndex(out.name)] = c;
      auto image = outer.applyCoords(coords);
      mapped.bases.emplace_back(image.begin(), image.end());
    }
    result.ins.push_back(std::move(mapped));
  }
  return result;
}

LinearLayout LinearLayout::pseudoinvert() const {
  EchelonBasis basis;
  for (auto [i, column] : llvm::enumerate(flatColumns()))
    basis.insert(column, uint64_t(1) << i);

  // The inverse's inputs are our outputs and its outputs our inputs; a flat
  // preimage splits into our input coordinates.
  LinearLayout result;
  for (const InDim &in : ins)
    result.outs.push_back({in.name, int(in.bases.size())});
  uint64_t outBit = 0;
  for (const OutDim &out : outs) {
    InDim inv{out.name, {}};
    for (int bit = 0; bit < out.sizeLog2; ++bit, ++outBit) {
      uint64_t pre = 0;
      basis.reduce(uint64_t(1) << outBit, &pre);
      SmallVector<int32_t, 4> coords;
      for (const InDim &in : ins) {
        coords.push_back(int32_t(pre & ((uint64_t(1) << in.bases.size()) - 1)));
        pre >>= in.bases.size();
      }
      inv.bases.push_back(std::move(coords));
    }
    result.ins.push_back(std::move(inv));
  }
  return result;
}

LinearLayout LinearLayout::invert() const {
  if (!isInvertible())
    fail("invert: the layout is not a bijection (rank " +
         llvm::Twine(getRank()) + ", " + llvm::Twine(getTotalInDimSizeLog2()) +
         " input bits, " + llvm::Twine(getTotalOutDimSizeLog2()) +
         " output bits)");
  return pseudoinvert();
}

LinearLayout LinearLayout::invertAndCompose(const LinearLayout &outer) const {
  // Our outputs in `outer`'s order and sizes, then through its right inverse.
  if (outs.size() != outer.outs.size())
    fail("invertAndCompose: the outputs differ from those of\n" +
         outer.toString());
  for (const OutDim &out : outer.outs) {
    int k = findOut(out.name);
    if (k < 0 || outs[k].sizeLog2 > out.sizeLog2)
      fail("invertAndCompose: output '" + out.name +
           "' is missing or larger than in\n" + outer.toString());
  }
  LinearLayout widened = transposeOuts(outer.getOutDimNames());
  widened.outs = outer.outs;

  LinearLayout result = widened.compose(outer.pseudoinvert());
  // The pseudo-inverse is exact only on outer's image.
  for (auto [mine, mapped] : llvm::zip_equal(widened.ins, result.ins))
    for (auto [bit, wanted, place] :
         llvm::enumerate(mine.bases, mapped.bases)) {
      if (ArrayRef<int32_t>(outer.applyCoords(place)) !=
          ArrayRef<int32_t>(wanted))
        fail("invertAndCompose: the element at input '" + mine.name + "' = 2^" +
             llvm::Twine(bit) + " is not held by\n" + outer.toString());
    }
  return result;
}

//===----------------------------------------------------------------------===//
// Reshaping
//===----------------------------------------------------------------------===//

LinearLayout LinearLayout::transposeIns(ArrayRef<StringRef> newOrder) const {
  if (newOrder.size() != ins.size())
    fail("transposeIns: [" + joinNames(newOrder) + "] is not a permutation");
  LinearLayout result;
  result.outs = outs;
  for (StringRef name : newOrder) {
    if (result.findIn(name) >= 0)
      fail("transposeIns: '" + name + "' is named twice");
    result.ins.push_back(ins[getInDimIndex(name)]);
  }
  return result;
}

LinearLayout LinearLayout::transposeOuts(ArrayRef<StringRef> newOrder) const {
  if (newOrder.size() != outs.size())
    fail("transposeOuts: [" + joinNames(newOrder) + "] is not a permutation");
  SmallVector<int> from;
  LinearLayout result;
  for (StringRef name : newOrder) {
    if (result.findOut(name) >= 0)
      fail("transposeOuts: '" + name + "' is named twice");
    from.push_back(getOutDimIndex(name));
    result.outs.push_back(outs[from.back()]);
  }
  for (const InDim &in : ins) {
    InDim moved{in.name, {}};
    for (const auto &basis : in.bases) {
      SmallVector<int32_t, 4> reordered;
      for (int k : from)
        reordered.push_back(basis[k]);
      moved.bases.push_back(std::move(reordered));
    }
    result.ins.push_back(std::move(moved));
  }
  return result;
}

LinearLayout LinearLayout::reshapeIns(DimSizes newDims) const {
  SmallVector<uint64_t, 64> columns = flatColumns();
  LinearLayout result;
  result.outs = outs;
  size_t next = 0;
  for (auto [name, size] : newDims) {
    if (size <= 0 || !llvm::isPowerOf2_32(size) || result.findIn(name) >= 0)
      fail("reshapeIns: bad dimension '" + name + "' of size " +
           llvm::Twine(size));
    InDim in{name.str(), {}};
    for (unsigned bit = 0; bit < llvm::Log2_32(size); ++bit, ++next)
      if (next < columns.size())
        in.bases.push_back(unpackOut(columns[next]));
    result.ins.push_back(std::move(in));
  }
  if (next != columns.size())
    fail("reshapeIns: the new sizes hold 2^" + llvm::Twine(next) +
         " inputs, not 2^" + llvm::Twine(columns.size()));
  return result;
}

LinearLayout LinearLayout::reshapeOuts(DimSizes newDims) const {
  LinearLayout result;
  int bits = 0;
  for (auto [name, size] : newDims) {
    if (size <= 0 || !llvm::isPowerOf2_32(size) || result.findOut(name) >= 0)
      fail("reshapeOuts: bad dimension '" + name + "' of size " +
           llvm::Twine(size));
    result.outs.push_back({name.str(), int(llvm::Log2_32(size))});
    bits += llvm::Log2_32(size);
  }
  if (bits != getTotalOutDimSizeLog2())
    fail("reshapeOuts: the new sizes hold 2^" + llvm::Twine(bits) +
         " outputs, not 2^" + llvm::Twine(getTotalOutDimSizeLog2()));
  for (const InDim &in : ins) {
    InDim moved{in.name, {}};
    for (const auto &basis : in.bases)
      moved.bases.push_back(result.unpackOut(packOut(basis)));
    result.ins.push_back(std::move(moved));
  }
  return result;
}

LinearLayout LinearLayout::flattenIns() const {
  if (ins.empty())
    return *this;
  std::pair<StringRef, int32_t> dim{ins.front().name,
                                    int32_t(getTotalInDimSize())};
  return reshapeIns(dim);
}

LinearLayout LinearLayout::flattenOuts() const {
  if (outs.empty())
    return *this;
  std::pair<StringRef, int32_t> dim{outs.front().name,
                                    int32_t(getTotalOutDimSize())};
  return reshapeOuts(dim);
}

LinearLayout LinearLayout::sublayout(ArrayRef<StringRef> inDims,
                                     ArrayRef<StringRef> outDims) const {
  for (StringRef name : inDims)
    getInDimIndex(name);
  for (StringRef name : outDims)
    getOutDimIndex(name);
  LinearLayout result;
  SmallVector<int> kept;
  for (auto [k, out] : llvm::enumerate(outs))
    if (llvm::is_contained(outDims, out.name)) {
      kept.push_back(k);
      result.outs.push_back(out);
    }
  for (const InDim &in : ins) {
    if (!llvm::is_contained(inDims, in.name))
      continue;
    InDim sub{in.name, {}};
    for (const auto &basis : in.bases) {
      SmallVector<int32_t, 4> coords;
      for (int k : kept)
        coords.push_back(basis[k]);
      sub.bases.push_back(std::move(coords));
    }
    result.ins.push_back(std::move(sub));
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

std::string LinearLayout::toString() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(ins, os, [&](const InDim &in) {
    os << in.name << ":" << (uint64_t(1) << in.bases.size());
  });
  os << "] -> [";
  llvm::interleaveComma(outs, os, [&](const OutDim &out) {
    os << out.name << ":" << (uint64_t(1) << out.sizeLog2);
  });
  os << "]";
  for (const InDim &in : ins) {
    os << "\n  " << in.name << ":";
    for (const auto &basis : in.bases) {
      os << " (";
      llvm::interleave(basis, os, ",");
      os << ")";
    }
  }
  return s;
}

std::ostream &mlir::tile::operator<<(std::ostream &os,
                                     const LinearLayout &layout) {
  return os << layout.toString();
}

llvm::raw_ostream &mlir::tile::operator<<(llvm::raw_ostream &os,
                                          const LinearLayout &layout) {
  return os << layout.toString();
}
