// A convert_layout between layouts that give every thread the same elements
// (here: the same lanes, the registers in another order) renames registers:
// no shared memory, no barrier, and no scratch in the allocation.
// RUN: tile-opt %s -split-input-file -convert-tile-to-llvm | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-test-shared-allocation -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALLOC

// CHECK-LABEL: llvm.func @register_order
// CHECK-NOT: nvvm.barrier0
// CHECK-NOT: !llvm.ptr<3>
// CHECK: llvm.return
// ALLOC-LABEL: shared allocation of @register_order: scratch 0 bytes
#rows = #tile.blocked<sizePerThread = [2, 2], threadsPerWarp = [1, 32], warpsPerCTA = [1, 1], order = [1, 0]>
#cols = #tile.blocked<sizePerThread = [2, 2], threadsPerWarp = [1, 32], warpsPerCTA = [1, 1], order = [0, 1]>
module attributes {tile.num_warps = 1 : i32} {
func.func @register_order(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<2x64x!tile.ptr<f32>, #rows>
  %v = tile.load %t : tensor<2x64x!tile.ptr<f32>, #rows>
  %c = tile.convert_layout %v : tensor<2x64xf32, #rows> -> tensor<2x64xf32, #cols>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<2x64x!tile.ptr<f32>, #cols>
  tile.store %u, %c : tensor<2x64x!tile.ptr<f32>, #cols>
  return
}
}

// -----

// Where the lanes hold other elements, the conversion goes through shared
// memory, between barriers.
// CHECK-LABEL: llvm.func @other_lanes
// CHECK: nvvm.barrier0
// CHECK: llvm.store {{.*}} : f32, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// ALLOC-LABEL: shared allocation of @other_lanes: scratch 512 bytes
#rows = #tile.blocked<sizePerThread = [2, 2], threadsPerWarp = [1, 32], warpsPerCTA = [1, 1], order = [1, 0]>
#other = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [2, 16], warpsPerCTA = [1, 1], order = [1, 0]>
module attributes {tile.num_warps = 1 : i32} {
func.func @other_lanes(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<2x64x!tile.ptr<f32>, #rows>
  %v = tile.load %t : tensor<2x64x!tile.ptr<f32>, #rows>
  %c = tile.convert_layout %v : tensor<2x64xf32, #rows> -> tensor<2x64xf32, #other>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<2x64x!tile.ptr<f32>, #other>
  tile.store %u, %c : tensor<2x64x!tile.ptr<f32>, #other>
  return
}
}
