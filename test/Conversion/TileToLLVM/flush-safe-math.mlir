// Where the flush-to-zero forms of the approximate instructions give the
// same bits (FlushSafeMath.cpp): an f32 exp whose every use adds a constant
// of magnitude >= 2^-100 becomes ex2.approx.ftz; an afn division by
// exp(..) + c with c >= 2^-126 becomes rcp.approx.ftz and a multiply.
// Anything else keeps the full forms.
// RUN: tile-opt %s -split-input-file -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// SiLU as the DSL writes it: both short forms, no division left.
// CHECK-LABEL: llvm.func @silu
// CHECK-COUNT-4: "ex2.approx.ftz.f32 $0, $1;"
// CHECK-COUNT-4: rcp.approx.ftz.f32 r, $2;{{.*}}mul.rn.f32 $0, $1, r;
// CHECK-NOT: ex2.approx.f32
// CHECK-NOT: arith.divf
func.func @silu(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %one = arith.constant dense<1.0> : tensor<512xf32>
  %n = arith.negf %x : tensor<512xf32>
  %e = math.exp %n : tensor<512xf32>
  %d = arith.addf %one, %e : tensor<512xf32>
  %y = arith.divf %x, %d fastmath<afn> : tensor<512xf32>
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// 1 + exp(x) stored as well: a subnormal exp would be seen, so the full
// ex2; the division still by its reciprocal (the divisor is >= 1).
// CHECK-LABEL: llvm.func @exp_also_stored
// CHECK-COUNT-4: "ex2.approx.f32 $0, $1;"
// CHECK-COUNT-4: rcp.approx.ftz.f32
// CHECK-NOT: ex2.approx.ftz
func.func @exp_also_stored(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %one = arith.constant dense<1.0> : tensor<512xf32>
  %e = math.exp %x : tensor<512xf32>
  %d = arith.addf %e, %one : tensor<512xf32>
  %y = arith.divf %x, %d fastmath<afn> : tensor<512xf32>
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  tile.store %a, %e : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// exp + 1e-35: above 2^-126, so the division by it may use the reciprocal,
// but under 2^-100, so a subnormal exp could change the sum: full ex2.
// CHECK-LABEL: llvm.func @tiny_constant
// CHECK-COUNT-4: "ex2.approx.f32 $0, $1;"
// CHECK-COUNT-4: rcp.approx.ftz.f32
// CHECK-NOT: ex2.approx.ftz
func.func @tiny_constant(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %c = arith.constant dense<1.0e-35> : tensor<512xf32>
  %e = math.exp %x : tensor<512xf32>
  %d = arith.addf %e, %c : tensor<512xf32>
  %y = arith.divf %x, %d fastmath<afn> : tensor<512xf32>
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  return
}

// -----

// A divisor not known to be normal (1 passed as an argument), an IEEE
// division (by 1 + exp: that exp may flush), and a divisor that is no exp:
// the divisions stay divisions.
// CHECK-LABEL: llvm.func @not_provable
// CHECK-NOT: rcp.approx
// CHECK-COUNT-4: "ex2.approx.f32 $0, $1;"
// CHECK-COUNT-4: arith.divf {{.*}} fastmath<afn> : f32
// CHECK-COUNT-4: "ex2.approx.ftz.f32 $0, $1;"
// CHECK-COUNT-4: arith.divf %{{[0-9]+}}, %{{[0-9]+}} : f32
// CHECK-COUNT-4: arith.divf {{.*}} fastmath<afn> : f32
// CHECK-NOT: rcp.approx
func.func @not_provable(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %c: f32) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %one = arith.constant dense<1.0> : tensor<512xf32>
  %cs = tile.splat %c : f32 -> tensor<512xf32>
  %e = math.exp %x : tensor<512xf32>
  %d = arith.addf %e, %cs : tensor<512xf32>
  %y = arith.divf %x, %d fastmath<afn> : tensor<512xf32>
  tile.store %a, %y : tensor<512x!tile.ptr<f32>>
  %e2 = math.exp %y : tensor<512xf32>
  %d2 = arith.addf %e2, %one : tensor<512xf32>
  %y2 = arith.divf %x, %d2 : tensor<512xf32>
  tile.store %a, %y2 : tensor<512x!tile.ptr<f32>>
  %d3 = arith.addf %x, %one : tensor<512xf32>
  %y3 = arith.divf %x, %d3 fastmath<afn> : tensor<512xf32>
  tile.store %a, %y3 : tensor<512x!tile.ptr<f32>>
  return
}
