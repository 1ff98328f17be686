// The shared-memory allocation: the scratch space (conversions and
// reductions, all from byte 0) and each buffer ring, 128-byte aligned after
// the scratch used while the rings live; scratch used after the rings' last
// use shares their bytes. The kernel's tile.shared_bytes is the total.
// RUN: tile-opt %s -split-input-file -tile-test-shared-allocation -o /dev/null 2>&1 | FileCheck %s
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: shared allocation of @rings: scratch 16384 bytes
// CHECK-NEXT: buffer 0 at 16384: 3 x 4096 bytes (!tile.memdesc<3x64x32xf16
// CHECK-NEXT: buffer 1 at 28672: 2 x 2048 bytes (!tile.memdesc<2x32x32xi16
// CHECK-NEXT: total 32768 bytes
// LLVM-LABEL: llvm.func @rings
// LLVM-SAME: tile.shared_bytes = 32768 : i32
#blocked = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#other = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 4], order = [0, 1]>
#s1 = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
#s2 = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @rings(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %a = tile.local_alloc : !tile.memdesc<3x64x32xf16, #s1>
  %b = tile.local_alloc : !tile.memdesc<2x32x32xi16, #s2>
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #blocked>
  %v = tile.load %t : tensor<64x64x!tile.ptr<f32>, #blocked>
  // 64x64 f32: 16384 bytes of scratch.
  %c = tile.convert_layout %v : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #other>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #other>
  tile.store %u, %c : tensor<64x64x!tile.ptr<f32>, #other>
  // The rings are read after the conversion: it lives in their range.
  %zero = arith.constant 0 : i32
  %ra = tile.local_load %a[%zero] : !tile.memdesc<3x64x32xf16, #s1> -> tensor<64x32xf16, #blocked>
  %rb = tile.local_load %b[%zero] : !tile.memdesc<2x32x32xi16, #s2> -> tensor<32x32xi16, #blocked>
  return
}
}

// -----

// The conversion comes after the rings' last use (a loop's end): it reuses
// their bytes, and the total is the larger of the two.
// CHECK-LABEL: shared allocation of @reuse: scratch 16384 bytes
// CHECK-NEXT: buffer 0 at 0: 3 x 4096 bytes
// CHECK-NEXT: total 16384 bytes
// LLVM-LABEL: llvm.func @reuse
// LLVM-SAME: tile.shared_bytes = 16384 : i32
#blocked = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#other = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 4], order = [0, 1]>
#s1 = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @reuse(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %a = tile.local_alloc : !tile.memdesc<3x64x32xf16, #s1>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %ra = tile.local_load %a[%c0] : !tile.memdesc<3x64x32xf16, #s1> -> tensor<64x32xf16, #blocked>
  }
  tile.async_wait {pending = 0 : i32}
  tile.barrier
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #blocked>
  %v = tile.load %t : tensor<64x64x!tile.ptr<f32>, #blocked>
  %c = tile.convert_layout %v : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #other>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #other>
  tile.store %u, %c : tensor<64x64x!tile.ptr<f32>, #other>
  return
}
}

// -----

// 32 bytes of scratch: the ring starts at the next 128 bytes.
// CHECK-LABEL: shared allocation of @aligned: scratch 32 bytes
// CHECK-NEXT: buffer 0 at 128: 2 x 2048 bytes
// CHECK-NEXT: total 4224 bytes
// LLVM-LABEL: llvm.func @aligned
// LLVM-SAME: tile.shared_bytes = 4224 : i32
#a = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [1], order = [0]>
#b = #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [1], order = [0]>
#c = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [1, 1], order = [1, 0]>
#s = #tile.shared<vec = 8, perPhase = 1, maxPhase = 8, order = [1, 0]>
module attributes {tile.num_warps = 1 : i32} {
func.func @aligned(%p: !tile.ptr<i8> {tile.divisibility = 16 : i32}) {
  %r = tile.local_alloc : !tile.memdesc<2x32x32xi16, #s>
  %t = tile.splat %p : !tile.ptr<i8> -> tensor<32x!tile.ptr<i8>, #a>
  %v = tile.load %t : tensor<32x!tile.ptr<i8>, #a>
  %c = tile.convert_layout %v : tensor<32xi8, #a> -> tensor<32xi8, #b>
  %u = tile.splat %p : !tile.ptr<i8> -> tensor<32x!tile.ptr<i8>, #b>
  tile.store %u, %c : tensor<32x!tile.ptr<i8>, #b>
  %zero = arith.constant 0 : i32
  %l = tile.local_load %r[%zero] : !tile.memdesc<2x32x32xi16, #s> -> tensor<32x32xi16, #c>
  return
}
}

// -----

// A ring allocated inside a loop (a pipelined K loop inside a loop over
// quant groups) is live through the whole outer loop: a conversion after
// the inner loop, in the same iteration, gets bytes of its own, since the
// next iteration's first copies refill the ring while a warp may still be
// reading the conversion's scratch.
// CHECK-LABEL: shared allocation of @ring_in_loop: scratch 16384 bytes
// CHECK-NEXT: buffer 0 at 16384: 3 x 4096 bytes
// CHECK-NEXT: total 28672 bytes
#blocked = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#other = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [4, 8], warpsPerCTA = [1, 4], order = [0, 1]>
#s1 = #tile.shared<vec = 8, perPhase = 2, maxPhase = 4, order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @ring_in_loop(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %g = %c0 to %n step %c1 : i32 {
    %a = tile.local_alloc : !tile.memdesc<3x64x32xf16, #s1>
    scf.for %i = %c0 to %n step %c1 : i32 {
      %ra = tile.local_load %a[%c0] : !tile.memdesc<3x64x32xf16, #s1> -> tensor<64x32xf16, #blocked>
    }
    tile.async_wait {pending = 0 : i32}
    tile.barrier
    %t = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #blocked>
    %v = tile.load %t : tensor<64x64x!tile.ptr<f32>, #blocked>
    %c = tile.convert_layout %v : tensor<64x64xf32, #blocked> -> tensor<64x64xf32, #other>
    %u = tile.splat %p : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #other>
    tile.store %u, %c : tensor<64x64x!tile.ptr<f32>, #other>
  }
  return
}
}
