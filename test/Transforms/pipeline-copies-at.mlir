// Where tile-pipeline issues the copies of later tiles in the body: after
// the barrier and the reads (top, the default), after the first op holding a
// dot (after_first_dot), or before the yield (bottom); the module's
// tile.pipeline_copies_at chooses, the pass option copies-at overrides it.
// Every place follows the barrier; the wait, the reads and the prologue do not
// move.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=copies-at=after_first_dot | FileCheck %s --check-prefix=AFTER
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=copies-at=top | FileCheck %s --check-prefix=TOP
// RUN: not tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -tile-pipeline=copies-at=middle 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: tile-pipeline: copies-at must be top, after_first_dot or bottom, got 'middle'

// CHECK-LABEL: func.func @top_by_default
// CHECK: scf.for
// CHECK: tile.async_wait {pending = 1 : i32}
// CHECK-NEXT: tile.barrier
// CHECK-NEXT: tile.local_load
// CHECK-NEXT: tile.local_load
// CHECK: tile.async_copy
// CHECK: tile.async_copy
// CHECK-NEXT: tile.async_commit
// CHECK: tile.dot %
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: scf.yield
// AFTER-LABEL: func.func @top_by_default
// AFTER: scf.for
// AFTER: tile.async_wait {pending = 1 : i32}
// AFTER-NEXT: tile.barrier
// AFTER-NEXT: tile.local_load
// AFTER-NEXT: tile.local_load
// AFTER-NOT: tile.async_copy
// AFTER: tile.dot %
// AFTER: tile.async_copy
// AFTER: tile.async_copy
// AFTER-NEXT: tile.async_commit
// AFTER: arith.mulf
// AFTER-NEXT: scf.yield
module attributes {tile.num_warps = 4 : i32} {
func.func @top_by_default(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32 {tile.divisibility = 16 : i32}) {
  %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %rows = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %Kc = tile.splat %K : i32 -> tensor<64x1xi32>
  %arow = arith.muli %rows, %Kc : tensor<64x1xi32>
  %arow_b = tile.broadcast %arow : tensor<64x1xi32> -> tensor<64x32xi32>
  %kcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %kcol_b = tile.broadcast %kcol : tensor<1x32xi32> -> tensor<64x32xi32>
  %aoff = arith.addi %arow_b, %kcol_b : tensor<64x32xi32>
  %krow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c64t = arith.constant dense<64> : tensor<32x1xi32>
  %brow = arith.muli %krow, %c64t : tensor<32x1xi32>
  %brow_b = tile.broadcast %brow : tensor<32x1xi32> -> tensor<32x64xi32>
  %ncol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %ncol_b = tile.broadcast %ncol : tensor<1x64xi32> -> tensor<32x64xi32>
  %boff = arith.addi %brow_b, %ncol_b : tensor<32x64xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %aoff : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %pb2 = tile.addptr %pb, %boff : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c32 = arith.constant 32 : i32
  %half = arith.constant dense<0.5> : tensor<64x64xf32>
  %r = scf.for %k = %c0 to %K step %c32 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
    %ka = tile.splat %k : i32 -> tensor<64x32xi32>
    %pak = tile.addptr %pa2, %ka : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %x = tile.load %pak : tensor<64x32x!tile.ptr<f16>>
    %kb = arith.muli %k, %c32 : i32
    %kbt = tile.splat %kb : i32 -> tensor<32x64xi32>
    %pbk = tile.addptr %pb2, %kbt : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %y = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    %e = arith.mulf %d, %half : tensor<64x64xf32>
    scf.yield %e : tensor<64x64xf32>
  }
  %ro = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
  %oo = tile.reshape %ro : tensor<4096xi32> -> tensor<64x64xi32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %oo : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %po2, %r : tensor<64x64x!tile.ptr<f32>>
  return
}
}


// -----

// CHECK-LABEL: func.func @bottom_by_module
// CHECK: scf.for
// CHECK: tile.async_wait {pending = 1 : i32}
// CHECK-NEXT: tile.barrier
// CHECK-NEXT: tile.local_load
// CHECK-NEXT: tile.local_load
// CHECK-NOT: tile.async_copy
// CHECK: tile.dot %
// CHECK-NEXT: arith.mulf
// CHECK: tile.async_copy
// CHECK: tile.async_copy
// CHECK-NEXT: tile.async_commit
// CHECK-NEXT: scf.yield
// CHECK: tile.async_wait {pending = 0 : i32}
// The pass option overrides the module's choice.
// TOP-LABEL: func.func @bottom_by_module
// TOP: scf.for
// TOP: tile.async_commit
// TOP: tile.dot %
// TOP-NEXT: arith.mulf
// TOP-NEXT: scf.yield
module attributes {tile.num_warps = 4 : i32, tile.pipeline_copies_at = "bottom"} {
func.func @bottom_by_module(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %K: i32 {tile.divisibility = 16 : i32}) {
  %r64 = tile.make_range {end = 64 : i32, start = 0 : i32} : tensor<64xi32>
  %r32 = tile.make_range {end = 32 : i32, start = 0 : i32} : tensor<32xi32>
  %rows = tile.expand_dims %r64 {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
  %Kc = tile.splat %K : i32 -> tensor<64x1xi32>
  %arow = arith.muli %rows, %Kc : tensor<64x1xi32>
  %arow_b = tile.broadcast %arow : tensor<64x1xi32> -> tensor<64x32xi32>
  %kcol = tile.expand_dims %r32 {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  %kcol_b = tile.broadcast %kcol : tensor<1x32xi32> -> tensor<64x32xi32>
  %aoff = arith.addi %arow_b, %kcol_b : tensor<64x32xi32>
  %krow = tile.expand_dims %r32 {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c64t = arith.constant dense<64> : tensor<32x1xi32>
  %brow = arith.muli %krow, %c64t : tensor<32x1xi32>
  %brow_b = tile.broadcast %brow : tensor<32x1xi32> -> tensor<32x64xi32>
  %ncol = tile.expand_dims %r64 {axis = 0 : i32} : tensor<64xi32> -> tensor<1x64xi32>
  %ncol_b = tile.broadcast %ncol : tensor<1x64xi32> -> tensor<32x64xi32>
  %boff = arith.addi %brow_b, %ncol_b : tensor<32x64xi32>
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pa2 = tile.addptr %pa, %aoff : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %pb2 = tile.addptr %pb, %boff : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c32 = arith.constant 32 : i32
  %half = arith.constant dense<0.5> : tensor<64x64xf32>
  %r = scf.for %k = %c0 to %K step %c32 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
    %ka = tile.splat %k : i32 -> tensor<64x32xi32>
    %pak = tile.addptr %pa2, %ka : tensor<64x32x!tile.ptr<f16>>, tensor<64x32xi32>
    %x = tile.load %pak : tensor<64x32x!tile.ptr<f16>>
    %kb = arith.muli %k, %c32 : i32
    %kbt = tile.splat %kb : i32 -> tensor<32x64xi32>
    %pbk = tile.addptr %pb2, %kbt : tensor<32x64x!tile.ptr<f16>>, tensor<32x64xi32>
    %y = tile.load %pbk : tensor<32x64x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    %e = arith.mulf %d, %half : tensor<64x64xf32>
    scf.yield %e : tensor<64x64xf32>
  }
  %ro = tile.make_range {end = 4096 : i32, start = 0 : i32} : tensor<4096xi32>
  %oo = tile.reshape %ro : tensor<4096xi32> -> tensor<64x64xi32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  %po2 = tile.addptr %po, %oo : tensor<64x64x!tile.ptr<f32>>, tensor<64x64xi32>
  tile.store %po2, %r : tensor<64x64x!tile.ptr<f32>>
  return
}
}

