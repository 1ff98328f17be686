//===- AxisInfo.cpp - Contiguity, divisibility and constancy of tiles -----===//

#include "tile/Analysis/AxisInfo.h"
#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace mlir;
using namespace mlir::tile;

static unsigned rankOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getRank();
  return 1;
}

static ArrayRef<int64_t> shapeOf(Type type) {
  static const int64_t one = 1;
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getShape();
  return ArrayRef<int64_t>(one);
}

static int64_t gcd(int64_t a, int64_t b) { return std::gcd(a, b); }

AxisInfo AxisInfo::unknown(unsigned rank) {
  rank = std::max(rank, 1u);
  AxisInfo info;
  info.contiguity.assign(rank, 1);
  info.divisibility.assign(rank, 1);
  info.constancy.assign(rank, 1);
  return info;
}

bool AxisInfo::operator==(const AxisInfo &other) const {
  return contiguity == other.contiguity &&
         divisibility == other.divisibility && constancy == other.constancy;
}

int64_t AxisInfoAnalysis::highestPowerOfTwoDivisor(int64_t value) {
  if (value == 0)
    return AxisInfo::kMaxDivisibility;
  int64_t d = value & -value;
  return std::min<int64_t>(d < 0 ? -d : d, AxisInfo::kMaxDivisibility);
}

/// A value with every element equal to `divisibility`-divisible constants.
static AxisInfo constantInfo(Type type, int64_t divisibility) {
  AxisInfo info = AxisInfo::unknown(rankOf(type));
  ArrayRef<int64_t> shape = shapeOf(type);
  for (unsigned d = 0; d < info.getRank(); ++d) {
    info.divisibility[d] = divisibility;
    info.constancy[d] = shape[d];
  }
  return info;
}

/// The constant value every element of `value` has, if known.
static std::optional<int64_t> constantValue(Value value) {
  APInt v;
  if (matchPattern(value, m_ConstantInt(&v)))
    return v.getSExtValue();
  return std::nullopt;
}

AxisInfoAnalysis::AxisInfoAnalysis(Operation *root) {
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    // Seed kernel arguments from `tile.divisibility`.
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (func.isExternal())
        return;
      for (BlockArgument arg : func.getArguments()) {
        AxisInfo info = AxisInfo::unknown(rankOf(arg.getType()));
        if (auto div = func.getArgAttrOfType<IntegerAttr>(
                arg.getArgNumber(), TileDialect::kDivisibilityAttrName))
          info.divisibility[0] = div.getInt();
        infos[arg] = info;
      }
      return;
    }
    // An scf.for induction variable lb + i * step is divisible by what
    // divides both lb and step (a K loop's offsets stay aligned).
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      auto divisor = [&](Value v) {
        if (std::optional<int64_t> c = constantValue(v))
          return highestPowerOfTwoDivisor(*c);
        return get(v).divisibility[0];
      };
      AxisInfo info = AxisInfo::unknown(1);
      info.divisibility[0] =
          gcd(divisor(loop.getLowerBound()), divisor(loop.getStep()));
      infos[loop.getInductionVar()] = info;
    }
    visit(op);
  });
}

AxisInfo AxisInfoAnalysis::get(Value value) const {
  auto it = infos.find(value);
  if (it != infos.end())
    return it->second;
  return AxisInfo::unknown(rankOf(value.getType()));
}

/// Facts of a + b (or of ptr + offset, with the offset's divisibility already
/// scaled to bytes).
static AxisInfo addInfo(const AxisInfo &a, const AxisInfo &b) {
  AxisInfo info = AxisInfo::unknown(a.getRank());
  for (unsigned d = 0; d < a.getRank(); ++d) {
    info.contiguity[d] = std::max(gcd(a.contiguity[d], b.constancy[d]),
                                  gcd(a.constancy[d], b.contiguity[d]));
    info.divisibility[d] = gcd(a.divisibility[d], b.divisibility[d]);
    info.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
  }
  return info;
}


void AxisInfoAnalysis::visit(Operation *op) {
  if (op->getNumResults() != 1)
    return;
  Value result = op->getResult(0);
  Type type = result.getType();
  unsigned rank = rankOf(type);
  auto in = [&](unsigned i) { return get(op->getOperand(i)); };

  std::optional<AxisInfo> info =
      llvm::TypeSwitch<Operation *, std::optional<AxisInfo>>(op)
          .Case([&](arith::ConstantOp c) -> std::optional<AxisInfo> {
            if (auto v = constantValue(c))
              return constantInfo(type, highestPowerOfTwoDivisor(*v));
            return std::nullopt;
          })
          .Case([&](MakeRangeOp range) {
            AxisInfo a = AxisInfo::unknown(1);
            a.contiguity[0] = range.getType().getDimSize(0);
            a.divisibility[0] =
                highestPowerOfTwoDivisor(range.getStartAttr().getInt());
            return a;
          })
          .Case([&](SplatOp) {
            return constantInfo(type, in(0).divisibility[0]);
          })
          .Case([&](BroadcastOp b) {
            AxisInfo src = in(0), a = src;
            auto srcShape = b.getSrc().getType().getShape();
            for (unsigned d = 0; d < rank; ++d)
              if (srcShape[d] == 1 && shapeOf(type)[d] != 1) {
                a.contiguity[d] = 1;
                a.constancy[d] = shapeOf(type)[d];
              }
            return a;
          })
          .Case([&](ExpandDimsOp e) {
            AxisInfo a = in(0);
            int64_t axis = e.getAxisAttr().getInt();
            a.contiguity.insert(a.contiguity.begin() + axis, 1);
            a.divisibility.insert(a.divisibility.begin() + axis,
                                  a.divisibility[0]);
            a.constancy.insert(a.constancy.begin() + axis, 1);
            return a;
          })
          .Case([&](ConvertLayoutOp) { return in(0); })
          .Case([&](AddPtrOp p) {
            AxisInfo offset = in(1);
            auto pointee = cast<PtrType>(getElementTypeOrSelf(p.getType()))
                               .getPointeeType();
            int64_t bytes = std::max<int64_t>(
                1, pointee.getIntOrFloatBitWidth() / 8);
            for (int64_t &d : offset.divisibility)
              d = std::min(d * bytes, AxisInfo::kMaxDivisibility);
            return addInfo(in(0), offset);
          })
          .Case([&](arith::AddIOp) { return addInfo(in(0), in(1)); })
          .Case([&](arith::SubIOp) {
            AxisInfo a = in(0), b = in(1), r = AxisInfo::unknown(rank);
            for (unsigned d = 0; d < rank; ++d) {
              r.contiguity[d] = gcd(a.contiguity[d], b.constancy[d]);
              r.divisibility[d] = gcd(a.divisibility[d], b.divisibility[d]);
              r.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
            }
            return r;
          })
          .Case([&](arith::MulIOp) {
            AxisInfo a = in(0), b = in(1), r = AxisInfo::unknown(rank);
            std::optional<int64_t> ca = constantValue(op->getOperand(0));
            std::optional<int64_t> cb = constantValue(op->getOperand(1));
            for (unsigned d = 0; d < rank; ++d) {
              r.contiguity[d] = cb == 1 ? a.contiguity[d]
                                : ca == 1 ? b.contiguity[d]
                                          : 1;
              r.divisibility[d] = std::min(a.divisibility[d] * b.divisibility[d],
                                           AxisInfo::kMaxDivisibility);
              r.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
            }
            return r;
          })
          .Case<arith::DivSIOp, arith::DivUIOp>([&](Operation *) {
            AxisInfo a = in(0), b = in(1), r = AxisInfo::unknown(rank);
            std::optional<int64_t> c = constantValue(op->getOperand(1));
            for (unsigned d = 0; d < rank; ++d) {
              r.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
              if (c && *c > 0 && highestPowerOfTwoDivisor(*c) == *c &&
                  a.divisibility[d] % *c == 0) {
                // Runs of c consecutive values starting at multiples of c
                // divide to one value.
                r.constancy[d] =
                    std::max(r.constancy[d], gcd(a.contiguity[d], *c));
                r.divisibility[d] = std::max<int64_t>(1, a.divisibility[d] / *c);
              }
            }
            return r;
          })
          .Case<arith::RemSIOp, arith::RemUIOp>([&](Operation *) {
            AxisInfo a = in(0), r = AxisInfo::unknown(rank);
            std::optional<int64_t> c = constantValue(op->getOperand(1));
            if (!c || *c <= 0 || highestPowerOfTwoDivisor(*c) != *c)
              return r;
            for (unsigned d = 0; d < rank; ++d) {
              r.contiguity[d] = gcd(a.contiguity[d], *c);
              r.divisibility[d] = gcd(a.divisibility[d], *c);
              r.constancy[d] = a.constancy[d];
            }
            return r;
          })
          .Case([&](arith::CmpIOp cmp) {
            AxisInfo a = in(0), b = in(1), r = AxisInfo::unknown(rank);
            auto pred = cmp.getPredicate();
            // `a < b` with a in aligned runs and b constant on them flips only
            // at run boundaries.
            bool threshold = pred == arith::CmpIPredicate::slt ||
                             pred == arith::CmpIPredicate::sge ||
                             pred == arith::CmpIPredicate::ult ||
                             pred == arith::CmpIPredicate::uge;
            for (unsigned d = 0; d < rank; ++d) {
              r.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
              if (threshold) {
                int64_t run = gcd(a.contiguity[d],
                                  gcd(a.divisibility[d], b.divisibility[d]));
                if (b.constancy[d] % run == 0)
                  r.constancy[d] = std::max(r.constancy[d], run);
              }
            }
            return r;
          })
          .Case<arith::AndIOp, arith::OrIOp, arith::XOrIOp>([&](Operation *) {
            AxisInfo a = in(0), b = in(1), r = AxisInfo::unknown(rank);
            for (unsigned d = 0; d < rank; ++d)
              r.constancy[d] = gcd(a.constancy[d], b.constancy[d]);
            return r;
          })
          .Case<arith::ExtSIOp, arith::ExtUIOp, arith::IndexCastOp>(
              [&](Operation *) { return in(0); })
          .Default([&](Operation *) { return std::nullopt; });
  if (info && info->getRank() == rank)
    infos[result] = *info;
}
