// What the lowering does not support yet is reported with the op and why.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -tile-accelerate-matmul -convert-tile-to-llvm -verify-diagnostics

func.func @dot_f32(%a: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %x = tile.splat %a : !tile.ptr<f32> -> tensor<16x16x!tile.ptr<f32>>
  %l = tile.load %x : tensor<16x16x!tile.ptr<f32>>
  %c = arith.constant dense<0.0> : tensor<16x16xf32>
  // expected-error @+1 {{'tile.dot' op has no GPU lowering for 'f32' operands with a 'f32' accumulator yet (mma.sync lowers f16, bf16 and i8 dots)}}
  %d = tile.dot %l, %l, %c, inputPrecision = tf32 : tensor<16x16xf32> * tensor<16x16xf32> -> tensor<16x16xf32>
  %y = tile.splat %o : !tile.ptr<f32> -> tensor<16x16x!tile.ptr<f32>>
  tile.store %y, %d : tensor<16x16x!tile.ptr<f32>>
  return
}

// -----

func.func @dot_fp8(%a: !tile.ptr<f8E4M3FN> {tile.divisibility = 16 : i32}, %o: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %x = tile.splat %a : !tile.ptr<f8E4M3FN> -> tensor<32x32x!tile.ptr<f8E4M3FN>>
  %l = tile.load %x : tensor<32x32x!tile.ptr<f8E4M3FN>>
  %c = arith.constant dense<0.0> : tensor<32x32xf32>
  // expected-error @+1 {{'tile.dot' op has no GPU lowering for 'f8E4M3FN' operands with a 'f32' accumulator yet (mma.sync lowers f16, bf16 and i8 dots)}}
  %d = tile.dot %l, %l, %c : tensor<32x32xf8E4M3FN> * tensor<32x32xf8E4M3FN> -> tensor<32x32xf32>
  %y = tile.splat %o : !tile.ptr<f32> -> tensor<32x32x!tile.ptr<f32>>
  tile.store %y, %d : tensor<32x32x!tile.ptr<f32>>
  return
}

// -----

func.func @rtz_fp8(%v: f32, %q: !tile.ptr<f8E4M3FN>) {
  // expected-error @+1 {{'tile.fp_to_fp' op rounding toward zero is not supported by the GPU lowering yet}}
  %c = tile.fp_to_fp %v, rounding = rtz : f32 -> f8E4M3FN
  tile.store %q, %c : !tile.ptr<f8E4M3FN>
  return
}

// -----

func.func @non_splat_constant(%q: !tile.ptr<i32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 4 : i32, start = 0 : i32} : tensor<4xi32>
  // expected-error @+1 {{'arith.constant' op a tile constant must be a splat to be lowered (non-splat tile constants are not supported yet)}}
  %c = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %s = arith.addi %r, %c : tensor<4xi32>
  %t = tile.splat %q : !tile.ptr<i32> -> tensor<4x!tile.ptr<i32>>
  %b = tile.addptr %t, %r : tensor<4x!tile.ptr<i32>>, tensor<4xi32>
  tile.store %b, %s : tensor<4x!tile.ptr<i32>>
  return
}
