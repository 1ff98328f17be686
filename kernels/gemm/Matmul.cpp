//===- Matmul.cpp - A dense matrix product in the DSL ---------------------===//
//
// The smallest GEMM to copy: each program loads a [block_m, block_k] tile of
// a and a [block_k, block_n] tile of b per K step, masked at the ragged
// edges, and accumulates their dot; the compiler puts the dot on the tensor
// cores (tile-accelerate-matmul, mma.sync). Row bases are 64-bit.
//
//===----------------------------------------------------------------------===//

#include "Matmul.h"

#include "tile/dsl/DSL.h"

#include "mlir/IR/Diagnostics.h"

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildMatmul(mlir::MLIRContext &ctx, const MatmulSpec &spec) {
  if (std::string error = matmulSpecError(spec); !error.empty()) {
    mlir::emitError(mlir::UnknownLoc::get(&ctx)) << "matmul: " << error;
    return mlir::failure();
  }
  const int BM = spec.blockM, BN = spec.blockN, BK = spec.blockK;
  DType ab = spec.operands == MatmulOperands::F16    ? DType::F16
             : spec.operands == MatmulOperands::BF16 ? DType::BF16
                                                     : DType::I8;
  DType acc = spec.acc == MatmulAcc::F32   ? DType::F32
              : spec.acc == MatmulAcc::F16 ? DType::F16
                                           : DType::I32;
  Precision precision = spec.precision == MatmulPrecision::IEEE ? Precision::IEEE
                        : spec.precision == MatmulPrecision::Native
                            ? Precision::Native
                            : Precision::F16Exact;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  options.numStages = unsigned(spec.numStages);
  // Auto (not a matmul parameter's value) is the top, as is the default.
  if (spec.copiesAt != CopiesAt::Top && spec.copiesAt != CopiesAt::Auto)
    options.pipelineCopiesAt = copiesAtName(spec.copiesAt);
  options.minProgramsPerSM = unsigned(spec.minProgramsPerSM);
  options.warpgroupMma = spec.mma == MmaKind::Warpgroup;
  KernelBuilder k(ctx, "matmul", options);
  Value a = k.pointer("a", ab), b = k.pointer("b", ab), c = k.pointer("c", acc);
  const unsigned div = unsigned(spec.divisibility);
  Value M = k.scalar("M", DType::I32), N = k.scalar("N", DType::I32, div),
        K = k.scalar("K", DType::I32, div);
  Value lda = k.scalar("lda", DType::I32, div),
        ldb = k.scalar("ldb", DType::I32, div),
        ldc = k.scalar("ldc", DType::I32, div);

  // A 1-D grid over c's tiles, row-major: program p computes tile
  // (p / tilesN, p % tilesN).
  Value tilesN = (N + (BN - 1)) / BN;
  Value pid = programId(0);
  Value rows = pid / tilesN * BM + range(0, BM); // [BM]
  Value cols = pid % tilesN * BN + range(0, BN); // [BN]
  Value rowsIn = expandDims(rows < M, 1);        // [BM, 1]
  Value colsIn = expandDims(cols < N, 0);        // [1, BN]
  // Row bases in 64 bits ([rows, 1] pointers); columns stay 32-bit.
  auto rowBase = [](Value ptr, Value rowIds, Value stride) {
    return ptr + expandDims(rowIds.to(DType::I64) * stride.to(DType::I64), 1);
  };
  Value aRows = rowBase(a, rows, lda);

  Value sum = forLoop(0, K, BK, {full({BM, BN}, 0, acc)},
                      [&](Value k0, std::vector<Value> carried) {
                        Value ks = range(0, BK) + k0; // [BK]
                        // Past the edges a and b read 0: they add nothing.
                        Value aTile = load(aRows + expandDims(ks, 0),
                                           rowsIn & expandDims(ks < K, 0), 0);
                        // b[k, n]: k * ldb + n, or n * ldb + k (nk).
                        Value bPtrs =
                            spec.bLayout == MatmulBLayout::KN
                                ? rowBase(b, ks, ldb) + expandDims(cols, 0)
                                : b + expandDims(cols.to(DType::I64) *
                                                     ldb.to(DType::I64),
                                                 0) +
                                      expandDims(ks, 1);
                        Value bTile = load(bPtrs,
                                           expandDims(ks < K, 1) & colsIn, 0);
                        return std::vector<Value>{
                            dot(aTile, bTile, carried[0], precision)};
                      })
                  .front();
  store(rowBase(c, rows, ldc) + expandDims(cols, 0), sum, rowsIn & colsIn);
  return k.finish();
}

} // namespace tile::kernels
