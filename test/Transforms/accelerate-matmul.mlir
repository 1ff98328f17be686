// tile-assign-layouts gives the accumulator of each dot mma.sync can compute
// its #tile.mma layout (and so the loop that carries it and the store that
// takes it); tile-accelerate-matmul gives the operands #tile.dot_operand
// layouts, converted from their loads' blocked ones.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul | FileCheck %s

// 64x64 on 4 warps: 2 along M and 2 along N; f16 operands take kWidth 2.
// CHECK-LABEL: func.func @loop_f16
// CHECK: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : tensor<64x64xf32, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
// CHECK: %[[ACC:.+]] = scf.for {{.*}} iter_args(%[[SUM:.+]] = %[[ZERO]]) -> (tensor<64x64xf32, #tile.mma<{{.*}}>>)
// CHECK-DAG: %[[A:.+]] = tile.convert_layout %{{.*}} -> tensor<64x32xf16, #tile.dot_operand<opIdx = 0, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 2>>
// CHECK-DAG: %[[B:.+]] = tile.convert_layout %{{.*}} -> tensor<32x64xf16, #tile.dot_operand<opIdx = 1, parent = #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>, kWidth = 2>>
// CHECK: %[[D:.+]] = tile.dot %[[A]], %[[B]], %[[SUM]]
// CHECK-NEXT: scf.yield %[[D]]
// CHECK-NOT: tile.convert_layout
// CHECK: tile.store %{{.*}}, %[[ACC]] {{.*}} : tensor<64x64x!tile.ptr<f32>, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
module attributes {tile.num_warps = 4 : i32} {
func.func @loop_f16(%a: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %b: !tile.ptr<f16> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %n: i32) {
  %pa = tile.splat %a : !tile.ptr<f16> -> tensor<64x32x!tile.ptr<f16>>
  %pb = tile.splat %b : !tile.ptr<f16> -> tensor<32x64x!tile.ptr<f16>>
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%sum = %zero) -> (tensor<64x64xf32>) : i32 {
    %x = tile.load %pa : tensor<64x32x!tile.ptr<f16>>
    %y = tile.load %pb : tensor<32x64x!tile.ptr<f16>>
    %d = tile.dot %x, %y, %sum : tensor<64x32xf16> * tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<64x64x!tile.ptr<f32>>
  tile.store %po, %r : tensor<64x64x!tile.ptr<f32>>
  return
}
}

// -----

// A tall, narrow product on 8 warps: M has 8 m16 tiles, N 2 n8 tiles, so
// all 8 warps go along M; native int8 takes kWidth 4.
// CHECK-LABEL: func.func @int8_tall
// CHECK: tile.dot {{.*}}kWidth = 4>> * {{.*}}kWidth = 4>> -> tensor<128x16xi32, #tile.mma<version = 2, warpsPerCTA = [8, 1], instrShape = [16, 8]>>
// CHECK: tile.store {{.*}} : tensor<128x16x!tile.ptr<i32>, #tile.mma<version = 2, warpsPerCTA = [8, 1], instrShape = [16, 8]>>
module attributes {tile.num_warps = 8 : i32} {
func.func @int8_tall(%a: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %b: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %o: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<i8> -> tensor<128x64x!tile.ptr<i8>>
  %pb = tile.splat %b : !tile.ptr<i8> -> tensor<64x16x!tile.ptr<i8>>
  %x = tile.load %pa : tensor<128x64x!tile.ptr<i8>>
  %y = tile.load %pb : tensor<64x16x!tile.ptr<i8>>
  %zero = arith.constant dense<0> : tensor<128x16xi32>
  %d = tile.dot %x, %y, %zero, inputPrecision = native : tensor<128x64xi8> * tensor<64x16xi8> -> tensor<128x16xi32>
  %po = tile.splat %o : !tile.ptr<i32> -> tensor<128x16x!tile.ptr<i32>>
  tile.store %po, %d : tensor<128x16x!tile.ptr<i32>>
  return
}
}

// -----

// f16_exact takes its int8 four a register too (kWidth 4), widened to f16 in
// registers. An f32 dot keeps its blocked operands (no tensor-core lowering
// for it yet); its accumulator is the f16_exact dot's, in the mma layout.
// CHECK-LABEL: func.func @f16_exact_and_f32
// CHECK: tile.dot {{.*}}kWidth = 4>> * {{.*}}kWidth = 4>> -> tensor<32x32xf32, #tile.mma<version = 2, warpsPerCTA = [2, 2], instrShape = [16, 8]>>
// CHECK: tile.dot {{.*}} : tensor<32x32xf32, #blocked{{[0-9]*}}> * tensor<32x32xf32, #blocked{{[0-9]*}}> -> tensor<32x32xf32, #tile.mma
module attributes {tile.num_warps = 4 : i32} {
func.func @f16_exact_and_f32(%a: !tile.ptr<i8> {tile.divisibility = 16 : i32}, %f: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %pa = tile.splat %a : !tile.ptr<i8> -> tensor<32x32x!tile.ptr<i8>>
  %x = tile.load %pa : tensor<32x32x!tile.ptr<i8>>
  %zero = arith.constant dense<0.0> : tensor<32x32xf32>
  %d = tile.dot %x, %x, %zero, inputPrecision = f16_exact : tensor<32x32xi8> * tensor<32x32xi8> -> tensor<32x32xf32>
  %pf = tile.splat %f : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  %y = tile.load %pf : tensor<32x32x!tile.ptr<f32>>
  %e = tile.dot %y, %y, %d : tensor<32x32xf32> * tensor<32x32xf32> -> tensor<32x32xf32>
  %po = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  tile.store %po, %e : tensor<32x32x!tile.ptr<f32>>
  return
}
}
