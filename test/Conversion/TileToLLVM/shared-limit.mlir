// A kernel whose shared memory is more than one program may have on its GPU
// (227 KiB on sm_90, 163 KiB on sm_80, 99 KiB on sm_86 and sm_89) is
// refused when it is built, naming what it needs and the limit, rather than
// by the driver at its first launch. A 4-stage ring of 128x128 f16 tiles
// (128 KiB) fits sm_90a and sm_80, not sm_86; 8 stages (256 KiB) fit none.
// RUN: not tile-opt %s -split-input-file -convert-tile-to-llvm=target=sm_90a 2>&1 | FileCheck %s --check-prefix=SM90
// RUN: not tile-opt %s -split-input-file -convert-tile-to-llvm=target=sm_80 2>&1 | FileCheck %s --check-prefix=SM80
// RUN: not tile-opt %s -split-input-file -convert-tile-to-llvm=target=sm_86 2>&1 | FileCheck %s --check-prefix=SM86
// SM90: llvm.func @four_stages
// SM90-SAME: tile.shared_bytes = 131072 : i32
// SM90: error: kernel 'eight_stages' needs 262144 bytes of shared memory, more than the 232448 a program may have on sm_90a (1 ring of buffers, the first of 8 stages, and 0 bytes of scratch); fewer pipeline stages (num_stages) or smaller tiles would fit
// SM80: llvm.func @four_stages
// SM80-SAME: tile.shared_bytes = 131072 : i32
// SM80: error: kernel 'eight_stages' needs 262144 bytes of shared memory, more than the 166912 a program may have on sm_80
// SM86: error: kernel 'four_stages' needs 131072 bytes of shared memory, more than the 101376 a program may have on sm_86
#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#s1 = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @four_stages(%p: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %a = tile.local_alloc : !tile.memdesc<4x128x128xf16, #s1>
  %zero = arith.constant 0 : i32
  %r = tile.local_load %a[%zero] : !tile.memdesc<4x128x128xf16, #s1> -> tensor<128x128xf16, #blocked>
  %t = tile.splat %p : !tile.ptr<f16> -> tensor<128x128x!tile.ptr<f16>, #blocked>
  tile.store %t, %r : tensor<128x128x!tile.ptr<f16>, #blocked>
  return
}
}

// -----

#blocked = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#s1 = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @eight_stages(%p: !tile.ptr<f16> {tile.divisibility = 16 : i32}) {
  %a = tile.local_alloc : !tile.memdesc<8x128x128xf16, #s1>
  %zero = arith.constant 0 : i32
  %r = tile.local_load %a[%zero] : !tile.memdesc<8x128x128xf16, #s1> -> tensor<128x128xf16, #blocked>
  %t = tile.splat %p : !tile.ptr<f16> -> tensor<128x128x!tile.ptr<f16>, #blocked>
  tile.store %t, %r : tensor<128x128x!tile.ptr<f16>, #blocked>
  return
}
}
