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

  // One [R, width] tile of columns [first, first + width) of row block b.
  struct Part {
    int first, width;
  };
  std::vector<Part> parts{{0, BK}};
  if (spec.tailK > 0)
    parts.push_back({BK, spec.tailK});
  auto rowsOf = [&](Value block) { return block * R + range(0, R); };
  auto colsOf = [](const Part &p) { return range(0, p.width) + p.first; };
  auto maskOf = [&](Value rows, Value cols) {
    return expandDims(rows < M, 1) & expandDims(cols < K, 0);
  };
  // The raw tiles of a row block (all masked off past the last row).
  auto load_ = [&](Value block) {
    std::vector<Value> raw;
    Value rows = rowsOf(block);
    for (const Part &p : parts) {
      Value cols = colsOf(p);
      Value offsets = expandDims(rows * strideX, 1) + expandDims(cols, 0);
      raw.push_back(load(x + offsets, maskOf(rows, cols), 0.0, Cache::None,
                         Evict::First));
    }
    return raw;
  };
  auto quantize = [&](Value block, const std::vector<Value> &raw) {
    Value rows = rowsOf(block);
    std::vector<Value> xs;
    for (Value r : raw)
      xs.push_back(r.to(DType::F32));
    Value absmax = max(abs(xs[0]), 1);
    for (size_t i = 1; i < xs.size(); ++i)
      absmax = maximum(absmax, max(abs(xs[i]), 1));
    QuantizedRows scales = rowScales(absmax, spec.out, spec.ue8m0, spec.eps);
    for (size_t i = 0; i < parts.size(); ++i) {
      Value cols = colsOf(parts[i]);
      Value codes = quantizeWith(xs[i], scales, spec.out, spec.int8Rounding);
      Value qOffsets = expandDims(rows * strideQ, 1) + expandDims(cols, 0);
      store(q + qOffsets, codes, maskOf(rows, cols), Cache::None, Evict::First);
    }
    store(s + rows * strideS, scales.scale, rows < M);
  };

  Value pid = programId(0);
  if (!spec.persistent) {
    quantize(pid, load_(pid));
    return k.finish();
  }
  // Software-pipelined: the loads of the next block are in flight while
  // this one is reduced and stored.
  Value programs = numPrograms(0);
  Value blocks = (M + (R - 1)) / R;
  forLoop(pid, blocks, programs, load_(pid),
          [&](Value block, std::vector<Value> raw) {
            std::vector<Value> next = load_(block + programs);
            quantize(block, raw);
            return next;
          });
  return k.finish();
}

} // namespace tile::kernels
