// scf.for and scf.if carrying tiles: each carried tile becomes the thread's
// scalars (one loop-carried value per element).
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// 512 f32 over 128 threads: the loop carries the thread's 4 accumulators.
// CHECK-LABEL: llvm.func @accumulate
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f32, f32, f32, f32)  : i32 {
// CHECK: ld.global.nc.v4.b32
// CHECK-COUNT-4: arith.addf
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : f32, f32, f32, f32
// CHECK: st.global.v4.b32
func.func @accumulate(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %zero = arith.constant dense<0.0> : tensor<512xf32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %acc = scf.for %i = %c0 to %n step %c1 iter_args(%sum = %zero) -> (tensor<512xf32>) : i32 {
    %x = tile.load %a : tensor<512x!tile.ptr<f32>>
    %next = arith.addf %sum, %x : tensor<512xf32>
    scf.yield %next : tensor<512xf32>
  }
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  tile.store %b, %acc : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// A tile chosen by a scalar condition.
// CHECK-LABEL: llvm.func @choose
// CHECK: scf.if %{{.*}} -> (f32, f32, f32, f32) {
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : f32, f32, f32, f32
// CHECK: } else {
func.func @choose(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %c: i1) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %y = scf.if %c -> (tensor<512xf32>) {
    %d = arith.addf %x, %x : tensor<512xf32>
    scf.yield %d : tensor<512xf32>
  } else {
    scf.yield %x : tensor<512xf32>
  }
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  return
}
