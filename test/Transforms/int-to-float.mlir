// tile-int-to-float: an i32 -> f32 conversion proven within [-2^22, 2^22]
// becomes bitcast(x + 0x4B400000) - 1.5 * 2^23 (1262485504 is 0x4B400000,
// the bits of 1.5 * 2^23); tile-combine then moves the integer add
// into the dot's accumulator. Each case that must stay a conversion fails
// the pass as written without the range check.
// RUN: tile-opt %s -split-input-file -tile-int-to-float | FileCheck %s
// RUN: tile-opt %s -split-input-file -tile-int-to-float -tile-combine | FileCheck %s --check-prefix=COMBINE

// One int8 dot over a 128-wide quant group: |d| <= 128 * 2^14 = 2^21.
// CHECK-LABEL: func.func @group_dot
// CHECK: %[[D:.+]] = tile.dot
// CHECK-NEXT: %[[MAGIC:.+]] = arith.constant dense<1262485504> : tensor<16x16xi32>
// CHECK-NEXT: %[[SUM:.+]] = arith.addi %[[D]], %[[MAGIC]]
// CHECK-NEXT: %[[BITS:.+]] = arith.bitcast %[[SUM]] : tensor<16x16xi32> to tensor<16x16xf32>
// CHECK-NEXT: %[[FMAGIC:.+]] = arith.constant dense<0x4B400000> : tensor<16x16xf32>
// CHECK-NEXT: %[[F:.+]] = arith.subf %[[BITS]], %[[FMAGIC]]
// CHECK-NOT: arith.sitofp
// CHECK: return %[[F]]
// COMBINE-LABEL: func.func @group_dot
// COMBINE: %[[INIT:.+]] = arith.constant dense<1262485504> : tensor<16x16xi32>
// COMBINE: %[[D:.+]] = tile.dot %{{.+}}, %{{.+}}, %[[INIT]], inputPrecision = native
// COMBINE-NEXT: %[[BITS:.+]] = arith.bitcast %[[D]]
// COMBINE-NEXT: %[[F:.+]] = arith.subf %[[BITS]]
// COMBINE-NEXT: return %[[F]]
func.func @group_dot(%a: tensor<16x128xi8>, %b: tensor<128x16xi8>) -> tensor<16x16xf32> {
  %zero = arith.constant dense<0> : tensor<16x16xi32>
  %d = tile.dot %a, %b, %zero, inputPrecision = native : tensor<16x128xi8> * tensor<128x16xi8> -> tensor<16x16xi32>
  %f = arith.sitofp %d : tensor<16x16xi32> to tensor<16x16xf32>
  return %f : tensor<16x16xf32>
}

// -----

// Four K tiles of 64 (a 256-wide group): products in [-16256, 16384], so
// d in [-4161536, 4194304 = 2^22], the largest range the form is exact on.
// CHECK-LABEL: func.func @chain_at_the_bound
// CHECK-NOT: arith.sitofp
// CHECK: arith.bitcast
func.func @chain_at_the_bound(%a: tensor<16x64xi8>, %b: tensor<64x16xi8>) -> tensor<16x16xf32> {
  %zero = arith.constant dense<0> : tensor<16x16xi32>
  %d0 = tile.dot %a, %b, %zero, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d1 = tile.dot %a, %b, %d0, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d2 = tile.dot %a, %b, %d1, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d3 = tile.dot %a, %b, %d2, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %f = arith.sitofp %d3 : tensor<16x16xi32> to tensor<16x16xf32>
  return %f : tensor<16x16xf32>
}

// -----

// One more product (a 16-element accumulator start of 1) passes 2^22.
// CHECK-LABEL: func.func @chain_past_the_bound
// CHECK: arith.sitofp
// CHECK-NOT: arith.bitcast
func.func @chain_past_the_bound(%a: tensor<16x64xi8>, %b: tensor<64x16xi8>) -> tensor<16x16xf32> {
  %one = arith.constant dense<1> : tensor<16x16xi32>
  %d0 = tile.dot %a, %b, %one, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d1 = tile.dot %a, %b, %d0, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d2 = tile.dot %a, %b, %d1, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %d3 = tile.dot %a, %b, %d2, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
  %f = arith.sitofp %d3 : tensor<16x16xi32> to tensor<16x16xf32>
  return %f : tensor<16x16xf32>
}

// -----

// int4 weights (shifted up and back down: [-8, 7]) leave room for K = 4096:
// 4096 * 128 * 8 = 2^22.
// CHECK-LABEL: func.func @int4_weights
// CHECK-NOT: arith.sitofp
// CHECK: arith.bitcast
func.func @int4_weights(%a: tensor<16x4096xi8>, %b: tensor<4096x16xi8>) -> tensor<16x16xf32> {
  %four = arith.constant dense<4> : tensor<4096x16xi8>
  %zero = arith.constant dense<0> : tensor<16x16xi32>
  %up = arith.shli %b, %four : tensor<4096x16xi8>
  %nibble = arith.shrsi %up, %four : tensor<4096x16xi8>
  %d = tile.dot %a, %nibble, %zero, inputPrecision = native : tensor<16x4096xi8> * tensor<4096x16xi8> -> tensor<16x16xi32>
  %f = arith.sitofp %d : tensor<16x16xi32> to tensor<16x16xf32>
  return %f : tensor<16x16xf32>
}

// -----

// A chain carried around a loop has no bound the analysis knows; an i32 of
// unknown range, and an i64, stay conversions.
// CHECK-LABEL: func.func @unknown_ranges
// CHECK-COUNT-3: arith.sitofp
// CHECK-NOT: arith.bitcast
func.func @unknown_ranges(%a: tensor<16x64xi8>, %b: tensor<64x16xi8>, %n: i32, %x: tensor<16x16xi32>, %y: i64) -> (tensor<16x16xf32>, tensor<16x16xf32>, f32) {
  %zero = arith.constant dense<0> : tensor<16x16xi32>
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %acc = scf.for %i = %c0 to %n step %c1 iter_args(%c = %zero) -> (tensor<16x16xi32>) : i32 {
    %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<16x64xi8> * tensor<64x16xi8> -> tensor<16x16xi32>
    scf.yield %d : tensor<16x16xi32>
  }
  %f = arith.sitofp %acc : tensor<16x16xi32> to tensor<16x16xf32>
  %g = arith.sitofp %x : tensor<16x16xi32> to tensor<16x16xf32>
  %h = arith.sitofp %y : i64 to f32
  return %f, %g, %h : tensor<16x16xf32>, tensor<16x16xf32>, f32
}

// -----

// A scalar of a small range: an i32 extended from i16.
// CHECK-LABEL: func.func @scalar
// CHECK: %[[SUM:.+]] = arith.addi %{{.+}}, %{{.+}} : i32
// CHECK: arith.bitcast %[[SUM]] : i32 to f32
// CHECK-NOT: arith.sitofp
func.func @scalar(%x: i16) -> f32 {
  %w = arith.extsi %x : i16 to i32
  %f = arith.sitofp %w : i32 to f32
  return %f : f32
}
