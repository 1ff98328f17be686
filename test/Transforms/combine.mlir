// The patterns of tile-combine, and the cases they must leave alone.
// RUN: tile-opt %s -split-input-file -tile-combine | FileCheck %s

// Two offsets in a row become one addptr of their sum.
// CHECK-LABEL: func.func @addptr_chain
// CHECK-SAME: (%[[P:.+]]: tensor<16x!tile.ptr<f32>>, %[[A:.+]]: tensor<16xi32>, %[[B:.+]]: tensor<16xi32>)
// CHECK-NEXT: %[[SUM:.+]] = arith.addi %[[A]], %[[B]] : tensor<16xi32>
// CHECK-NEXT: %[[Q:.+]] = tile.addptr %[[P]], %[[SUM]] : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
// CHECK-NEXT: return %[[Q]]
func.func @addptr_chain(%p: tensor<16x!tile.ptr<f32>>, %a: tensor<16xi32>, %b: tensor<16xi32>) -> tensor<16x!tile.ptr<f32>> {
  %q1 = tile.addptr %p, %a : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  %q2 = tile.addptr %q1, %b : tensor<16x!tile.ptr<f32>>, tensor<16xi32>
  return %q2 : tensor<16x!tile.ptr<f32>>
}

// -----

// Offsets of different integer types are not summed.
// CHECK-LABEL: func.func @addptr_chain_mixed_types
// CHECK: tile.addptr
// CHECK: tile.addptr
// CHECK-NOT: arith.addi
func.func @addptr_chain_mixed_types(%p: !tile.ptr<f32>, %a: i32, %b: i64) -> !tile.ptr<f32> {
  %q1 = tile.addptr %p, %a : !tile.ptr<f32>, i32
  %q2 = tile.addptr %q1, %b : !tile.ptr<f32>, i64
  return %q2 : !tile.ptr<f32>
}

// -----

// A select that fills a masked load's inactive lanes becomes its `other`.
// CHECK-LABEL: func.func @select_of_masked_load
// CHECK-SAME: (%[[P:.+]]: tensor<16x!tile.ptr<f32>>, %[[M:.+]]: tensor<16xi1>, %[[X:.+]]: tensor<16xf32>)
// CHECK-NEXT: %[[L:.+]] = tile.load %[[P]], %[[M]], %[[X]] cache = cg : tensor<16x!tile.ptr<f32>>
// CHECK-NEXT: return %[[L]]
func.func @select_of_masked_load(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %x: tensor<16xf32>) -> tensor<16xf32> {
  %l = tile.load %p, %m cache = cg : tensor<16x!tile.ptr<f32>>
  %s = arith.select %m, %l, %x : tensor<16xi1>, tensor<16xf32>
  return %s : tensor<16xf32>
}

// -----

// Not when the select's condition is another mask.
// CHECK-LABEL: func.func @select_other_mask
// CHECK: tile.load %{{.*}}, %{{.*}} : tensor<16x!tile.ptr<f32>>
// CHECK: arith.select
func.func @select_other_mask(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %n: tensor<16xi1>, %x: tensor<16xf32>) -> tensor<16xf32> {
  %l = tile.load %p, %m : tensor<16x!tile.ptr<f32>>
  %s = arith.select %n, %l, %x : tensor<16xi1>, tensor<16xf32>
  return %s : tensor<16xf32>
}

// -----

// Not when the load has another use.
// CHECK-LABEL: func.func @select_load_used_twice
// CHECK: tile.load
// CHECK: arith.select
func.func @select_load_used_twice(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %l = tile.load %p, %m : tensor<16x!tile.ptr<f32>>
  %s = arith.select %m, %l, %x : tensor<16xi1>, tensor<16xf32>
  return %s, %l : tensor<16xf32>, tensor<16xf32>
}

// -----

// Not when a store between the load and the select could change what the
// load reads: the load must not move past it.
// CHECK-LABEL: func.func @select_after_store
// CHECK: tile.load %{{.*}}, %{{.*}} : tensor<16x!tile.ptr<f32>>
// CHECK-NEXT: tile.store
// CHECK-NEXT: arith.select
func.func @select_after_store(%p: tensor<16x!tile.ptr<f32>>, %m: tensor<16xi1>, %x: tensor<16xf32>) -> tensor<16xf32> {
  %l = tile.load %p, %m : tensor<16x!tile.ptr<f32>>
  tile.store %p, %x : tensor<16x!tile.ptr<f32>>
  %s = arith.select %m, %l, %x : tensor<16xi1>, tensor<16xf32>
  return %s : tensor<16xf32>
}

// -----

// A constant added to an integer dot goes into its accumulator (on either
// side of the add), where it folds with a constant accumulator.
// CHECK-LABEL: func.func @add_into_dot_accumulator
// CHECK: %[[INIT:.+]] = arith.constant dense<7> : tensor<16x16xi32>
// CHECK-NEXT: %[[D:.+]] = tile.dot %{{.+}}, %{{.+}}, %[[INIT]], inputPrecision = native
// CHECK-NEXT: return %[[D]]
func.func @add_into_dot_accumulator(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>) -> tensor<16x16xi32> {
  %zero = arith.constant dense<0> : tensor<16x16xi32>
  %k = arith.constant dense<7> : tensor<16x16xi32>
  %d = tile.dot %a, %b, %zero, inputPrecision = native : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xi32>
  %s = arith.addi %k, %d : tensor<16x16xi32>
  return %s : tensor<16x16xi32>
}

// -----

// A dot with another use, or a non-constant addend, is left alone.
// CHECK-LABEL: func.func @add_into_dot_left_alone
// CHECK: %[[D:.+]] = tile.dot %{{.+}}, %{{.+}}, %{{.+}}, inputPrecision = native
// CHECK: arith.addi %[[D]]
// CHECK: arith.addi %[[D]]
func.func @add_into_dot_left_alone(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>, %c: tensor<16x16xi32>, %x: tensor<16x16xi32>) -> (tensor<16x16xi32>, tensor<16x16xi32>) {
  %k = arith.constant dense<7> : tensor<16x16xi32>
  %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<16x32xi8> * tensor<32x16xi8> -> tensor<16x16xi32>
  %s = arith.addi %d, %k : tensor<16x16xi32>
  %t = arith.addi %d, %x : tensor<16x16xi32>
  return %s, %t : tensor<16x16xi32>, tensor<16x16xi32>
}

// -----

// A sign extension masked back to its source's bits (the mask on either side,
// a scalar or a splat) is a zero extension; another mask is left alone.
// CHECK-LABEL: func.func @masked_sign_extension
// CHECK: %[[Z:.+]] = arith.extui %{{.+}} : tensor<8xi4> to tensor<8xi32>
// CHECK: %[[S:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[E:.+]] = arith.extsi %{{.+}} : tensor<8xi4> to tensor<8xi32>
// CHECK: %[[M:.+]] = arith.andi %[[E]], %{{.+}} : tensor<8xi32>
// CHECK: return %[[Z]], %[[S]], %[[M]]
func.func @masked_sign_extension(%c: tensor<8xi4>, %b: i8) -> (tensor<8xi32>, i32, tensor<8xi32>) {
  %m15 = arith.constant dense<15> : tensor<8xi32>
  %m7 = arith.constant dense<7> : tensor<8xi32>
  %m255 = arith.constant 255 : i32
  %e = arith.extsi %c : tensor<8xi4> to tensor<8xi32>
  %z = arith.andi %e, %m15 : tensor<8xi32>
  %eb = arith.extsi %b : i8 to i32
  %s = arith.andi %m255, %eb : i32
  %e2 = arith.extsi %c : tensor<8xi4> to tensor<8xi32>
  %k = arith.andi %e2, %m7 : tensor<8xi32>
  return %z, %s, %k : tensor<8xi32>, i32, tensor<8xi32>
}
