// Barriers by analysis (issue 9 item 5): the lowering puts a barrier before
// and after each use of the scratch space; convert-tile-to-llvm then removes
// the barriers that order nothing: one with no shared-memory access before it
// since the kernel began or since the previous barrier of its block.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s

// Two conversions through shared memory in a row: the first needs no barrier
// before its writes (nothing used shared memory before), the second does (the
// first's reads of the same bytes must be done), and each needs one between
// its writes and its reads: three barriers, not four.
// CHECK-LABEL: llvm.func @two_conversions
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
// CHECK-NOT: nvvm.barrier0
// CHECK: llvm.return
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @two_conversions(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  %v = tile.load %t : tensor<32x32x!tile.ptr<f32>, #rows>
  %c = tile.convert_layout %v : tensor<32x32xf32, #rows> -> tensor<32x32xf32, #cols>
  %d = tile.convert_layout %c : tensor<32x32xf32, #cols> -> tensor<32x32xf32, #rows>
  tile.store %t, %d : tensor<32x32x!tile.ptr<f32>, #rows>
  return
}
}

// -----

// In a loop the first conversion's barrier stays: the previous iteration's
// reads of the same bytes come before it.
// CHECK-LABEL: llvm.func @in_a_loop
// CHECK: scf.for
// CHECK: nvvm.barrier0
// CHECK: llvm.store {{.*}}!llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}}!llvm.ptr<3>
#rows = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [4, 1], threadsPerWarp = [8, 4], warpsPerCTA = [1, 4], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @in_a_loop(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  scf.for %i = %c0 to %n step %c1 : i32 {
    %v = tile.load %t : tensor<32x32x!tile.ptr<f32>, #rows>
    %c = tile.convert_layout %v : tensor<32x32xf32, #rows> -> tensor<32x32xf32, #cols>
    %u = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #cols>
    tile.store %u, %c : tensor<32x32x!tile.ptr<f32>, #cols>
  }
  return
}
}
