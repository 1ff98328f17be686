// A dot written with blocked layouts (as tile-opt takes them, without
// tile-assign-layouts) converts at its boundaries; a loop-carried
// accumulator then moves into the mma layout, converted once before and once
// after the loop (a constant init is folded into the mma layout).
// RUN: tile-opt %s -tile-accelerate-matmul | FileCheck %s

// CHECK-LABEL: func.func @carried
// CHECK: %[[INIT:.+]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
// CHECK: %[[ACC:.+]] = scf.for {{.*}} iter_args(%[[SUM:.+]] = %[[INIT]]) -> (tensor<64x64xf32, #tile.mma<{{.*}}>>)
// CHECK: %[[D:.+]] = tile.dot %{{.*}}, %{{.*}}, %[[SUM]]
// CHECK-NEXT: scf.yield %[[D]]
// CHECK: %[[OUT:.+]] = tile.convert_layout %[[ACC]] : tensor<64x64xf32, #tile.mma<{{.*}}>> -> tensor<64x64xf32, #blocked>
// CHECK: tile.store %{{.*}}, %[[OUT]]
#blocked = #tile.blocked<sizePerThread = [1, 4], threadsPerWarp = [4, 8], warpsPerCTA = [4, 1], order = [1, 0]>
module attributes {tile.num_warps = 4 : i32} {
func.func @carried(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>, #blocked>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>, #blocked>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32, #blocked>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%sum = %zero) -> (tensor<64x64xf32, #blocked>) : i32 {
    %x = tile.load %pa : tensor<64x32x!tile.ptr<f16>, #blocked>
    %y = tile.load %pb : tensor<32x64x!tile.ptr<f16>, #blocked>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16, #blocked> * tensor<32x64xf16, #blocked> -> tensor<64x64xf32, #blocked>
    scf.yield %d : tensor<64x64xf32, #blocked>
  }
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>, #blocked>
  tile.store %po, %r : tensor<64x64x!tile.ptr<f32>, #blocked>
  return
}
}
