// Elementwise ops on tiles become the same op on each of the thread's
// scalars; exp becomes ex2.approx.
// RUN: tile-opt %s -tile-coalesce -tile-assign-layouts -convert-tile-to-llvm | FileCheck %s

// 512 elements over 128 threads: 4 scalar ops of each kind per thread; exp
// multiplies by log2(e) first.
// CHECK-LABEL: llvm.func @exp_and_add
// CHECK-COUNT-4: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.constant 1.44269502 : f32
// CHECK: llvm.inline_asm asm_dialect = att "ex2.approx.f32 $0, $1;", "=f,f"
// CHECK-NOT: math.exp
func.func @exp_and_add(%p: !tile.ptr<f32> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 512 : i32, start = 0 : i32} : tensor<512xi32>
  %s = tile.splat %p : !tile.ptr<f32> -> tensor<512x!tile.ptr<f32>>
  %a = tile.addptr %s, %r : tensor<512x!tile.ptr<f32>>, tensor<512xi32>
  %x = tile.load %a : tensor<512x!tile.ptr<f32>>
  %y = arith.addf %x, %x : tensor<512xf32>
  %e = math.exp %y : tensor<512xf32>
  tile.store %a, %e : tensor<512x!tile.ptr<f32>>
  return
}

// bf16 widened as a shift of its bits (LLVM then sees through a packed
// pair's extraction), except where the widened values only feed a multiply
// rounded back to bf16, which stays extf -> mulf -> truncf for LLVM to narrow
// to one bf16 multiply.
// CHECK-LABEL: llvm.func @bf16_widening
// CHECK: %[[BITS:.+]] = arith.bitcast %{{.*}} : bf16 to i16
// CHECK: %[[WIDE:.+]] = arith.extui %[[BITS]] : i16 to i32
// CHECK: arith.shli %[[WIDE]], %{{.*}} : i32
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @bf16_widening(%p: !tile.ptr<bf16> {tile.divisibility = 16 : i32}, %q: !tile.ptr<f32> {tile.divisibility = 16 : i32}, %o: !tile.ptr<bf16> {tile.divisibility = 16 : i32}) {
  %r = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
  %s = tile.splat %p : !tile.ptr<bf16> -> tensor<128x!tile.ptr<bf16>>
  %a = tile.addptr %s, %r : tensor<128x!tile.ptr<bf16>>, tensor<128xi32>
  %x = tile.load %a : tensor<128x!tile.ptr<bf16>>
  %w = arith.extf %x : tensor<128xbf16> to tensor<128xf32>
  %t = tile.splat %q : !tile.ptr<f32> -> tensor<128x!tile.ptr<f32>>
  %b = tile.addptr %t, %r : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
  tile.store %b, %w : tensor<128x!tile.ptr<f32>>
  %n = arith.extf %x : tensor<128xbf16> to tensor<128xf32>
  %m = arith.mulf %n, %n : tensor<128xf32>
  %y = arith.truncf %m : tensor<128xf32> to tensor<128xbf16>
  %u = tile.splat %o : !tile.ptr<bf16> -> tensor<128x!tile.ptr<bf16>>
  %c = tile.addptr %u, %r : tensor<128x!tile.ptr<bf16>>, tensor<128xi32>
  tile.store %c, %y : tensor<128x!tile.ptr<bf16>>
  return
}
