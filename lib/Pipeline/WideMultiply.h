//===- WideMultiply.h - 32 x 32 -> 64-bit products as one mul.wide --------===//

#ifndef TILE_LIB_PIPELINE_WIDEMULTIPLY_H
#define TILE_LIB_PIPELINE_WIDEMULTIPLY_H

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::tile {

/// After LLVM's optimizations, before the NVPTX backend: each i64 multiply
/// outside loops of a `zext nneg` of a non-constant i32 value by a `sext` of
/// another (either order; both are the signed values widened) becomes one
/// `mul.wide.s32` (inline PTX), which the backend does not form for mixed
/// extensions (it makes a 64 x 64-bit `mul.lo.s64`). Returns how many it
/// replaced. WideMultiply.cpp says why.
unsigned formWideMultiplies(llvm::Module &module);

} // namespace mlir::tile

#endif // TILE_LIB_PIPELINE_WIDEMULTIPLY_H
