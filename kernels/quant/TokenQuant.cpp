//===- TokenQuant.cpp - Per-token quantization in the DSL -----------------===//
//
// A [rowsPerProgram, blockK] tile holds whole rows; the absmax is a reduction
// along them, and the quantization reuses the registers: each byte of x is
// read once.
//
//===----------------------------------------------------------------------===//

#include "TokenQuant.h"
#include "QuantTile.h"

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
  Value cols = range(0, BK);                    // [BK]
  Value liveRows = rows < M;
  Value mask = expandDims(liveRows, 1) & expandDims(cols < K, 0);
  Value offsets = expandDims(rows * strideX, 1) + expandDims(cols, 0);
  Value xs = load(x + offsets, mask, 0.0, Cache::None, Evict::First)
                 .to(DType::F32);
  QuantizedRows quantized =
      quantizeRows(xs, spec.out, spec.ue8m0, spec.eps, spec.int8Rounding);
  Value qOffsets = expandDims(rows * strideQ, 1) + expandDims(cols, 0);
  store(q + qOffsets, quantized.q, mask, Cache::None, Evict::First);
  store(s + rows * strideS, quantized.scale, liveRows);
  return k.finish();
}

} // namespace tile::kernels
