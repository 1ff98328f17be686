//===- GroupQuant.cpp - Per-token-group quantization in the DSL -----------===//
//
// One program quantizes `groupsPerProgram` consecutive groups of one row as a
// [groupsPerProgram, group] tile: each group's absmax is a reduction along the
// tile's rows (a warp-local butterfly once the compiler lays a group over
// consecutive lanes), the scale a vector of groupsPerProgram values.
//
//===----------------------------------------------------------------------===//

#include "GroupQuant.h"
#include "QuantTile.h"

#include "tile/dsl/DSL.h"

#include <algorithm>

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildGroupQuant(mlir::MLIRContext &ctx, const GroupQuantSpec &spec) {
  const int G = spec.group;
  const int gpp = groupQuantGroupsPerProgram(spec);
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = spec.ue8m0 || packed;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "group_quant", options);
  Value x = k.pointer("x", dtypeOf(spec.in));
  Value q = k.pointer("q", spec.out == OutType::FP8 ? DType::F8E4M3 : DType::I8);
  Value s = k.pointer("scales", packed ? DType::I8 : DType::F32);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, /*divisibility=*/G);
  Value strideX = k.scalar("stride_x", DType::I32, spec.strideDivisibility);
  Value strideQ = k.scalar("stride_q", DType::I32, spec.strideDivisibility);
  Value strideSM = k.scalar("scale_stride_m", DType::I32);
  Value strideSG = k.scalar("scale_stride_g", DType::I32);

  // Which row, and which block of groups in it. The grid covers the scale
  // layout's rows (align(M, 4) with TMA padding): rows past M write only
  // their padding scales.
  Value groups = K / G;
  GroupBlock program = groupBlock(groups, gpp, packed);
  Value row = program.row, g = program.g; // g: [gpp] group indices
  // Only the TMA-aligned layouts have rows past M (no mask work otherwise).
  Value live = scaleRows(spec.scales, 1) != 1 ? row < M : Value();

  Value inRow = g < groups;
  Value cols = expandDims(g * G, 1) + expandDims(range(0, G), 0); // [gpp, G]
  Value mask = live ? expandDims(inRow, 1) & live : expandDims(inRow, 1);

  // Row bases in 64 bits, offsets inside the row in 32.
  Value xs = load(x + rowOffset(row, strideX) + cols, mask, 0.0)
                 .to(DType::F32);
  QuantizedRows rows =
      quantizeRows(xs, spec.out, ue8m0, spec.eps, spec.int8Rounding);
  store(q + rowOffset(row, strideQ) + cols, rows.q, mask);
  storeScales(s + rowOffset(row, strideSM), g, groups, strideSG, rows, packed,
              live);
  return k.finish();
}

} // namespace tile::kernels
