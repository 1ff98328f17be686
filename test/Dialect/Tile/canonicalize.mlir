// Every folder and canonicalization pattern of the tile dialect.
// RUN: tile-opt %s -split-input-file -canonicalize | FileCheck %s

// A one-element range is a constant.
// CHECK-LABEL: func.func @make_range_of_one
// CHECK-NEXT: %[[C:.+]] = arith.constant dense<7> : tensor<1xi32>
// CHECK-NEXT: return %[[C]]
func.func @make_range_of_one() -> tensor<1xi32> {
  %r = tile.make_range {end = 8 : i32, start = 7 : i32} : tensor<1xi32>
  return %r : tensor<1xi32>
}

// -----

// A longer range stays an op: the axis analysis needs to see it.
// CHECK-LABEL: func.func @make_range_kept
// CHECK-NEXT: tile.make_range {end = 128 : i32, start = 0 : i32}
func.func @make_range_kept() -> tensor<128xi32> {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  return %r : tensor<128xi32>
}

// -----

// The splat of a constant is a dense constant, for floats and integers.
// CHECK-LABEL: func.func @splat_of_constant
// CHECK-DAG: %[[F:.+]] = arith.constant dense<2.500000e+00> : tensor<16x32xf32>
// CHECK-DAG: %[[I:.+]] = arith.constant dense<-3> : tensor<64xi8>
// CHECK-NOT: tile.splat
// CHECK: return %[[F]], %[[I]]
func.func @splat_of_constant() -> (tensor<16x32xf32>, tensor<64xi8>) {
  %c = arith.constant 2.5 : f32
  %i = arith.constant -3 : i8
  %t = tile.splat %c : f32 -> tensor<16x32xf32>
  %u = tile.splat %i : i8 -> tensor<64xi8>
  return %t, %u : tensor<16x32xf32>, tensor<64xi8>
}

// -----

// The splat of a non-constant stays.
// CHECK-LABEL: func.func @splat_kept
// CHECK-NEXT: tile.splat %{{.*}} : f32 -> tensor<16xf32>
func.func @splat_kept(%x: f32) -> tensor<16xf32> {
  %t = tile.splat %x : f32 -> tensor<16xf32>
  return %t : tensor<16xf32>
}

// -----

// Broadcasting a splat is a splat of the broadcast shape.
// CHECK-LABEL: func.func @broadcast_of_splat
// CHECK-SAME: (%[[X:.+]]: f32)
// CHECK-NEXT: %[[S:.+]] = tile.splat %[[X]] : f32 -> tensor<64x128xf32>
// CHECK-NEXT: return %[[S]]
func.func @broadcast_of_splat(%x: f32) -> tensor<64x128xf32> {
  %s = tile.splat %x : f32 -> tensor<1x128xf32>
  %b = tile.broadcast %s : tensor<1x128xf32> -> tensor<64x128xf32>
  return %b : tensor<64x128xf32>
}

// -----

// Broadcasting a splat constant is a constant.
// CHECK-LABEL: func.func @broadcast_of_constant
// CHECK-NEXT: %[[C:.+]] = arith.constant dense<1.000000e+00> : tensor<64x128xf32>
// CHECK-NEXT: return %[[C]]
func.func @broadcast_of_constant() -> tensor<64x128xf32> {
  %c = arith.constant dense<1.0> : tensor<1x128xf32>
  %b = tile.broadcast %c : tensor<1x128xf32> -> tensor<64x128xf32>
  return %b : tensor<64x128xf32>
}

// -----

// A broadcast to its own type is its source.
// CHECK-LABEL: func.func @broadcast_identity
// CHECK-SAME: (%[[T:.+]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[T]]
func.func @broadcast_identity(%t: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %b = tile.broadcast %t : tensor<4x8xf32> -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// -----

// Two broadcasts in a row are one.
// CHECK-LABEL: func.func @broadcast_of_broadcast
// CHECK-SAME: (%[[T:.+]]: tensor<1x1xf32>)
// CHECK-NEXT: %[[B:.+]] = tile.broadcast %[[T]] : tensor<1x1xf32> -> tensor<8x16xf32>
// CHECK-NEXT: return %[[B]]
func.func @broadcast_of_broadcast(%t: tensor<1x1xf32>) -> tensor<8x16xf32> {
  %a = tile.broadcast %t : tensor<1x1xf32> -> tensor<1x16xf32>
  %b = tile.broadcast %a : tensor<1x16xf32> -> tensor<8x16xf32>
  return %b : tensor<8x16xf32>
}

// -----

// expand_dims of a splat is a splat; of a splat constant, a constant.
// CHECK-LABEL: func.func @expand_dims_of_splat
// CHECK-SAME: (%[[X:.+]]: i32)
// CHECK-DAG: %[[C:.+]] = arith.constant dense<5> : tensor<1x32xi32>
// CHECK-DAG: %[[S:.+]] = tile.splat %[[X]] : i32 -> tensor<32x1xi32>
// CHECK: return %[[S]], %[[C]]
func.func @expand_dims_of_splat(%x: i32) -> (tensor<32x1xi32>, tensor<1x32xi32>) {
  %s = tile.splat %x : i32 -> tensor<32xi32>
  %e = tile.expand_dims %s {axis = 1 : i32} : tensor<32xi32> -> tensor<32x1xi32>
  %c = arith.constant dense<5> : tensor<32xi32>
  %f = tile.expand_dims %c {axis = 0 : i32} : tensor<32xi32> -> tensor<1x32xi32>
  return %e, %f : tensor<32x1xi32>, tensor<1x32xi32>
}

// -----

// reshape: of a splat, a splat; of a reshape, one reshape; of a constant, a
// constant; to its own type, its source.
// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[X:.+]]: f32, %[[T:.+]]: tensor<64xf32>)
// CHECK-DAG: %[[C:.+]] = arith.constant dense<{{\[}}[0, 1], [2, 3]]> : tensor<2x2xi32>
// CHECK-DAG: %[[S:.+]] = tile.splat %[[X]] : f32 -> tensor<4x16xf32>
// CHECK-DAG: %[[R:.+]] = tile.reshape %[[T]] : tensor<64xf32> -> tensor<8x8xf32>
// CHECK: return %[[S]], %[[R]], %[[C]], %[[T]]
func.func @reshapes(%x: f32, %t: tensor<64xf32>) -> (tensor<4x16xf32>, tensor<8x8xf32>, tensor<2x2xi32>, tensor<64xf32>) {
  %s = tile.splat %x : f32 -> tensor<64xf32>
  %a = tile.reshape %s : tensor<64xf32> -> tensor<4x16xf32>
  %r1 = tile.reshape %t : tensor<64xf32> -> tensor<4x16xf32>
  %r2 = tile.reshape %r1 : tensor<4x16xf32> -> tensor<8x8xf32>
  %c = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
  %rc = tile.reshape %c : tensor<4xi32> -> tensor<2x2xi32>
  %same = tile.reshape %t : tensor<64xf32> -> tensor<64xf32>
  return %a, %r2, %rc, %same : tensor<4x16xf32>, tensor<8x8xf32>, tensor<2x2xi32>, tensor<64xf32>
}

// -----

// Adding a zero offset, scalar or tile, is the pointer itself.
// CHECK-LABEL: func.func @addptr_of_zero
// CHECK-SAME: (%[[P:.+]]: !tile.ptr<f32>, %[[PS:.+]]: tensor<16x!tile.ptr<f32>>)
// CHECK-NEXT: return %[[P]], %[[PS]]
func.func @addptr_of_zero(%p: !tile.ptr<f32>, %ps: tensor<16x!tile.ptr<f32>>) -> (!tile.ptr<f32>, tensor<16x!tile.ptr<f32>>) {
  %z = arith.constant 0 : i32
  %q = tile.addptr %p, %z : !tile.ptr<f32>, i32
  %zs = arith.constant dense<0> : tensor<16xi64>
  %qs = tile.addptr %ps, %zs : tensor<16x!tile.ptr<f32>>, tensor<16xi64>
  return %q, %qs : !tile.ptr<f32>, tensor<16x!tile.ptr<f32>>
}

// -----

// A non-zero offset stays.
// CHECK-LABEL: func.func @addptr_kept
// CHECK: tile.addptr
func.func @addptr_kept(%p: !tile.ptr<f32>) -> !tile.ptr<f32> {
  %c = arith.constant 4 : i32
  %q = tile.addptr %p, %c : !tile.ptr<f32>, i32
  return %q : !tile.ptr<f32>
}

// -----

// convert_layout: to its own type, its source; of a convert, one convert; of
// a splat, a splat; of a splat constant, a constant.
// CHECK-LABEL: func.func @converts
// CHECK-SAME: (%[[T:.+]]: tensor<64xf32, #[[A:.+]]>, %[[X:.+]]: f32)
// CHECK-DAG: %[[C:.+]] = arith.constant dense<2.000000e+00> : tensor<64xf32, #[[B:.+]]>
// CHECK-DAG: %[[ONE:.+]] = tile.convert_layout %[[T]] : tensor<64xf32, #[[A]]> -> tensor<64xf32, #[[B]]>
// CHECK-DAG: %[[S:.+]] = tile.splat %[[X]] : f32 -> tensor<64xf32, #[[B]]>
// CHECK: return %[[T]], %[[ONE]], %[[S]], %[[C]]
#a = #tile.blocked<sizePerThread = [1], threadsPerWarp = [32], warpsPerCTA = [2], order = [0]>
#b = #tile.blocked<sizePerThread = [2], threadsPerWarp = [32], warpsPerCTA = [1], order = [0]>
func.func @converts(%t: tensor<64xf32, #a>, %x: f32) -> (tensor<64xf32, #a>, tensor<64xf32, #b>, tensor<64xf32, #b>, tensor<64xf32, #b>) {
  %same = tile.convert_layout %t : tensor<64xf32, #a> -> tensor<64xf32, #a>
  %c1 = tile.convert_layout %t : tensor<64xf32, #a> -> tensor<64xf32, #b>
  %c2 = tile.convert_layout %c1 : tensor<64xf32, #b> -> tensor<64xf32, #a>
  %c3 = tile.convert_layout %c2 : tensor<64xf32, #a> -> tensor<64xf32, #b>
  %s = tile.splat %x : f32 -> tensor<64xf32, #a>
  %cs = tile.convert_layout %s : tensor<64xf32, #a> -> tensor<64xf32, #b>
  %k = arith.constant dense<2.0> : tensor<64xf32, #a>
  %ck = tile.convert_layout %k : tensor<64xf32, #a> -> tensor<64xf32, #b>
  return %same, %c3, %cs, %ck : tensor<64xf32, #a>, tensor<64xf32, #b>, tensor<64xf32, #b>, tensor<64xf32, #b>
}
