//===- TokenQuant.cpp - Per-token quantization in the DSL -----------------===//
//
// A [rowsPerProgram, blockK] tile (and, with tailK, a [rowsPerProgram, tailK]
// tile of the columns after it) holds whole rows; the absmax is a reduction
// along them, and the quantization reuses the registers: each byte of x is
// read once.
//
//===----------------------------------------------------------------------===//

#include "TokenQuant.h"
#include "QuantTile.h"

#include <vector>

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildTokenQuant(mlir::MLIRContext &ctx, const TokenQuantSpec &spec) {
  const int R = spec.rowsPerProgram, BK = spec.blockK;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "token_quant", options);
  Value x = k.pointer("x", dtypeOf(spec.in));
  Value q = k.pointer("q", spec.out == OutType::FP8 ? DType::F8E4M3 : DType::I8);
  Value s = k.pointer("scales", DType::F32, 4);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, spec.kDivisibility);
  Value strideX = k.scalar("stride_x", DType::I32, spec.kDivisibility);
  Value strideQ = k.scalar("stride_q", DType::I32, spec.kDivisibility);
  Value strideS = k.scalar("scale_stride", DType::I32);

  Value rows = programId(0) * R + range(0, R); // [R]
  Value liveRows = rows < M;
  // One [R, width] tile of the rows' columns [first, first + width).
  struct Part {
    Value cols, mask, xs;
  };
  auto part = [&](int first, int width) {
    Part p;
    p.cols = range(0, width) + first;
    p.mask = expandDims(liveRows, 1) & expandDims(p.cols < K, 0);
    Value offsets = expandDims(rows * strideX, 1) + expandDims(p.cols, 0);
    p.xs = load(x + offsets, p.mask, 0.0, Cache::None, Evict::First).to(DType::F32);
    return p;
  };
  std::vector<Part> parts{part(0, BK)};
  if (spec.tailK > 0)
    parts.push_back(part(BK, spec.tailK));
  Value absmax = max(abs(parts[0].xs), 1);
  for (size_t i = 1; i < parts.size(); ++i)
    absmax = maximum(absmax, max(abs(parts[i].xs), 1));
  QuantizedRows scales = rowScales(absmax, spec.out, spec.ue8m0, spec.eps);
  for (const Part &p : parts) {
    Value codes = quantizeWith(p.xs, scales, spec.out, spec.int8Rounding);
    Value qOffsets = expandDims(rows * strideQ, 1) + expandDims(p.cols, 0);
    store(q + qOffsets, codes, p.mask, Cache::None, Evict::First);
  }
  store(s + rows * strideS, scales.scale, liveRows);
  return k.finish();
}

} // namespace tile::kernels
