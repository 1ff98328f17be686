// convert_layout without shared memory where the layouts allow: between
// layouts that give every thread the same elements (the same lanes, the
// registers in another order) it renames registers; between layouts that
// give every warp the same elements it shuffles within warps. Neither needs
// a barrier or scratch in the allocation; anything else goes through shared
// memory.
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
// memory, with a barrier between the writes and the reads (the one before
// the writes orders nothing in a kernel that used no shared memory before
// and is removed), in a swizzled layout written in the source's
// vectors (2 floats a thread's row) and read in the destination's (4).
// CHECK-LABEL: llvm.func @other_lanes
// CHECK-NOT: nvvm.barrier0
// CHECK-COUNT-2: llvm.store {{.*}} {alignment = 8 : i64} : vector<2xf32>, !llvm.ptr<3>
// CHECK-NOT: llvm.store
// CHECK: nvvm.barrier0
// CHECK: llvm.load {{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> vector<4xf32>
// CHECK-NOT: llvm.load
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

// -----

// Layouts that agree on what each warp holds, with the lanes in another
// order: one shfl.sync.idx per register, from the lane that holds its
// element; no shared memory, no barrier.
// CHECK-LABEL: llvm.func @lanes_permuted
// CHECK-NOT: nvvm.barrier0
// CHECK-COUNT-8: nvvm.shfl.sync idx
// CHECK-NOT: nvvm.shfl.sync
// CHECK-NOT: !llvm.ptr<3>
// CHECK: llvm.return
// ALLOC-LABEL: shared allocation of @lanes_permuted: scratch 0 bytes
#rows_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#cols_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @lanes_permuted(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows_first>
  %v = tile.load %t : tensor<32x32x!tile.ptr<f32>, #rows_first>
  %c = tile.convert_layout %v : tensor<32x32xf32, #rows_first> -> tensor<32x32xf32, #cols_first>
  %u = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #cols_first>
  tile.store %u, %c : tensor<32x32x!tile.ptr<f32>, #cols_first>
  return
}
}

// -----

// Pointer tiles shuffle too, as 64-bit addresses (two shuffles each); the
// shared-memory path cannot move pointers.
// CHECK-LABEL: llvm.func @pointer_lanes
// CHECK-NOT: nvvm.barrier0
// CHECK-COUNT-16: nvvm.shfl.sync idx
// CHECK-NOT: nvvm.shfl.sync
// CHECK: llvm.return
// ALLOC-LABEL: shared allocation of @pointer_lanes: scratch 0 bytes
#rows_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [1, 0]>
#cols_first = #tile.blocked<sizePerThread = [1, 8], threadsPerWarp = [8, 4], warpsPerCTA = [4, 1], order = [0, 1]>
module attributes {tile.num_warps = 4 : i32} {
func.func @pointer_lanes(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %t = tile.splat %p : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>, #rows_first>
  %c = tile.convert_layout %t : tensor<32x32x!tile.ptr<f32>, #rows_first> -> tensor<32x32x!tile.ptr<f32>, #cols_first>
  %v = tile.load %c : tensor<32x32x!tile.ptr<f32>, #cols_first>
  tile.store %c, %v : tensor<32x32x!tile.ptr<f32>, #cols_first>
  return
}
}
