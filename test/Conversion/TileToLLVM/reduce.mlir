// tile.reduce: in-thread, then a shfl.sync.bfly butterfly over the lanes
// along the axis, then across warps through shared memory.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// 512 f32 over 4 warps of 32 lanes, 4 per thread: 3 in-thread combines,
// 5 butterfly steps (xor 1 .. 16), one exchange of 4 partials.
// CHECK-LABEL: llvm.func @sum
// CHECK-SAME: tile.shared_bytes = 16 : i32
// CHECK-COUNT-3: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: nvvm.shfl.sync bfly %{{.*}}, %{{.*}}, %[[C1:.+]], %{{.*}} : i32 -> i32
// CHECK: nvvm.shfl.sync bfly
// CHECK: nvvm.shfl.sync bfly
// CHECK: nvvm.shfl.sync bfly
// CHECK: nvvm.shfl.sync bfly
// CHECK-NOT: nvvm.shfl.sync
// CHECK-NOT: nvvm.barrier0
// CHECK: scf.if
// CHECK: llvm.store %{{.*}}, %{{.*}} : f32, !llvm.ptr<3>
// CHECK: nvvm.barrier0
// CHECK-COUNT-4: llvm.load %{{.*}} : !llvm.ptr<3> -> f32
func.func @sum(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %out: !tile.ptr<f32>) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %sum = tile.reduce %x axis = 0 : (tensor<512xf32>) -> f32 {
  ^bb0(%u: f32, %v: f32):
    %w = arith.addf %u, %v : f32
    tile.reduce.return %w : f32
  }
  tile.store %out, %sum : !tile.ptr<f32>
  return
}

// -----

// Rows of 16 f32: each thread holds 4 contiguous elements and 4 lanes span a
// row, so the butterfly covers those 4 lanes only (xor 1, 2) and no warp
// exchange is needed.
// CHECK-LABEL: llvm.func @short_rows
// CHECK-SAME: tile.shared_bytes = 0 : i32
// CHECK-COUNT-2: nvvm.shfl.sync bfly
// CHECK-NOT: nvvm.shfl.sync
// CHECK-NOT: nvvm.barrier0
func.func @short_rows(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %c = tile.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
  %r2 = tile.expand_dims %r {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c2 = tile.expand_dims %c {axis = 0 : i32} : tensor<16xi32> -> tensor<1x16xi32>
  %sixteen = arith.constant dense<16> : tensor<32x1xi32>
  %ro = arith.muli %r2, %sixteen : tensor<32x1xi32>
  %rb = tile.broadcast %ro : tensor<32x1xi32> -> tensor<32x16xi32>
  %cb = tile.broadcast %c2 : tensor<1x16xi32> -> tensor<32x16xi32>
  %o = arith.addi %rb, %cb : tensor<32x16xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<32x16x!tile.ptr<f32>>
  %a = tile.addptr %s, %o : tensor<32x16x!tile.ptr<f32>>, tensor<32x16xi32>
  %x = tile.load %a : tensor<32x16x!tile.ptr<f32>>
  %m = tile.reduce %x axis = 1 : (tensor<32x16xf32>) -> tensor<32xf32> {
  ^bb0(%u: f32, %v: f32):
    %w = arith.maxnumf %u, %v : f32
    tile.reduce.return %w : f32
  }
  %m2 = tile.expand_dims %m {axis = 1 : i32} : tensor<32xf32> -> tensor<32x1xf32>
  %mb = tile.broadcast %m2 : tensor<32x1xf32> -> tensor<32x16xf32>
  tile.store %a, %mb : tensor<32x16x!tile.ptr<f32>>
  return
}
