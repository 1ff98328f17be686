//===- HeaderWriter.h - The C++ header tile-compile emits -------*- C++ -*-===//

#ifndef TILE_TOOLS_TILE_COMPILE_HEADERWRITER_H
#define TILE_TOOLS_TILE_COMPILE_HEADERWRITER_H

#include "tile/Pipeline/Pipeline.h"

#include "llvm/Support/raw_ostream.h"

namespace tile::compile {

/// Writes a header that embeds `image` (a cubin or NUL-terminated PTX) and, for each kernel, a
/// typed launch function over tile::rt: `namespace tile::aot::<ns>`.
void writeHeader(llvm::raw_ostream &os, llvm::StringRef ns,
                 llvm::StringRef source, llvm::StringRef target,
                 llvm::StringRef image,
                 const std::vector<mlir::tile::KernelInfo> &kernels,
                 llvm::StringRef imageKind = "cubin");

} // namespace tile::compile

#endif // TILE_TOOLS_TILE_COMPILE_HEADERWRITER_H
