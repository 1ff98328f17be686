//===- MmaKind.h - which tensor-core instructions a GEMM uses ---*- C++ -*-===//
//
// The GEMM kernels' mma parameter. Plain C++: the specs, the GPU tests and
// the benchmarks include it without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_GEMM_MMAKIND_H
#define TILE_KERNELS_GEMM_MMAKIND_H

namespace tile::kernels {

/// mma.sync (sm_80 and later, every dot), or wgmma where the dot allows it
/// (KernelOptions::warpgroupMma, `tile.warpgroup_mma`: sm_90a; f16 or bf16
/// into f32 and int8 native into i32; both operands K-contiguous in rows of
/// 32, 64 or 128 bytes, staged by the pipelined K loop; block_m >= 64 and
/// num_warps a multiple of 4). Any other dot of the kernel stays on
/// mma.sync. Numerics do not change (`native` is exact either way).
enum class MmaKind { Sync, Warpgroup };

/// The parameter's word for `kind`: "sync" or "warpgroup".
inline const char *mmaKindName(MmaKind kind) {
  return kind == MmaKind::Sync ? "sync" : "warpgroup";
}

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_MMAKIND_H
