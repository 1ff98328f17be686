//===- SiluMulQuant.cpp - Fused SiLU-and-mul + group quant in the DSL -----===//
//
// Like group_quant, one program covers groupsPerProgram groups of one row,
// reading the gate and up halves of those columns, so y never touches memory.
//
//===----------------------------------------------------------------------===//

#include "SiluMulQuant.h"
#include "QuantTile.h"

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildSiluMulQuant(mlir::MLIRContext &ctx, const SiluMulQuantSpec &spec) {
  const int G = spec.group;
  const int gpp = siluMulQuantGroupsPerProgram(spec);
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "silu_mul_quant", options);
  Value x = k.pointer("x", DType::BF16);
  Value q = k.pointer("q", spec.out == OutType::FP8 ? DType::F8E4M3 : DType::I8);
  Value s = k.pointer("scales", packed ? DType::I8 : DType::F32);
  Value maskedM, T, rows;
  if (spec.masked) {
    maskedM = k.pointer("masked_m", DType::I32, 4);
    T = k.scalar("T", DType::I32);
  } else {
    rows = k.scalar("M", DType::I32);
  }
  Value H = k.scalar("H", DType::I32, /*divisibility=*/G);
  Value strideX = k.scalar("stride_x", DType::I32, spec.strideDivisibility);
  Value strideQ = k.scalar("stride_q", DType::I32, spec.strideDivisibility);
  Value strideSE = spec.masked ? k.scalar("scale_stride_e", DType::I32) : Value();
  Value strideSM = k.scalar(spec.masked ? "scale_stride_t" : "scale_stride_m",
                            DType::I32);
  Value strideSG = k.scalar("scale_stride_g", DType::I32);

  Value groups = H / G;
  GroupBlock program = groupBlock(groups, gpp, packed);
  Value row = program.row;
  Value g = program.g;
  const bool tmaPadded = scaleRows(spec.scales, 1) != 1;

  // The row of x, whether it has data, and its scales' row. The grid covers
  // every scale row the layout allocates (KERNELS.md: every slot is
  // written): TMA padding rows, and in the masked form the rows past
  // masked_m[e], get the padding scale.
  Value xRow, live, dead, scaleBase;
  if (spec.masked) {
    Value rowsPerExpert = tmaPadded ? (T + 3) / 4 * 4 : T;
    Value e = row / rowsPerExpert, t = row % rowsPerExpert;
    Value count = load(maskedM + e);
    Value limit = where(count < T, count, T); // masked_m clamped to T
    live = t < limit;
    dead = t >= limit;
    xRow = e * T + t;
    scaleBase = s + rowOffset(e, strideSE) + rowOffset(t, strideSM);
  } else {
    xRow = row;
    live = row < rows;
    scaleBase = s + rowOffset(row, strideSM);
  }
  auto quantizeRow = [&](Value rowLive) {
    Value inRow = g < groups;
    Value cols = expandDims(g * G, 1) + expandDims(range(0, G), 0);
    Value mask = expandDims(inRow, 1);
    if (rowLive)
      mask = mask & rowLive;

    // Row bases in 64 bits, offsets inside the row in 32.
    Value base = x + rowOffset(xRow, strideX);
    Value gateCols = spec.upFirst ? cols + H : cols;
    Value upCols = spec.upFirst ? cols : cols + H;
    Value gate = load(base + gateCols, mask, 0.0)
                     .to(DType::F32);
    Value up = load(base + upCols, mask, 0.0)
                   .to(DType::F32);
    Value y;
    if (spec.fp32Intermediate) {
      y = silu(gate) * up;
    } else {
      // What the unfused silu_and_mul + group quant compute in PyTorch.
      Value sb = silu(gate).to(DType::BF16).to(DType::F32);
      y = (sb * up).to(DType::BF16).to(DType::F32);
    }
    QuantizedRows quantized = quantizeRows(y, spec.out, spec.ue8m0 || packed,
                                           spec.eps, spec.int8Rounding);
    store(q + rowOffset(xRow, strideQ) + cols, quantized.q, mask);
    storeScales(scaleBase, g, groups, strideSG, quantized, packed, rowLive);
  };
  if (spec.masked) {
    // Masked-off rows are skipped entirely but for their scale slots.
    ifThen(live, [&] { quantizeRow(Value()); });
    ifThen(dead, [&] { storePaddingScales(scaleBase, g, groups, strideSG, packed); });
  } else {
    // Only the TMA-aligned layouts have rows past M (no mask work otherwise).
    quantizeRow(tmaPadded ? live : Value());
  }
  return k.finish();
}

} // namespace tile::kernels
